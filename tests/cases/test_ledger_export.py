"""The ledger exported as .xlsx: its rows and values in the standard columns, as the ledger shows
them to the one who exports, streamed at once when small and written by a task when large."""

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.cases.factories import Cast, make_cast, make_category, submit
from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff
from xinsheng.cases import services
from xinsheng.cases.ledger.models import LedgerExportJob
from xinsheng.cases.services import Identity
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role

HEADERS = [
    "序号",
    "编号",
    "来源渠道",
    "提出时间",
    "提出人",
    "所属单位",
    "类别",
    "诉求内容",
    "责任单位",
    "承办人",
    "办理时限",
    "状态",
    "答复内容",
    "答复时间",
    "群众评价",
    "是否解决",
    "办结时间",
    "督办次数",
]
EXPORT = reverse("cases:ledger_export")


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def rows_of(content: bytes) -> list[dict[str, Any]]:
    """Return the data rows of an exported workbook as dicts keyed by the header."""
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in values[1:]]


def export(client: Client, user: User, **params: Any) -> bytes:
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def closed_named_case(tree: Tree, cast: Cast) -> str:
    """Return the number of a named case taken round the whole loop, rated 满意 and solved."""
    submitted = submit(tree, "井口澡堂热水不够，夜班下井回来洗不上热水澡。", anonymous=False)
    case = submitted.case
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    services.case_sign(case=case, actor=cast.handler)
    services.case_supervise(case=case, actor=cast.supervisor, text="请尽快解决。")
    services.case_answer(case=case, actor=cast.handler, text="已更换热水锅炉。", solved=True)
    services.case_rate(receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True)
    return case.case_no


def test_an_export_holds_the_ledger_rows_in_the_standard_columns(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a named case taken round the loop, and an anonymous one from a team of three
    for _ in range(3):
        PersonFactory(unit=tree.team1)
    named = closed_named_case(tree, cast)
    anonymous = submit(tree, "班组休息室太小，希望扩建。").case
    # when the company's dispatcher exports the ledger
    rows = rows_of(export(client, cast.dispatcher))
    # then both rows are there, newest first, each value in its column
    assert [row["编号"] for row in rows] == [anonymous.case_no, named]
    assert [row["序号"] for row in rows] == [1, 2]
    first, second = rows
    assert first["提出人"] == "匿名"
    assert tree.team1.name not in first["所属单位"]  # a team of three does not unmask anyone
    assert first["所属单位"] in {"一矿（M1）", "示范煤业集团（GRP）"}  # with its code
    assert first["状态"] == "待受理"
    assert first["诉求内容"] == "班组休息室太小，希望扩建。"
    assert second["来源渠道"] == "扫码"
    assert second["提出人"] == "王强"  # dispatchers may see who raised it
    assert second["所属单位"] == "综采一区一班（T1）"
    assert second["类别"] == "食堂"
    assert second["责任单位"] == "综采一区（A1）"
    assert second["承办人"] == cast.handler.person.name
    assert second["状态"] == "已办结"
    assert second["答复内容"] == "已更换热水锅炉。"
    assert second["群众评价"] == "满意"
    assert second["是否解决"] == "是"
    assert second["督办次数"] == 1
    # and the times are real Excel dates
    assert isinstance(second["提出时间"], dt.datetime)
    assert isinstance(second["办理时限"], dt.datetime)
    assert isinstance(second["答复时间"], dt.datetime)
    assert isinstance(second["办结时间"], dt.datetime)
    assert second["答复时间"] <= second["办结时间"]


def test_a_viewer_without_identity_rights_sees_no_name(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a named case
    named = closed_named_case(tree, cast)
    # when the supervisor (who may not see identities) exports
    rows = rows_of(export(client, cast.supervisor))
    # then the name is masked as on the case page
    (row,) = rows
    assert row["编号"] == named
    assert row["提出人"] == "王*"


def test_the_export_has_a_styled_frozen_header_that_fits_chinese(
    client: Client, tree: Tree, cast: Cast
) -> None:
    submit(tree)
    sheet = load_workbook(io.BytesIO(export(client, cast.dispatcher))).active
    assert sheet.freeze_panes == "C2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["H"].width >= 40  # 诉求内容
    assert sheet.column_dimensions["E"].width >= 8  # two Chinese characters and room


def test_the_export_takes_the_ledger_filters_and_scope(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a new case and a dispatched one in the first company, and one in the second
    new = submit(tree, "食堂的菜太咸了，希望少放盐。").case
    closed = closed_named_case(tree, cast)
    services.case_submit(
        unit=tree.mine2,
        kind="demand",
        title="",
        text="二矿通勤班车太挤。",
        identity=Identity(anonymous=True),
    )
    # when the first company's dispatcher exports closed cases only
    rows = rows_of(export(client, cast.dispatcher, status="closed"))
    # then only the closed case is there; the other company's never is
    assert [row["编号"] for row in rows] == [closed]
    everything = rows_of(export(client, cast.dispatcher))
    assert {row["编号"] for row in everything} == {new.case_no, closed}


def test_every_export_is_audited(client: Client, tree: Tree, cast: Cast) -> None:
    submit(tree)
    export(client, cast.dispatcher, q="食堂")
    job = LedgerExportJob.objects.get()
    assert job.owner == cast.dispatcher
    assert job.status == LedgerExportJob.Status.DONE
    assert job.total_rows == 1
    audit = AuditEvent.objects.get(action="ledger.export")
    assert audit.actor == cast.dispatcher
    assert audit.after["filters"] == {"q": ["食堂"]}


def test_the_ledger_page_links_to_the_export_with_its_filters(
    client: Client, tree: Tree, cast: Cast
) -> None:
    client.force_login(cast.dispatcher)
    page = client.get(reverse("cases:ledger"), {"status": "closed"}).content.decode()
    assert f'href="{EXPORT}?status=closed"' in page
    assert "导出Excel" in page


def test_a_large_export_runs_as_a_task_and_only_its_owner_downloads_it(
    client: Client,
    tree: Tree,
    cast: Cast,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given more cases than are sent straight back
    settings.XINSHENG = {**settings.XINSHENG, "EXPORT_INLINE_ROWS": 2}
    settings.MEDIA_ROOT = tmp_path
    numbers = [submit(tree, f"第{i}件：井下巷道照明不足。").case.case_no for i in range(3)]
    # when the dispatcher exports
    client.force_login(cast.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(EXPORT)
    # then they are sent to the job's page, where the finished file waits for them
    job = LedgerExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:ledger_export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == LedgerExportJob.Status.DONE
    assert (job.written_rows, job.total_rows) == (3, 3)
    assert job.file.name.startswith("ledger_exports/")
    status = client.get(reverse("cases:ledger_export_job_status", args=[job.pk]))
    assert "下载Excel文件" in status.content.decode()
    download = client.get(reverse("cases:ledger_export_download", args=[job.pk]))
    assert download.status_code == 200
    rows = rows_of(b"".join(download.streaming_content))
    assert [row["编号"] for row in rows] == numbers[::-1]
    # and nobody else may see or download it
    other = make_staff(tree.company1, Role.DISPATCHER)
    client.force_login(other)
    assert client.get(reverse("cases:ledger_export_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("cases:ledger_export_job", args=[job.pk])).status_code == 404


def test_a_running_export_shows_a_progress_bar_that_polls(
    client: Client, tree: Tree, cast: Cast
) -> None:
    job = LedgerExportJob.objects.create(
        owner=cast.dispatcher,
        background=True,
        status=LedgerExportJob.Status.RUNNING,
        total_rows=10_000,
        written_rows=4_000,
    )
    client.force_login(cast.dispatcher)
    page = client.get(reverse("cases:ledger_export_job", args=[job.pk])).content.decode()
    assert '<progress value="4000" max="10000">' in page
    assert 'hx-trigger="every 1s"' in page


def test_someone_without_a_role_cannot_export(client: Client, tree: Tree) -> None:
    nobody = User.objects.create_user("nobody", password="pw-for-tests")
    client.force_login(nobody)
    assert client.get(EXPORT).status_code == 403
    assert not LedgerExportJob.objects.exists()


def test_the_command_line_exports_a_unit_and_period(tree: Tree, cast: Cast, tmp_path: Path) -> None:
    # given a case in each company
    ours = submit(tree).case
    services.case_submit(
        unit=tree.mine2,
        kind="demand",
        title="",
        text="二矿通勤班车太挤。",
        identity=Identity(anonymous=True),
    )
    admin = cast.admin
    output = tmp_path / "ledger.xlsx"
    today = dt.date.today().isoformat()
    # when the administrator exports the first company's ledger of today
    out = io.StringIO()
    call_command(
        "ledger",
        "export",
        "--unit",
        "C1",
        "--from",
        today,
        "--to",
        today,
        "--as",
        admin.username,
        "-o",
        str(output),
        stdout=out,
    )
    # then the file holds that company's case only
    rows = rows_of(output.read_bytes())
    assert [row["编号"] for row in rows] == [ours.case_no]
    assert "1" in out.getvalue()
