"""Normalisation: the scraped seed documents come out clean, and real content survives."""

import random
import re
import string
from pathlib import Path

import pytest

from xinsheng.core.normalize import normalize

SEEDS = Path(__file__).parent / "seeds"
GLOSSED = SEEDS / "000_2c0421d05c83c78b.txt"  # pinyin glosses after traditional characters
NOISY = SEEDS / "002_44af3694a125c669.txt"  # random ASCII runs between sentences

# Every run of scraping noise visible in the noisy seed document.
NOISE_RUNS = [
    ";Y$@0", "*F", "@p>5xI9I", "=*gSik", "s@b{oAR@", "e+fK#t32", "eIh[|d%", "BR^", "y5{Q",
    "uD;B4@8)O", ">6v]N", 'Aw6n+[@"', "{'-<!]A9L", "SnNrpjm", "a*i>", "o<D", "_fK>{$",
    "f=RB", "kEr`X_~=L", "9P]*(A", "t`", "8`P(57", "3$R-",
]  # fmt: skip

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"


@pytest.fixture(scope="module")
def glossed() -> str:
    return normalize(GLOSSED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def noisy() -> str:
    return normalize(NOISY.read_text(encoding="utf-8"))


def test_the_pinyin_glosses_of_the_seed_are_gone(glossed: str) -> None:
    assert not re.search(rf"\([a-z{TONE_MARKS}]+\)", glossed)
    assert not any(mark in glossed for mark in TONE_MARKS)
    assert glossed.startswith("冀中能源邯矿集团“双题共解”构建办实事新格局\n")


def test_the_glossed_seed_is_simplified_and_keeps_its_figures(glossed: str) -> None:
    for content in [
        "2021年发放助学金25.6万元，受助学子达到107名",
        "增设职工停车位75个，扩增职工餐厅面积100多平方米",
        "8月份开始以制修厂、机电区为试点，评选出6名技术能手，给予每月600元的技术津贴",
        "累计为职工群众办实事45件次",
        "“学讲话 传薪火 强企有我”志愿服务活动",
        "抢抓庆祝新中国成立72周年有利契机",
        "1260余项。",
        "（冀中能源邯矿集团宣传部 刘林）",
    ]:
        assert content in glossed
    for traditional in "團構實際問題點職關":
        assert traditional not in glossed


def test_every_noise_run_of_the_seed_is_gone(noisy: str) -> None:
    for run in NOISE_RUNS:
        assert run not in noisy, run
    # What is left of a line is Chinese text; no line is made of ASCII alone.
    for line in noisy.split("\n"):
        assert re.search(r"[\u4e00-\u9fff]", line), line
        assert not line.endswith(" "), line


def test_the_noisy_seed_keeps_its_content(noisy: str) -> None:
    lines = noisy.split("\n")
    assert lines[0].endswith("如何摆脱困境的束缚，重振雄风？")
    assert "务实惠民亲民 和谐“一家人”" in lines
    for content in [
        "该矿党委成立4个督导组",
        "全矿已走访干部职工7000余人次，效果显著。",
        "党政领导的电话24小时对职工开放",
        "征集职工合理化建议100余条",
        "该矿343名领导干部与121户困难职工家庭结成帮扶对子，自掏腰包5.6万元走访慰问",
        "对80名符合条件的学生发放奖学助学金20万元；大病救助54人，发放救助金19.1万元。",
        "组织井下职工荣誉疗养、病疗、职业健康疗养37批938人。",
        "先后完成家属区天然气管道改造、济邹路连接干道铺设等惠民利民工程40余件。",
    ]:
        assert content in noisy, content
    assert noisy.endswith("惠民利民工程40余件。")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # Real content that looks a little like noise survives.
        ("3号井的WiFi信号太差", "3号井的WiFi信号太差"),
        ("请拨打12345反映", "请拨打12345反映"),
        ("2021年发放25.6万元", "2021年发放25.6万元"),
        ("A-3班的班长", "A-3班的班长"),
        ("采用 ZDY-4000S 钻机，MG300/700-WD型采煤机", "采用 ZDY-4000S 钻机，MG300/700-WD型采煤机"),
        ("KJ95N监控系统，3#煤层，PM2.5超标", "KJ95N监控系统，3#煤层，PM2.5超标"),
        ("井下 4G 信号，重量 5kg 以上", "井下 4G 信号，重量 5kg 以上"),
        ("C++培训，R&D部门，用iPhone拍的", "C++培训，R&D部门，用iPhone拍的"),
        ("选 A 或 B", "选 A 或 B"),
        ("电话 13812345678", "电话 13812345678"),
        (
            "详见 https://xs.example.com/v/JT-C1/?a=1&b=2 谢谢",
            "详见 https://xs.example.com/v/JT-C1/?a=1&b=2 谢谢",
        ),
        ("访问www.example.com了解", "访问www.example.com了解"),
        ("联系人张三 zhang.san@example.com", "联系人张三 zhang.san@example.com"),
        ("1. 食堂饭菜太咸\n2. 宿舍热水不稳定", "1. 食堂饭菜太咸\n2. 宿舍热水不稳定"),
        ("问题很多……①加强管理", "问题很多……①加强管理"),
        ("WiFi", "WiFi"),
        ("12345", "12345"),
        # Width, script, invisible characters and whitespace.
        ("ＷｉＦｉ信号差，热线１２３４５", "WiFi信号差，热线12345"),
        ("職工餐廳的飯菜", "职工餐厅的饭菜"),
        ("食\u200b堂\ufeff饭\u202e菜\x07", "食堂饭菜"),
        ("  食堂 \t  饭菜\n\n\n 太咸  ", "食堂 饭菜\n太咸"),
        ("ｶﾀｶﾅ", "カタカナ"),
        # Punctuation touching Chinese text takes its Chinese form.
        ("时间:8:00,地点:食堂", "时间：8:00，地点：食堂"),
        ("第(1)条(试行)", "第（1）条（试行）"),
        ("是吗?", "是吗？"),
        # Scraping noise goes.
        ("集團(tuán)", "集团"),
        ("实打?qū)?凝聚", "实打凝聚"),
        ("重振雄风? @\n;Y$@0\n*F", "重振雄风？"),
        ("你好。 D\n谢谢。", "你好。\n谢谢。"),
        ("食堂饭菜太咸 t 3$R-", "食堂饭菜太咸"),
        ("使用 WiFi x#@ 上网", "使用 WiFi 上网"),
        # A parenthesis of English or not-quite pinyin is not a gloss.
        ("见附件(pdf)", "见附件（pdf）"),
        ("方案(a)", "方案（a）"),
    ],
)
def test_tricky_cases(raw: str, clean: str) -> None:
    assert normalize(raw) == clean


def test_normalising_twice_changes_nothing(glossed: str, noisy: str) -> None:
    assert normalize(glossed) == glossed
    assert normalize(noisy) == noisy


def test_most_random_ascii_runs_between_sentences_are_removed() -> None:
    """Random runs like the seed's go; the few kept look like content (``NM``, ``2F``, ``3``)."""
    rng = random.Random(7)  # noqa: S311 — generated test data
    alphabet = string.ascii_letters + string.digits + string.punctuation
    removed = 0
    for _ in range(1000):
        run = "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 10)))
        separator = rng.choice([" ", "\n", " \n"])
        text = f"食堂饭菜太咸。{separator}{run}\n宿舍没有热水。"
        removed += normalize(text) == "食堂饭菜太咸。\n宿舍没有热水。"
    assert removed >= 970
