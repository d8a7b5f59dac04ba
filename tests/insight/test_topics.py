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


# Problems that share where or when they happen: every voice of a pair names the same place or
# time (升井后, 工作面), yet they are different problems a leader would send to different units.
SHARED_PLACE = {
    "canteen_closed": (
        "{place}{夜班|中班}升井后食堂{已经关门了|早就没饭了}，{只能饿着肚子回家|只能泡方便面}。",
        "升井后{去食堂|到餐厅}{一看|发现}{饭菜都卖完了|窗口全关了}，{希望|建议}食堂给晚升井的{留饭|留个窗口}。",
        "{place}升井后{吃不上热饭|没地方吃饭}，食堂{关门太早|八点就关门}，{希望延长供餐时间|建议开夜宵窗口}。",
        "升井后{饿得不行|又冷又饿}，食堂{只剩凉菜|没有热饭}，{能不能|建议}{延长开饭时间|留些热饭菜}。",
    ),
    "bus_wait": (
        "{place}{夜班|中班}升井后要等{一个多小时|很久}才有班车，{建议|希望}班车{时刻|时间}和升井{衔接|对上}。",
        "升井后{赶不上|错过}最后一趟班车，{只能打车回家|只好搭别人的车}，{希望加一趟班车|建议增开夜班车}。",
        "{place}升井后班车{早就开走了|不等人}，{在候车室干等|在路边等}{一个多小时|大半天}，班车{发车时间|时刻表}不合理。",
        "升井后{坐不上|等不到}通勤车，班车{只有一趟|车次太少}，{希望增加车次|建议调整发车时间}。",
    ),
    "dust_masks": (
        "{place}工作面粉尘大，防尘口罩{每月发的数量不够用|发得太少}，{希望多发一些|建议增加发放数量}。",
        "工作面{煤尘|粉尘}{太大|很重}，防尘口罩{一个班就堵了|用不了几天}，{口罩不够用|只能反复戴}。",
        "{place}工作面{采煤时|割煤时}粉尘{呛人|看不清人}，{防尘口罩|口罩}{质量差|不透气}，{建议换成好的|希望换个牌子}。",
        "工作面的{防尘口罩|口罩滤芯}{发放不及时|经常断货}，粉尘{这么大|超标}，{职工担心尘肺|对身体伤害很大}。",
    ),
    "rest_chamber": (
        "{place}工作面{附近|旁边}没有{休息的地方|歇脚的地方}，{希望设置井下休息硐室|建议设个休息硐室}，放{饮用水|开水桶}。",
        "工作面{离井底远|太远}，{中间休息|吃饭}没有{硐室|地方坐}，{希望|建议}{建一个休息硐室|设置避难休息点}。",
        "{place}工作面{一个班八小时|干一个班}{连坐的地方都没有|找不到地方歇脚}，休息硐室{早该建了|能不能安排}。",
        "{希望|建议}在工作面{附近|旁边}{设置|修建}休息硐室，配{座椅|饮水设备}，{职工太累了|累了能歇一会}。",
    ),
}


def test_problems_that_share_a_place_or_time_word_come_out_as_separate_topics() -> None:
    import random

    from xinsheng.insight.nlp.problems import fill

    rng = random.Random(11)  # noqa: S311 — generated test voices
    shared = {"place": ("综采一队", "综掘三队", "机电一队", "运输队")}
    rows: list[tuple[str, str]] = []
    for code, templates in SHARED_PLACE.items():
        seen: set[str] = set()
        while len(seen) < 40:
            seen.add(fill(rng.choice(templates), rng, shared))
        rows.extend((text, code) for text in sorted(seen))
    rng.shuffle(rows)
    model = find_topics([text for text, _ in rows], ignore=shared["place"])
    majority = []
    for topic in model.topics:
        (code, count), *_ = Counter(rows[key][1] for key in topic.members).most_common(1)
        assert count >= 0.9 * topic.size, (topic.label, Counter(rows[k][1] for k in topic.members))
        majority.append(code)
        # The label names the problem, not where or when it happens.
        assert not any(part in ("升井后", "升井", "工作面") for part in topic.label.split("、"))
    assert sorted(set(majority)) == sorted(SHARED_PLACE)
    assert len(model.unclustered) <= 0.2 * len(rows)
