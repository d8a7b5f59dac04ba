"""The demo cases: about 3,000 voices of the last 12 months, taken round the loop by the services.

Every case is driven through ``xinsheng.cases.services``, so that its state and its timeline agree.
The year is simulated: each case's steps (submitted, accepted, dispatched, signed, answered,
rated …) are planned in memory from one seeded generator, then run in time order together with
the nightly sweeps (overdue, reminders, unrated answers closed) of every simulated day. The
services stamp the real time; after each step the builder moves what the step stamped to the
simulated time (``Runner.settle``), so the sweeps of later days see the right deadlines.

Steps planned after the end of the simulation (midnight today) are not taken: recent cases are
still on their way, as in a real ledger.
"""

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext

from xinsheng.cases import services, workflow
from xinsheng.cases.choices import (
    WITH_UNIT,
    CaseKind,
    CaseStatus,
    Channel,
    CloseReason,
    EventKind,
    Satisfaction,
    Urgency,
)
from xinsheng.cases.models import Case, CaseEvent, Category, Rating
from xinsheng.cases.services import Identity
from xinsheng.core.calendar import add_working_days, extra_days_off, is_working_day
from xinsheng.core.errors import Conflict
from xinsheng.core.notifications import notifications_suppressed
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment

CASES = 3000  # about this many cases over the simulated year
DAYS = 365
RECENT_DAYS = 21  # cases younger than this may still wait at any step

# --- Categories ----------------------------------------------------------------------------------


class CategoryPlan(NamedTuple):
    """A demo category: deadlines, share of the voices, and the units its cases go to."""

    code: str
    name: str
    deadline_days: int
    urgent_days: int
    weight: float  # share of the voices
    targets: tuple[tuple[str, float], ...]  # kinds of responsible unit (see ``World.resolve``)
    keywords: str
    busy_months: tuple[int, ...] = ()  # months with twice the usual number of voices
    urgent_share: float = 0.05


CATEGORIES: tuple[CategoryPlan, ...] = (
    CategoryPlan("canteen", "食堂", 5, 2, 12, (("office", 0.7), ("union", 0.3)),
                 "食堂\n饭菜\n供餐\n班中餐\n热饭\n菜价"),
    CategoryPlan("shuttle", "通勤班车", 5, 2, 9, (("office", 0.6), ("union", 0.4)),
                 "班车\n通勤\n线路\n发车\n超员"),
    CategoryPlan("parking", "停车", 7, 3, 5, (("office", 1.0),), "停车\n车位\n电动车\n充电\n车棚"),
    CategoryPlan("housing", "住房", 10, 3, 7, (("office", 0.6), ("union", 0.4)),
                 "宿舍\n单身公寓\n住房\n暖气\n漏水\n家属楼", busy_months=(11, 12, 1, 2)),
    CategoryPlan("pay", "工资奖金", 5, 2, 11, (("area", 0.8), ("office", 0.2)),
                 "工资\n奖金\n绩效\n加班费\n工资条\n津贴"),
    CategoryPlan("ppe", "劳保用品", 5, 2, 8, (("area", 0.5), ("safety", 0.5)),
                 "劳保\n工作服\n矿靴\n手套\n口罩\n矿灯"),
    CategoryPlan("shifts", "倒班安排", 5, 2, 8, (("area", 1.0),), "倒班\n排班\n轮休\n请假\n夜班"),
    CategoryPlan("bathhouse", "澡堂", 3, 1, 6, (("office", 1.0),),
                 "澡堂\n浴室\n热水\n更衣柜\n洗衣", busy_months=(12, 1, 2)),
    CategoryPlan("schooling", "子女入学", 10, 3, 4, (("union", 1.0),),
                 "入学\n学校\n子女\n幼儿园\n助学", busy_months=(6, 7, 8, 9)),
    CategoryPlan("medical", "医疗", 7, 2, 5, (("union", 0.7), ("office", 0.3)),
                 "体检\n医疗\n报销\n职业病\n医务室"),
    CategoryPlan("training", "培训", 7, 3, 5, (("production", 0.6), ("area", 0.4)),
                 "培训\n考证\n技能\n复训\n师带徒"),
    CategoryPlan("safety", "安全生产", 3, 1, 9, (("safety", 0.7), ("area", 0.3)),
                 "安全\n隐患\n支护\n积水\n巷道\n照明", urgent_share=0.25),
    CategoryPlan("recreation", "文体活动", 10, 5, 4, (("union", 0.6), ("party", 0.4)),
                 "活动\n篮球\n健身\n书屋\n文艺", busy_months=(5, 6, 7)),
    CategoryPlan("other", "其他", 5, 2, 7, (("office", 0.7), ("area", 0.3)), "道路\n证明\n信号"),
)  # fmt: skip


# --- What employees say, and what the units answer ------------------------------------------------


class Voice(NamedTuple):
    """A kind of voice: its kind, a short title, the text and the answer (with placeholders)."""

    kind: str
    title: str
    text: str
    answer: str


DEMAND, SUGGESTION, COMPLAINT = CaseKind.DEMAND, CaseKind.SUGGESTION, CaseKind.COMPLAINT
CONSULTATION, PRAISE = CaseKind.CONSULTATION, CaseKind.PRAISE

VOICES: dict[str, tuple[Voice, ...]] = {
    "canteen": (
        Voice(DEMAND, "夜班下井前吃不上热饭",
              "{area}夜班下井前食堂已经没有热饭了，只能买点馒头咸菜凑合，希望延长供餐时间到{late_time}。",
              "经与食堂协商，自下周一起夜班供餐时间延长至{late_time}，增加热汤和两个热菜，请{area}职工监督执行。"),
        Voice(COMPLAINT, "食堂饭菜涨价",
              "食堂最近{dish}{price_rise}，分量还少了，一线职工意见很大，希望公开成本核算。",
              "食堂已公开近三个月的原材料采购价格和成本核算，{dish}恢复原价，分量按标准执行，欢迎职工代表参加每月伙食评议。"),
        Voice(SUGGESTION, "井下班中餐送到时已经凉了",
              "{area}在井下作业时间长，班中餐送到工作面时已经凉了，建议配备保温餐箱，改善井下送餐。",
              "已为{area}配备保温送餐箱{n_small}个，送餐时间按班次提前半小时出发，保证送到时饭菜温热。"),
        Voice(COMPLAINT, "食堂餐具消毒不到位",
              "最近几次在{mine}职工食堂吃饭，发现餐盘上有油污没洗干净，消毒柜也经常不开，希望加强卫生管理。",
              "已对食堂餐具清洗消毒流程进行整改，消毒柜每餐使用并登记，后勤每周抽查一次，检查结果在食堂门口公示。"),
        Voice(DEMAND, "希望增加面食窗口",
              "{mine}职工大多是本地人，喜欢吃面食，食堂面食品种太少，希望增加刀削面、油泼面窗口。",
              "食堂已增设面食窗口，每天供应刀削面、油泼面等{n_small}种面食，欢迎职工提出口味意见。"),
        Voice(CONSULTATION, "班中餐补贴标准",
              "听说今年井下职工的班中餐补贴标准调整了，想问一下{shift}的补贴是多少，什么时候开始执行？",
              "今年井下职工班中餐补贴已按集团文件调整，{shift}每班补贴{meal_subsidy}元，自本月起随饭卡充值发放，详细标准已在区队公示栏张贴。"),
        Voice(PRAISE, "感谢食堂师傅",
              "这段时间食堂给{area}{shift}准备的饺子和热汤很暖心，感谢食堂师傅们的辛苦付出！",
              "感谢您的肯定！食堂会继续用心做好每一餐，也欢迎随时提出改进意见。"),
        Voice(SUGGESTION, "建议开通手机订餐",
              "下班时间食堂排队太久，建议开通手机订餐，提前点好到点取餐，节省职工时间。",
              "食堂手机订餐已试运行，职工可通过企业微信提前点餐，高峰时段增设取餐窗口。"),
        Voice(DEMAND, "升井晚了吃不上饭",
              "{area}{shift}升井时已经过了饭点，食堂关门了，希望给升井晚的职工留饭。",
              "食堂已安排为晚升井职工留饭，{area}职工升井后凭班组名单到二号窗口取餐。"),
    ),
    "shuttle": (
        Voice(DEMAND, "通勤班车超员",
              "通勤班车{route}线{bus_time}那一班经常超员，很多人只能站着，路上不安全，能否加开一班？",
              "经现场核查，{route}线{bus_time}班次确实满员，自下周起加开一辆班车，两车间隔十分钟发车。"),
        Voice(DEMAND, "希望班车增加停靠点",
              "住在{place_town}的职工越来越多，班车不在那里停，每天要走二十多分钟去坐车，希望增加一个停靠点。",
              "已统计{place_town}的乘车人数，{route}线增设{place_town}停靠点，新时刻表已在班车上张贴。"),
        Voice(COMPLAINT, "班车经常晚点",
              "{route}线班车这个月已经晚点好几次了，{area}职工赶不上班前会，希望查明原因。",
              "经核查，晚点是因为道路施工绕行，已将发车时间提前十分钟，并要求驾驶员按时发车，晚点情况纳入考核。"),
        Voice(SUGGESTION, "班车时刻与升井时间衔接",
              "{area}{shift}升井后要等一个多小时才有班车，建议班车时间和升井时间衔接上。",
              "已根据各区队升井时间调整班车时刻，{shift}升井后半小时内有车发出，新时刻表下周一执行。"),
        Voice(COMPLAINT, "班车不开暖风",
              "天冷了，{route}线班车一直不开暖风，车窗也关不严，职工坐车很冷，请尽快维修。",
              "已对{route}线班车暖风和车窗进行维修，并对所有班车做了冬季检查。"),
        Voice(CONSULTATION, "家属能否乘坐班车",
              "请问职工家属能否乘坐通勤班车？家属来矿上办事很不方便。",
              "通勤班车主要保障职工上下班，座位有空余时，职工直系家属可凭职工证件登记乘车，具体办法见后勤公告。"),
        Voice(DEMAND, "周末班车太少",
              "{area}连续生产，周末也要上班，但周末班车减少了，希望周末按工作日时刻开车。",
              "自本月起周末班车恢复为工作日班次，保障连续生产区队职工上下班。"),
        Voice(PRAISE, "表扬班车师傅",
              "{route}线的班车师傅每天提前到站，大雪天也安全准时，特别提出表扬。",
              "感谢您的表扬，已转告驾驶员本人，并在车队通报表扬。"),
    ),
    "parking": (
        Voice(DEMAND, "工业广场停车位不够",
              "{mine}工业广场停车位太少，上班时间车都停到路边，影响通行，希望增加停车位。",
              "已在工业广场东侧规划新增停车位{n_parking}个，预计本月底完工，施工期间请按指引停放。"),
        Voice(DEMAND, "电动车充电难",
              "骑电动车上班的职工很多，车棚没有充电桩，有人私拉电线充电很危险，希望安装集中充电设施。",
              "已在{mine}职工车棚安装智能充电桩{n_small}组，支持刷卡充电，严禁私拉电线充电。"),
        Voice(COMPLAINT, "外来车辆占用职工车位",
              "最近很多外来车辆停在职工停车场，{shift}上班的职工经常找不到车位，希望加强管理。",
              "已在停车场入口设置道闸，职工车辆登记后自动识别，外来车辆引导至访客停车区。"),
        Voice(SUGGESTION, "建议停车场划线",
              "停车场没有划线，停车很乱，出车时经常被堵，建议划线并安排人员疏导。",
              "停车场已重新划线并设置行车方向标识，高峰时段安排保安疏导。"),
        Voice(DEMAND, "车棚顶棚漏雨",
              "{mine}职工电动车棚顶棚破损，下雨天车都被淋湿，希望尽快修补。",
              "车棚顶棚已更换，同时增设了照明。"),
        Voice(CONSULTATION, "停车是否收费",
              "听说停车场要开始收费了，请问职工停车收不收费？收费标准是多少？",
              "职工车辆登记后在矿区停车场停放不收费，收费只针对外来车辆。"),
        Voice(COMPLAINT, "停车场夜间没有照明",
              "停车场晚上没有路灯，{shift}下班取车很不安全，希望安装照明。",
              "停车场已安装太阳能路灯{n_small}盏，夜间照明全覆盖。"),
        Voice(SUGGESTION, "建议设摩托车停放区",
              "摩托车和汽车混停容易刮碰，建议划出摩托车专用停车区。",
              "已在停车场北侧划设摩托车、电动车专用区域。"),
    ),
    "housing": (
        Voice(DEMAND, "单身公寓暖气不热",
              "{mine}单身公寓{building}号楼暖气一直不热，室温只有十几度，{shift}下班回来休息不好，请尽快处理。",
              "经检查是{building}号楼供暖管道堵塞，已完成清洗，目前室温达到20度以上，请继续反映使用情况。"),
        Voice(DEMAND, "宿舍卫生间漏水",
              "单身公寓{building}号楼{room}房间卫生间漏水，楼下房间墙面已经发霉，报修好几次没人来。",
              "维修人员已更换{room}房间卫生间防水层和管件，并处理了楼下房间墙面，报修已改为限时响应。"),
        Voice(CONSULTATION, "青年职工公寓怎么申请",
              "我是今年新入职的大学生，请问青年职工公寓的申请条件和流程是什么？",
              "新入职未婚职工可向所在单位综合办公室提出申请，经后勤审核后按到岗先后安排入住，申请表可在综合办公室领取。"),
        Voice(SUGGESTION, "建议宿舍安装洗衣机",
              "宿舍楼没有洗衣机，工作服只能手洗，建议每层安装公用洗衣机。",
              "已在单身公寓每层安装公用洗衣机{n_small}台，免费使用。"),
        Voice(COMPLAINT, "宿舍信号差",
              "单身公寓{building}号楼手机信号和无线网络都很差，下班后没法和家人视频，希望改善。",
              "已协调运营商在{building}号楼加装信号放大器，并升级了宿舍无线网络。"),
        Voice(DEMAND, "老旧家属楼改造",
              "矿区家属院{building}号楼年久失修，楼道灯坏了，外墙也在掉皮，希望列入改造计划。",
              "{building}号楼已列入今年老旧小区改造计划，楼道灯已先行修复，外墙改造预计明年春季开工。"),
        Voice(DEMAND, "宿舍热水供应时间短",
              "宿舍热水只在晚上供应两个小时，{shift}下班回来就没有热水了，希望延长供应时间。",
              "宿舍热水已改为全天供应，用水高峰时段增加了加热设备。"),
        Voice(CONSULTATION, "公积金还房贷怎么办理",
              "想咨询一下用住房公积金还房贷需要什么材料，在哪里办理？",
              "公积金提取需本人身份证、借款合同和银行还款流水，可在人力资源部每周二、周四办理，也可通过公积金中心线上办理。"),
    ),
    "pay": (
        Voice(CONSULTATION, "绩效工资怎么算的",
              "{area}这个月绩效工资比上个月少了不少，想了解一下计算方法，是不是产量考核扣了？",
              "经核对，本月绩效工资下降主要是工作面搬家期间产量减少，计算方法已在区队会上讲解，明细在班组公示栏公示，如有疑问可找区队核算员核对。"),
        Voice(COMPLAINT, "加班费没有发",
              "上个月{area}连续加班抢修，加班费到现在还没发，希望尽快核实发放。",
              "经核实，加班记录已补录完成，上月加班费随本月工资一并发放。"),
        Voice(DEMAND, "工资条看不懂",
              "工资条上的项目太多，很多职工看不懂各项是怎么来的，希望公开工资构成说明。",
              "已编制工资构成说明并在区队公示，各区队核算员每月在班前会解读工资条。"),
        Voice(SUGGESTION, "奖金分配方案上墙公示",
              "{area}奖金二次分配由队里定，职工不清楚标准，建议分配方案上墙公示。",
              "{area}已制定奖金二次分配办法，经职工讨论通过后上墙公示，每月分配结果同步公示。"),
        Voice(DEMAND, "夜班津贴偏低",
              "夜班津贴多年没有调整，{shift}职工付出多，希望提高夜班津贴标准。",
              "夜班津贴调整方案已提交职代会讨论，审议通过后从下季度起执行新标准。"),
        Voice(CONSULTATION, "转正后工资怎么定",
              "我是去年入职的新职工，请问转正后工资标准如何确定？岗位工资从什么时候开始调整？",
              "新职工转正后按所在岗位的岗位工资标准执行，转正次月起调整，具体可向人力资源部咨询。"),
        Voice(COMPLAINT, "高温津贴还没发",
              "夏季高温津贴{area}到现在还没有发放，其他单位已经发了，请核实。",
              "经核查，是{area}考勤上报延误，高温津贴已于本月补发。"),
        Voice(PRAISE, "工资按时足额发放",
              "感谢{mine}在煤价下行的时候仍然按时足额发放工资，职工心里很踏实。",
              "感谢您的理解和支持，我们会继续保障职工工资按时足额发放。"),
    ),
    "ppe": (
        Voice(DEMAND, "矿靴质量差",
              "新发的矿靴穿了不到两个月就开胶漏水，井下有积水，脚整天泡着，希望更换质量好的矿靴。",
              "已与供应商交涉，同批次矿靴统一更换，今后劳保用品采购邀请职工代表参与验收。"),
        Voice(DEMAND, "工作服尺码不合适",
              "{area}发的工作服尺码偏小，很多人穿不上，希望按个人尺码发放。",
              "已重新统计{area}职工尺码，下批工作服按个人尺码发放，不合适的可到库房调换。"),
        Voice(DEMAND, "防尘口罩不够用",
              "{area}工作面粉尘大，防尘口罩每月发的数量不够用，希望增加发放数量。",
              "{area}防尘口罩发放标准已调整为每周一次，同时配发了新型防尘面具试用。"),
        Voice(SUGGESTION, "冬季增发保暖劳保",
              "冬季井口和地面作业很冷，建议给{area}职工增发棉手套和保暖内衣。",
              "冬季保暖劳保用品已采购到位，{area}职工本周内可到库房领取棉手套和保暖内衣。"),
        Voice(COMPLAINT, "劳保用品发放拖延",
              "{area}劳保用品该发的已经拖了一个多月，旧的已经坏了，请尽快发放。",
              "已督促供应部门补齐库存，{area}劳保用品已全部发放到位。"),
        Voice(DEMAND, "矿灯电池不耐用",
              "{area}有些矿灯电池用不到一个班就暗了，井下作业不安全，希望更换电池。",
              "灯房已对{area}矿灯全面检测，更换电池{n_parking}块，今后每月定期检测。"),
        Voice(CONSULTATION, "劳保用品发放标准",
              "请问井下各工种的劳保用品发放标准在哪里可以查到？",
              "劳保用品发放标准已在各区队公示栏和企业微信公布，也可到供应科查询。"),
        Voice(SUGGESTION, "安全帽矿灯卡扣易松",
              "现在安全帽上的矿灯卡扣容易松动，建议统一更换结实的卡扣。",
              "已统一采购新型安全帽卡扣，并配发到各区队。"),
    ),
    "shifts": (
        Voice(DEMAND, "希望改为两周一倒",
              "{area}现在一周一倒班，生物钟刚适应就要换，希望改为两周一倒。",
              "经{area}职工讨论表决，自下月起实行两周一倒，试行三个月后再征求意见。"),
        Voice(COMPLAINT, "轮休安排不公平",
              "{area}轮休总是那几个人先休，一线职工很难请到假，希望轮休安排公开。",
              "{area}已制定轮休排班表并在班组公示，轮休按顺序安排，特殊情况需说明原因。"),
        Voice(DEMAND, "家中有事请假难",
              "家里老人住院需要照顾，向{area}请了几天假没批下来，希望能协调一下。",
              "{area}已协调同班组职工顶班，批准了您的假期，并将家庭困难情况报工会，按规定给予慰问。"),
        Voice(SUGGESTION, "连续夜班后安排调休",
              "{shift}连续上了十多天，职工很疲劳，建议连续夜班后安排一天调休。",
              "已调整排班，连续夜班不超过七天，之后安排一天调休。"),
        Voice(CONSULTATION, "探亲假怎么休",
              "我家在外省，请问探亲假每年有几天？可以和年休假一起休吗？",
              "按规定未婚职工每年可探望父母一次，假期二十天，可与年休假合并使用，具体向{area}申请。"),
        Voice(DEMAND, "节日值班表早点公布",
              "春节期间{area}的值班安排还没定下来，希望提前公布，方便职工安排家里的事。",
              "{area}春节值班表已公布，按自愿报名和轮流值班相结合的原则安排。"),
        Voice(COMPLAINT, "班前会时间太长",
              "{area}班前会经常开一个多小时，下井前站着等很累，希望压缩时间。",
              "{area}班前会已规定控制在三十分钟以内，内容精简为安全确认和任务布置。"),
        Voice(SUGGESTION, "检修班开工太早",
              "检修班早上六点开工太早，住得远的职工四点多就要起床，建议推迟半小时。",
              "经与生产调度协调，检修班开工时间调整为六点半，班车时刻同步调整。"),
    ),
    "bathhouse": (
        Voice(DEMAND, "澡堂热水不热",
              "{shift}升井后澡堂热水不热，冬天洗澡很冷，希望检查锅炉。",
              "已检修澡堂供热系统，升井高峰期水温保持在40度以上，并安排专人巡查。"),
        Voice(COMPLAINT, "更衣柜锁坏了",
              "澡堂很多更衣柜锁坏了，衣服和手机放着不放心，希望修理更换。",
              "澡堂更衣柜锁已全部检修，损坏的{n_parking}个已更换为密码锁。"),
        Voice(DEMAND, "澡堂拖鞋毛巾太旧",
              "澡堂的拖鞋又旧又脏，毛巾也很长时间没换，希望定期更换消毒。",
              "澡堂已更换新拖鞋，毛巾实行一人一巾，每日清洗消毒。"),
        Voice(SUGGESTION, "增加淋浴喷头",
              "升井高峰期澡堂排队太长，建议增加淋浴喷头，缩短等待时间。",
              "澡堂已新增淋浴喷头{n_small}个，高峰期等待时间明显缩短。"),
        Voice(COMPLAINT, "澡堂地面太滑",
              "澡堂地面很滑，已经有人摔倒，希望铺设防滑垫。",
              "澡堂地面已铺设防滑垫，并张贴了安全提示。"),
        Voice(DEMAND, "工作服统一清洗",
              "井下工作服很脏，自己洗不干净，希望澡堂提供工作服清洗服务。",
              "洗衣房已开始提供工作服统一清洗烘干服务，升井时投放，次日领取。"),
        Voice(DEMAND, "澡堂通风不好",
              "澡堂通风不好，雾气很大，更衣室的衣服都是潮的，希望安装排风扇。",
              "澡堂已加装排风设备，更衣室增设了除湿机。"),
        Voice(PRAISE, "澡堂改造后很好",
              "澡堂改造后干净明亮，热水也足，感谢后勤的付出。",
              "感谢您的认可，我们会继续做好澡堂管理服务。"),
    ),
    "schooling": (
        Voice(CONSULTATION, "职工子女入学政策",
              "孩子明年要上小学，我们户口不在矿区，请问职工子女能否在矿区学校就读？需要什么材料？",
              "职工子女可凭劳动合同和居住证明到矿区学校报名，工会可协助办理，报名时间一般在每年六月。"),
        Voice(DEMAND, "希望开办暑期托管班",
              "暑假孩子在家没人照看，双职工家庭很犯难，希望工会开办暑期托管班。",
              "工会今年暑期开办职工子女托管班，设在矿区活动中心，报名通知已在工会群发布。"),
        Voice(DEMAND, "孩子上学学费压力大",
              "家里两个孩子上学，爱人没有工作，学费压力很大，请问有没有助学政策？",
              "工会已将您家纳入困难职工子女助学范围，本学期发放助学金，请携带相关材料到工会办理。"),
        Voice(CONSULTATION, "金秋助学什么时候申请",
              "请问今年金秋助学什么时候开始申请？孩子考上大学了。",
              "今年金秋助学申请时间为8月1日至8月31日，申请表可到所在单位工会领取，恭喜孩子考上大学。"),
        Voice(SUGGESTION, "开通学生接送车",
              "矿区离学校较远，{shift}职工接送孩子不方便，建议开通学生接送车。",
              "经与学校和车队协调，已开通上下学接送车，试运行期间免费乘坐。"),
        Voice(DEMAND, "幼儿园名额紧张",
              "矿区幼儿园名额太少，很多职工孩子排不上，希望扩大招生。",
              "矿区幼儿园已增设两个班，新增学位{n_parking}个，优先安排一线职工子女。"),
        Voice(PRAISE, "感谢金秋助学",
              "感谢工会的金秋助学金，孩子顺利上了大学，全家都很感激。",
              "祝孩子学业进步！工会会继续做好助学工作。"),
        Voice(CONSULTATION, "异地高考政策",
              "孩子在矿区上学多年，想问一下异地高考有什么政策，需要提前准备哪些材料？",
              "已向教育部门了解政策，具体要求已整理成说明，工会将在开学前组织政策讲解会。"),
    ),
    "medical": (
        Voice(DEMAND, "体检项目太少",
              "每年的职工体检项目太少，井下职工希望增加肺部CT和听力检查。",
              "今年职工体检已增加低剂量肺部CT和听力检测，体检安排将提前通知各单位。"),
        Voice(CONSULTATION, "住院费用能否补助",
              "住院费用自付部分能否通过工会互助保障报销？需要哪些材料？",
              "参加职工互助保障的住院费用可按规定申请补助，需提供住院发票、费用清单和出院小结，工会每月集中办理一次。"),
        Voice(DEMAND, "医务室夜间没人值班",
              "{mine}医务室晚上没有人值班，{shift}职工有个头疼脑热找不到医生，希望安排夜间值班。",
              "医务室已安排夜间值班医生，值班电话已在各区队公布。"),
        Voice(COMPLAINT, "体检结果迟迟不发",
              "体检已经过去两个月了，结果还没有发下来，希望尽快发放。",
              "体检报告已全部发放到各单位，需要复查的职工已单独通知。"),
        Voice(DEMAND, "接尘职工职业病筛查",
              "{area}接触粉尘多年的老职工担心尘肺病，希望安排专项职业病筛查。",
              "已联系职业病防治机构，为{area}接尘职工安排专项筛查，时间另行通知。"),
        Voice(SUGGESTION, "井口配备急救箱",
              "建议在井口和主要作业地点配备急救箱，并培训职工急救知识。",
              "已在井口及主要作业地点配备急救箱，并组织了急救知识培训。"),
        Voice(CONSULTATION, "大病救助政策",
              "同事家属得了重病，花费很大，想了解一下有哪些大病救助政策。",
              "工会大病救助可按规定申请，请携带诊断证明和费用单据到工会办理，工会将上门慰问。"),
        Voice(PRAISE, "感谢医务室医生",
              "上次在井下受伤，医务室医生处理很及时，特此感谢。",
              "感谢您的表扬，祝您早日康复。"),
    ),
    "training": (
        Voice(DEMAND, "特种作业证复训",
              "{area}很多人的特种作业操作证快到期了，希望统一组织复训，别耽误上岗。",
              "已为{area}特种作业人员统一组织复训，时间安排在下月上旬，请按通知参加。"),
        Voice(SUGGESTION, "培训别安排在下班后",
              "培训经常安排在下班后，{shift}职工很疲劳，建议安排在检修日或班中。",
              "今后培训原则上安排在检修日，确需下班后培训的按规定计算工时。"),
        Voice(DEMAND, "开展操作技能提升培训",
              "{area}年轻职工多，希望开展采煤机、掘进机操作技能提升培训，提高技术水平。",
              "已开设采煤机、掘进机操作技能提升班，{area}首批{n_small}名职工已报名参加。"),
        Voice(CONSULTATION, "技能等级评定报名",
              "请问今年的技能等级评定什么时候报名？需要什么条件？",
              "今年技能等级评定下月中旬报名，条件和报名表已在人力资源部公布。"),
        Voice(COMPLAINT, "安全培训照本宣科",
              "安全培训每次都是念文件，效果不好，希望多一些实操和案例。",
              "安全培训已改为理论加实操，增加了事故案例分析和模拟演练。"),
        Voice(CONSULTATION, "学历提升有没有补助",
              "想参加成人学历教育，请问单位有没有学费补助政策？",
              "职工取得与岗位相关的学历可按规定报销部分学费，具体办法可咨询人力资源部。"),
        Voice(SUGGESTION, "推行师带徒",
              "新入职职工多，建议推行师带徒，让老师傅手把手带。",
              "{area}已推行师带徒制度，签订师徒协议{n_small}对，并给予师傅带徒津贴。"),
        Voice(PRAISE, "维修培训很实用",
              "这次采煤机维修培训讲得很实用，希望多组织这样的培训。",
              "感谢您的反馈，我们会继续组织实用性强的培训。"),
    ),
    "safety": (
        Voice(DEMAND, "回风巷积水",
              "{area}所在的回风巷有一段积水很深，行人不方便，也有安全隐患，希望尽快排水。",
              "已安排水泵对该段巷道排水并疏通水沟，安监科将加强巡查。"),
        Voice(DEMAND, "运输巷照明灯坏了",
              "{area}运输巷有一段照明灯坏了很久，行人和运料很不安全，请尽快修复。",
              "运输巷损坏的照明灯已全部更换，机电科每周巡检一次。"),
        Voice(SUGGESTION, "交叉口增设声光报警",
              "运输大巷行人和车辆交叉，建议增设声光报警和躲避硐室标识。",
              "已在运输大巷交叉口安装声光报警装置，并完善了躲避硐室标识。"),
        Voice(DEMAND, "锚杆托盘松动",
              "{area}工作面附近有几处锚杆托盘松动，希望安排加固。",
              "已安排对该区域支护全面检查和加固，隐患已整改销号。"),
        Voice(SUGGESTION, "引进VR安全培训",
              "建议引进VR安全培训设备，让职工直观体验事故危害。",
              "VR安全培训体验室已建成，各区队轮流组织职工体验。"),
        Voice(COMPLAINT, "小问题也罚款",
              "安全检查一些小问题也罚款，职工压力很大，希望以教育为主。",
              "已修订安全考核办法，轻微违章以教育帮扶为主，罚款标准公开透明。"),
        Voice(DEMAND, "井下设置休息硐室",
              "{area}工作面附近没有休息的地方，希望设置井下休息硐室，放置饮用水。",
              "已在{area}工作面附近设置休息硐室，配备了饮水设备。"),
        Voice(CONSULTATION, "举报隐患有没有奖励",
              "请问发现安全隐患举报有没有奖励？怎么举报？",
              "职工举报重大安全隐患经查实给予奖励，可通过安监科电话或本平台举报。"),
    ),
    "recreation": (
        Voice(DEMAND, "活动中心开放时间太短",
              "职工活动中心晚上九点就关门，{shift}职工下班后没法去，希望延长开放时间。",
              "职工活动中心开放时间已延长至晚上十一点，周末全天开放。"),
        Voice(SUGGESTION, "组织区队篮球赛",
              "矿区年轻人喜欢打篮球，建议组织区队之间的篮球赛，丰富业余生活。",
              "工会将在下月组织{mine}职工篮球联赛，欢迎各区队报名。"),
        Voice(DEMAND, "健身器材坏了",
              "职工健身房的跑步机和动感单车坏了好几台，一直没修，希望尽快修理。",
              "健身房损坏器材已维修，同时新增{n_small}台器材。"),
        Voice(SUGGESTION, "开设职工书屋",
              "建议在{mine}开设职工书屋，多放一些技术书籍和文学书籍。",
              "职工书屋已建成开放，藏书两千余册，可办理借阅。"),
        Voice(DEMAND, "一线职工疗养",
              "一线职工常年井下作业，希望组织职工疗养休养活动。",
              "今年职工疗养已安排，一线职工优先，名单按区队推荐确定。"),
        Voice(PRAISE, "文艺汇演很精彩",
              "这次职工文艺汇演节目很精彩，感谢工会的组织。",
              "感谢您的支持，欢迎更多职工参与文艺活动。"),
        Voice(DEMAND, "乒乓球台太少",
              "职工之家只有一张乒乓球台，下班后排队的人很多，希望再增加几张。",
              "职工之家已新增乒乓球台{n_small}张。"),
        Voice(SUGGESTION, "举办亲子开放日",
              "建议节假日举办职工亲子活动，让孩子了解父母的工作。",
              "工会将在暑期举办“矿山开放日”亲子活动，报名通知另行发布。"),
    ),
    "other": (
        Voice(DEMAND, "进矿道路坑洼",
              "{mine}进矿道路有一段坑洼严重，雨天积水，骑车上班很危险，希望修补。",
              "进矿道路破损路段已修补完成，排水沟同步清理。"),
        Voice(SUGGESTION, "证明材料线上办理",
              "开个证明要跑好几个部门盖章，建议开通线上办理。",
              "常用证明已可在企业微信线上申请，审核后到综合办公室领取。"),
        Voice(CONSULTATION, "调动手续怎么办",
              "请问职工办理调动手续需要哪些流程，多长时间能办完？",
              "调动手续需填写申请表，经所在单位和人力资源部审批，一般十个工作日内办结。"),
        Voice(COMPLAINT, "窗口工作人员态度差",
              "到综合办公室开证明时工作人员态度很差，让来回跑了好几趟，希望改进作风。",
              "已对相关工作人员进行批评教育，并实行一次性告知制度。"),
        Voice(DEMAND, "候车室饮水机坏了",
              "{area}候车室的饮水机坏了很久，职工升井后没有热水喝，希望修好。",
              "{area}候车室饮水机已更换，并安排专人定期清洗。"),
        Voice(SUGGESTION, "意见箱处理结果公示",
              "建议意见箱收到的意见定期公示处理结果，让职工知道有人管。",
              "意见建议的处理结果已每月在公示栏和平台公示。"),
        Voice(DEMAND, "工业广场手机信号差",
              "{mine}工业广场手机信号很差，家里有事打不通电话，希望协调运营商。",
              "已协调运营商在工业广场新建信号基站，信号问题已解决。"),
        Voice(PRAISE, "感谢上门帮扶",
              "前段时间家里遇到困难，区队和工会领导上门看望并给予帮助，非常感谢。",
              "感谢您的信任，有困难随时反映。"),
    ),
}  # fmt: skip

# Words the placeholders of the voices are filled with (besides the unit's own names).
VOCAB: dict[str, tuple[str, ...]] = {
    "late_time": ("晚上11点", "晚上12点", "凌晨1点"),
    "dish": ("刀削面", "盖浇饭", "烩菜", "小炒", "套餐"),
    "price_rise": ("从8元涨到了10元", "从6元涨到了8元", "一份涨了2元", "从12元涨到了15元"),
    "n_small": ("2", "3", "4", "5", "6"),
    "n_parking": ("30", "40", "50", "60", "80", "120"),
    "meal_subsidy": ("15", "18", "20", "25"),
    "route": ("1号", "2号", "3号", "5号", "6号"),
    "bus_time": ("早上6点20分", "早上6点50分", "下午2点40分", "下午3点10分", "晚上10点20分"),
    "place_town": ("新城小区", "矿区家属院", "北关", "东关", "南湖小区", "火车站", "县城西街"),
    "building": ("1", "2", "3", "5", "6", "8"),
    "room": ("203", "305", "411", "512", "108", "216"),
    "shift": ("早班", "中班", "夜班"),
}
SHIFTS = ("早班", "中班", "夜班")

# What employees add around their words; what units add around their answers.
QR_OPENINGS = ("", "", "", "", "您好，", "领导好，", "我是{area}的职工，")
QR_CLOSINGS = ("", "", "", "谢谢！", "希望能尽快解决。", "盼回复。", "希望领导重视。")
ANSWER_OPENINGS = ("", "", "您好！", "感谢您的反映。")
ANSWER_CLOSINGS = ("", "", "如仍有问题，欢迎继续反映。", "感谢您对工作的理解和支持。")
REANSWERS = (
    "针对您的评价意见，我们再次到现场核实：已督促相关人员逐项整改到位，并安排专人跟踪落实。",
    "根据您的意见重新办理：已重新制定整改措施，请您所在班组长监督执行，整改情况一周后回访。",
    "再次核查后，此前落实不到位的问题已全部整改，整改情况已在公示栏公示。",
)
SUPERVISED_ANSWER = (
    "根据督办要求，单位主要负责人牵头重新办理：问题已整改到位，并建立长效机制，定期回访。"
)
REJECT_REASONS = (
    "反映内容不具体，无法核实，请补充具体时间、地点后重新反映。",
    "该事项属于劳动争议，请向单位劳动争议调解委员会申请调解。",
    "该问题已在此前的答复中说明并公示，请查阅公示栏。",
    "反映内容不属于本平台受理范围，已告知相关渠道。",
)
RETURN_REASONS = (
    "该事项不属于本单位职责范围，请改派相关部门办理。",
    "经核实，该事项由其他部门负责，请重新派单。",
    "涉及公司层面政策，本单位无权答复，请改派。",
)
NOTES = (
    "已与相关科室对接，正在落实。",
    "已到现场查看，正在制定整改方案。",
    "已电话联系提出人了解具体情况。",
    "整改方案已报分管领导审批。",
    "已安排专人跟踪办理进度。",
)
EXTENSION_REASONS = (
    "所需配件需外购，到货周期较长。",
    "涉及多个部门协调，需延长办理时间。",
    "整改方案需提交矿务会研究决定。",
    "施工受天气影响，需顺延工期。",
)
SUPERVISION_TEXTS = (
    "该诉求已超过办理时限，请于两个工作日内办结并答复职工。",
    "请单位负责人亲自过问，尽快办结，办理情况报督导组。",
)
ESCALATION_TEXT = "职工多次评价不满意，请单位主要负责人牵头重新办理，限期整改到位。"
RATING_COMMENTS: dict[str, tuple[str, ...]] = {
    Satisfaction.SATISFIED: ("", "", "处理很及时，谢谢！", "问题已经解决了。", "满意，感谢。"),
    Satisfaction.BASICALLY_SATISFIED: ("", "基本解决了，希望长期坚持。", "有改善，但还不够彻底。"),
    Satisfaction.UNSATISFIED: ("问题没有真正解决。", "答复了但没有变化。", "落实和答复不一致。"),
}  # fmt: skip
HEARD_PLACES: dict[str, tuple[str, ...]] = {
    Channel.FACE_TO_FACE: ("班前会", "井口候车室", "区队会议室", "职工食堂", "澡堂门口"),
    Channel.TALK: ("党支部谈心谈话", "区队办公室"),
    Channel.VISIT: ("职工家中", "职工宿舍", "医院病房"),
    Channel.HOTLINE: ("24小时服务热线",),
    Channel.MAILBOX: ("井口意见箱", "食堂意见箱"),
    Channel.SURVEY: ("职工满意度问卷",),
    Channel.CONGRESS: ("职代会分组讨论",),
}
RECORDED_OPENINGS: dict[str, str] = {
    Channel.FACE_TO_FACE: "{who}反映：",
    Channel.TALK: "谈心时{who}提出：",
    Channel.VISIT: "走访时{who}反映：",
    Channel.HOTLINE: "来电反映：",
    Channel.MAILBOX: "",
    Channel.SURVEY: "问卷意见：",
    Channel.CONGRESS: "职工代表提出：",
}
# Channels by where the voice comes from: a production team or area, or an office.
CHANNELS_PRODUCTION: dict[str, int] = {
    Channel.QR: 58, Channel.FACE_TO_FACE: 22, Channel.TALK: 4, Channel.VISIT: 3,
    Channel.HOTLINE: 6, Channel.MAILBOX: 4, Channel.SURVEY: 2, Channel.CONGRESS: 1,
}  # fmt: skip
CHANNELS_OFFICE: dict[str, int] = {
    Channel.QR: 75, Channel.HOTLINE: 10, Channel.MAILBOX: 8, Channel.SURVEY: 4, Channel.CONGRESS: 3,
}  # fmt: skip
ANONYMOUS_SHARE: dict[str, float] = {
    Channel.QR: 0.45, Channel.FACE_TO_FACE: 0.25, Channel.TALK: 0.15, Channel.VISIT: 0.1,
    Channel.HOTLINE: 0.5, Channel.MAILBOX: 0.85, Channel.SURVEY: 0.9, Channel.CONGRESS: 0.0,
}  # fmt: skip
BRANCH_CHANNELS = frozenset({Channel.FACE_TO_FACE, Channel.TALK, Channel.VISIT})
# When in the day employees scan a QR code: around shift changes and in the evening.
QR_HOURS = (3, 2, 1, 1, 1, 2, 4, 8, 6, 4, 4, 5, 7, 6, 5, 8, 7, 5, 6, 8, 9, 8, 6, 4)

# --- The enterprise and the staff who work the cases ----------------------------------------------


def _username(role: Role, unit: OrgUnit) -> str:
    return f"{role.value}-{unit.code.lower()}"


@dataclass
class World:
    """The demo enterprise as the builder needs it: units, people, and who acts where."""

    group: OrgUnit
    by_path: dict[str, OrgUnit]
    people: list[Person]  # everyone below the companies, who may raise a voice
    people_by_unit: dict[int, list[Person]]
    dispatchers: dict[int, User] = field(default_factory=dict)  # by mine or company pk
    handlers: dict[int, list[User]] = field(default_factory=dict)  # by unit pk
    supervisors: dict[int, User] = field(default_factory=dict)  # by company pk
    recorders: dict[int, User] = field(default_factory=dict)  # by branch pk
    by_pk: dict[int, OrgUnit] = field(default_factory=dict)
    accounts_created: int = 0
    children: dict[str, dict[str, OrgUnit]] = field(default_factory=dict)  # by parent path

    def __post_init__(self) -> None:
        self.by_pk = {unit.pk: unit for unit in self.by_path.values()}
        for path, unit in self.by_path.items():
            parent = path[: -OrgUnit.steplen]
            if parent:
                self.children.setdefault(parent, {})[unit.name] = unit

    def ancestors(self, unit: OrgUnit) -> Iterator[OrgUnit]:
        """Yield ``unit`` and its ancestors, nearest first."""
        for end in range(len(unit.path), 0, -OrgUnit.steplen):
            yield self.by_path[unit.path[:end]]

    def nearest(self, unit: OrgUnit, kind: UnitKind) -> OrgUnit | None:
        return next((u for u in self.ancestors(unit) if u.kind == kind), None)

    def company_of(self, unit: OrgUnit) -> OrgUnit:
        company = self.nearest(unit, UnitKind.COMPANY)
        if company is None:
            raise ValueError(f"{unit.code} is not in a company")
        return company

    def child(self, parent: OrgUnit | None, *names: str) -> OrgUnit | None:
        """Return the first child of ``parent`` named one of ``names``, in that order."""
        if parent is None:
            return None
        children = self.children.get(parent.path, {})
        return next((children[name] for name in names if name in children), None)

    def area_for(self, unit: OrgUnit) -> OrgUnit | None:
        """Return the work area of ``unit``; a party branch stands for the area it serves."""
        if unit.kind == UnitKind.BRANCH:
            mine = self.nearest(unit, UnitKind.MINE)
            return self.child(mine, unit.name.removesuffix("党支部"))
        return self.nearest(unit, UnitKind.AREA)

    def branch_for(self, area: OrgUnit) -> OrgUnit | None:
        return self.child(self.nearest(area, UnitKind.MINE), f"{area.name}党支部")

    def resolve(self, target: str, origin: OrgUnit) -> OrgUnit:
        """Return the unit of kind ``target`` responsible for a voice from ``origin``."""
        mine = self.nearest(origin, UnitKind.MINE)
        company = self.company_of(origin)
        if target == "area" and (area := self.area_for(origin)) is not None:
            return area
        found: OrgUnit | None = None
        if target in {"area", "office"}:
            found = self.child(mine, "综合办公室", "调度室") or self.child(company, "党群工作部")
        elif target == "safety":
            found = self.child(mine, "安监科") or self.child(company, "安全监察部")
        elif target == "production":
            found = self.child(mine, "生产科") or self.child(company, "生产技术部")
        elif target == "union":
            found = self.child(company, "工会")
        elif target == "party":
            found = self.child(company, "党群工作部")
        if found is None:
            raise ValueError(f"no {target} unit for {origin.code}")
        return found

    def dispatcher_for(self, origin: OrgUnit, target: OrgUnit | None = None) -> User:
        """Return who handles a voice from ``origin`` (and sends it to ``target``).

        The office of each mine dispatches within its mine; the company's office takes what is
        sent beyond it, and everything of a mine without an office of its own.
        """
        mine = self.nearest(origin, UnitKind.MINE)
        within = mine is not None and (target is None or target.path.startswith(mine.path))
        if mine is not None and within and mine.pk in self.dispatchers:
            return self.dispatchers[mine.pk]
        return self.dispatchers[self.company_of(origin).pk]


def world_build() -> World:
    """Return the demo enterprise with the staff accounts the loop needs, creating those."""
    group = org_demo.demo_group()
    units = list(OrgUnit.objects.filter(path__startswith=group.path).order_by("path"))
    by_path = {unit.path: unit for unit in units}
    everyone = list(
        Person.objects.filter(unit__path__startswith=group.path, is_active=True).order_by(
            "employee_no"
        )
    )
    people_by_unit: dict[int, list[Person]] = {}
    for person in everyone:
        people_by_unit.setdefault(person.unit_id, []).append(person)
    world = World(group, by_path, [], people_by_unit)
    companies = [unit for unit in units if unit.kind == UnitKind.COMPANY]
    world.people = [
        person
        for unit in units
        if any(unit.path.startswith(company.path) for company in companies)
        for person in people_by_unit.get(unit.pk, [])
    ]
    _staff(world, units)
    return world


HANDLER_POSITIONS = ("副队长", "技术员", "副科长", "副主任", "副部长", "副主席")


@dataclass(frozen=True)
class Post:
    """An account to create: the role, where it is held, and where its holder works."""

    role: Role
    unit: OrgUnit  # where the role is held
    seat: OrgUnit  # the unit of the person who holds it
    positions: tuple[str, ...]  # preferred positions of the holder, in order


def _staff(world: World, units: list[OrgUnit]) -> None:
    """Give the dispatchers, handlers, supervisors and recorders of the demo their accounts.

    The demo accounts of the organisation act where they hold their roles; people of the other
    mines and offices get accounts of their own (same password), named after role and unit.
    """
    by_code = {unit.code: unit for unit in units}
    names = [account.username for account in org_demo.ACCOUNTS]
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    for account in org_demo.ACCOUNTS:  # in this order, so that choices among them repeat
        user, unit = users[account.username], by_code[account.role_unit]
        if account.role == Role.DISPATCHER:
            world.dispatchers[unit.pk] = user
        elif account.role == Role.SUPERVISOR:
            world.supervisors[unit.pk] = user
        elif account.role == Role.RECORDER:
            world.recorders[unit.pk] = user
        elif account.role in {Role.HANDLER, Role.UNIT_HEAD}:
            world.handlers.setdefault(unit.pk, []).append(user)
    # The company's demo dispatcher works the demo handler's mine itself, so that its inbox and
    # the handler's fill from the same cases.
    for unit_pk in list(world.handlers):
        mine = world.nearest(world.by_pk[unit_pk], UnitKind.MINE)
        company = world.company_of(world.by_pk[unit_pk])
        if mine is not None and company.pk in world.dispatchers:
            world.dispatchers.setdefault(mine.pk, world.dispatchers[company.pk])

    posts: list[Post] = []
    for unit in units:
        if unit.kind == UnitKind.COMPANY and unit.pk not in world.dispatchers:
            seat = world.child(unit, "党群工作部") or unit
            posts.append(Post(Role.DISPATCHER, unit, seat, ("干事", "组织专员")))
        if unit.kind == UnitKind.COMPANY and unit.pk not in world.supervisors:
            seat = world.child(unit, "工会") or unit
            posts.append(Post(Role.SUPERVISOR, unit, seat, ("副主席", "干事")))
        if unit.kind == UnitKind.MINE and unit.pk not in world.dispatchers:
            seat = world.child(unit, "综合办公室", "调度室") or unit
            posts.append(Post(Role.DISPATCHER, unit, seat, ("文书", "科员", "信息员", "调度员")))
        if unit.kind == UnitKind.BRANCH and unit.pk not in world.recorders:
            posts.append(Post(Role.RECORDER, unit, unit, ("党支部书记",)))
    origins = [person_unit for person_unit in units if world.nearest(person_unit, UnitKind.COMPANY)]
    targets = {
        world.resolve(target, origin).path
        for origin in origins
        for category in CATEGORIES
        for target, _share in category.targets
    }
    for path in sorted(targets):
        unit = world.by_path[path]
        if unit.pk not in world.handlers:
            posts.append(Post(Role.HANDLER, unit, unit, HANDLER_POSITIONS))
    _accounts_create(world, posts)


def _accounts_create(world: World, posts: list[Post]) -> None:
    """Create an account and its role for one person of each post's seat."""
    names = [_username(post.role, post.unit) for post in posts]
    taken = sorted(User.objects.filter(username__in=names).values_list("username", flat=True))
    if taken:
        message = gettext("演示账号的用户名已被占用：%(names)s") % {"names": "、".join(taken)}
        raise Conflict(message)
    chosen: set[int] = set()
    holders = [_holder(world, post, chosen) for post in posts]
    password = make_password(org_demo.DEMO_PASSWORD)  # hashed once, with the configured hasher
    users = User.objects.bulk_create(
        [
            User(username=name, password=password, first_name=holder.name)
            for name, holder in zip(names, holders, strict=True)
        ]
    )
    for holder, user in zip(holders, users, strict=True):
        holder.user = user
    Person.objects.bulk_update(holders, ["user"])
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=holder, unit=post.unit, role=post.role)
        for post, holder in zip(posts, holders, strict=True)
    )
    for post, user in zip(posts, users, strict=True):
        if post.role == Role.DISPATCHER:
            world.dispatchers[post.unit.pk] = user
        elif post.role == Role.SUPERVISOR:
            world.supervisors[post.unit.pk] = user
        elif post.role == Role.RECORDER:
            world.recorders[post.unit.pk] = user
        else:
            world.handlers[post.unit.pk] = [user]
    world.accounts_created = len(users)


def _holder(world: World, post: Post, chosen: set[int]) -> Person:
    """Return the person of the post's seat to hold it: a preferred position, without account."""
    free = [
        person
        for person in world.people_by_unit.get(post.seat.pk, [])
        if person.user_id is None and person.pk not in chosen
    ]
    if not free:
        raise ValueError(f"nobody left in {post.seat.code} to be {post.role}")
    rank = {position: index for index, position in enumerate(post.positions)}
    holder = min(free, key=lambda person: rank.get(person.position, len(rank)))
    chosen.add(holder.pk)
    return holder


# --- Planning the year ----------------------------------------------------------------------------

DISPATCH_UID = "xinsheng.cases.demo.Runner.written"
RATED_SHARE = 0.62  # of answers, rated by the employee within the week; the rest close unrated
RERATED_SHARE = 0.85  # of answers after a reopening: who complained follows it up
STOPS = ("submitted", "accepted", "dispatched", "returned", "in_progress", "asked")


@dataclass
class Step:
    """One thing done to a case at a simulated time."""

    at: dt.datetime
    action: str
    actor: User | None = None
    unit: OrgUnit | None = None  # dispatch: the responsible unit
    text: str = ""
    satisfaction: str = ""
    solved: bool = False
    date: dt.date | None = None  # the deadline the step sets, or the date an extension asks for
    round: int = 0  # rate: the answer round rated
    outcome: str = ""  # rate: closed, reopened or escalated; supervise: reopened


@dataclass
class CasePlan:
    """A case to build: what is said, by whom, from where, and the steps it will go through."""

    created: dt.datetime
    origin: OrgUnit
    channel: str
    category: CategoryPlan
    voice: int
    kind: str
    title: str
    text: str
    answer: str
    identity: Identity
    urgency: str
    fate: str  # handled, return, reject, merge or stuck
    recorder: User | None = None
    heard_on: dt.date | None = None
    heard_place: str = ""
    merge_into: "CasePlan | None" = None
    first_answer: dt.datetime | None = None
    steps: list[Step] = field(default_factory=list)
    case: Case | None = None  # once submitted
    receipt: str = ""


class Fills(dict[str, str]):
    """The words of one voice: the unit's names, and vocabulary drawn once per placeholder."""

    def __init__(self, rng: random.Random, context: dict[str, str]) -> None:
        super().__init__(context)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = self.rng.choice(VOCAB[key])
        self[key] = value
        return value


class Planner:
    """Plan every case of the year from one generator: its words, origin and steps."""

    def __init__(
        self, rng: random.Random, world: World, end: dt.datetime, days_off: frozenset[dt.date]
    ) -> None:
        self.rng = rng
        self.world = world
        self.end = end
        self.start = end - dt.timedelta(days=DAYS)
        self.days_off = days_off
        self.working: dict[dt.date, bool] = {}  # the calendar, asked once per day
        self.later_days: dict[tuple[dt.date, int], dt.date] = {}
        self.waiting = 0  # recent cases planned to wait somewhere on their way

    # Time, in working days and working hours.

    def working_days_after(self, day: dt.date, n: int) -> dt.date:
        key = (day, n)
        if key not in self.later_days:
            self.later_days[key] = add_working_days(day, n, days_off=self.days_off)
        return self.later_days[key]

    def is_working(self, day: dt.date) -> bool:
        if day not in self.working:
            self.working[day] = is_working_day(day, days_off=self.days_off)
        return self.working[day]

    def at_work(
        self, day: dt.date, earliest: int = 8 * 60 + 20, latest: int = 17 * 60 + 40
    ) -> dt.datetime:
        """Return a time in the working hours of ``day``, or of the next working day."""
        while not self.is_working(day):
            day += dt.timedelta(days=1)
        minute = self.rng.randint(earliest, latest)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.end.tzinfo)

    def work_after(self, t: dt.datetime, low: float, high: float) -> dt.datetime:
        """Return ``low`` to ``high`` hours after ``t``, moved into working hours."""
        t += dt.timedelta(seconds=round(self.rng.uniform(low, high) * 3600))
        if self.is_working(t.date()) and 8 <= t.hour < 18:
            return t
        day = t.date() if t.hour < 8 else t.date() + dt.timedelta(days=1)
        return self.at_work(day, 8 * 60, 9 * 60 + 30)

    def after(self, before: dt.datetime, t: dt.datetime) -> dt.datetime:
        """Return ``t``, or a little after ``before`` when ``t`` is not later than it."""
        return t if t > before else before + dt.timedelta(minutes=self.rng.randint(5, 90))

    # The cases.

    def plan(self, count: int) -> list[CasePlan]:
        """Return ``count`` cases spread over the year (a little more towards its end)."""
        days = [self.start.date() + dt.timedelta(days=i) for i in range(DAYS)]
        weights = [
            (0.7 + 0.6 * i / DAYS) * (1.0 if self.is_working(day) else 0.8)
            for i, day in enumerate(days)
        ]
        plans: list[CasePlan] = []
        for day in sorted(self.rng.choices(days, weights, k=count)):
            plans.append(self.plan_case(day, plans))
        plans.sort(key=lambda plan: plan.created)
        return plans

    def plan_case(self, day: dt.date, earlier: list[CasePlan]) -> CasePlan:
        rng, world = self.rng, self.world
        person = rng.choice(world.people)
        seat = world.by_pk[person.unit_id]
        channels = (
            CHANNELS_PRODUCTION if seat.kind in {UnitKind.TEAM, UnitKind.AREA} else CHANNELS_OFFICE
        )
        channel: str = rng.choices(list(channels), list(channels.values()))[0]
        category = self.category_on(day)
        voice_index = rng.randrange(len(VOICES[category.code]))
        created = self.created_at(day, channel)
        fate, stop = self.fate(created)
        merge_into = None
        if fate == "merge":
            merge_into = self.merge_target(seat, category, created, earlier)
            if merge_into is None:
                fate = "handled"
            else:  # the same worry again, in other words
                category, voice_index = merge_into.category, merge_into.voice
        voice = VOICES[category.code][voice_index]
        if fate == "reject" and voice.kind == CaseKind.PRAISE:
            fate = "handled"
        origin, recorder = seat, None
        if channel in BRANCH_CHANNELS:
            area = world.area_for(seat)
            branch = world.branch_for(area) if area is not None else None
            if branch is None:
                channel = Channel.QR
            else:  # heard by the secretary of the area's party branch, in its notebook
                origin, recorder = branch, world.recorders[branch.pk]
        elif channel != Channel.QR:  # a call or a letter, written down by the office
            recorder = world.dispatcher_for(seat)
        anonymous = rng.random() < ANONYMOUS_SHARE[channel]
        identity = Identity(anonymous=True)
        if not anonymous:
            phone = person.phone if rng.random() < 0.6 else ""
            identity = Identity(False, person.name, person.employee_no, phone)
        fills = Fills(rng, self.context(seat))
        text = voice.text.format_map(fills)
        if channel == Channel.QR:
            openings = QR_OPENINGS if world.area_for(seat) else QR_OPENINGS[:-1]
            opening = rng.choice(openings).format_map(fills)
            text = opening + text + rng.choice(QR_CLOSINGS)
        else:
            # The notebook keeps the name in its own field, not in the words everyone reads.
            who = rng.choice(("职工", "一名职工", "班组职工"))
            text = RECORDED_OPENINGS[channel].format(who=who) + text
        answer = voice.answer.format_map(fills)
        answer = rng.choice(ANSWER_OPENINGS) + answer + rng.choice(ANSWER_CLOSINGS)
        urgent = rng.random() < category.urgent_share
        plan = CasePlan(
            created=created,
            origin=origin,
            channel=channel,
            category=category,
            voice=voice_index,
            kind=voice.kind,
            # Recorders give a title; employees often leave it to be derived from their words.
            title=voice.title if recorder is not None or rng.random() < 0.4 else "",
            text=text,
            answer=answer,
            identity=identity,
            urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
            fate=fate,
            recorder=recorder,
            merge_into=merge_into,
        )
        if recorder is not None:
            plan.heard_on = created.date() - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            plan.heard_place = rng.choice(HEARD_PLACES[channel])
        self.plan_steps(plan, stop)
        return plan

    def category_on(self, day: dt.date) -> CategoryPlan:
        weights = [c.weight * (2 if day.month in c.busy_months else 1) for c in CATEGORIES]
        return self.rng.choices(CATEGORIES, weights)[0]

    def created_at(self, day: dt.date, channel: str) -> dt.datetime:
        """Return when a voice was raised: any hour by QR code, office hours when written down."""
        if channel != Channel.QR:
            return self.at_work(day)
        hour = self.rng.choices(range(24), QR_HOURS)[0]
        time = dt.time(hour, self.rng.randrange(60), self.rng.randrange(60))
        return dt.datetime.combine(day, time, tzinfo=self.end.tzinfo)

    def fate(self, created: dt.datetime) -> tuple[str, str]:
        """Return how a case ends, and where a recent one may still be waiting."""
        r = self.rng.random()
        fate = (
            "reject" if r < 0.05 else "merge" if r < 0.11 else "return" if r < 0.16 else "handled"
        )
        stop = ""
        if self.end - created < dt.timedelta(days=RECENT_DAYS):
            if self.rng.random() < 0.3:  # in turn, so that even a small demo has each
                stop = STOPS[self.waiting % len(STOPS)]
                self.waiting += 1
        elif fate == "handled" and self.rng.random() < 0.012:
            fate = "stuck"  # the unit never answers: overdue, and supervised
        return fate, stop

    def context(self, seat: OrgUnit) -> dict[str, str]:
        """Return the names a voice from ``seat`` speaks of: its mine, area and shift.

        Someone in an office speaks of one of the mine's work areas.
        """
        mine = self.world.nearest(seat, UnitKind.MINE) or self.world.company_of(seat)
        area = self.world.area_for(seat)
        if area is None:
            areas = [
                u
                for u in self.world.children.get(mine.path, {}).values()
                if u.kind == UnitKind.AREA
            ]
            area = self.rng.choice(sorted(areas, key=lambda u: u.path)) if areas else seat
        context = {"mine": mine.name, "area": area.name}
        if seat.kind == UnitKind.TEAM:
            shift = next((s for s in SHIFTS if seat.name.endswith(s)), None)
            if shift is not None:
                context["shift"] = shift
        return context

    def merge_target(
        self, seat: OrgUnit, category: CategoryPlan, created: dt.datetime, earlier: list[CasePlan]
    ) -> CasePlan | None:
        """Return a recent case of the same mine and category that this one repeats.

        The case is still open, or was answered within the week: the dispatcher merges the new
        voice into it, and its submitter follows that case and its answer.
        """
        mine = self.world.nearest(seat, UnitKind.MINE)
        if mine is None:
            return None
        since = created - dt.timedelta(days=25)
        for plan in reversed(earlier):
            if plan.created.date() < since.date():
                break
            if (
                plan.category == category
                and plan.fate in {"handled", "return", "stuck"}
                and plan.created < created
                and plan.origin.path.startswith(mine.path)
                and (
                    plan.first_answer is None or plan.first_answer > created - dt.timedelta(days=7)
                )
            ):
                return plan
        return None

    # The steps of one case.

    def deadline_days(self, plan: CasePlan) -> int:
        category = plan.category
        return category.urgent_days if plan.urgency == Urgency.URGENT else category.deadline_days

    def handler(self, unit: OrgUnit) -> User:
        return self.rng.choice(self.world.handlers[unit.pk])

    def supervisor(self, plan: CasePlan) -> User:
        return self.world.supervisors[self.world.company_of(plan.origin).pk]

    def targets(self, plan: CasePlan) -> tuple[OrgUnit, OrgUnit]:
        """Return the unit a case is sent to, and the one it goes to when that one returns it."""
        kinds = [kind for kind, _share in plan.category.targets]
        shares = [share for _kind, share in plan.category.targets]
        first = self.world.resolve(self.rng.choices(kinds, shares)[0], plan.origin)
        others = [self.world.resolve(kind, plan.origin) for kind in [*kinds, "office", "union"]]
        return first, next(unit for unit in others if unit != first)

    def dispatch(self, plan: CasePlan, t: dt.datetime, unit: OrgUnit) -> dt.date:
        deadline = self.working_days_after(t.date(), self.deadline_days(plan))
        dispatcher = self.world.dispatcher_for(plan.origin, unit)
        plan.steps.append(Step(t, "dispatch", dispatcher, unit=unit, date=deadline))
        return deadline

    def plan_steps(self, plan: CasePlan, stop: str) -> None:
        """Plan the way of ``plan`` through the loop, up to ``stop`` when one is given."""
        rng, add = self.rng, plan.steps.append
        add(Step(plan.created, "record" if plan.recorder else "submit", plan.recorder))
        if stop == "submitted":
            return
        dispatcher = self.world.dispatcher_for(plan.origin)
        t = self.work_after(plan.created, 0.3, 18)
        if plan.fate == "reject":
            add(Step(t, "reject", dispatcher, text=rng.choice(REJECT_REASONS)))
            return
        if plan.fate == "merge":
            add(Step(t, "merge", dispatcher))
            return
        add(Step(t, "accept", dispatcher))
        if stop == "accepted":
            return
        unit, second = self.targets(plan)
        if rng.random() < 0.65:  # accepted and dispatched in one go
            t += dt.timedelta(minutes=rng.randint(3, 25))
        else:
            t = self.work_after(t, 2, 26)
        deadline = self.dispatch(plan, t, unit)
        if plan.fate == "return" or stop == "returned":
            handler = self.handler(unit)
            t = self.work_after(t, 0.5, 20)
            if rng.random() < 0.4:
                add(Step(t, "sign", handler))
                t = self.work_after(t, 1, 12)
            add(Step(t, "return", handler, text=rng.choice(RETURN_REASONS)))
            if stop == "returned":
                return
            unit = second
            t = self.work_after(t, 1, 30)
            deadline = self.dispatch(plan, t, unit)
        if stop == "dispatched":
            return
        handler = self.handler(unit)
        t = self.work_after(t, 0.2, 8) if rng.random() < 0.85 else self.work_after(t, 8, 40)
        add(Step(t, "sign", handler))
        if stop == "in_progress" or plan.fate == "stuck":
            self.plan_stuck(plan, t, deadline, handler, supervise=plan.fate == "stuck")
            return
        self.plan_handling(plan, t, deadline, unit, asked=stop == "asked")

    def plan_stuck(
        self, plan: CasePlan, t: dt.datetime, deadline: dt.date, handler: User, *, supervise: bool
    ) -> None:
        """Plan a case its unit does not answer: a note, and supervision once it is overdue."""
        if self.rng.random() < 0.6:
            t = self.work_after(t, 1, 30)
            plan.steps.append(Step(t, "note", handler, text=self.rng.choice(NOTES)))
        for days in (2, 7) if supervise else ():
            t = self.after(t, self.at_work(self.working_days_after(deadline, days)))
            text = self.rng.choice(SUPERVISION_TEXTS)
            plan.steps.append(Step(t, "supervise", self.supervisor(plan), text=text))

    def plan_handling(
        self, plan: CasePlan, t: dt.datetime, deadline: dt.date, unit: OrgUnit, *, asked: bool
    ) -> None:
        """Plan the answers and ratings of a signed case, round after round."""
        rng, add = self.rng, plan.steps.append
        days = self.deadline_days(plan)
        r = rng.random()
        pace = "extend" if asked or r < 0.08 else "late" if r < 0.21 else "on_time"
        answer, round_, escalated = plan.answer, 0, False
        while True:
            handler = self.handler(unit)
            late = False
            if pace == "extend":
                ask = self.work_after(t, 2, 20)
                until = self.working_days_after(deadline, rng.randint(3, 8))
                reason = rng.choice(EXTENSION_REASONS)
                add(Step(ask, "extend", handler, text=reason, date=until))
                if asked:
                    return
                t = self.work_after(ask, 1, 24)
                dispatcher = self.world.dispatcher_for(plan.origin, unit)
                if rng.random() < 0.8:
                    add(Step(t, "grant", dispatcher))
                    deadline = until
                    answer_day = max(
                        self.working_days_after(deadline, -rng.randint(1, 3)), t.date()
                    )
                else:
                    add(Step(t, "refuse", dispatcher))
                    answer_day = self.working_days_after(deadline, rng.randint(0, 4))
                    late = answer_day > deadline
            elif pace == "late":
                answer_day = self.working_days_after(deadline, rng.randint(1, 8))
                late = True
                if rng.random() < 0.5:
                    notice = self.after(t, self.at_work(self.working_days_after(deadline, 1)))
                    if notice.date() < answer_day:
                        text = rng.choice(SUPERVISION_TEXTS)
                        add(Step(notice, "supervise", self.supervisor(plan), text=text))
                        t = notice
            else:
                answer_day = self.working_days_after(t.date(), rng.randint(0, max(days - 1, 0)))
            answered = self.after(t, self.at_work(answer_day))
            if rng.random() < 0.3 and answered - t > dt.timedelta(hours=1):
                noted = (t + (answered - t) * rng.uniform(0.2, 0.8)).replace(microsecond=0)
                add(Step(noted, "note", handler, text=rng.choice(NOTES)))
            add(Step(answered, "answer", handler, text=answer, solved=rng.random() < 0.85))
            plan.first_answer = plan.first_answer or answered
            t = answered
            if escalated or rng.random() >= (RATED_SHARE if round_ == 0 else RERATED_SHARE):
                # The nightly sweep closes it as not rated after the configured days. (After a
                # supervision notice reopened it, the answer round is the one already rated.)
                return
            satisfaction = self.satisfaction(round_, late=late)
            rated = self.rated_at(t)
            solved = satisfaction != Satisfaction.UNSATISFIED and rng.random() < (
                0.95 if satisfaction == Satisfaction.SATISFIED else 0.65
            )
            rating = Step(
                rated,
                "rate",
                text=rng.choice(RATING_COMMENTS[satisfaction]),
                satisfaction=satisfaction,
                solved=solved,
                round=round_,
                outcome="closed",
            )
            add(rating)
            if satisfaction != Satisfaction.UNSATISFIED:
                return
            t, pace = rated, "on_time"
            if round_ < workflow.MAX_REOPENINGS:  # 重办; the next 不满意 goes to supervision
                round_ += 1
                deadline = self.working_days_after(rated.date(), days)
                rating.outcome, rating.date = "reopened", deadline
                answer = rng.choice(REANSWERS)
                continue
            rating.outcome = "escalated"
            if rng.random() < 0.2:
                return  # left with the supervisor
            t = self.work_after(rated, 3, 50)
            deadline = self.working_days_after(t.date(), days)
            supervisor = self.supervisor(plan)
            add(
                Step(
                    t,
                    "supervise",
                    supervisor,
                    text=ESCALATION_TEXT,
                    outcome="reopened",
                    date=deadline,
                )
            )
            answer, escalated = SUPERVISED_ANSWER, True

    def satisfaction(self, round_: int, *, late: bool) -> str:
        if round_ == 0:
            weights = (0.52, 0.28, 0.2) if late else (0.7, 0.2, 0.1)
        else:
            weights = (0.4, 0.25, 0.35) if round_ == 1 else (0.3, 0.25, 0.45)
        return self.rng.choices(list(Satisfaction), weights)[0].value

    def rated_at(self, answered: dt.datetime) -> dt.datetime:
        """Return when the employee rates: within six days, not in the small hours."""
        rated = answered + dt.timedelta(seconds=self.rng.randint(3600, 144 * 3600))
        if rated.hour < 7:
            rated = rated.replace(hour=self.rng.randint(7, 22))
        return rated


# --- Running it -----------------------------------------------------------------------------------


def case_no_in(case_no: str, year: int) -> str:
    """Return ``case_no`` dated ``year``: the running number stays, the year is the case's."""
    return f"{year}-{case_no.partition('-')[2]}"


class Runner:
    """Take the planned steps and the nightly sweeps in time order, through the services.

    The services stamp the real time. After each step, ``settle`` moves what it stamped to the
    simulated time with queryset updates (``update()``, ``bulk_update()``). Events are
    append-only for ``save`` and ``delete``; rewriting their time (and the deadlines in their
    data) this way is allowed for this demo builder only, which writes a history that never
    happened in real time.
    """

    def __init__(self, categories: dict[str, Category], days_off: frozenset[dt.date]) -> None:
        self.categories = categories
        self.days_off = days_off
        self.started = timezone.now()  # everything stamped from now on is still to be moved
        self.fresh: list[CaseEvent] = []  # written by the step being taken
        self.stamped: list[CaseEvent] = []  # given their simulated time, to be saved in bulk
        self.restated: list[CaseEvent] = []  # given simulated deadlines in their data
        self.response_days: int = settings.XINSHENG["RESPONSE_DAYS"]

    def run(self, plans: list[CasePlan], start: dt.datetime, end: dt.datetime) -> None:
        """Take every step before ``end``, and sweep at each midnight after ``start``."""
        if end >= self.started:
            raise ValueError("the simulated year must end before now")
        agenda = [
            (step.at, 1, i, j)
            for i, plan in enumerate(plans)
            for j, step in enumerate(plan.steps)
            if step.at < end
        ]
        day = start.date() + dt.timedelta(days=1)
        while day <= end.date():
            agenda.append((dt.datetime.combine(day, dt.time.min, tzinfo=end.tzinfo), 0, -1, -1))
            day += dt.timedelta(days=1)
        agenda.sort()
        post_save.connect(self.written, sender=CaseEvent, weak=False, dispatch_uid=DISPATCH_UID)
        try:
            for at, _order, i, j in agenda:
                if i < 0:
                    self.sweep(at)
                else:
                    self.take(plans[i], plans[i].steps[j])
        finally:
            post_save.disconnect(sender=CaseEvent, dispatch_uid=DISPATCH_UID)
        # The events' times are not read while the year runs: they are written in bulk at the end.
        CaseEvent.objects.bulk_update(self.stamped, ["at"], batch_size=500)
        CaseEvent.objects.bulk_update(self.restated, ["data"], batch_size=500)

    def written(self, sender: type[CaseEvent], instance: CaseEvent, **kwargs: Any) -> None:
        """Note an event a service has just written (a ``post_save`` receiver)."""
        self.fresh.append(instance)

    def sweep(self, at: dt.datetime) -> None:
        """Do what the scheduler does each night: overdue, reminders, unrated answers."""
        services.cases_mark_overdue(today=at.date())
        services.cases_remind_due(today=at.date())
        services.cases_close_unrated(now=at)
        self.settle(at, None, {})
        Case.objects.filter(updated_at__gte=self.started).update(updated_at=at)

    def take(self, plan: CasePlan, step: Step) -> None:
        """Take ``step`` through its service, then move its stamps to ``step.at``."""
        if step.action in {"submit", "record"}:
            submitted = self.submit(plan)
            plan.case, plan.receipt = submitted.case, submitted.receipt_code
            # Numbers run on across years, in the order cases came in; the year is the case's.
            fields = {"created_at": step.at, "case_no": case_no_in(plan.case.case_no, step.at.year)}
            self.settle(step.at, plan.case, fields)
            return
        case = plan.case
        if case is None:
            raise ValueError("a step before the case exists")
        action = ACTIONS[step.action]
        fields, data = action(self, plan, case, step)
        self.settle(step.at, case if step.action != "note" else None, fields, data)
        if step.action == "rate":
            Rating.objects.filter(at__gte=self.started).update(at=step.at)

    def settle(
        self,
        at: dt.datetime,
        case: Case | None,
        fields: dict[str, Any],
        data: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        """Move what the last step stamped to the simulated time ``at``.

        The case's own times and deadlines are updated at once (the nightly sweeps read them);
        the new events are given ``at`` (and their data its simulated deadlines) in memory, and
        written in bulk when the year has run.
        """
        for event in self.fresh:
            event.at = at
            if data and event.kind in data:
                event.data = data[event.kind]
                self.restated.append(event)
        self.stamped += self.fresh
        self.fresh = []
        if case is not None:
            Case.objects.filter(pk=case.pk).update(updated_at=at, **fields)

    def submit(self, plan: CasePlan) -> services.Submitted:
        if plan.recorder is None:
            return services.case_submit(
                unit=plan.origin,
                kind=plan.kind,
                title=plan.title,
                text=plan.text,
                identity=plan.identity,
            )
        return services.case_record(
            actor=plan.recorder,
            unit=plan.origin,
            channel=plan.channel,
            kind=plan.kind,
            title=plan.title,
            text=plan.text,
            identity=plan.identity,
            heard_on=plan.heard_on,
            heard_place=plan.heard_place,
        )


Fixes = tuple[dict[str, Any], dict[str, dict[str, Any]]]


def _actor(step: Step) -> User:
    if step.actor is None:
        raise ValueError(f"{step.action} needs an actor")
    return step.actor


def _date(step: Step) -> dt.date:
    if step.date is None:
        raise ValueError(f"{step.action} needs a date")
    return step.date


def _accept(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    category = runner.categories[plan.category.code]
    services.case_accept(case=case, actor=_actor(step), category=category, urgency=plan.urgency)
    return {"accepted_at": step.at}, {}


def _reject(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_reject(case=case, actor=_actor(step), reason=step.text)
    return {"closed_at": step.at}, {}


def _merge(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    target = plan.merge_into.case if plan.merge_into is not None else None
    if target is None:
        raise ValueError("merging into a case that does not exist yet")
    services.case_merge(case=case, actor=_actor(step), into=target)
    return {"closed_at": step.at}, {}


def _dispatch(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    if step.unit is None:
        raise ValueError("dispatch needs a unit")
    services.case_dispatch(case=case, actor=_actor(step), unit=step.unit)
    deadline = _date(step)
    response = add_working_days(step.at.date(), runner.response_days, days_off=runner.days_off)
    fields = {"dispatched_at": step.at, "response_deadline": response, "deadline": deadline}
    return fields, {EventKind.DISPATCHED: {"deadline": deadline.isoformat()}}


def _sign(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_sign(case=case, actor=_actor(step))
    return {"signed_at": step.at}, {}


def _note(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_note(case=case, actor=_actor(step), text=step.text)
    return {}, {}


def _return(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_return(case=case, actor=_actor(step), reason=step.text)
    return {}, {}


def _extend(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_extension_request(
        case=case, actor=_actor(step), until=_date(step), reason=step.text
    )
    return {}, {}


def _grant(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_extension_grant(case=case, actor=_actor(step))
    return {}, {}


def _refuse(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_extension_refuse(case=case, actor=_actor(step))
    return {}, {}


def _supervise(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_supervise(case=case, actor=_actor(step), text=step.text)
    return ({"deadline": _date(step)} if step.outcome == "reopened" else {}), {}


def _answer(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_answer(case=case, actor=_actor(step), text=step.text, solved=step.solved)
    return {"answered_at": step.at}, {}


def _rate(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_rate(
        receipt_code=plan.receipt,
        satisfaction=step.satisfaction,
        solved=step.solved,
        comment=step.text,
    )
    if step.outcome != "reopened":
        return {"closed_at": step.at}, {}
    deadline = _date(step)
    data = {"round": step.round + 1, "deadline": deadline.isoformat()}
    return {"deadline": deadline}, {EventKind.REOPENED: data}


ACTIONS: dict[str, Callable[[Runner, CasePlan, Case, Step], Fixes]] = {
    "accept": _accept,
    "reject": _reject,
    "merge": _merge,
    "dispatch": _dispatch,
    "sign": _sign,
    "note": _note,
    "return": _return,
    "extend": _extend,
    "grant": _grant,
    "refuse": _refuse,
    "supervise": _supervise,
    "answer": _answer,
    "rate": _rate,
}


# --- Loading -------------------------------------------------------------------------------------


def demo_cases_default() -> int:
    """Return how many cases ``xinsheng demo`` builds."""
    configured = settings.XINSHENG.get("DEMO_CASES")
    if configured is None:
        return 0 if settings.TESTING else CASES
    return int(configured)


def demo_cases_exist() -> bool:
    """Return whether cases of the demo enterprise exist."""
    group = OrgUnit.objects.filter(code=org_demo.GROUP_CODE).first()
    return (
        group is not None and Case.objects.filter(origin_unit__path__startswith=group.path).exists()
    )


def categories_create() -> dict[str, Category]:
    """Create the demo categories that do not exist yet; return all of them by code."""
    categories = {}
    for position, plan in enumerate(CATEGORIES, start=1):
        category, _created = Category.objects.get_or_create(
            code=plan.code,
            defaults={
                "name": plan.name,
                "deadline_days": plan.deadline_days,
                "urgent_deadline_days": plan.urgent_days,
                "keywords": plan.keywords,
                "position": position * 10,
            },
        )
        categories[plan.code] = category
    return categories


@transaction.atomic
def demo_load(
    *, seed: int = org_demo.DEFAULT_SEED, today: dt.date | None = None, cases: int | None = None
) -> dict[str, int]:
    """Build ``cases`` demo cases of the 12 months up to midnight ``today``.

    ``cases`` defaults to ``XINSHENG["DEMO_CASES"]``: ``CASES``, and none in tests, where
    ``xinsheng demo`` builds the organisation only unless told otherwise. Needs the demo
    organisation; does nothing when its cases exist. Return the numbers of what was created, by
    state among others, for the audit record and the operator.
    """
    count = cases if cases is not None else demo_cases_default()
    if count <= 0 or demo_cases_exist():
        return {}
    end = dt.datetime.combine(
        today or timezone.localdate(), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    rng = random.Random(f"xinsheng.cases.demo:{seed}")
    days_off = extra_days_off()
    categories = categories_create()
    world = world_build()
    plans = Planner(rng, world, end, days_off).plan(count)
    with notifications_suppressed():
        Runner(categories, days_off).run(plans, end - dt.timedelta(days=DAYS), end)
    return {
        "categories": len(categories),
        "staff_accounts": world.accounts_created,
        **demo_summary(),
    }


def demo_summary() -> dict[str, int]:
    """Return how many demo cases there are, in each state and in the states that matter."""
    group = org_demo.demo_group()
    cases = Case.objects.filter(origin_unit__path__startswith=group.path).order_by()
    by_status = dict(cases.values_list("status").annotate(n=Count("id")))
    summary = {"cases": sum(by_status.values())}
    summary |= {status.value: by_status.get(status.value, 0) for status in CaseStatus}
    summary |= cases.aggregate(
        overdue=Count("id", filter=Q(is_overdue=True, status__in=WITH_UNIT)),
        extension_asked=Count("id", filter=Q(extension_until__isnull=False, status__in=WITH_UNIT)),
        reopened=Count("id", filter=Q(reopen_count__gt=0)),
        supervised=Count("id", filter=Q(supervision_count__gt=0)),
        escalated=Count("id", filter=Q(escalated=True)),
        closed_rated=Count(
            "id", filter=Q(status=CaseStatus.CLOSED, close_reason=CloseReason.RATED)
        ),
        closed_not_rated=Count(
            "id", filter=Q(status=CaseStatus.CLOSED, close_reason=CloseReason.NOT_RATED)
        ),
        anonymous=Count("id", filter=Q(is_anonymous=True)),
    )
    summary["ratings"] = Rating.objects.filter(case__in=cases).count()
    return summary
