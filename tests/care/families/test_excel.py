"""Hardship files export to Excel as filtered, and a historical roster imports through the
spreadsheet kit: a dry run first, errors by row and column, all or nothing."""

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.care.factories import make_person
from tests.care.families.factories import Carers, make_carers, make_file
from tests.conftest import Tree
from xinsheng.care.choices import FileStatus
from xinsheng.care.models import FileEvent, HardshipFile
from xinsheng.core.models import SheetImportJob
from xinsheng.core.sheets import runner

pytestmark = pytest.mark.django_db
HEADER = ["工号", "姓名", "困难类别", "致困原因", "家庭人口", "家庭年收入（元）", "家庭成员"]


@pytest.fixture
def carers(tree: Tree) -> Carers:
    return make_carers(tree)


def test_the_export_holds_the_files_as_filtered(tree: Tree, carers: Carers) -> None:
    make_file(tree, carers, name="王强")
    make_file(tree, carers, status=FileStatus.PROPOSED, name="李建军")
    client = Client()
    client.force_login(carers.union)

    response = client.get(reverse("care_families:export"), {"status": "active"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "工号", "姓名", "单位", "困难类别")
    assert [row[2] for row in rows[1:]] == ["王强"]
    assert rows[1][4] == "困难"
    assert rows[1][13] == "赵建国"
    assert "李梅" not in str(rows)  # members' names are never exported


def sheet_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "困难职工档案"
    sheet.append(["2023年困难职工花名册"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dry_run(actor: User, content: bytes) -> SheetImportJob:
    job = runner.job_create(
        "care_families", actor=actor, file_name="roster.xlsx", content=content, background=False
    )
    return runner.job_check(job_id=job.pk)


def test_a_roster_is_imported_as_active_files_after_a_dry_run(tree: Tree, carers: Carers) -> None:
    one = make_person(tree.team1, name="周大勇", employee_no="W101")
    make_person(tree.team1, name="吴桂兰", employee_no="W102")
    content = sheet_bytes(
        [
            ["W101", "周大勇", "特困", "因病、因学", 4, 15000, "陈芳 配偶 1979 无业"],
            ["W102", "吴桂兰", "临时困难", "因灾", 2, "20000", None],
        ]
    )

    checked = dry_run(carers.union, content)
    assert checked.report is not None
    assert checked.report["created"] == 2
    assert not HardshipFile.objects.exists()

    runner.job_request_apply(actor=carers.union, job=checked, background=False)
    job = runner.job_apply(job_id=checked.pk)

    assert job.status == SheetImportJob.Status.APPLIED
    file = HardshipFile.objects.get(person=one)
    assert (file.status, file.tier, file.reasons) == ("active", "extreme", ["illness", "schooling"])
    assert [m.name for m in file.members.all()] == ["陈芳"]
    assert FileEvent.objects.get(file=file).action == "import"


def test_a_roster_with_bad_rows_writes_nothing_and_names_each_error(
    tree: Tree, carers: Carers
) -> None:
    make_person(tree.team1, name="周大勇", employee_no="W101")
    make_person(tree.mine2, name="外单位", employee_no="W900")
    taken = make_file(tree, carers, name="王强")
    content = sheet_bytes(
        [
            ["W101", "周大勇", "特困", "因病", 3, 15000, None],
            ["X404", "无此人", "困难", "因病", 3, 15000, None],
            ["W900", "外单位", "困难", "因病", 3, 15000, None],
            ["W101", "周小勇", "困难", "因病", 3, 15000, None],
            [taken.person.employee_no, "王强", "困难", "因病", 3, 15000, None],
            ["W101", "周大勇", "很困难", "没钱", 0, "很多", "某人 邻居"],
        ]
    )
    job = dry_run(carers.union, content)

    assert job.report is not None
    errors = {(e["row"], e["column"]): e["message"] for e in job.report["errors"]}
    assert "X404" in errors[(4, "工号")]
    assert "不在您的导入范围内" in errors[(5, "工号")]
    assert "姓名与工号不符" in errors[(6, "姓名")]
    assert "已有未退出的困难档案" in errors[(7, "工号")]
    assert "困难类别" in errors[(8, "困难类别")]
    assert "没钱" in errors[(8, "致困原因")]
    assert "关系" in errors[(8, "家庭成员")]
    assert not job.can_apply
    assert HardshipFile.objects.count() == 1


def test_the_import_page_offers_its_template(tree: Tree, carers: Carers) -> None:
    client = Client()
    client.force_login(carers.union)
    page = client.get(reverse("care_families:import"))
    assert page.status_code == 200
    assert "导入历史困难职工档案" in page.content.decode()
    template = client.get(reverse("care_families:import_template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert next(sheet.iter_rows(values_only=True))[:3] == ("序号", "工号", "姓名")
