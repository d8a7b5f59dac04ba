"""Historical ledgers brought in from .xlsx or .csv: dry run, row errors, all or nothing, keyed by
编号, and the events each imported case's columns imply, so that it counts like any other."""

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.cases.factories import Cast, make_cast, make_category, submit
from tests.conftest import Tree
from tests.core.sheet_files import far_cell_xlsx
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus, EventKind
from xinsheng.cases.models import Case, CaseEvent, Rating
from xinsheng.cases.numbering import case_no_next
from xinsheng.core.models import AuditEvent, SheetImportJob
from xinsheng.core.periods import period_between
from xinsheng.core.sheets import runner
from xinsheng.reports import metrics

HEADER = [
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
IMPORT = reverse("cases:ledger_import")


@pytest.fixture
def cast(tree: Tree) -> Cast:
    make_category()
    make_category("dorm", "宿舍")
    return make_cast(tree)


def xlsx(*rows: list[Any], title: str = "2019年民情台账") -> bytes:
    """Return a workbook with a title line, the ledger header and ``rows``."""
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append([title])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def paper_row(no: str = "2019-民-001", **changes: Any) -> list[Any]:
    """Return a closed, rated row of an old paper ledger, with ``changes`` by header."""
    values: dict[str, Any] = {
        "序号": 1,
        "编号": no,
        "来源渠道": "当面",
        "提出时间": dt.datetime(2019, 3, 12, 9, 30),
        "提出人": "李明",
        "所属单位": "综采一区",
        "类别": "食堂",
        "诉求内容": "井口食堂夜班饭菜品种少，希望增加热菜。",
        "责任单位": "A1",
        "承办人": "",
        "办理时限": dt.date(2019, 3, 19),
        "状态": "已办结",
        "答复内容": "已增加夜班热菜两种。",
        "答复时间": dt.datetime(2019, 3, 18, 16, 0),
        "群众评价": "满意",
        "是否解决": "是",
        "办结时间": dt.datetime(2019, 3, 20, 10, 0),
        "督办次数": 1,
    }
    values.update(changes)
    return [values[name] for name in HEADER]


def dry_run(actor: User, content: bytes, name: str = "ledger.xlsx") -> SheetImportJob:
    job = runner.job_create(
        "ledger", actor=actor, file_name=name, content=content, background=False
    )
    return runner.job_check(job_id=job.pk)


def apply(actor: User, content: bytes) -> SheetImportJob:
    job = dry_run(actor, content)
    assert job.error_count == 0, job.report
    runner.job_request_apply(actor=actor, job=job, background=False)
    return runner.job_apply(job_id=job.pk)


def export_bytes(client: Client, user: User) -> bytes:
    client.force_login(user)
    response = client.get(reverse("cases:ledger_export"))
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


# --- Round trip -----------------------------------------------------------------------------------


def test_an_exported_ledger_imported_again_changes_nothing(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given cases in several states, named and anonymous (from a team too small to show)
    named = submit(tree, "井口澡堂热水不够，洗不上热水澡。", anonymous=False)
    services.case_accept(case=named.case, actor=cast.dispatcher, category=make_category())
    services.case_dispatch(case=named.case, actor=cast.dispatcher, unit=tree.area1)
    services.case_sign(case=named.case, actor=cast.handler)
    services.case_answer(case=named.case, actor=cast.handler, text="已更换锅炉。", solved=True)
    services.case_rate(receipt_code=named.receipt_code, satisfaction="satisfied", solved=True)
    submit(tree, "班组休息室太小，希望扩建。")
    rejected = submit(tree, "希望每月多发两天假。").case
    services.case_reject(case=rejected, actor=cast.dispatcher, reason="不属于本单位职责范围。")
    apply(cast.dispatcher, xlsx(paper_row()))
    before = (Case.objects.count(), CaseEvent.objects.count(), Rating.objects.count())
    # when the dispatcher exports the ledger and imports the file again
    job = dry_run(cast.dispatcher, export_bytes(client, cast.dispatcher))
    # then the dry run finds every row unchanged, and there is nothing to apply
    assert job.status == SheetImportJob.Status.CHECKED
    assert job.report is not None
    assert job.error_count == 0, job.report["errors"]
    assert job.report["changed_items"] == []
    assert (job.report["created"], job.report["changed"], job.report["unchanged"]) == (0, 0, 4)
    assert not job.can_apply
    assert (Case.objects.count(), CaseEvent.objects.count(), Rating.objects.count()) == before


def test_a_corrected_export_updates_the_case_and_adds_the_steps_it_implies(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a dispatched case, exported
    case = submit(tree, "宿舍楼热水器坏了，一直没人修。").case
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    book = load_workbook(io.BytesIO(export_bytes(client, cast.dispatcher)))
    sheet = book.active
    # when the paper record says it was answered, and the corrected file comes back
    sheet["L2"] = "已答复"
    sheet["M2"] = "已派人修好热水器。"
    sheet["N2"] = timezone.localtime().replace(tzinfo=None, microsecond=0)
    buffer = io.BytesIO()
    book.save(buffer)
    job = apply(cast.dispatcher, buffer.getvalue())
    # then the case is updated and carries the signing and answering it lacked
    assert job.status == SheetImportJob.Status.APPLIED, job.message
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert case.answer == "已派人修好热水器。"
    kinds = list(case.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == [EventKind.SIGNED, EventKind.ANSWERED, EventKind.NOTE]
    assert case.events.get(kind=EventKind.ANSWERED).data["imported"] is True
    assert AuditEvent.objects.filter(action="case.import_update", object_id=str(case.pk)).exists()


# --- Imported history -----------------------------------------------------------------------------


def test_imported_history_appears_in_the_ledger_with_its_events(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given an old paper ledger: a closed and rated case, a dispatched one, a rejected one
    content = xlsx(
        paper_row(),
        paper_row(
            "2019-民-002",
            提出人="匿名",
            状态="已派单",
            答复内容=None,
            答复时间=None,
            群众评价=None,
            是否解决=None,
            办结时间=None,
            督办次数=0,
            办理时限=None,
        ),
        paper_row(
            "2019-民-003",
            状态="不予受理",
            类别=None,
            责任单位=None,
            答复内容="属个人诉求，已当面解释。",
            答复时间=None,
            群众评价=None,
            是否解决=None,
            督办次数=0,
        ),
    )
    # when the dispatcher imports it
    job = apply(cast.dispatcher, content)
    # then the three cases exist with their historical times and the steps of the loop
    assert job.status == SheetImportJob.Status.APPLIED, job.message
    closed = Case.objects.get(case_no="2019-民-001")
    assert closed.status == CaseStatus.CLOSED
    assert timezone.localtime(closed.created_at).replace(tzinfo=None) == dt.datetime(
        2019, 3, 12, 9, 30
    )
    assert closed.submitter_name == "李明"
    assert closed.origin_unit == tree.area1
    assert closed.responsible_unit == tree.area1
    assert closed.supervision_count == 1
    kinds = list(closed.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == [
        EventKind.RECORDED,
        EventKind.ACCEPTED,
        EventKind.DISPATCHED,
        EventKind.SUPERVISED,
        EventKind.SIGNED,
        EventKind.ANSWERED,
        EventKind.RATED,
        EventKind.CLOSED,
    ]
    assert all(event.data["imported"] for event in closed.events.all())
    answered = closed.events.get(kind=EventKind.ANSWERED)
    assert timezone.localtime(answered.at).replace(tzinfo=None) == dt.datetime(2019, 3, 18, 16)
    closing = closed.events.get(kind=EventKind.CLOSED)
    assert (closing.from_status, closing.to_status) == (CaseStatus.ANSWERED, CaseStatus.CLOSED)
    rating = Rating.objects.get(case=closed)
    assert (rating.satisfaction, rating.solved) == ("satisfied", True)
    assert timezone.localtime(rating.at).replace(tzinfo=None) == dt.datetime(2019, 3, 20, 10)
    dispatched = Case.objects.get(case_no="2019-民-002")
    assert dispatched.is_anonymous
    assert dispatched.submitter_name == ""
    assert dispatched.deadline is not None  # from the category's working days
    assert dispatched.events.filter(kind=EventKind.DISPATCHED).exists()
    rejected = Case.objects.get(case_no="2019-民-003")
    assert rejected.status == CaseStatus.REJECTED
    assert rejected.reject_reason == "属个人诉求，已当面解释。"
    # and they are listed in the ledger
    client.force_login(cast.dispatcher)
    page = client.get(reverse("cases:ledger")).content.decode()
    for number in ("2019-民-001", "2019-民-002", "2019-民-003"):
        assert number in page
    assert AuditEvent.objects.filter(action="ledger.import").count() == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    tree: Tree, cast: Cast
) -> None:
    content = xlsx(paper_row())
    apply(cast.dispatcher, content)
    counts = (Case.objects.count(), CaseEvent.objects.count(), Rating.objects.count())
    job = dry_run(cast.dispatcher, content)
    assert job.report is not None
    assert (job.report["created"], job.report["changed"], job.report["unchanged"]) == (0, 0, 1)
    assert (Case.objects.count(), CaseEvent.objects.count(), Rating.objects.count()) == counts


def test_numbers_of_our_own_shape_move_the_counter_on(tree: Tree, cast: Cast) -> None:
    year = timezone.localdate().year
    apply(cast.dispatcher, xlsx(paper_row(f"{year}-000500")))
    assert int(case_no_next().split("-")[1]) > 500


# --- Errors ---------------------------------------------------------------------------------------


def test_a_file_with_bad_rows_changes_nothing_and_lists_the_errors(
    client: Client,
    tree: Tree,
    cast: Cast,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given a file with one good row and four bad ones
    content = xlsx(
        paper_row("2019-001"),
        paper_row("2019-002", 来源渠道="微信"),
        paper_row("2019-003", 所属单位="不存在的单位"),
        paper_row("2019-004", 答复内容=None),
        paper_row("2019/005"),
    )
    # when the dispatcher uploads it
    client.force_login(cast.dispatcher)
    upload = io.BytesIO(content)
    upload.name = "台账.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(IMPORT, {"file": upload})
    job = SheetImportJob.objects.get()
    assert response.status_code == 302
    # then the dry run lists each error with its row, column and reason, and offers no apply
    page = client.get(reverse("cases:ledger_import_job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.error_count == 4
    assert not job.can_apply
    errors = {(e["row"], e["column"]) for e in job.report["errors"]}  # type: ignore[index]
    assert errors == {(4, "来源渠道"), (5, "所属单位"), (6, "答复内容"), (7, "编号")}
    assert "“微信”不是有效的选项" in page
    assert "找不到单位“不存在的单位”" in page
    assert "状态为“已办结”时必须填写" in page
    assert "确认导入" not in page
    # and asking to apply anyway writes nothing
    client.post(reverse("cases:ledger_import_apply", args=[job.pk]))
    assert not Case.objects.exists()


def test_the_ledger_offers_the_import_to_dispatchers(
    client: Client, tree: Tree, cast: Cast
) -> None:
    client.force_login(cast.dispatcher)
    ledger = client.get(reverse("cases:ledger")).content.decode()
    assert f'href="{IMPORT}"' in ledger
    page = client.get(IMPORT).content.decode()
    assert "下载导入模板" in page
    assert "上传并预检" in page


def test_someone_without_the_import_right_is_refused(
    client: Client, tree: Tree, cast: Cast
) -> None:
    client.force_login(cast.handler)
    assert f'href="{IMPORT}"' not in client.get(reverse("cases:ledger")).content.decode()
    assert client.get(IMPORT).status_code == 403
    assert client.get(reverse("cases:ledger_import_template")).status_code == 403


def test_units_outside_the_importers_scope_are_not_found(tree: Tree, cast: Cast) -> None:
    job = dry_run(cast.dispatcher, xlsx(paper_row(所属单位="二矿", 责任单位="M2")))
    assert job.report is not None
    assert {e["column"] for e in job.report["errors"]} == {"所属单位", "责任单位"}


# --- Files and the command line -------------------------------------------------------------------


def test_the_template_has_the_columns_and_one_example(
    client: Client, tree: Tree, cast: Cast
) -> None:
    client.force_login(cast.dispatcher)
    response = client.get(reverse("cases:ledger_import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert len(rows) == 2


def test_a_csv_in_gb18030_is_read(tree: Tree, cast: Cast) -> None:
    lines = [
        ",".join(HEADER),
        "1,2018-07,热线,2018-07-02 08:00,匿名,综采一区,,巷道照明灯坏了好几盏。,,,,待受理,,,,,,0",
    ]
    job = dry_run(cast.dispatcher, "\n".join(lines).encode("gb18030"), "台账.csv")
    assert job.error_count == 0, job.report
    assert job.change_count == 1


def test_the_command_line_checks_then_imports(tree: Tree, cast: Cast, tmp_path: Path) -> None:
    # given a file with a bad row
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(paper_row(), paper_row("2019-民-002", 状态="办完了")))
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ledger", "import", str(bad), "--as", cast.dispatcher.username, stderr=errors)
    assert "第4行 [状态]" in errors.getvalue()
    assert not Case.objects.exists()
    # given a good file, the dry run writes nothing and --apply writes it
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(paper_row()))
    out = io.StringIO()
    call_command("ledger", "import", str(good), "--as", cast.dispatcher.username, stdout=out)
    assert "--apply" in out.getvalue()
    assert not Case.objects.exists()
    call_command(
        "ledger", "import", str(good), "--as", cast.dispatcher.username, "--apply", stdout=out
    )
    assert Case.objects.filter(case_no="2019-民-001", status=CaseStatus.CLOSED).exists()


def test_imported_history_counts_in_the_figures(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    # given a closed, rated case of 2019 imported from a paper ledger
    with django_capture_on_commit_callbacks(execute=True):
        apply(cast.dispatcher, xlsx(paper_row()))
    # then the figures of 2019 count it like a case that went round the loop
    figures = metrics.figures_for(
        tree.group, period_between(dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    )
    assert (figures["rated"], figures["solved"], figures["satisfied"]) == (1, 1, 1)
    assert figures.solution_rate == 1.0
    assert figures.satisfaction_rate == 1.0


@pytest.mark.parametrize("far_cell", ["XFD1048576", "ZZ200000"])
def test_a_ledger_reaching_out_to_a_far_cell_is_refused_with_the_cell_named(
    cast: Cast, far_cell: str, tmp_path: Path
) -> None:
    # Given a one-row ledger with one more cell far away (its grid would take gigabytes)
    content = far_cell_xlsx(HEADER, paper_row("2019-001"), far_cell, title="台账")
    # when it is checked, the dry run refuses it, naming the cell
    job = dry_run(cast.dispatcher, content)
    assert job.status == SheetImportJob.Status.FAILED
    assert f"单元格 {far_cell} 超出了可导入的范围" in job.message
    # and the command says so and writes nothing
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=f"单元格 {far_cell} 超出了可导入的范围"):
        call_command("ledger", "import", str(path), "--as", cast.dispatcher.username, "--apply")
    assert not Case.objects.filter(case_no="2019-001").exists()
