"""The ledger of talk records in Excel: the export (read back from the file) and the import of
historical records through the spreadsheet kit (good files and bad ones)."""

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff
from tests.talks.records.factories import Talkers, make_talkers, record, voice
from xinsheng.cases.models import Case
from xinsheng.core.models import AuditEvent, SheetImportJob
from xinsheng.core.sheets import runner
from xinsheng.org.choices import Role
from xinsheng.talks.models import TalkExportJob, TalkRecord

pytestmark = pytest.mark.django_db
EXPORT = "/talks/export/"
HEADER = [
    "序号",
    "日期",
    "类型",
    "单位",
    "谈话人",
    "谈话对象",
    "地点",
    "方式",
    "摘要",
    "标签",
    "反映诉求",
]


@pytest.fixture
def talkers(tree: Tree) -> Talkers:
    return make_talkers(tree)


def rows_of(content: bytes) -> list[dict[str, Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def export(client: Client, **params: str) -> bytes:
    response = client.get(EXPORT, params)
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_export_holds_the_ledger_in_its_columns(tree: Tree, talkers: Talkers) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    record(
        tree,
        talkers.recorder,
        place="underground",
        place_note="三号工作面",
        tags=["安全顾虑", "住房"],
        sensitive_note="不该出现在台账里",
        voices=[voice()],
        person_employee_nos=["W001", "W002"],
    )
    case = Case.objects.get()
    client = Client()
    client.force_login(talkers.head)

    content = export(client)

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.title == "谈心走访台账"
    assert [cell.value for cell in sheet[1]] == HEADER
    [row] = rows_of(content)
    person = talkers.recorder.person  # type: ignore[attr-defined]
    assert row["序号"] == 1
    assert row["日期"].date() == yesterday
    assert row["类型"] == "谈心"
    assert row["单位"] == tree.area1.name
    assert row["谈话人"] == f"{person.name}（{person.employee_no}）"
    assert row["谈话对象"] == "王强（W001）、李刚（W002）"
    assert row["地点"] == "井下/工作面（三号工作面）"
    assert row["方式"] == "主动约谈"
    assert row["摘要"] == "谈了轮休安排，情绪稳定。"
    assert row["标签"] == "安全顾虑、住房"
    assert row["反映诉求"].startswith(case.case_no)
    assert "不该出现" not in str(list(sheet.values))
    event = AuditEvent.objects.get(action="talk.export")
    assert event.actor == talkers.head


def test_the_export_takes_the_filters_and_the_scope(tree: Tree, talkers: Talkers) -> None:
    today = timezone.localdate()
    for days in range(3):
        record(tree, talkers.recorder, held_on=today - dt.timedelta(days=days + 1))
    record(tree, talkers.recorder, kind="visit", place="canteen", voices=[voice()])
    client = Client()
    client.force_login(talkers.head)

    everything = rows_of(export(client))
    visits = rows_of(export(client, kind="visit"))
    with_voices = rows_of(export(client, voices="with"))
    client.force_login(make_staff(tree.company2, Role.LEADER))
    outside = rows_of(export(client))

    assert len(everything) == 4
    assert [r["日期"] for r in everything] == sorted((r["日期"] for r in everything), reverse=True)
    assert [r["类型"] for r in visits] == ["走访"]
    assert [r["地点"] for r in with_voices] == ["食堂"]
    assert outside == []


def test_a_large_export_runs_as_a_task_with_progress_and_only_its_owner_downloads_it(
    tree: Tree,
    talkers: Talkers,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "EXPORT_INLINE_ROWS": 2}
    settings.MEDIA_ROOT = tmp_path
    for days in range(3):
        record(tree, talkers.recorder, held_on=timezone.localdate() - dt.timedelta(days=days))
    client = Client()
    client.force_login(talkers.head)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(EXPORT)

    job = TalkExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("talks:records_export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == TalkExportJob.Status.DONE
    assert (job.written_rows, job.total_rows) == (3, 3)
    page = client.get(reverse("talks:records_export_job_status", args=[job.pk])).content.decode()
    assert "下载Excel文件" in page
    download = client.get(reverse("talks:records_export_download", args=[job.pk]))
    assert len(rows_of(b"".join(download.streaming_content))) == 3
    client.force_login(talkers.recorder)
    assert client.get(reverse("talks:records_export_download", args=[job.pk])).status_code == 404


def test_a_running_export_shows_a_progress_bar_that_polls(tree: Tree, talkers: Talkers) -> None:
    job = TalkExportJob.objects.create(
        owner=talkers.head,
        background=True,
        status=TalkExportJob.Status.RUNNING,
        total_rows=1000,
        written_rows=400,
    )
    client = Client()
    client.force_login(talkers.head)

    page = client.get(reverse("talks:records_export_job", args=[job.pk])).content.decode()

    assert '<progress value="400" max="1000">' in page
    assert 'hx-trigger="every 1s"' in page


# --- Import ---------------------------------------------------------------------------------------


def sheet_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "谈心走访台账"
    sheet.append(["2019年谈心谈话记录"])  # a title line above the header, as paper ledgers have
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def line(**changes: Any) -> list[Any]:
    values: dict[str, Any] = {
        "序号": 1,
        "日期": dt.date(2019, 3, 12),
        "类型": "谈心",
        "单位": "A1",
        "谈话人": "H001",
        "谈话对象": "王强（W001）、W002",
        "地点": "井下/工作面（三号工作面）",
        "方式": "接受约谈",
        "摘要": "谈了轮休安排。",
        "标签": "安全顾虑、住房",
        "反映诉求": "希望井口浴室延长开放时间。\n匿名：建议：食堂夜班增加热菜品种。",
    }
    values.update(changes)
    return [values[name] for name in HEADER]


def dry_run(actor: User, content: bytes) -> SheetImportJob:
    job = runner.job_create(
        "talks", actor=actor, file_name="talks.xlsx", content=content, background=False
    )
    return runner.job_check(job_id=job.pk)


def apply(actor: User, content: bytes) -> SheetImportJob:
    job = dry_run(actor, content)
    assert job.error_count == 0, job.report
    runner.job_request_apply(actor=actor, job=job, background=False)
    return runner.job_apply(job_id=job.pk)


@pytest.fixture
def host(tree: Tree) -> None:
    PersonFactory(unit=tree.area1, employee_no="H001", name="张书记")


def test_historical_records_are_imported_and_their_voices_become_cases(
    tree: Tree, talkers: Talkers, host: None
) -> None:
    content = sheet_bytes([line(), line(序号=2, 类型="家访", 地点="家中", 反映诉求=None)])

    checked = dry_run(talkers.dispatcher, content)
    assert checked.report is not None
    assert (checked.report["created"], checked.report["voices"]) == (2, 2)
    assert TalkRecord.objects.count() == 0  # a dry run writes nothing

    job = apply(talkers.dispatcher, content)

    assert job.status == SheetImportJob.Status.APPLIED
    talk = TalkRecord.objects.get(kind="talk")
    assert talk.held_on == dt.date(2019, 3, 12)
    assert talk.unit == tree.area1
    assert (talk.place, talk.place_note, talk.direction) == (
        "underground",
        "三号工作面",
        "requested",
    )
    assert talk.tags == ["安全顾虑", "住房"]
    assert [h.person.employee_no for h in talk.host_rows.all()] == ["H001"]
    assert sorted(p.person.employee_no for p in talk.participants.all()) == ["W001", "W002"]
    named, anonymous = sorted(
        (v.case for v in talk.voices.all()), key=lambda case: case.is_anonymous
    )
    assert named.channel == "talk"
    assert named.submitter_name == "王强"
    assert named.heard_on == dt.date(2019, 3, 12)
    assert anonymous.is_anonymous
    assert anonymous.kind == "suggestion"
    assert TalkRecord.objects.get(kind="home_visit").voices.count() == 0
    assert AuditEvent.objects.filter(action="talk.import").count() == 1

    again = dry_run(talkers.dispatcher, content)
    assert again.report is not None
    assert (again.report["created"], again.report["unchanged"]) == (0, 2)


def test_a_file_with_bad_rows_writes_nothing_and_names_each_error_by_row_and_column(
    tree: Tree, talkers: Talkers, host: None
) -> None:
    future = timezone.localdate() + dt.timedelta(days=5)
    content = sheet_bytes(
        [
            line(),
            line(谈话对象="X999"),
            line(谈话对象="F001"),
            line(日期=future),
            line(类型="座谈"),
            line(单位="M2"),
            line(日期="昨天"),
        ]
    )

    job = dry_run(talkers.dispatcher, content)

    assert job.report is not None
    errors = {(e["row"], e["column"]): e["message"] for e in job.report["errors"]}
    assert "X999" in errors[(4, "谈话对象")]
    assert "不在您的管理范围内" in errors[(5, "谈话对象")]
    assert "不能晚于今天" in errors[(6, "日期")]
    assert "座谈" in errors[(7, "类型")]
    assert "M2" in errors[(8, "单位")]
    assert "无法识别" in errors[(9, "日期")]
    assert not job.can_apply
    with pytest.raises(Exception):  # noqa: B017, PT011 — the kit refuses, whatever its words
        runner.job_request_apply(actor=talkers.dispatcher, job=job, background=False)
    assert TalkRecord.objects.count() == 0
    assert Case.objects.count() == 0


def test_the_import_pages_offer_a_template_with_the_columns(tree: Tree, talkers: Talkers) -> None:
    client = Client()
    client.force_login(talkers.dispatcher)

    page = client.get("/talks/import/")
    template = client.get("/talks/import/template.xlsx")
    ledger = client.get("/talks/").content.decode()

    assert page.status_code == 200
    assert "导入历史谈心走访记录" in page.content.decode()
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert 'href="/talks/import/"' in ledger
    client.force_login(talkers.recorder)
    assert client.get("/talks/import/").status_code == 403


def test_an_uploaded_file_is_checked_on_its_page(
    tree: Tree,
    talkers: Talkers,
    host: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = Client()
    client.force_login(talkers.dispatcher)
    upload = SimpleUploadedFile("talks.xlsx", sheet_bytes([line(谈话对象="X999")]))

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post("/talks/import/", {"file": upload})
    response = client.get(posted["Location"])

    html = response.content.decode()
    assert posted.status_code == 302
    assert response.status_code == 200
    assert "X999" in html
    assert "谈话对象" in html
