"""A mine of about thirty people for the talk cycle tests: its leaders, offices, work areas and
teams, the people's ranks and groups, who is in charge of what, one who has left and one mine
outside the cycle.

The units are made directly; the people come in through the org spreadsheet import, with their
ranks, groups and units in charge as an office would type them.
"""

import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from tests.org.factories import make_staff, make_unit
from xinsheng.core.sheets import runner
from xinsheng.org.choices import CadreRank, Role, UnitKind
from xinsheng.org.models import OrgUnit, Person

# unit key → (parent key, name, kind, code)
UNITS: dict[str, tuple[str, str, str, str]] = {
    "M1": ("C1", "一矿", UnitKind.MINE, "YK"),
    "D1": ("M1", "安全科", UnitKind.DEPARTMENT, "YK-AQK"),
    "D2": ("M1", "调度室", UnitKind.DEPARTMENT, "YK-DDS"),
    "A1": ("M1", "综采一区", UnitKind.AREA, "YK-ZC1"),
    "T1": ("A1", "综采一区一班", UnitKind.TEAM, "YK-ZC1-1"),
    "T2": ("A1", "综采一区二班", UnitKind.TEAM, "YK-ZC1-2"),
    "B1": ("A1", "综采一区党支部", UnitKind.BRANCH, "YK-ZC1-DZB"),
    "A2": ("M1", "掘进二区", UnitKind.AREA, "YK-JJ2"),
    "T3": ("A2", "掘进二区一班", UnitKind.TEAM, "YK-JJ2-1"),
    "M2": ("C1", "二矿", UnitKind.MINE, "EK"),
    "A3": ("M2", "综采三区", UnitKind.AREA, "EK-ZC3"),
}

MINE_LEADER, SECTION, DEPUTY, MANAGER = (
    CadreRank.MINE_LEADER,
    CadreRank.SECTION,
    CadreRank.DEPUTY_SECTION,
    CadreRank.MANAGER,
)

# name, unit key, cadre rank, flags (principal, party, technical, team_leader, backbone, manager,
# left)
PEOPLE: list[tuple[str, str, str, set[str]]] = [
    ("王建国", "M1", MINE_LEADER, {"principal"}),  # 矿长
    ("李红旗", "M1", MINE_LEADER, {"principal", "party"}),  # 党委书记
    ("张志强", "M1", MINE_LEADER, set()),  # 副矿长
    ("赵永刚", "M1", MINE_LEADER, set()),  # 副矿长
    ("钱学文", "M1", MINE_LEADER, {"left"}),  # 总工程师, no longer at the mine
    ("孙立平", "D1", SECTION, {"principal", "party"}),  # 安全科科长
    ("周海燕", "D1", DEPUTY, {"party"}),  # 副科长
    ("吴振华", "D1", "", {"technical", "manager"}),
    ("郑晓明", "D1", MANAGER, {"manager"}),
    ("冯国栋", "D2", SECTION, {"principal"}),  # 调度室主任
    ("陈静", "D2", DEPUTY, set()),
    ("褚卫东", "D2", "", {"backbone"}),
    ("卫建军", "A1", SECTION, {"principal"}),  # 综采一区区长
    ("蒋文斌", "A1", DEPUTY, {"party"}),
    ("沈丽", "A1", "", {"technical", "manager"}),
    ("韩磊", "T1", "", {"team_leader", "party"}),
    ("杨勇", "T1", "", set()),
    ("朱明", "T1", "", {"backbone", "technical"}),
    ("秦海", "T2", "", {"team_leader"}),
    ("尤佳", "T2", "", {"party"}),
    ("许强", "T2", "", set()),
    ("马丽", "B1", "", {"principal", "party"}),  # 党支部书记
    ("何宏伟", "A2", SECTION, {"principal"}),  # 掘进二区区长
    ("吕建平", "A2", DEPUTY, set()),
    ("施永", "T3", "", {"team_leader", "backbone"}),
    ("张伟", "T3", "", set()),
    ("孔祥", "T3", "", {"party", "left"}),
    ("曹宇", "A3", SECTION, {"principal", "party"}),  # 二矿综采三区区长: outside the cycle
    ("严斌", "M2", MINE_LEADER, {"principal"}),  # 二矿矿长: outside the cycle
]

# who is in charge of (分管) which units
CHARGES: list[tuple[str, str]] = [
    ("王建国", "D1"),
    ("张志强", "A1"),
    ("赵永刚", "D2"),
    ("赵永刚", "A2"),
    ("钱学文", "D1"),  # has left: holds no talks
    ("严斌", "A1"),  # in charge across mines, but sits outside the cycle
]

FLAGS = {
    "principal": "is_principal",
    "party": "is_party_member",
    "technical": "is_technical_talent",
    "team_leader": "is_team_leader",
    "backbone": "is_backbone",
    "manager": "is_manager",
}


@dataclass
class Mine:
    """The units by key and the people by name."""

    units: dict[str, OrgUnit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def move(self, name: str, unit_key: str) -> None:
        """Move a person to another unit, as a transfer would."""
        person = self.people[name]
        person.unit = self.units[unit_key]
        person.save(update_fields=["unit", "updated_at"])


HEADER = [
    "工号",
    "姓名",
    "所在单位代码",
    "干部级别",
    "主要负责人",
    "党员",
    "技术技能人才",
    "班组长",
    "业务骨干",
    "管理人员",
    "分管单位",
    "是否在职",
]
RANK_LABELS = {MINE_LEADER: "矿领导", SECTION: "科级", DEPUTY: "副科级", MANAGER: "一般管理人员"}


def people_sheet(units: dict[str, OrgUnit]) -> bytes:
    """Return the .xlsx an office would fill in for the people of ``PEOPLE``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员"
    sheet.append(HEADER)
    for number, (name, unit_key, rank, flags) in enumerate(PEOPLE, start=1):
        charged = "、".join(units[key].code for who, key in CHARGES if who == name)
        yes_no = ["是" if flag in flags else "否" for flag in FLAGS]
        active = "否" if "left" in flags else "是"
        row = [f"YK{number:04d}", name, units[unit_key].code, RANK_LABELS.get(rank, "")]
        sheet.append([*row, *yes_no, charged, active])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def make_mine(company: OrgUnit) -> Mine:
    """Create the units under ``company``, import the people in them; return both."""
    mine = Mine(units={"C1": company})
    for key, (parent, name, kind, code) in UNITS.items():
        mine.units[key] = make_unit(mine.units[parent], name=name, kind=kind, code=code)
    office = make_staff(company, Role.ADMINISTRATOR, username="mine-people-office")
    job = runner.job_create(
        "org",
        actor=office,
        file_name="人员.xlsx",
        content=people_sheet(mine.units),
        background=False,
    )
    job = runner.job_check(job_id=job.pk)
    assert job.report is not None
    assert job.report["errors"] == [], job.report["errors"]
    runner.job_request_apply(actor=office, job=job, background=False)
    runner.job_apply(job_id=job.pk)
    by_number = {p.employee_no: p for p in Person.objects.filter(employee_no__startswith="YK")}
    for number, (name, *_rest) in enumerate(PEOPLE, start=1):
        mine.people[name] = by_number[f"YK{number:04d}"]
    return mine
