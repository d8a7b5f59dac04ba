"""Generated employee voices for tests and benchmarks: phrases recombined, with a known topic.

A voice is ``[opening][place][problem][detail][request]``: the problem and detail phrases belong to
one topic, the rest is shared. ``voices(n, seed=…)`` is deterministic. ``variant(text, rng)``
returns a near duplicate of a text the way people and web pages produce them: a few characters
changed, traditional characters, pasted noise, or different punctuation and spacing.
"""

import random
import string
from dataclasses import dataclass
from functools import lru_cache

import opencc

MINES = (
    "东山", "西峪", "南屯", "北岭", "赤峪", "云驾岭", "郭二庄", "邢东", "梧桐庄", "陶一", "九龙",
    "薛村",
)  # fmt: skip
AREAS = (
    "综采一队", "综采二队", "综掘三队", "综掘四队", "开拓五队", "机电一队", "机电二队", "运输队",
    "通风队", "抽采队", "选煤厂", "洗选车间", "供电工区", "运转工区", "机修厂", "地测科",
)  # fmt: skip
SHIFTS = ("早班", "中班", "夜班", "检修班", "零点班")
OPENINGS = (
    "", "", "", "反映一个问题：", "我想问一下，", "职工们普遍反映，", "有个建议，",
    "大家意见比较大，", "希望领导重视，", "再次反映，",
)  # fmt: skip
REQUESTS = (
    "希望尽快解决。", "请相关部门尽快处理。", "希望领导重视一下。", "请给个答复。",
    "希望能够改进。", "请尽快安排人员处理。", "希望早日落实。", "盼复，谢谢！",
    "希望有关部门核实处理。", "请帮忙协调解决。", "希望给职工一个说法。", "建议尽快研究落实。",
)  # fmt: skip


@dataclass(frozen=True)
class Topic:
    """A theme of voices: its category label and the phrases that carry it."""

    label: str
    problems: tuple[str, ...]
    details: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic("食堂", (
        "食堂饭菜价格又涨了", "夜班下井前吃不上热饭", "班中餐送到工作面已经凉了",
        "食堂餐具消毒不到位", "食堂面食品种太少", "升井晚了食堂已经关门",
        "食堂排队时间太长", "饭菜分量越来越少", "食堂菜品长期不换样",
    ), (
        "一线职工意见很大", "只能买点馒头咸菜凑合", "建议配备保温餐箱", "希望公开成本核算",
        "建议增加打饭窗口", "希望延长供餐时间",
    )),
    Topic("通勤班车", (
        "通勤班车经常晚点", "班车线路不经过新小区", "早班班车严重超员",
        "夜班下班后没有班车", "班车司机开车太快", "班车发车时间调整没有通知",
    ), (
        "上班经常迟到被考核", "只能自己打车回家", "站着坐一个多小时", "存在安全隐患",
        "建议增加一趟车", "希望调整发车时刻",
    )),
    Topic("住房", (
        "单身宿舍暖气不热", "宿舍卫生间漏水", "家属楼电梯经常坏",
        "宿舍热水供应不稳定", "单身公寓床位太紧张", "宿舍楼道灯坏了很久",
    ), (
        "晚上冻得睡不着", "楼下住户天花板都泡了", "老人上下楼很不方便", "洗澡经常洗到一半没热水",
        "四个人挤一间", "晚上走路容易摔倒",
    )),
    Topic("工资奖金", (
        "上个月绩效工资算错了", "加班费一直没有发放", "工资条看不明白",
        "夜班津贴标准太低", "安全奖扣发没有说明原因", "年终奖发放标准不公开",
    ), (
        "少发了八百多元", "问了区队也说不清楚", "希望公开计算办法", "和其他矿差距很大",
        "职工心里有疑问", "请财务核对一下",
    )),
    Topic("劳保用品", (
        "工作服发放不及时", "防尘口罩质量太差", "胶靴一个月就开胶",
        "矿灯电池续航不够", "自救器快到期了还没更换", "手套发放数量不够用",
    ), (
        "井下作业很不方便", "粉尘大戴着不管用", "脚整天泡在水里", "下井后半班就没电了",
        "存在安全隐患", "只能自己花钱买",
    )),
    Topic("安全生产", (
        "巷道顶板有离层现象", "皮带机保护装置失灵", "工作面瓦斯传感器位置不对",
        "运输巷积水严重", "支架液压管路漏液", "局部通风机经常停",
    ), (
        "存在重大安全隐患", "多次汇报没人处理", "请安监部门现场检查", "影响正常生产",
        "职工作业提心吊胆", "建议尽快整改",
    )),
    Topic("培训考试", (
        "技能鉴定考试报名通知太晚", "安全培训内容年年一样", "培训占用休息时间",
        "特种作业证复审太麻烦", "师带徒补贴一直没发", "网上学习平台经常登录不上",
    ), (
        "很多人错过了报名", "学不到新东西", "下夜班还要去上课", "要跑好几个地方盖章",
        "师傅们积极性不高", "学时完不成要被考核",
    )),
    Topic("医疗体检", (
        "职业病体检结果一直没通知", "矿医院看病排队太久", "体检项目太少",
        "医保报销手续太复杂", "井下没有配急救箱", "尘肺病职工待遇落实不到位",
    ), (
        "不知道自己身体情况", "请一天假都看不上", "希望增加肺部检查", "材料退回好几次",
        "出了事来不及处理", "生活很困难",
    )),
    Topic("休假考勤", (
        "年休假批不下来", "考勤机经常识别不了", "探亲假路程假不给算",
        "倒班太频繁休息不好", "请病假手续太繁琐", "节假日加班不给调休",
    ), (
        "一年到头休息不了", "被记成旷工", "和规定不符", "身体吃不消",
        "要找好几个领导签字", "希望按规定执行",
    )),
    Topic("文体活动", (
        "职工活动中心晚上不开门", "篮球场灯坏了没人修", "图书室的书太旧",
        "健身器材坏了好几件", "希望组织职工运动会", "澡堂开放时间太短",
    ), (
        "下班后没地方去", "晚上没法打球", "年轻人都不去了", "存在受伤风险",
        "丰富职工业余生活", "升井后洗不上澡",
    )),
)  # fmt: skip

_NOISE = string.ascii_letters + string.digits + "!#$%&*+-;<=>?@^_{|}~"


def voice(rng: random.Random, topic: Topic) -> str:
    """Return one generated voice on ``topic``."""
    place = rng.choice(MINES) + "矿" + rng.choice(AREAS)
    when = rng.choice(("", "", rng.choice(SHIFTS)))
    return (
        f"{rng.choice(OPENINGS)}{place}{when}{rng.choice(topic.problems)}，"
        f"{rng.choice(topic.details)}，{rng.choice(REQUESTS)}"
    )


def voices(n: int, *, seed: int = 0) -> tuple[list[str], list[str]]:
    """Return ``n`` generated voices and their topic labels."""
    rng = random.Random(seed)  # noqa: S311 — generated test data, not cryptography
    texts: list[str] = []
    labels: list[str] = []
    for _ in range(n):
        topic = rng.choice(TOPICS)
        texts.append(voice(rng, topic))
        labels.append(topic.label)
    return texts, labels


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def variant(text: str, rng: random.Random) -> str:
    """Return a near duplicate of ``text``: edited, traditional, noisy or re-punctuated."""
    kind = rng.choice(("edit", "traditional", "noise", "punctuation"))
    if kind == "traditional":
        return str(_to_traditional().convert(text))
    if kind == "punctuation":
        return text.replace("，", ", ").replace("。", ". ").replace("！", "!")
    if kind == "noise":
        sentences = text.split("，")
        noisy = [
            f"{part} {''.join(rng.choice(_NOISE) for _ in range(rng.randint(3, 8)))}\n"
            for part in sentences
        ]
        return "，".join(noisy).replace("\n，", "，\n") + "\u200b"
    chars = list(text)
    for _ in range(rng.randint(1, 2)):
        position = rng.randrange(len(chars))
        action = rng.choice(("replace", "delete", "insert"))
        if action == "replace":
            chars[position] = rng.choice("的了是也很都还就在")
        elif action == "delete":
            del chars[position]
        else:
            chars.insert(position, rng.choice("啊呀吧呢，的"))
    return "".join(chars)
