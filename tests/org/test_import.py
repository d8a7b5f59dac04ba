"""Importing units and people from .xlsx and .csv files: dry run, errors, apply, scope, pages."""

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.conftest import Tree
from tests.core.sheet_files import far_cell_xlsx
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.models import AuditEvent, SheetImportJob
from xinsheng.core.sheets import runner
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, Person

UNIT_HEADER = ["单位代码", "单位名称", "单位类型", "上级单位代码", "是否启用"]
PEOPLE_HEADER = ["工号", "姓名", "所在单位代码", "职务/岗位", "手机号", "是否在职"]
STANDING_HEADER = [
    "干部级别",
    "主要负责人",
    "党员",
    "技术技能人才",
    "班组长",
    "业务骨干",
    "管理人员",
    "分管单位",
]

# A new mine under C1 with two areas; the first area names its parent before the mine's own row.
UNITS = [
    ["M1-A9", "综掘九区", "区队", "M9", "是"],
    ["M9", "九矿", "矿/厂", "C1", "是"],
    ["M9-T1", "综掘九区一班", "team", "M1-A9", ""],
]
PEOPLE = [
    ["200001", "赵一", "M9", "矿长", "13900000001", "是"],
    ["200002", "钱二", "M1-A9", "掘进工", "13900000002", "是"],
    ["200003", "孙三", "T1", "", "", ""],
]

CaptureCallbacks = Callable[..., Any]


def xlsx_file(units: list[list[Any]] | None = None, people: list[list[Any]] | None = None) -> bytes:
    """Return an .xlsx with a 单位 and/or 人员 sheet holding ``units`` and ``people``."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in (("单位", UNIT_HEADER, units), ("人员", PEOPLE_HEADER, people)):
        if rows is not None:
            sheet = book.create_sheet(title)
            sheet.append(header)
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(header: list[str], rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def dry_run(actor: User, content: bytes, file_name: str = "org.xlsx") -> SheetImportJob:
    """Upload ``content`` as ``actor`` and run its dry run; return the checked job."""
    job = runner.job_create(
        "org", actor=actor, file_name=file_name, content=content, background=False
    )
    return runner.job_check(job_id=job.pk)


def apply(actor: User, job: SheetImportJob) -> SheetImportJob:
    runner.job_request_apply(actor=actor, job=job, background=False)
    return runner.job_apply(job_id=job.pk)


def errors_of(job: SheetImportJob) -> list[tuple[str, int, str, str]]:
    assert job.report is not None
    return [(e["sheet"], e["row"], e["column"], e["message"]) for e in job.report["errors"]]


def sheet_counts(job: SheetImportJob) -> dict[str, tuple[int, int, int]]:
    assert job.report is not None
    return {
        sheet["kind"]: (sheet["created"], sheet["changed"], sheet["unchanged"])
        for sheet in job.report["sheets"]
    }


@pytest.fixture
def admin(tree: Tree) -> User:
    return make_staff(tree.group, Role.ADMINISTRATOR, username="group-admin")


# --- dry run and apply --------------------------------------------------------------------------


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(tree: Tree, admin: User) -> None:
    # Given an administrator of the group and a file of 3 new units and 3 new people
    units_before, people_before = OrgUnit.objects.count(), Person.objects.count()

    # When they upload it
    job = dry_run(admin, xlsx_file(UNITS, PEOPLE))

    # Then the report counts 3 + 3 creations, no errors, and apply is offered
    assert job.status == SheetImportJob.Status.CHECKED
    assert sheet_counts(job) == {"units": (3, 0, 0), "people": (3, 0, 0)}
    assert job.error_count == 0
    assert job.can_apply
    assert job.checked_rows == job.total_rows == 6
    # and nothing is written: no unit, no person, no audit record
    assert (OrgUnit.objects.count(), Person.objects.count()) == (units_before, people_before)
    assert not AuditEvent.objects.filter(action="org.import").exists()


def test_apply_creates_units_under_their_parents_and_people_in_their_units(
    tree: Tree, admin: User
) -> None:
    # Given a checked file whose units refer to parents defined further down
    job = dry_run(admin, xlsx_file(UNITS, PEOPLE))

    # When it is applied
    job = apply(admin, job)

    # Then the units hang under the right parents, in a consistent tree
    assert job.status == SheetImportJob.Status.APPLIED
    mine = OrgUnit.objects.get(code="M9")
    area = OrgUnit.objects.get(code="M1-A9")
    team = OrgUnit.objects.get(code="M9-T1")
    assert (mine.name, mine.kind) == ("九矿", "mine")
    assert OrgUnit.objects.get_parent(mine) == tree.company1
    assert OrgUnit.objects.get_parent(area) == mine
    assert OrgUnit.objects.get_parent(team) == area
    assert team.kind == "team"
    assert [mine.numchild, area.numchild] == [1, 1]
    assert OrgUnit.objects.get(pk=tree.company1.pk).numchild == 2
    assert all(not problems for problems in OrgUnit.objects.find_problems())
    # and the people sit in theirs
    assert Person.objects.get(employee_no="200001").unit == mine
    assert Person.objects.get(employee_no="200002").unit == area
    third = Person.objects.get(employee_no="200003")
    assert (third.unit, third.phone, third.position, third.is_active) == (tree.team1, "", "", True)
    # and one audit record tells the figures of the whole import
    event = AuditEvent.objects.get(action="org.import")
    assert event.actor_id == admin.pk
    assert event.after is not None
    assert event.after["units_created"] == 3
    assert event.after["people_created"] == 3


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    tree: Tree, admin: User, client: Client
) -> None:
    # Given a file already imported
    content = xlsx_file(UNITS, PEOPLE)
    apply(admin, dry_run(admin, content))

    # When it is uploaded again
    again = dry_run(admin, content)

    # Then the dry run says 0 created, 0 changed, and there is nothing to apply
    assert sheet_counts(again) == {"units": (0, 0, 3), "people": (0, 0, 3)}
    assert not again.can_apply
    client.force_login(admin)
    page = client.get(reverse("org:import_job", args=[again.pk])).content.decode()
    assert "新增 0 条，修改 0 条" in page
    assert "没有需要写入的变化" in page
    assert "确认导入" not in page
    with pytest.raises(Conflict):
        runner.job_request_apply(actor=admin, job=again, background=False)
    assert AuditEvent.objects.filter(action="org.import").count() == 1


def test_a_changed_phone_shows_before_and_after(tree: Tree, admin: User) -> None:
    # Given a person already in the system
    PersonFactory(employee_no="300001", name="周五", unit=tree.mine1, phone="13800000000")

    # When a file gives them a new phone number and position
    job = dry_run(admin, xlsx_file(people=[["300001", "周五", "M1", "采煤工", 13811112222, "是"]]))

    # Then the dry run lists the change with the values before and after
    assert sheet_counts(job) == {"people": (0, 1, 0)}
    assert job.report is not None
    changes = job.report["sheets"][0]["changed_items"][0]["changes"]
    assert {"column": "手机号", "before": "13800000000", "after": "13811112222"} in changes
    assert Person.objects.get(employee_no="300001").phone == "13800000000"
    # and applying it writes the new number
    apply(admin, job)
    assert Person.objects.get(employee_no="300001").phone == "13811112222"


def test_columns_left_out_of_a_file_leave_those_fields_alone(tree: Tree, admin: User) -> None:
    # Given a person with a phone number and a position
    PersonFactory(employee_no="300002", name="吴六", unit=tree.mine1, phone="13800000002")

    # When a file with only the required columns moves them to another unit
    content = csv_file(["工号", "姓名", "所在单位代码"], [["300002", "吴六", "A1"]])
    job = apply(admin, dry_run(admin, content, "people.csv"))

    # Then only the unit changes
    assert job.report is not None
    assert job.report["sheets"][0]["changed_items"][0]["changes"] == [
        {"column": "所在单位代码", "before": "M1", "after": "A1"}
    ]
    person = Person.objects.get(employee_no="300002")
    assert (person.unit, person.phone, person.position) == (tree.area1, "13800000002", "采煤工")


def test_existing_units_are_renamed_and_moved_with_their_subtree(tree: Tree, admin: User) -> None:
    # Given the work area A1 (with team T1) under mine M1
    # When a file renames it and moves it under mine M2
    job = dry_run(admin, xlsx_file(units=[["A1", "综采一区（调整）", "区队", "M2", "是"]]))
    assert job.report is not None
    changes = job.report["sheets"][0]["changed_items"][0]["changes"]
    assert {"column": "上级单位代码", "before": "M1", "after": "M2"} in changes
    apply(admin, job)

    # Then the area and its team now sit under M2, and the tree is consistent
    area = OrgUnit.objects.get(code="A1")
    assert area.name == "综采一区（调整）"
    assert OrgUnit.objects.get_parent(area) == tree.mine2
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(code="T1")) == area
    assert OrgUnit.objects.get(code="M1").numchild == 0
    assert all(not problems for problems in OrgUnit.objects.find_problems())


# --- errors -------------------------------------------------------------------------------------


def test_row_errors_name_the_sheet_row_column_and_reason(tree: Tree, admin: User) -> None:
    # Given a file with one mistake per row
    units = [
        ["X1", "新区队", "区队", "NOPE", "是"],  # row 2: unknown parent
        ["X2", "新区队二", "车间", "M1", "是"],  # row 3: unknown unit type
        ["X3", "甲", "区队", "X4", "是"],  # row 4: X3 → X4 → X3
        ["X4", "乙", "区队", "X3", "是"],  # row 5
        ["X5", "", "区队", "M1", "是"],  # row 6: empty name
        ["X6", "丙", "区队", "M1", "也许"],  # row 7: not yes or no
    ]
    people = [
        ["400001", "吴六", "M1", "", "12345", "是"],  # row 2: bad phone
        ["400002", "", "M1", "", "", "是"],  # row 3: empty name
        ["400003", "郑七", "M1", "", "", "是"],  # row 4
        ["400003", "郑七", "M1", "", "", "是"],  # row 5: duplicate employee number
        ["400004", "王八", "NOPE", "", "", "是"],  # row 6: unknown unit
    ]

    # When it is checked
    job = dry_run(admin, xlsx_file(units, people))

    # Then every error has its sheet, its row as Excel shows it, its column and a reason
    errors = errors_of(job)
    assert ("单位", 2, "上级单位代码", "上级单位代码“NOPE”不存在。") in errors
    assert any(e[:3] == ("单位", 3, "单位类型") and "“车间”无效" in e[3] for e in errors)
    assert ("单位", 4, "上级单位代码", "上级单位代码形成循环：X3 → X4 → X3。") in errors
    assert ("单位", 5, "上级单位代码", "上级单位代码形成循环：X3 → X4 → X3。") in errors
    assert ("单位", 6, "单位名称", "单位名称不能为空。") in errors
    assert ("单位", 7, "是否启用", "“是否启用”应填写“是”或“否”。") in errors
    assert any(e[:3] == ("人员", 2, "手机号") and "手机号格式不正确" in e[3] for e in errors)
    assert ("人员", 3, "姓名", "姓名不能为空。") in errors
    assert ("人员", 5, "工号", "工号“400003”与第4行重复。") in errors
    assert ("人员", 6, "所在单位代码", "所在单位代码“NOPE”不存在。") in errors
    assert job.error_count == len(errors) == 10
    # and applying is refused, writing nothing
    assert not job.can_apply
    with pytest.raises(Conflict):
        runner.job_request_apply(actor=admin, job=job, background=False)
    assert not OrgUnit.objects.filter(code__startswith="X").exists()
    assert not Person.objects.filter(employee_no__startswith="4000").exists()


def test_a_file_that_became_wrong_since_its_dry_run_is_not_written(tree: Tree, admin: User) -> None:
    # Given a clean dry run of a file with two new units
    job = dry_run(admin, xlsx_file(UNITS[:2]))
    assert job.can_apply
    # and, before it is applied, someone takes one of its unit codes elsewhere
    OrgUnit.objects.add_child(
        tree.mine2, create_kwargs={"code": "M9", "name": "别处的九矿", "kind": "mine"}
    )

    # When it is applied
    job = apply(admin, job)

    # Then nothing is written, and the job shows the new dry run for review
    assert job.status == SheetImportJob.Status.CHECKED
    assert "有了变化" in job.message
    assert not OrgUnit.objects.filter(code="M1-A9").exists()
    assert not AuditEvent.objects.filter(action="org.import").exists()


def test_an_administrator_of_one_company_cannot_import_into_another(tree: Tree) -> None:
    # Given an administrator of company C1 and a person of company C2
    admin_c1 = make_staff(tree.company1, Role.ADMINISTRATOR)
    PersonFactory(employee_no="500009", unit=tree.mine2)
    units = [
        ["C1-X", "一公司新科室", "部门", "C1", "是"],  # inside: fine
        ["C2-X", "二公司新科室", "部门", "C2", "是"],  # a new unit under C2
        ["M2", "二矿（改名）", "矿/厂", "C2", "是"],  # an existing unit of C2
    ]
    people = [
        ["500001", "冯九", "M1", "", "", "是"],  # inside: fine
        ["500002", "陈十", "M2", "", "", "是"],  # into a unit of C2
        ["500009", "褚一", "M1", "", "", "是"],  # taking a person away from C2
    ]

    # When they check a file that touches C2
    job = dry_run(admin_c1, xlsx_file(units, people))

    # Then every row touching C2 is an error, and nothing may be applied
    errors = errors_of(job)
    assert ("单位", 3, "上级单位代码", "上级单位“C2”不在您的管理范围内。") in errors
    assert ("单位", 4, "单位代码", "单位“M2”不在您的管理范围内。") in errors
    assert ("人员", 3, "所在单位代码", "所在单位“M2”不在您的管理范围内。") in errors
    assert ("人员", 4, "工号", "工号“500009”属于您管理范围以外的人员。") in errors
    assert job.error_count == 4
    assert not job.can_apply


def test_only_a_superuser_creates_a_top_level_unit(tree: Tree, admin: User) -> None:
    job = dry_run(admin, xlsx_file(units=[["GRP2", "另一个集团", "集团", "", "是"]]))
    assert errors_of(job) == [
        ("单位", 2, "上级单位代码", "只有系统管理员可以创建顶级单位，请填写上级单位代码。")
    ]
    root = User.objects.create_superuser("root", password="pw-for-tests")
    job = apply(root, dry_run(root, xlsx_file(units=[["GRP2", "另一个集团", "集团", "", "是"]])))
    assert OrgUnit.objects.get(code="GRP2").depth == 1


def test_someone_without_the_import_role_cannot_upload(tree: Tree) -> None:
    handler = make_staff(tree.company1, Role.HANDLER)
    with pytest.raises(Forbidden):
        runner.job_create("org", actor=handler, file_name="a.csv", content=b"x", background=False)


@pytest.mark.parametrize(
    ("file_name", "content", "message"),
    [
        ("empty.xlsx", b"", "文件是空的"),
        ("notes.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "另存为 .xlsx"),
        ("broken.xlsx", b"PK\x03\x04garbage", "文件可能已损坏"),
        ("people.csv", "工号,姓名\r\n1,张三\r\n".encode(), "“人员”表缺少列：所在单位代码"),
        ("what.csv", "甲,乙\r\n1,2\r\n".encode(), "无法识别表头"),
        ("units.csv", ",".join(UNIT_HEADER).encode(), "没有数据行"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(
    tree: Tree, admin: User, file_name: str, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        runner.job_create(
            "org", actor=admin, file_name=file_name, content=content, background=False
        )
    assert message in str(caught.value.message)
    assert not SheetImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(tree: Tree, admin: User, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "IMPORT_MAX_BYTES": 100}
    with pytest.raises(InvalidInput) as caught:
        dry_run(admin, csv_file(PEOPLE_HEADER, PEOPLE * 5), "people.csv")
    assert "文件太大" in str(caught.value.message)


# --- formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_files_in_the_encodings_excel_saves_are_read(
    tree: Tree, admin: User, encoding: str
) -> None:
    # Given the people table saved as CSV by a Chinese Excel (GB18030) or as UTF-8
    content = csv_file(
        PEOPLE_HEADER, [*PEOPLE[2:], ["200009", "李四", "M1", "", "", "否"]], encoding
    )

    # When it is imported
    job = apply(admin, dry_run(admin, content, "人员.csv"))

    # Then the Chinese text arrives intact
    assert job.status == SheetImportJob.Status.APPLIED
    assert Person.objects.get(employee_no="200009").name == "李四"
    assert Person.objects.get(employee_no="200009").is_active is False
    assert Person.objects.get(employee_no="200003").name == "孙三"


def test_a_units_csv_is_recognised_by_its_header(tree: Tree, admin: User) -> None:
    job = dry_run(admin, csv_file(UNIT_HEADER, UNITS, "gb18030"), "units.csv")
    assert sheet_counts(job) == {"units": (3, 0, 0)}
    assert job.report is not None
    assert job.report["sheets"][0]["title"] == "单位"


def test_the_template_downloads_as_a_workbook_that_imports(
    tree: Tree, admin: User, client: Client
) -> None:
    # Given an administrator on the import page
    client.force_login(admin)

    # When they download the template
    response = client.get(reverse("org:import_template"))

    # Then it is an .xlsx with the two sheets, their headers and sample rows
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["单位", "人员"]
    assert [cell.value for cell in book["单位"][1]] == UNIT_HEADER
    assert [cell.value for cell in book["人员"][1]] == [*PEOPLE_HEADER, *STANDING_HEADER]
    assert book["单位"].max_row == 3
    assert book["单位"].column_dimensions["B"].width >= 12
    # and its sample rows pass the dry run as they are (their parent C1 exists here)
    job = dry_run(admin, response.content, "template.xlsx")
    assert job.error_count == 0
    assert sheet_counts(job) == {"units": (2, 0, 0), "people": (3, 0, 0)}


# --- pages --------------------------------------------------------------------------------------


def test_the_pages_take_an_upload_through_dry_run_and_apply(
    tree: Tree,
    admin: User,
    client: Client,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    client.force_login(admin)
    start = client.get(reverse("org:import"))
    assert start.status_code == 200
    assert "下载导入模板" in start.content.decode()

    # When a file is uploaded, its dry run runs as a task after the upload commits
    upload = SimpleUploadedFile("组织.xlsx", xlsx_file(UNITS, PEOPLE))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:import"), {"file": upload})
    job = SheetImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("org:import_job", args=[job.pk])

    # Then the job page shows the report, and its fragment no longer polls
    page = client.get(response["Location"]).content.decode()
    assert "预检结果" in page
    assert "九矿" in page
    assert "确认导入" in page
    fragment = client.get(reverse("org:import_job_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment

    # When the importer confirms
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:import_apply", args=[job.pk]))
    assert response.status_code == 302

    # Then the data is written and the page says so
    page = client.get(response["Location"]).content.decode()
    assert "导入：新增 6 条，修改 0 条" in page
    assert OrgUnit.objects.filter(code="M9").exists()
    assert "组织.xlsx" in client.get(reverse("org:import")).content.decode()


def test_the_progress_fragment_polls_while_the_job_runs(
    tree: Tree, admin: User, client: Client
) -> None:
    # Given an uploaded job that a worker has not finished yet
    job = runner.job_create(
        "org", actor=admin, file_name="big.xlsx", content=xlsx_file(UNITS, PEOPLE), background=False
    )
    client.force_login(admin)
    url = reverse("org:import_job_status", args=[job.pk])

    # Then its fragment polls every second and shows an indeterminate bar while queued
    fragment = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert f'hx-get="{url}"' in fragment
    assert "排队等待处理" in fragment

    # and, when no worker has picked it up for minutes, a hint to check the workers
    SheetImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - timedelta(minutes=5)
    )
    assert "任务进程（xinsheng worker）" in client.get(url).content.decode()

    # and the rows read so far while a worker reads the file
    SheetImportJob.objects.filter(pk=job.pk).update(status="checking", checked_rows=5000)
    fragment = client.get(url).content.decode()
    assert "正在读取文件… 已读取 5000 行" in fragment

    # and rows checked / total while a worker checks (as the worker records it)
    SheetImportJob.objects.filter(pk=job.pk).update(
        status="checking", total_rows=6000, checked_rows=2000
    )
    fragment = client.get(url).content.decode()
    assert '<progress value="2000" max="6000">' in fragment
    assert "已检查 2000 / 6000 行" in fragment

    # and the writing phase as an indeterminate bar
    SheetImportJob.objects.filter(pk=job.pk).update(status="applying")
    fragment = client.get(url).content.decode()
    assert "<progress></progress>" in fragment
    assert "正在写入…" in fragment


def test_upload_errors_are_shown_on_the_form(tree: Tree, admin: User, client: Client) -> None:
    client.force_login(admin)
    upload = SimpleUploadedFile("people.csv", "工号,姓名\r\n1,张三\r\n".encode())
    response = client.post(reverse("org:import"), {"file": upload})
    assert response.status_code == 400
    assert "“人员”表缺少列：所在单位代码" in response.content.decode()
    assert not SheetImportJob.objects.exists()


def test_a_user_sees_only_their_own_jobs(tree: Tree, admin: User, client: Client) -> None:
    job = dry_run(admin, xlsx_file(UNITS))
    other = make_staff(tree.group, Role.ADMINISTRATOR)
    client.force_login(other)
    assert client.get(reverse("org:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("org:import_job_status", args=[job.pk])).status_code == 404
    assert client.post(reverse("org:import_apply", args=[job.pk])).status_code == 404
    assert "org.xlsx" not in client.get(reverse("org:import")).content.decode()
    assert SheetImportJob.objects.get().status == SheetImportJob.Status.CHECKED


def test_the_import_pages_are_for_administrators(tree: Tree, client: Client) -> None:
    client.force_login(make_staff(tree.company1, Role.DISPATCHER))
    assert client.get(reverse("org:import")).status_code == 403
    assert client.get(reverse("org:import_template")).status_code == 403


# --- command line -------------------------------------------------------------------------------


def test_the_command_prints_the_dry_run_and_writes_only_with_apply(
    tree: Tree, admin: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "org.xlsx"
    path.write_bytes(xlsx_file(UNITS, PEOPLE))

    call_command("org_import", str(path), "--as", admin.username)
    out = capsys.readouterr().out
    assert "单位：3 行，新增 3，修改 0，不变 0" in out
    assert "--apply" in out
    assert not OrgUnit.objects.filter(code="M9").exists()

    call_command("org_import", str(path), "--as", admin.username, "--apply")
    assert "导入完成" in capsys.readouterr().out
    assert OrgUnit.objects.filter(code="M9").exists()
    assert Person.objects.filter(employee_no="200001").exists()


def test_the_command_lists_row_errors_and_fails(
    tree: Tree, admin: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(csv_file(PEOPLE_HEADER, [["600001", "", "M1", "", "123", "是"]]))

    with pytest.raises(CommandError) as caught:
        call_command("org_import", str(path), "--as", admin.username, "--apply")

    assert caught.value.returncode == 1
    err = capsys.readouterr().err
    assert "人员 第2行 [姓名]：姓名不能为空。" in err
    assert "人员 第2行 [手机号]" in err
    assert not Person.objects.filter(employee_no="600001").exists()


def test_row_numbers_are_excel_rows_when_the_table_does_not_start_at_a1(
    tree: Tree, admin: User
) -> None:
    # Given a people sheet whose header sits on row 3, from column B, with a bad phone on row 5
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员"
    sheet["A1"] = "职工名册（2026年11月）"
    rows = {
        3: PEOPLE_HEADER,
        4: ["300001", "周五", "T1", "", "13900000005", ""],
        5: ["300002", "吴六", "T1", "", "12345", ""],
    }
    for row, values in rows.items():
        for column, value in zip("BCDEFG", values, strict=True):
            sheet[f"{column}{row}"] = value
    buffer = io.BytesIO()
    book.save(buffer)

    job = dry_run(admin, buffer.getvalue())

    assert [(sheet, row, column) for sheet, row, column, _ in errors_of(job)] == [
        ("人员", 5, "手机号")
    ]


@pytest.mark.parametrize("far_cell", ["XFD1048576", "ZZ200000"])
def test_a_sheet_reaching_out_to_a_far_cell_is_refused_with_the_cell_named(
    tree: Tree,
    admin: User,
    client: Client,
    django_capture_on_commit_callbacks: CaptureCallbacks,
    far_cell: str,
) -> None:
    # Given a tiny people sheet with one more cell far away (its grid would take gigabytes)
    content = far_cell_xlsx(PEOPLE_HEADER, PEOPLE[0], far_cell, title="人员")
    client.force_login(admin)
    # when it is uploaded, the dry run refuses it, naming the cell, and nothing is written
    upload = SimpleUploadedFile("org.xlsx", content)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org:import"), {"file": upload})
    job = SheetImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == SheetImportJob.Status.FAILED
    assert f"工作表“人员”第{far_cell.lstrip('XFDZ')}行的单元格 {far_cell} 超出了可导入的范围" in (
        job.message
    )
    page = client.get(reverse("org:import_job", args=[job.pk])).content.decode()
    assert "导入失败" in page
    assert f"单元格 {far_cell} 超出了可导入的范围" in page
    assert not Person.objects.filter(employee_no=PEOPLE[0][0]).exists()


def test_a_far_cell_in_the_header_row_is_refused_at_upload(tree: Tree, admin: User) -> None:
    content = far_cell_xlsx(PEOPLE_HEADER, PEOPLE[0], "XFD1", title="人员")
    with pytest.raises(InvalidInput, match="单元格 XFD1 超出了可导入的范围"):
        runner.job_create("org", actor=admin, file_name="org.xlsx", content=content)
    assert not SheetImportJob.objects.exists()
