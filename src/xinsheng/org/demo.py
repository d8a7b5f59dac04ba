"""The organisation of the demo enterprise: a fictional coal-mining group, its people and accounts.

Everything comes from one generator seeded with the demo seed, so that one seed always gives the
same enterprise: the same units, names, employee numbers and phone numbers. The plan is drawn in
memory first and then written in bulk, which keeps ``demo_load`` within a few seconds.
"""

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext

from xinsheng.core.errors import Conflict
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment

GROUP_CODE = "JT"
GROUP_NAME = "晋泰煤业集团"  # fictional
DEMO_PASSWORD = "xinsheng-demo"  # noqa: S105 - the published password of the demo accounts
DEFAULT_SEED = 2025

# --- The shape of the group ---------------------------------------------------------------------

# Department name → (title of its head, positions of its staff). The head's deputy is "副" + title.
DEPARTMENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "党群工作部": ("部长", ("干事", "宣传专员", "组织专员")),
    "工会": ("主席", ("干事", "女工委员", "宣传委员")),
    "人力资源部": ("部长", ("薪酬主管", "培训专员", "人事专员")),
    "安全监察部": ("部长", ("安全监察员", "安全工程师")),
    "生产技术部": ("部长", ("采矿工程师", "地质工程师", "技术员")),
    "财务部": ("部长", ("会计", "出纳", "审计专员")),
    "后勤服务中心": ("主任", ("管理员", "厨师", "驾驶员", "保洁员")),
    "信息中心": ("主任", ("系统管理员", "网络工程师", "软件工程师")),
    "纪检监察部": ("部长", ("纪检专员", "监察专员")),
    "调度指挥中心": ("主任", ("调度员", "值班调度员")),
    "调度室": ("主任", ("调度员", "值班调度员", "信息员")),
    "安监科": ("科长", ("安检员", "瓦斯检查员", "安全员")),
    "生产科": ("科长", ("技术员", "采矿技术员", "统计员")),
    "机电科": ("科长", ("机电技术员", "设备管理员")),
    "通风科": ("科长", ("通风技术员", "测风员", "防突技术员")),
    "地测科": ("科长", ("测量员", "地质员", "防治水技术员")),
    "综合办公室": ("主任", ("文书", "科员", "档案管理员")),
}
GROUP_DEPARTMENTS = (
    "党群工作部",
    "工会",
    "人力资源部",
    "安全监察部",
    "生产技术部",
    "财务部",
    "后勤服务中心",
    "信息中心",
    "纪检监察部",
)
COMPANY_DEPARTMENTS = ("党群工作部", "工会", "安全监察部", "生产技术部", "调度指挥中心")
MINE_DEPARTMENTS = ("调度室", "安监科", "生产科", "机电科", "通风科", "地测科", "综合办公室")
MINE_DEPARTMENTS_ALWAYS = 2  # 调度室 and 安监科 are in every mine

# The companies of the group and the mines of each company.
COMPANIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("晋泰东山煤业有限公司", ("东山一矿", "东山二矿", "东山三矿")),
    ("晋泰西河煤业有限公司", ("西河一矿", "西河二矿")),
)

LEADERS = {
    UnitKind.GROUP: (
        "董事长",
        "党委书记",
        "总经理",
        "党委副书记",
        "副总经理",
        "副总经理",
        "总工程师",
    ),
    UnitKind.COMPANY: ("总经理", "党委书记", "副总经理", "总工程师"),
    UnitKind.MINE: ("矿长", "党委书记", "副矿长", "总工程师", "安全副矿长"),
}
AREA_LEADERS = ("队长", "副队长", "副队长", "技术员")
BRANCH_STAFF = ("党支部书记",)
TEAM_LEADERS = ("班长", "副班长")


@dataclass(frozen=True)
class AreaKind:
    """What a kind of work area does: its teams, the trades of its workers, its relative size."""

    teams: tuple[str, ...]
    trades: tuple[str, ...]  # most common first
    size: float


FULLY_MECHANISED = AreaKind(
    ("早班", "中班", "夜班", "检修班"),
    ("采煤机司机", "支架工", "采煤工", "输送机司机", "电钳工"),
    1.0,
)
HEADING = AreaKind(("早班", "中班", "夜班"), ("掘进工", "掘进机司机", "锚杆工", "电钳工"), 1.0)
AREAS: dict[str, AreaKind] = {
    "综采一队": FULLY_MECHANISED,
    "综采二队": FULLY_MECHANISED,
    "掘进一队": HEADING,
    "掘进二队": HEADING,
    "掘进三队": HEADING,
    "开拓队": AreaKind(("早班", "中班", "夜班"), ("掘进工", "爆破工", "锚杆工", "电钳工"), 0.9),
    "准备队": AreaKind(("一班", "二班", "三班"), ("安装工", "支架工", "起重工", "电钳工"), 0.8),
    "机电队": AreaKind(("一班", "二班", "三班"), ("电钳工", "机电维修工", "电工", "水泵工"), 0.6),
    "运输队": AreaKind(("一班", "二班", "三班"), ("运输工", "绞车司机", "信号工", "皮带司机"), 0.6),
    "通风队": AreaKind(("一班", "二班"), ("通风工", "瓦斯检查工", "安全监测工", "防尘工"), 0.5),
}
AREAS_ALWAYS = ("综采一队", "掘进一队", "机电队")
AREAS_PER_MINE = (4, 6)
PEOPLE_TOTAL = (2950, 3050)
MAINTENANCE_SHIFT_FACTOR = 0.7  # a maintenance shift (检修班) is smaller than a production shift


@dataclass(frozen=True)
class AccountPlan:
    """A demo account: who holds it (a position in a unit) and which role it holds where."""

    username: str
    role: Role
    role_unit: str  # code of the unit where the role is held
    person_unit: str  # code of the unit of the person who holds the account
    position: str


ACCOUNTS = (
    AccountPlan("admin", Role.ADMINISTRATOR, "JT", "JT-D08", "系统管理员"),
    AccountPlan("leader", Role.LEADER, "JT", "JT", "党委副书记"),
    AccountPlan("dispatcher", Role.DISPATCHER, "JT-C1", "JT-C1-D01", "干事"),
    AccountPlan("supervisor", Role.SUPERVISOR, "JT-C1", "JT-C1-D02", "副主席"),
    AccountPlan("handler", Role.HANDLER, "JT-C1-M1-A01", "JT-C1-M1-A01", "副队长"),
    AccountPlan("head", Role.UNIT_HEAD, "JT-C1-M1-A01", "JT-C1-M1-A01", "队长"),
    AccountPlan("recorder", Role.RECORDER, "JT-C1-M1-B01", "JT-C1-M1-B01", "党支部书记"),
)
SUPERUSERS = frozenset({"admin"})

# --- Names ---------------------------------------------------------------------------------------

# Common surnames with rough weights (the north of China, where coal is mined).
SURNAMES: dict[str, int] = {
    "王": 90, "李": 85, "张": 80, "刘": 60, "陈": 40, "杨": 40, "赵": 35, "郭": 30, "贾": 20,
    "武": 20, "郝": 18, "田": 16, "任": 16, "孙": 16, "周": 15, "吴": 14, "徐": 14, "马": 14,
    "高": 14, "胡": 12, "朱": 12, "梁": 12, "韩": 12, "宋": 10, "冯": 10, "程": 10, "段": 10,
    "秦": 9, "薛": 9, "闫": 9, "牛": 8, "范": 8, "乔": 8, "温": 8, "曹": 8, "白": 8, "侯": 7,
    "苏": 7, "吕": 7, "杜": 7, "董": 7, "石": 6, "谢": 6, "黄": 6, "史": 6, "申": 5, "卫": 5,
    "常": 5, "康": 5, "原": 4, "靳": 4, "崔": 4, "药": 2, "续": 2,
}  # fmt: skip
MALE_FIRST = (
    "建志国永海晓文明俊宏金振德学世春立保新继天小少忠兴玉长卫向家宝云瑞利子嘉宇浩鹏博晨泽红"
)
MALE_LAST = (
    "伟强军勇磊涛斌杰鹏超刚明亮平峰东林海波辉宇浩俊飞龙兵鑫凯旭华生成民忠锋彪权福荣庆岗栋琦帅喜虎"
)
FEMALE_FIRST = "丽晓春秀玉雅欣佳美淑雪红文海子彩桂"
FEMALE_LAST = "丽娟敏静燕艳芳霞玲婷慧红梅琳颖洁莉萍华英倩蓉璐"
SINGLE_NAME_SHARE = 0.3  # share of two-character names (surname + one character)

# Names of well-known people that the generator must not hand to a fictional employee.
_FAMOUS_NAMES = """
    李强 李克强 温家宝 胡锦涛 王毅 王岐山 刘鹤 韩正 赵乐际 王沪宁 蔡奇 丁薛祥 李希 江泽民 朱镕基
    周恩来 朱德 刘少奇 邓小平 毛泽东 陈云 李鹏 李瑞环 吴邦国 贾庆林 李长春 贺国强 张德江 俞正声
    刘云山 张高丽 汪洋 栗战书 李源潮 王兆国 孙春兰 胡春华 杨洁篪 郭声琨 黄坤明 刘国中 何立峰
    张国清 王小洪 吴政隆 陈吉宁 陈敏尔 袁家军 马兴瑞 李干杰 李书磊 石泰峰 尹力 王文涛 王晓晖
    张又侠 何卫东 刘强东 马云 马化腾 李彦宏 王健林 李宁 刘翔 姚明 李娜 王菲 刘德华 张学友 郭富城
    黎明 周杰伦 成龙 李连杰 刘欢 韩红 那英 宋祖英 董卿 赵本山 郭德纲 黄渤 王宝强 孙杨 张继科 马龙
    刘国梁 丁俊晖 林丹 李宇春 张艺谋 陈凯歌 冯小刚 范冰冰 赵薇 章子怡 周迅 黄晓明 王力宏 刘亦菲
    杨幂 杨洋 吴京 沈腾 莫言 屠呦呦 袁隆平 钟南山 杨利伟 钱学森 邓稼先 张勇 李嘉诚 王石 柳传志
    任正非 董明珠 曹德旺 宗庆后 张瑞敏 刘永好 许家印 潘石屹 丁磊 张朝阳 王兴 张一鸣 黄峥 周鸿祎
    罗永浩 王传福 李书福 何小鹏 李斌 李想 刘备 关羽 张飞 曹操 孙权 李白 杜甫 王维 白居易 苏轼
    鲁迅 孙中山 岳飞 林则徐 王昭君 郭靖 黄蓉 杨过 郭晶晶 王楠 张怡宁 郎平 朱婷 许海峰 李小鹏
    杨威 田亮 孔令辉 王励勤 马琳 王皓 许昕 樊振东 王楚钦 宁泽涛 叶诗文 苏炳添 刘诗雯 武大靖 王濛
    杨扬 申雪 周洋 易建联 王治郅 孙悦 周琦 武磊 郑智 孙继海 范志毅 郝海东 李铁 高洪波 李毅 孙雯
    王军霞 王丽萍 张杰 韩寒 郭敬明 王朔 余华 贾平凹 路遥
"""
FAMOUS = frozenset(_FAMOUS_NAMES.split())

PHONE_PREFIXES = tuple(
    [f"13{d}" for d in range(10)] + [f"15{d}" for d in "012356789"]
    + [f"18{d}" for d in range(10)]
)  # fmt: skip


class NameMaker:
    """Draw plausible Chinese names, employee numbers and mobile numbers from one generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = list(SURNAMES)
        self.surname_weights = list(SURNAMES.values())
        self.next_number = 1000
        self.phones: set[str] = set()

    def name(self, *, female: bool) -> str:
        """Return a two- or three-character name that is not a well-known person's."""
        first, last = (FEMALE_FIRST, FEMALE_LAST) if female else (MALE_FIRST, MALE_LAST)
        while True:
            surname = self.rng.choices(self.surnames, self.surname_weights)[0]
            given = self.rng.choice(last)
            if self.rng.random() >= SINGLE_NAME_SHARE:
                given = self.rng.choice(first) + given
            if female or len(given) == 1 or given[0] != given[1]:  # 丽丽, but no 伟伟
                name = surname + given
                if name not in FAMOUS:
                    return name

    def employee_no(self) -> str:
        """Return the next employee number, e.g. JT0001234; numbers leave gaps as real ones do."""
        self.next_number += self.rng.randint(1, 3)
        return f"{GROUP_CODE}{self.next_number:07d}"

    def phone(self) -> str:
        """Return a fictional 11-digit mobile number not handed out before."""
        while True:
            number = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number


# --- The plan ------------------------------------------------------------------------------------


@dataclass
class UnitPlan:
    """A unit to create, the positions of the people placed directly in it, and its children."""

    code: str
    name: str
    kind: UnitKind
    positions: list[str] = field(default_factory=list)
    children: list["UnitPlan"] = field(default_factory=list)
    trades: tuple[str, ...] = ()  # a team's workers are drawn from these
    weight: float = 0.0  # a team's share of the production workforce
    female_share: float = 0.0

    def walk(self) -> Iterator["UnitPlan"]:
        """Yield this unit and its descendants, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()

    def bulk_data(self) -> dict[str, object]:
        """Return this subtree in the nested form of treebeard's ``load_bulk``."""
        return {
            "data": {"name": self.name, "kind": self.kind.value, "code": self.code},
            "children": [child.bulk_data() for child in self.children],
        }


def plan_group(rng: random.Random) -> UnitPlan:
    """Return the unit tree of the group, with the fixed positions of each unit."""
    group = UnitPlan(GROUP_CODE, GROUP_NAME, UnitKind.GROUP, list(LEADERS[UnitKind.GROUP]))
    group.female_share = 0.15
    group.children += plan_departments(rng, GROUP_CODE, GROUP_DEPARTMENTS, (5, 9))
    for number, (company_name, mine_names) in enumerate(COMPANIES, start=1):
        code = f"{GROUP_CODE}-C{number}"
        company = UnitPlan(code, company_name, UnitKind.COMPANY, list(LEADERS[UnitKind.COMPANY]))
        company.female_share = 0.1
        company.children += plan_departments(rng, code, COMPANY_DEPARTMENTS, (4, 7))
        company.children += [
            plan_mine(rng, f"{code}-M{index}", name)
            for index, name in enumerate(mine_names, start=1)
        ]
        group.children.append(company)
    return group


def plan_departments(
    rng: random.Random, parent_code: str, names: Sequence[str], size: tuple[int, int]
) -> list[UnitPlan]:
    """Return the departments ``names`` under ``parent_code``, each with ``size`` people."""
    departments = []
    for number, name in enumerate(names, start=1):
        head, staff = DEPARTMENTS[name]
        positions = [head, f"副{head}", *staff]
        extra = rng.randint(*size) - len(positions)
        positions += rng.choices(staff, k=max(extra, 0))
        departments.append(
            UnitPlan(
                f"{parent_code}-D{number:02d}",
                name,
                UnitKind.DEPARTMENT,
                positions,
                female_share=0.4,
            )
        )
    return departments


def plan_mine(rng: random.Random, code: str, name: str) -> UnitPlan:
    """Return a mine: its offices, its work areas with their teams, and a party branch per area."""
    mine = UnitPlan(code, name, UnitKind.MINE, list(LEADERS[UnitKind.MINE]))
    optional = list(MINE_DEPARTMENTS[MINE_DEPARTMENTS_ALWAYS:])
    chosen = set(rng.sample(optional, rng.randint(0, 2)))
    offices = [
        n
        for n in MINE_DEPARTMENTS
        if n in MINE_DEPARTMENTS[:MINE_DEPARTMENTS_ALWAYS] or n in chosen
    ]
    mine.children += plan_departments(rng, code, offices, (6, 12))
    extra = [n for n in AREAS if n not in AREAS_ALWAYS]
    chosen = set(rng.sample(extra, rng.randint(*AREAS_PER_MINE) - len(AREAS_ALWAYS)))
    areas = [n for n in AREAS if n in AREAS_ALWAYS or n in chosen]
    for number, area_name in enumerate(areas, start=1):
        mine.children.append(plan_area(rng, f"{code}-A{number:02d}", area_name))
    for number, area_name in enumerate(areas, start=1):
        branch_name = f"{area_name}党支部"
        branch_code = f"{code}-B{number:02d}"
        mine.children.append(
            UnitPlan(branch_code, branch_name, UnitKind.BRANCH, list(BRANCH_STAFF))
        )
    return mine


def plan_area(rng: random.Random, code: str, name: str) -> UnitPlan:
    """Return a work area with its leaders and its teams (shifts)."""
    kind = AREAS[name]
    positions = list(AREA_LEADERS) + (["技术员"] if rng.random() < 0.5 else [])
    area = UnitPlan(code, name, UnitKind.AREA, positions)
    for number, shift in enumerate(kind.teams, start=1):
        factor = MAINTENANCE_SHIFT_FACTOR if shift == "检修班" else 1.0
        area.children.append(
            UnitPlan(
                f"{code}-T{number}",
                f"{name}{shift}",
                UnitKind.TEAM,
                list(TEAM_LEADERS),
                trades=kind.trades,
                weight=kind.size * factor * rng.uniform(0.85, 1.15),
            )
        )
    return area


def staff_teams(rng: random.Random, group: UnitPlan) -> None:
    """Share the rest of the workforce among the teams by weight, and draw each worker's trade."""
    units = list(group.walk())
    teams = [unit for unit in units if unit.kind == UnitKind.TEAM]
    fixed = sum(len(unit.positions) for unit in units)
    workers = max(rng.randint(*PEOPLE_TOTAL) - fixed, 0)
    total_weight = sum(team.weight for team in teams)
    shares = [workers * team.weight / total_weight for team in teams]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(teams)), key=lambda i: counts[i] - shares[i])
    for index in by_remainder[: workers - sum(counts)]:
        counts[index] += 1
    for team, count in zip(teams, counts, strict=True):
        trade_weights = list(range(len(team.trades), 0, -1))
        team.positions += rng.choices(team.trades, trade_weights, k=count)


# --- Writing it ---------------------------------------------------------------------------------


def demo_exists() -> bool:
    """Return whether the demo enterprise is loaded (its group code is taken)."""
    return OrgUnit.objects.filter(code=GROUP_CODE).exists()


def demo_group() -> OrgUnit:
    """Return the group unit of the demo enterprise."""
    return OrgUnit.objects.get(code=GROUP_CODE)


@transaction.atomic
def demo_load(*, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Build the demo organisation from ``seed``: units, people, accounts and their roles.

    Return the numbers of what was created, for the audit record of the demo load.
    """
    taken = sorted(
        User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        message = gettext("演示账号的用户名已被占用：%(names)s") % {"names": "、".join(taken)}
        raise Conflict(message)
    rng = random.Random(f"xinsheng.org.demo:{seed}")
    plan = plan_group(rng)
    staff_teams(rng, plan)
    OrgUnit.objects.load_bulk([plan.bulk_data()], bulk_create=True)
    group = demo_group()
    units = {unit.code: unit for unit in OrgUnit.objects.filter(path__startswith=group.path)}
    people = create_people(rng, plan, units)
    create_accounts(people)
    return {"units": len(units), "people": len(people), "accounts": len(ACCOUNTS)}


def create_people(rng: random.Random, plan: UnitPlan, units: dict[str, OrgUnit]) -> list[Person]:
    """Create the people of every planned unit in bulk and return them."""
    names = NameMaker(rng)
    people = []
    for unit_plan in plan.walk():
        for position in unit_plan.positions:
            female = rng.random() < unit_plan.female_share
            people.append(
                Person(
                    employee_no=names.employee_no(),
                    name=names.name(female=female),
                    unit=units[unit_plan.code],
                    position=position,
                    phone=names.phone(),
                )
            )
    return Person.objects.bulk_create(people, batch_size=500)


def create_accounts(people: list[Person]) -> None:
    """Create the demo users, link each to its person, and give each its role."""
    password = make_password(DEMO_PASSWORD)  # hashed once, with the configured hasher
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=_account_units())}
    holders = [_holder(people, units[account.person_unit], account) for account in ACCOUNTS]
    users = User.objects.bulk_create(
        [
            User(
                username=account.username,
                password=password,
                first_name=holder.name,
                is_staff=account.username in SUPERUSERS,
                is_superuser=account.username in SUPERUSERS,
            )
            for account, holder in zip(ACCOUNTS, holders, strict=True)
        ]
    )
    for holder, user in zip(holders, users, strict=True):
        holder.user = user
    Person.objects.bulk_update(holders, ["user"])
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=holder, unit=units[account.role_unit], role=account.role)
        for account, holder in zip(ACCOUNTS, holders, strict=True)
    )


def _account_units() -> set[str]:
    return {a.role_unit for a in ACCOUNTS} | {a.person_unit for a in ACCOUNTS}


def _holder(people: list[Person], unit: OrgUnit, account: AccountPlan) -> Person:
    """Return the first person in ``unit`` with the account's position who holds no account."""
    return next(
        person
        for person in people
        if person.unit_id == unit.pk
        and person.position == account.position
        and person.user_id is None
    )


# --- Reading it back -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    """A demo account as the operator sees it after loading."""

    username: str
    name: str
    role: Role
    unit_name: str
    unit_code: str


def demo_accounts() -> list[DemoAccount]:
    """Return the demo accounts with the roles they hold now, in the order of ``ACCOUNTS``."""
    order = {account.username: index for index, account in enumerate(ACCOUNTS)}
    rows = RoleAssignment.objects.filter(person__user__username__in=order).select_related(
        "person__user", "unit"
    )
    accounts = [
        DemoAccount(
            username=row.person.user.username if row.person.user else "",
            name=row.person.name,
            role=Role(row.role),
            unit_name=row.unit.name,
            unit_code=row.unit.code,
        )
        for row in rows
    ]
    return sorted(accounts, key=lambda account: (order[account.username], account.role))
