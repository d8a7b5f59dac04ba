"""The org import's columns of a person's standing: rank, yes/no groups and units in charge."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff, make_unit
from tests.org.test_import import apply, dry_run, errors_of, sheet_counts
from xinsheng.core.errors import Conflict
from xinsheng.core.models import AuditEvent
from xinsheng.core.sheets import runner
from xinsheng.org.choices import CadreRank, Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, UnitCharge

HEADER = [
    "工号",
    "姓名",
    "所在单位代码",
    "职务/岗位",
    "干部级别",
    "主要负责人",
    "党员",
    "技术技能人才",
    "班组长",
    "业务骨干",
    "管理人员",
    "分管单位",
]


def people_xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    """Return an .xlsx whose 人员 sheet has ``header`` and ``rows``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def charges_of(employee_no: str) -> list[str]:
    rows = UnitCharge.objects.filter(person__employee_no=employee_no)
    return sorted(rows.values_list("unit__code", flat=True))


def standing(employee_no: str) -> tuple[object, ...]:
    person = Person.objects.get(employee_no=employee_no)
    return (
        person.cadre_rank,
        person.is_principal,
        person.is_party_member,
        person.is_technical_talent,
        person.is_team_leader,
        person.is_backbone,
        person.is_manager,
    )


@pytest.fixture
def admin(tree: Tree) -> User:
    return make_staff(tree.company1, Role.ADMINISTRATOR, username="c1-admin")


@pytest.fixture
def office(tree: Tree) -> OrgUnit:
    return make_unit(tree.mine1, name="机电科", kind=UnitKind.DEPARTMENT, code="M1-D01")


def test_new_people_are_imported_with_their_standing_and_units_in_charge(
    tree: Tree, admin: User, office: OrgUnit
) -> None:
    # Given a file of a deputy mine leader, a work area head and a team leader, with the yes/no
    # columns written in the ways spreadsheets write them
    rows = [
        ["500001", "李明", "M1", "副矿长", "矿领导", "否", "是", "", "", "", "√", "A1、机电科"],
        ["500002", "王芳", "A1", "队长", "科级", 1, "Y", "N", 0, "", "是", ""],
        ["500003", "赵强", "T1", "班长", "", "是", "否", "y", "√", "1", "", None],
    ]

    # When it is checked
    job = dry_run(admin, people_xlsx(rows))

    # Then three people would be created, each listed with their standing, and nothing is yet
    assert job.error_count == 0, errors_of(job)
    assert sheet_counts(job) == {"people": (3, 0, 0)}
    assert job.report is not None
    created = {
        item["key"]: dict(item["fields"]) for item in job.report["sheets"][0]["created_items"]
    }
    assert created["500001"]["身份"] == "党员 · 矿领导 · 管理人员"
    assert created["500001"]["分管单位"] == "A1、M1-D01"
    assert created["500003"]["身份"] == "主要负责人 · 技术技能人才 · 班组长 · 业务骨干"
    assert not Person.objects.filter(employee_no__startswith="5000").exists()

    # When it is applied
    apply(admin, job)

    # Then each has the standing the file gives, and the leader is in charge of both units
    assert standing("500001") == ("mine_leader", False, True, False, False, False, True)
    assert standing("500002") == ("section", True, True, False, False, False, True)
    assert standing("500003") == ("", True, False, True, True, True, False)
    assert charges_of("500001") == ["A1", "M1-D01"]
    assert charges_of("500002") == []


def test_a_reimport_updates_the_standing_and_says_what_changes(
    tree: Tree, admin: User, office: OrgUnit
) -> None:
    # Given a work area head, a party member of 科级 rank in charge of nothing
    PersonFactory(
        employee_no="500010",
        name="王芳",
        unit=tree.area1,
        position="队长",
        cadre_rank=CadreRank.SECTION,
        is_party_member=True,
    )
    leader = PersonFactory(employee_no="500011", name="李明", unit=tree.mine1, position="副矿长")
    UnitCharge.objects.create(person=leader, unit=tree.area1)
    # and a file that makes her a principal of 副科级 rank, and moves his charge to 机电科
    rows = [
        ["500010", "王芳", "A1", "队长", "副科级", "是", "是", "否", "否", "否", "否", ""],
        ["500011", "李明", "M1", "副矿长", "", "否", "否", "否", "否", "否", "否", "M1-D01"],
    ]

    # When it is checked
    job = dry_run(admin, people_xlsx(rows))

    # Then the dry run lists each change with its value before and after
    assert sheet_counts(job) == {"people": (0, 2, 0)}
    assert job.report is not None
    sheet = job.report["sheets"][0]
    changes = {item["key"]: item["changes"] for item in sheet["changed_items"]}
    assert {"column": "干部级别", "before": "科级", "after": "副科级"} in changes["500010"]
    assert {"column": "主要负责人", "before": "否", "after": "是"} in changes["500010"]
    assert len(changes["500010"]) == 2
    assert changes["500011"] == [{"column": "分管单位", "before": "A1", "after": "M1-D01"}]
    # and the summary says which columns change, in how many rows
    assert sheet["changed_columns"] == [["干部级别", 1], ["主要负责人", 1], ["分管单位", 1]]
    admin_client = Client()
    admin_client.force_login(admin)
    page = admin_client.get(reverse("org:import_job", args=[job.pk])).content.decode()
    assert "干部级别 1 · 主要负责人 1 · 分管单位 1" in page

    # When it is applied
    apply(admin, job)

    # Then both people have their new standing
    assert standing("500010") == ("deputy_section", True, True, False, False, False, False)
    assert charges_of("500011") == ["M1-D01"]
    # and importing the same file again changes nothing
    again = dry_run(admin, people_xlsx(rows))
    assert sheet_counts(again) == {"people": (0, 0, 2)}


def test_a_file_without_the_standing_columns_leaves_the_standing_alone(
    tree: Tree, admin: User
) -> None:
    leader = PersonFactory(
        employee_no="500020", name="李明", unit=tree.mine1, cadre_rank=CadreRank.MINE_LEADER
    )
    UnitCharge.objects.create(person=leader, unit=tree.area1)

    job = apply(admin, dry_run(admin, people_xlsx([["500020", "李明明", "M1"]], HEADER[:3])))

    assert job.report is not None
    assert job.report["sheets"][0]["changed_columns"] == [["姓名", 1]]
    assert Person.objects.get(employee_no="500020").name == "李明明"
    assert standing("500020")[0] == "mine_leader"
    assert charges_of("500020") == ["A1"]


def test_units_in_charge_set_from_above_stay_through_an_import(tree: Tree, admin: User) -> None:
    # Given a mine-1 leader in charge of mine 2 (set by the group) and of area A1
    leader = PersonFactory(employee_no="500030", name="李明", unit=tree.mine1, position="")
    UnitCharge.objects.create(person=leader, unit=tree.mine2)
    UnitCharge.objects.create(person=leader, unit=tree.area1)

    # When the company-1 administrator imports an empty 分管单位 for him
    rows = [["500030", "李明", "M1", "", "", "", "", "", "", "", "", ""]]
    job = apply(admin, dry_run(admin, people_xlsx(rows)))

    # Then A1 is dropped and mine 2 (not theirs) stays
    assert charges_of("500030") == ["M2"]
    assert job.report is not None
    [item] = job.report["sheets"][0]["changed_items"]
    assert item["changes"] == [{"column": "分管单位", "before": "A1、M2", "after": "M2"}]


def test_wrong_values_are_listed_by_row_and_column_and_nothing_is_written(
    tree: Tree, admin: User, office: OrgUnit
) -> None:
    # Given two offices called 通风科 and a file with one mistake (or two) per row
    make_unit(tree.mine1, name="通风科", kind=UnitKind.DEPARTMENT, code="M1-D02")
    make_unit(tree.area1, name="通风科", kind=UnitKind.DEPARTMENT, code="A1-D02")
    PersonFactory(employee_no="500040", name="王芳", unit=tree.area1)
    rows = [
        ["500041", "李明", "M1", "", "处级", "", "", "", "", "", "", ""],  # row 2: rank
        ["500042", "赵强", "T1", "", "", "也许", "", "", "", "", "", ""],  # row 3: yes/no
        ["500043", "钱多", "M1", "", "", "", "", "", "", "", "有", ""],  # row 4: yes/no
        ["500044", "孙立", "M1", "", "", "", "", "", "", "", "", "NOPE；M2"],  # row 5: 2 units
        ["500045", "周全", "M1", "", "", "", "", "", "", "", "", "通风科"],  # row 6: ambiguous
        ["500046", "吴用", "A1", "", "", "", "", "", "", "", "", "A1"],  # row 7: own unit
        ["500040", "王芳", "A1", "", "科级", "是", "", "", "", "", "", ""],  # row 8: fine
    ]

    # When it is checked
    job = dry_run(admin, people_xlsx(rows))

    # Then every mistake is listed with its row, its column and what is wrong
    errors = errors_of(job)
    assert errors == [
        (
            "人员",
            2,
            "干部级别",
            "干部级别“处级”无效，应为矿领导、科级、副科级、一般管理人员之一，或留空。",
        ),
        (
            "人员",
            3,
            "主要负责人",
            "“也许”无效：“主要负责人”应填写“是”或“否”（也可填1/0、√/×、Y/N）。",
        ),
        ("人员", 4, "管理人员", "“有”无效：“管理人员”应填写“是”或“否”（也可填1/0、√/×、Y/N）。"),
        ("人员", 5, "分管单位", "分管单位“NOPE”不存在（请填写单位代码或单位名称）。"),
        ("人员", 5, "分管单位", "分管单位“M2”不在您的管理范围内。"),
        ("人员", 6, "分管单位", "有多个单位名为“通风科”，请填写单位代码。"),
        ("人员", 7, "分管单位", "分管单位不能是本人所在单位“A1”。"),
    ]
    # and nothing can be written: not even the one good row
    assert not job.can_apply
    with pytest.raises(Conflict):
        runner.job_request_apply(actor=admin, job=job, background=False)
    assert not Person.objects.filter(employee_no__in=[r[0] for r in rows[:6]]).exists()
    assert standing("500040")[0] == ""
    assert not UnitCharge.objects.exists()
    assert not AuditEvent.objects.filter(action="org.import").exists()


def test_units_in_charge_may_be_new_units_of_the_same_file(tree: Tree, admin: User) -> None:
    book = Workbook()
    units = book.active
    assert units is not None
    units.title = "单位"
    units.append(["单位代码", "单位名称", "单位类型", "上级单位代码"])
    units.append(["M1-A07", "综掘七队", "区队", "M1"])
    people = book.create_sheet("人员")
    people.append(HEADER)
    people.append(
        ["500050", "李明", "M1", "副矿长", "矿领导", "", "是", "", "", "", "是", "综掘七队"]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    job = apply(admin, dry_run(admin, buffer.getvalue()))

    assert job.error_count == 0
    assert charges_of("500050") == ["M1-A07"]


def test_the_template_shows_the_new_columns_with_an_example_that_imports(
    tree: Tree, client: Client
) -> None:
    group_admin = make_staff(tree.group, Role.ADMINISTRATOR)
    client.force_login(group_admin)

    content = client.get(reverse("org:import_template")).content
    sheet = load_workbook(io.BytesIO(content))["人员"]

    header = [cell.value for cell in sheet[1]]
    assert header[-8:] == HEADER[-8:]
    rows = [dict(zip(header, [cell.value for cell in row], strict=True)) for row in sheet[2:4]]
    leader = next(row for row in rows if row["干部级别"] == "矿领导")
    assert leader["分管单位"] == "C1-M9-A01"
    assert leader["党员"] == "是"
    assert sheet.cell(row=1, column=header.index("分管单位") + 1).comment is not None
    # the template's examples import as they are, the leader in charge of the new work area
    job = apply(group_admin, dry_run(group_admin, content, "template.xlsx"))
    assert job.error_count == 0
    assert charges_of(leader["工号"]) == ["C1-M9-A01"]


def test_the_command_prints_the_columns_that_change(
    tree: Tree, admin: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    PersonFactory(employee_no="500060", name="王芳", unit=tree.area1)
    path = tmp_path / "people.xlsx"
    path.write_bytes(people_xlsx([["500060", "王芳", "A1", "采煤工", "", "", "是", *[""] * 5]]))

    call_command("org_import", str(path), "--as", admin.get_username())

    assert "修改涉及的列（行数）：党员 1" in capsys.readouterr().out
