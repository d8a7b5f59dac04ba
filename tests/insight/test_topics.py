"""Hot topics: voices of a period fall into topics about one issue each, labelled by key terms."""

from collections import Counter

import pytest

from xinsheng.insight.nlp.synthetic import AREAS, MINES, voices
from xinsheng.insight.nlp.topics import TopicModel, find_topics

UNITS = [f"{mine}矿" for mine in MINES] + list(AREAS)


@pytest.fixture(scope="module")
def period() -> tuple[list[str], list[str]]:
    return voices(2000, seed=31)


@pytest.fixture(scope="module")
def model(period: tuple[list[str], list[str]]) -> TopicModel:
    texts, _ = period
    return find_topics(texts, keys=[1000 + i for i in range(len(texts))], ignore=UNITS)


def test_each_topic_is_about_one_issue(
    period: tuple[list[str], list[str]], model: TopicModel
) -> None:
    texts, themes = period
    members = [key for topic in model.topics for key in topic.members]
    assert sorted(members) == [1000 + i for i in range(len(texts))]  # each voice once
    assert sum(topic.size for topic in model.topics) == len(texts)
    pure = 0
    for topic in model.topics:
        (_theme, count), *_ = Counter(themes[key - 1000] for key in topic.members).most_common(1)
        pure += count
    assert pure / len(texts) >= 0.95


def test_topics_are_ranked_by_size_and_labelled_by_key_terms(model: TopicModel) -> None:
    sizes = [topic.size for topic in model.topics]
    assert sizes == sorted(sizes, reverse=True)
    assert [topic.number for topic in model.topics] == list(range(len(model.topics)))
    for topic in model.topics:
        assert topic.label == "、".join(topic.terms[:3])
        assert len(topic.terms) >= 3
        # Unit names and request phrases are not what a topic is about.
        assert not any(unit in topic.label for unit in UNITS)
        assert not any(word in topic.label for word in ("希望", "尽快", "解决"))


def test_the_canteen_topic_says_canteen(period: tuple[list[str], list[str]]) -> None:
    texts, themes = period
    model = find_topics(texts, n_topics=10, ignore=UNITS)
    canteen = max(
        model.topics, key=lambda t: sum(themes[key] == "食堂" for key in t.members) / t.size
    )
    assert "食堂" in canteen.terms
    first = texts[canteen.members[0]]
    assert "食堂" in first or "餐" in first  # the nearest member is a typical canteen voice


def test_the_same_texts_give_the_same_topics(period: tuple[list[str], list[str]]) -> None:
    texts, _ = period
    first = find_topics(texts[:600], seed=3)
    again = find_topics(texts[:600], seed=3)
    assert [(t.label, t.members) for t in first.topics] == [
        (t.label, t.members) for t in again.topics
    ]


def test_voices_of_another_period_are_assigned_to_the_topics(
    period: tuple[list[str], list[str]], model: TopicModel
) -> None:
    _, period_themes = period
    theme_of_topic = [
        Counter(period_themes[key - 1000] for key in topic.members).most_common(1)[0][0]
        for topic in model.topics
    ]
    later, themes = voices(300, seed=32)
    assigned = model.assign(later)
    placed = [(t, n) for t, n in zip(themes, assigned, strict=True) if n is not None]
    assert len(placed) >= 280
    # A theme's voices go to the topics of that theme.
    assert sum(theme == theme_of_topic[number] for theme, number in placed) >= 0.9 * len(placed)
    assert model.assign(["今天天气不错", "矿灯不亮"]) == [None, None]
    assert model.assign([]) == []


def test_a_topic_model_survives_serialisation(model: TopicModel) -> None:
    restored = TopicModel.from_bytes(model.to_bytes())
    assert [t.label for t in restored.topics] == [t.label for t in model.topics]
    text = "单身宿舍暖气不热，晚上冻得睡不着，希望尽快解决。"
    assert restored.assign([text]) == model.assign([text])


def test_few_or_empty_texts() -> None:
    model = find_topics(["食堂饭菜太咸", "班车经常晚点"])
    assert sorted(t.size for t in model.topics) == [1, 1]
    model = find_topics(["希望尽快解决！", "请尽快处理。", "谢谢"])
    assert [(t.size, t.label) for t in model.topics] == [(3, "")]
    assert model.assign(["食堂饭菜太咸"]) == [None]
    with pytest.raises(ValueError, match="two texts"):
        find_topics(["食堂饭菜太咸"])
