"""Export the filtered ledger of talk records as an .xlsx file, in constant memory.

The rows are the ledger page's: ``talk_list_for`` narrowed by the page's filters, newest talk
first. They are read in keyset chunks on (date, id) — no OFFSET — as plain values, with the hosts,
people and voices of each chunk in three more queries, and written by xlsxwriter in
``constant_memory`` mode, which flushes each row to disk as it goes.

Every export is a ``TalkExportJob`` and an audit event. A small one is written at once and sent
back; a large one (over ``XINSHENG["EXPORT_INLINE_ROWS"]`` rows) runs as a task that writes a
file under MEDIA_ROOT with a random name and reports its progress on the job row. The sensitive
notes are never exported.
"""

import datetime as dt
import logging
import secrets
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django_tasks import task

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Forbidden, InvalidInput
from xinsheng.core.export_jobs import job_fail, job_finish, job_progress
from xinsheng.org import permissions
from xinsheng.talks.choices import Direction, Place, TalkKind
from xinsheng.talks.models import TalkExportJob, TalkHost, TalkParticipant, TalkRecord, TalkVoice
from xinsheng.talks.records import keyset, selectors
from xinsheng.talks.records.columns import COLUMNS, SHEET_TITLE, Cell, person_cell
from xinsheng.talks.records.forms import TalkFilterForm

logger = logging.getLogger(__name__)

Status = TalkExportJob.Status
CHUNK = 2000
HEADER_FILL = "#B71C1C"  # the red of the staff pages
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTER_KEYS = frozenset(
    {"q", "unit", "kind", "place", "host", "voices", "tag", "date_from", "date_to"}
)
FIELDS = (
    "id",
    "held_on",
    "kind",
    "unit__name",
    "place",
    "place_note",
    "direction",
    "summary",
    "tags",
)
EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()  # day 0 of Excel's dates
Row = tuple[Any, ...]
Progress = Callable[[int], None]


def inline_limit() -> int:
    """Return the most rows an export sends straight back; larger ones run as a task."""
    return int(settings.XINSHENG.get("EXPORT_INLINE_ROWS", 5000))


def export_params(query: "MultiValueDict[str, str]") -> dict[str, list[str]]:
    """Return the ledger filters of a query string, as a job keeps them."""
    return {key: [v for v in query.getlist(key) if v] for key in FILTER_KEYS if query.getlist(key)}


def export_records(*, actor: Actor, params: dict[str, list[str]]) -> QuerySet[TalkRecord]:
    """Return the records an export of ``params`` holds, checked as the ledger checks them."""
    form = TalkFilterForm(MultiValueDict(params), actor=actor)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        raise InvalidInput(gettext("筛选条件有误：%(errors)s") % {"errors": "；".join(problems)})
    return selectors.talk_list_for(actor=actor, filters=form.filters())


def export_chunks(records: QuerySet[TalkRecord], *, size: int = CHUNK) -> Iterator[list[Row]]:
    """Yield the rows of ``records`` newest first as lists of ``FIELDS`` tuples, by keyset."""
    query = records.order_by(*keyset.ORDER).values_list(*FIELDS)
    rows: list[Row] = list(query[:size])
    while rows:
        yield rows
        if len(rows) < size:
            return
        last = rows[-1]
        rows = list(query.filter(keyset.after((last[1], int(last[0]))))[:size])


def _people_of(rows: list[Row]) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """Return, by record id, its hosts, its people and its voices as the cells show them."""
    ids = [row[0] for row in rows]
    hosts: dict[int, list[str]] = defaultdict(list)
    people: dict[int, list[str]] = defaultdict(list)
    voices: dict[int, list[str]] = defaultdict(list)
    for record_id, name, number in (
        TalkHost.objects.filter(record_id__in=ids)
        .order_by("id")
        .values_list("record_id", "person__name", "person__employee_no")
    ):
        hosts[record_id].append(person_cell(name, number))
    for record_id, name, number in (
        TalkParticipant.objects.filter(record_id__in=ids)
        .order_by("id")
        .values_list("record_id", "person__name", "person__employee_no")
    ):
        people[record_id].append(person_cell(name, number))
    for record_id, case_no, title in (
        TalkVoice.objects.filter(record_id__in=ids)
        .order_by("id")
        .values_list("record_id", "case__case_no", "case__title")
    ):
        voices[record_id].append(f"{case_no} {title}")
    return (
        {key: "、".join(value) for key, value in hosts.items()},
        {key: "、".join(value) for key, value in people.items()},
        {key: "\n".join(value) for key, value in voices.items()},
    )


# --- The workbook -------------------------------------------------------------------------------


def talk_ledger_write(
    *, records: QuerySet[TalkRecord], target: str | IO[bytes], progress: Progress | None = None
) -> int:
    """Write ``records`` as the ledger spreadsheet to ``target``; return the number of rows."""
    book = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    try:
        sheet = book.add_worksheet(gettext(SHEET_TITLE)[:31])
        formats = _formats(book)
        for index, col in enumerate(COLUMNS):
            sheet.set_column(index, index, max(col.width, len(col.label) + 4), formats[col.cell])
            sheet.write_string(0, index, col.label, formats["header"])
        sheet.set_row(0, 24)
        sheet.freeze_panes(1, 2)
        written = _body(sheet, formats, records, progress)
        sheet.autofilter(0, 0, max(written, 1), len(COLUMNS) - 1)
    finally:
        book.close()
    return written


def _formats(book: Any) -> dict[str, Any]:
    base = {"valign": "top", "font_size": 10}
    header = {
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": HEADER_FILL,
        "align": "center",
        "valign": "vcenter",
        "border": 1,
    }
    return {
        "header": book.add_format(header),
        Cell.TEXT: book.add_format(base),
        Cell.LONG_TEXT: book.add_format({**base, "text_wrap": True}),
        Cell.NUMBER: book.add_format({**base, "align": "center"}),
        Cell.DATE: book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"}),
    }


def _body(
    sheet: Any, formats: dict[str, Any], records: QuerySet[TalkRecord], progress: Progress | None
) -> int:
    text, wrap = formats[Cell.TEXT], formats[Cell.LONG_TEXT]
    number, date = formats[Cell.NUMBER], formats[Cell.DATE]
    kinds = {k.value: str(k.label) for k in TalkKind}
    places = {p.value: str(p.label) for p in Place}
    directions = {d.value: str(d.label) for d in Direction}
    r = 0
    for rows in export_chunks(records):
        hosts, people, voices = _people_of(rows)
        for record_id, held_on, kind, unit, place, note, direction, summary, tags in rows:
            r += 1
            sheet.write_number(r, 0, r, number)
            sheet.write_number(r, 1, held_on.toordinal() - EXCEL_EPOCH, date)
            sheet.write_string(r, 2, kinds.get(kind, kind), text)
            sheet.write_string(r, 3, unit, text)
            sheet.write_string(r, 4, hosts.get(record_id, ""), text)
            sheet.write_string(r, 5, people.get(record_id, ""), text)
            where = places.get(place, place)
            if note:
                where = f"{where}（{note}）" if where else note
            if where:
                sheet.write_string(r, 6, where, text)
            sheet.write_string(r, 7, directions.get(direction, direction), text)
            if summary:
                sheet.write_string(r, 8, summary, wrap)
            if tags:
                sheet.write_string(r, 9, "、".join(str(tag) for tag in tags), text)
            if record_id in voices:
                sheet.write_string(r, 10, voices[record_id], wrap)
        if progress is not None:
            progress(r)
    return r


# --- Jobs ---------------------------------------------------------------------------------------


def talk_export_create(
    *, actor: Actor, params: dict[str, list[str]], background: bool | None = None
) -> TalkExportJob:
    """Record an export of the ledger filtered by ``params``, audited; queue it when large.

    With ``background=None`` the size decides: more than ``inline_limit()`` rows run as a task,
    fewer are left to the caller to write at once (``talk_export_inline``).
    """
    if not actor.is_authenticated or not permissions.may_anywhere(actor, "talk.view"):
        raise Forbidden()
    records = export_records(actor=actor, params=params)
    limit = inline_limit()
    if background is None:
        background = records[: limit + 1].count() > limit
    with transaction.atomic():
        job = TalkExportJob.objects.create(
            owner_id=actor.pk,
            filters=params,
            language=translation.get_language() or "zh-hans",
            background=background,
            status=Status.QUEUED,
        )
        audit_record(
            actor=actor,
            action="talk.export",
            obj=job,
            after={"filters": params, "background": background},
        )
        if background:
            job_id = job.pk
            transaction.on_commit(lambda: talk_export_task.enqueue(job_id=job_id))
    return job


def talk_export_inline(*, job: TalkExportJob, target: str | IO[bytes]) -> int:
    """Write a small export to ``target`` now; return its rows."""
    rows = talk_ledger_write(records=_job_records(job), target=target)
    job_finish(job, rows)
    return rows


def talk_export_run(*, job_id: int) -> TalkExportJob:
    """Write a queued export to a file under MEDIA_ROOT, reporting progress on the job row."""
    claimed = TalkExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, written_rows=0, updated_at=timezone.now()
    )
    job = TalkExportJob.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language):
        try:
            records = _job_records(job)
        except (Forbidden, InvalidInput) as exc:
            return job_fail(job, str(exc.message) or gettext("您无权导出台账。"))
        job_progress(job, total_rows=records.count())
        with tempfile.TemporaryFile(suffix=".xlsx") as scratch:
            rows = talk_ledger_write(
                records=records,
                target=scratch,
                progress=lambda written: job_progress(job, written_rows=written),
            )
            scratch.seek(0)
            job.file.save(f"{secrets.token_urlsafe(18)}.xlsx", File(scratch), save=False)
        job.save(update_fields=["file", "updated_at"])
        job_finish(job, rows)
    return job


def talk_export_fail(*, job_id: int) -> None:
    """Mark an export as failed after an unexpected error, so that its page stops waiting."""
    TalkExportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED,
        error=gettext("导出因系统错误中断。请稍后重试或联系系统管理员。"),
        updated_at=timezone.now(),
    )


def export_file_name(job: TalkExportJob) -> str:
    """Return the name an export downloads under."""
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return f"{gettext('谈心走访台账')}-{stamp}.xlsx"


def _job_records(job: TalkExportJob) -> QuerySet[TalkRecord]:
    """Return the records of ``job`` as its owner may see them now."""
    owner = job.owner
    if not permissions.may_anywhere(owner, "talk.view"):
        raise Forbidden(gettext("您无权导出台账。"))
    return export_records(actor=owner, params=job.filters or {})


# --- background work, run by ``xinsheng worker`` (immediately in tests) ------------------------


@task()
def talk_export_task(*, job_id: int) -> None:
    """Write export job ``job_id`` to its file; mark it failed when the work breaks off."""
    try:
        talk_export_run(job_id=job_id)
    except Exception:
        logger.exception("talk ledger export job %s failed", job_id)
        talk_export_fail(job_id=job_id)
        raise
