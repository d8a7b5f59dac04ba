"""Hot topics: voices about one problem make one topic, labelled by the phrases a person would
use; voices about nothing recurring stay unclustered."""

from collections import Counter

import pytest

from xinsheng.insight.nlp.problems import problem_set, voices
from xinsheng.insight.nlp.synthetic import AREAS, MINES
from xinsheng.insight.nlp.synthetic import voices as theme_voices
from xinsheng.insight.nlp.topics import FILLER, TopicModel, find_topics, stopwords

UNITS = [f"{mine}矿" for mine in MINES] + list(AREAS) + list(problem_set().shared["place"])
FIVE = ("parking", "bath_hot_water", "locker_locks", "dorm_network", "heat_allowance")


@pytest.fixture(scope="module")
def planted() -> tuple[list[str], list[str | None]]:
    """Voices of five distinct problems in varied wording, and one-off voices about nothing."""
    return voices(60, seed=7, codes=FIVE)


@pytest.fixture(scope="module")
def planted_model(planted: tuple[list[str], list[str | None]]) -> TopicModel:
    texts, _ = planted
    return find_topics(texts, keys=[1000 + i for i in range(len(texts))], ignore=UNITS)


def test_a_planted_mixture_of_five_problems_comes_out_as_five_topics_and_noise(
    planted: tuple[list[str], list[str | None]], planted_model: TopicModel
) -> None:
    texts, codes = planted
    majority = []
    for topic in planted_model.topics:
        (code, count), *_ = Counter(codes[key - 1000] for key in topic.members).most_common(1)
        assert count >= 0.9 * topic.size  # each topic is about one problem
        majority.append(code)
    assert sorted(majority) == sorted(FIVE)  # one topic per problem, not one topic for all
    # Every voice is in one topic or left out, never both; most one-off voices are left out.
    members = [key for topic in planted_model.topics for key in topic.members]
    assert sorted(members + planted_model.unclustered) == [1000 + i for i in range(len(texts))]
    left_out = [codes[key - 1000] for key in planted_model.unclustered]
    assert left_out.count(None) >= codes.count(None) // 2
    assert len(left_out) <= 0.3 * len(texts)


def test_labels_hold_no_stopword_and_no_one_character_fragment(
    planted_model: TopicModel,
) -> None:
    import rjieba

    themes, _ = theme_voices(1500, seed=5)
    texts, _ = voices(80, seed=3)
    for model in (planted_model, find_topics(texts, ignore=UNITS), find_topics(themes)):
        assert model.topics
        for topic in model.topics:
            assert topic.label
            for part in topic.label.split("、"):
                assert len(part) >= 2
                words = rjieba.cut(part)
                assert not any(word in stopwords() for word in words if len(word) > 1), part
                assert not any(filler in part for filler in ("很多", "哪些", "一些", "仍然",
                                                             "您好", "有人", "周末"))  # fmt: skip
            assert not set(topic.terms) & set(FILLER)
            assert not any(unit in topic.label for unit in UNITS)


def test_the_labels_name_the_problem(
    planted_model: TopicModel, planted: tuple[list[str], list[str | None]]
) -> None:
    _, codes = planted
    expected = {
        "parking": ("车位", "停车"), "bath_hot_water": ("热水",), "locker_locks": ("柜",),
        "dorm_network": ("网络", "宽带", "WiFi"), "heat_allowance": ("高温", "津贴", "防暑"),
    }  # fmt: skip
    for topic in planted_model.topics:
        code = Counter(codes[key - 1000] for key in topic.members).most_common(1)[0][0]
        assert code is not None
        assert any(word in topic.label for word in expected[code]), topic.label


def test_each_topic_shows_three_representative_voices(planted_model: TopicModel) -> None:
    for topic in planted_model.topics:
        assert len(topic.representatives) == 3
        assert len(set(topic.representatives)) == 3
        assert set(topic.representatives) <= set(topic.members)


def test_the_same_texts_give_the_same_topics(planted: tuple[list[str], list[str | None]]) -> None:
    texts, _ = planted
    first = find_topics(texts, seed=3)
    again = find_topics(texts, seed=3)
    assert [(t.label, t.members) for t in first.topics] == [
        (t.label, t.members) for t in again.topics
    ]


def test_voices_of_another_period_are_assigned_to_the_topics(
    planted: tuple[list[str], list[str | None]], planted_model: TopicModel
) -> None:
    _, codes = planted
    code_of_topic = [
        Counter(codes[key - 1000] for key in topic.members).most_common(1)[0][0]
        for topic in planted_model.topics
    ]
    later, later_codes = voices(30, seed=8, codes=FIVE, noise=0)
    assigned = planted_model.assign(later)
    placed = [(c, n) for c, n in zip(later_codes, assigned, strict=True) if n is not None]
    assert len(placed) >= 0.4 * len(later)
    assert sum(code == code_of_topic[number] for code, number in placed) >= 0.95 * len(placed)
    assert planted_model.assign(["今天天气不错"]) == [None]
    assert planted_model.assign([]) == []


def test_a_topic_model_survives_serialisation(planted_model: TopicModel) -> None:
    restored = TopicModel.from_bytes(planted_model.to_bytes())
    assert [t.label for t in restored.topics] == [t.label for t in planted_model.topics]
    text = "井口浴室热水不够用，夜班升井的职工洗不上热水澡。"
    assert restored.assign([text]) == planted_model.assign([text])


def test_few_or_empty_texts() -> None:
    model = find_topics(["食堂饭菜太咸", "班车经常晚点"])
    assert model.topics == []
    assert sorted(model.unclustered) == [0, 1]
    model = find_topics(["希望尽快解决！", "请尽快处理。", "谢谢"])
    assert model.topics == []
    assert model.assign(["食堂饭菜太咸"]) == [None]
    with pytest.raises(ValueError, match="two texts"):
        find_topics(["食堂饭菜太咸"])
