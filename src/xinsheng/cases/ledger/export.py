"""Export the filtered ledger (台账) as an .xlsx file, in constant memory for any number of rows.

The rows are the ledger page's: ``case_list_for`` narrowed by the page's filters, in the page's
order. They are read in keyset chunks (``ledger.py``'s sort keys, no OFFSET) as plain tuples and
written by xlsxwriter in ``constant_memory`` mode, which flushes each row to disk as it goes: the
memory an export takes does not grow with its rows.

Every export is an ``LedgerExportJob`` and an audit record. A small one is written at once and
sent straight back; a large one (over ``XINSHENG["EXPORT_INLINE_ROWS"]`` rows) runs as a task
that writes a file under MEDIA_ROOT with a random name and reports its progress on the job row.
"""

import datetime as dt
import logging
import secrets
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django_tasks import task

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases import selectors
from xinsheng.cases.choices import CaseStatus, Channel
from xinsheng.cases.ledger.columns import (
    COLUMNS,
    SHEET_TITLE,
    Cell,
    display_width,
    unit_cell,
    yes_no,
)
from xinsheng.cases.ledger.keyset import SORTS
from xinsheng.cases.ledger.models import LedgerExportJob
from xinsheng.cases.models import Case, Rating
from xinsheng.cases.selectors import CaseFilters
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Forbidden, InvalidInput
from xinsheng.core.export_jobs import job_fail, job_finish, job_progress
from xinsheng.core.ratings import Satisfaction
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit

logger = logging.getLogger(__name__)

Status = LedgerExportJob.Status
CHUNK = 2000  # rows read per query
HEADER_FILL = "#B71C1C"  # the red of the staff pages
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTER_KEYS = frozenset(
    {
        "q",
        "unit",
        "status",
        "kind",
        "channel",
        "category",
        "overdue",
        "date_from",
        "date_to",
        "sort",
    }
)

# What is read of each case, in this order: plain values, no model instances.
FIELDS: tuple[str, ...] = (
    "id",
    "created_at",
    "deadline",
    "case_no",
    "channel",
    "is_anonymous",
    "submitter_name",
    "origin_unit_id",
    "origin_unit__name",
    "responsible_unit_id",
    "responsible_unit__name",
    "category__name",
    "text",
    "handler__person__name",
    "handler__username",
    "status",
    "answer",
    "reject_reason",
    "answered_at",
    "closed_at",
    "supervision_count",
)
F = {name: index for index, name in enumerate(FIELDS)}
Row = tuple[Any, ...]
Progress = Callable[[int], None]


def inline_limit() -> int:
    """Return the most rows an export sends straight back; larger ones run as a task."""
    return int(settings.XINSHENG.get("EXPORT_INLINE_ROWS", 5000))


def export_params(query: "MultiValueDict[str, str]") -> dict[str, list[str]]:
    """Return the ledger filters of a query string, as a job keeps them."""
    return {key: [v for v in query.getlist(key) if v] for key in FILTER_KEYS if query.getlist(key)}


def export_filters(*, actor: Actor, params: dict[str, list[str]]) -> tuple[CaseFilters, str]:
    """Return the ledger filters and sort ``params`` name, checked as the ledger checks them."""
    from xinsheng.cases.forms import LedgerFilterForm

    form = LedgerFilterForm(MultiValueDict(params), actor=actor)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        raise InvalidInput(gettext("筛选条件有误：%(errors)s") % {"errors": "；".join(problems)})
    return form.filters(), form.sort_name


def export_cases(*, actor: Actor, params: dict[str, list[str]]) -> tuple[QuerySet[Case], str]:
    """Return the cases an export of ``params`` holds, and the sort they are written in."""
    filters, sort = export_filters(actor=actor, params=params)
    return selectors.case_list_for(actor=actor, filters=filters), sort


def export_chunks(cases: QuerySet[Case], *, sort: str, size: int = CHUNK) -> Iterator[list[Row]]:
    """Yield the rows of ``cases`` in ``sort`` order as lists of ``FIELDS`` tuples, by keyset."""
    order = SORTS[sort]
    position = FIELDS.index(order.field)
    ordering = order.ordering(forward=True)
    query = cases.order_by(*ordering).values_list(*FIELDS)
    rows: list[Row] = list(query[:size])
    while rows:
        yield rows
        if len(rows) < size:
            return
        last = rows[-1]
        value = last[position]
        key = (value.isoformat() if value is not None else None, int(last[0]))
        following = order.beyond(key, forward=True)
        if not order.nullable:
            # Implied by the keyset filter, and said again as a plain range so that the database
            # starts each chunk at the key in the index instead of reading up to it every time.
            bound = "lte" if order.descending else "gte"
            following &= Q(**{f"{order.field}__{bound}": value})
        rows = list(query.filter(following)[:size])


# --- Values as the ledger shows them ------------------------------------------------------------


class _Shown:
    """Work out what ``actor`` may see of a row, asking the selectors once per unit or name
    where the answer depends on nothing else."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.units: dict[int, OrgUnit] = {}
        self.origins: dict[int, str] = {}
        self.masked: dict[str, str] = {}
        self.channels = {c.value: str(c.label) for c in Channel}
        self.statuses = {s.value: str(s.label) for s in CaseStatus}
        self.satisfactions = {s.value: str(s.label) for s in Satisfaction}
        self.probe = Case()
        self.anonymous = gettext("匿名")
        self.yes, self.no = yes_no(True), yes_no(False)

    def load_units(self, rows: list[Row]) -> None:
        """Fetch, in one query, the units of ``rows`` not seen before."""
        wanted = {row[F["origin_unit_id"]] for row in rows} | {
            row[F["responsible_unit_id"]] for row in rows if row[F["responsible_unit_id"]]
        }
        if missing := wanted - self.units.keys():
            self.units.update(OrgUnit.objects.in_bulk(missing))

    def _probe(self, row: Row, **fields: Any) -> Case:
        """Return the one stand-in case, set to ``row``'s units and ``fields``, to ask the
        selectors about (building a model instance per row would cost more than writing it)."""
        probe = self.probe
        responsible = row[F["responsible_unit_id"]]
        probe.origin_unit = self.units[row[F["origin_unit_id"]]]
        probe.responsible_unit = self.units[responsible] if responsible else None
        for name, value in fields.items():
            setattr(probe, name, value)
        return probe

    def origin(self, row: Row) -> str:
        """Return the origin as the ledger shows it (a small unit's anonymous case: an ancestor),
        with its code, so that the import reads it back where several units bear its name."""
        unit_id = row[F["origin_unit_id"]]
        if not row[F["is_anonymous"]]:
            return self.unit(unit_id)
        if unit_id not in self.origins:
            probe = self._probe(row, is_anonymous=True)
            shown = selectors.case_origin_shown(actor=self.actor, case=probe)
            self.origins[unit_id] = unit_cell(shown.name, shown.code)
        return self.origins[unit_id]

    def unit(self, unit_id: int) -> str:
        """Return a unit as the spreadsheet writes it: 工会（C1-GH）."""
        unit = self.units[unit_id]
        return unit_cell(unit.name, unit.code)

    def submitter(self, row: Row) -> str:
        """Return the submitter as the case page shows them to ``actor``; anonymous as 匿名."""
        name = str(row[F["submitter_name"]] or "")
        if row[F["is_anonymous"]] or not name:
            return self.anonymous
        probe = self._probe(row, is_anonymous=False)
        if case_permissions.may_case(self.actor, "case.view_identity", probe):
            return name
        if name not in self.masked:
            probe = self._probe(row, is_anonymous=False, submitter_name=name)
            shown = selectors.case_submitter_shown(actor=self.actor, case=probe)
            self.masked[name] = shown["name"]
        return self.masked[name]


def _ratings(rows: list[Row]) -> dict[int, tuple[str, bool]]:
    """Return the rating that decided each case's latest answer: the first one given."""
    ids = [row[0] for row in rows]
    ratings = (
        Rating.objects.filter(case_id__in=ids)
        .order_by("case_id", "-answer_round", "at", "id")
        .values_list("case_id", "satisfaction", "solved")
    )
    decided: dict[int, tuple[str, bool]] = {}
    for case_id, satisfaction, solved in ratings:
        decided.setdefault(case_id, (satisfaction, solved))
    return decided


# --- The workbook -------------------------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()  # day 0 of Excel's dates
UNIX_EPOCH = dt.date(1970, 1, 1).toordinal() - EXCEL_EPOCH  # 25569


def _excel_moment(value: dt.datetime) -> float:
    """Return an aware time as an Excel date number in the installation's time zone, to the
    second. Excel keeps dates as days since 1899-12-30; a date format shows them as dates."""
    offset = timezone.localtime(value).utcoffset() or dt.timedelta()
    seconds = int(value.timestamp()) + int(offset.total_seconds())
    return UNIX_EPOCH + seconds / 86400


def ledger_write(
    *,
    actor: Actor,
    cases: QuerySet[Case],
    sort: str,
    target: str | IO[bytes],
    progress: Progress | None = None,
) -> int:
    """Write ``cases`` as the ledger spreadsheet to ``target``; return the number of rows."""
    book = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    try:
        sheet = book.add_worksheet(gettext(SHEET_TITLE)[:31])
        formats = _formats(book)
        _header(sheet, formats)
        written = _body(sheet, formats, actor, cases, sort, progress)
        sheet.autofilter(0, 0, max(written, 1), len(COLUMNS) - 1)
    finally:
        book.close()
    return written


def _formats(book: Any) -> dict[str, Any]:
    base = {"valign": "top", "font_size": 10}
    return {
        "header": book.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": HEADER_FILL,
                "align": "center",
                "valign": "vcenter",
                "border": 1,
                "text_wrap": True,
            }
        ),
        Cell.TEXT: book.add_format(base),
        Cell.LONG_TEXT: book.add_format({**base, "text_wrap": True}),
        Cell.NUMBER: book.add_format({**base, "align": "center"}),
        Cell.DATE: book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"}),
        Cell.DATETIME: book.add_format(
            {**base, "num_format": "yyyy-mm-dd hh:mm", "align": "center"}
        ),
    }


def _header(sheet: Any, formats: dict[str, Any]) -> None:
    for index, col in enumerate(COLUMNS):
        label = col.label
        width = max(col.width, display_width(label) + 4)
        sheet.set_column(index, index, width, formats[col.cell])
        sheet.write_string(0, index, label, formats["header"])
    sheet.set_row(0, 24)
    sheet.freeze_panes(1, 2)


def _body(
    sheet: Any,
    formats: dict[str, Any],
    actor: Actor,
    cases: QuerySet[Case],
    sort: str,
    progress: Progress | None,
) -> int:
    shown = _Shown(actor)
    text, number = formats[Cell.TEXT], formats[Cell.NUMBER]
    wrap, date, when = formats[Cell.LONG_TEXT], formats[Cell.DATE], formats[Cell.DATETIME]
    write_string, write_number = sheet.write_string, sheet.write_number
    moment = _excel_moment
    channels, statuses, satisfactions = shown.channels, shown.statuses, shown.satisfactions
    r = 0
    for rows in export_chunks(cases, sort=sort):
        shown.load_units(rows)
        ratings = _ratings(rows)
        for row in rows:
            (
                case_id,
                created,
                deadline,
                case_no,
                channel,
                _anonymous,
                _name,
                _origin_id,
                _origin,
                responsible_id,
                _responsible,
                category,
                body,
                handler_name,
                handler_username,
                status,
                answer,
                reject_reason,
                answered,
                closed,
                supervisions,
            ) = row  # FIELDS
            r += 1
            write_number(r, 0, r, number)
            write_string(r, 1, case_no, text)
            write_string(r, 2, channels.get(channel, channel), text)
            write_number(r, 3, moment(created), when)
            write_string(r, 4, shown.submitter(row), text)
            write_string(r, 5, shown.origin(row), text)
            if category:
                write_string(r, 6, category, text)
            write_string(r, 7, body, wrap)
            if responsible_id:
                write_string(r, 8, shown.unit(responsible_id), text)
            if handler := handler_name or handler_username:
                write_string(r, 9, handler, text)
            if deadline is not None:
                write_number(r, 10, deadline.toordinal() - EXCEL_EPOCH, date)
            write_string(r, 11, statuses.get(status, status), text)
            if answer := answer or reject_reason:
                write_string(r, 12, answer, wrap)
            if answered is not None:
                write_number(r, 13, moment(answered), when)
            if rating := ratings.get(case_id):
                write_string(r, 14, satisfactions.get(rating[0], rating[0]), text)
                write_string(r, 15, shown.yes if rating[1] else shown.no, text)
            if closed is not None:
                write_number(r, 16, moment(closed), when)
            write_number(r, 17, supervisions, number)
        if progress is not None:
            progress(r)
    return r


# --- Jobs ---------------------------------------------------------------------------------------


def ledger_export_create(
    *, actor: Actor, params: dict[str, list[str]], background: bool | None = None
) -> LedgerExportJob:
    """Record an export of the ledger filtered by ``params``, audited; queue it when large.

    With ``background=None`` the size decides: more than ``inline_limit()`` rows run as a task,
    fewer are left to the caller to write at once (``ledger_export_inline``).
    """
    if not actor.is_authenticated or not permissions.may_anywhere(actor, "ledger.export"):
        raise Forbidden()
    cases, _sort = export_cases(actor=actor, params=params)
    limit = inline_limit()
    if background is None:
        background = cases[: limit + 1].count() > limit
    with transaction.atomic():
        job = LedgerExportJob.objects.create(
            owner_id=actor.pk,
            filters=params,
            language=translation.get_language() or "zh-hans",
            background=background,
            status=Status.QUEUED,
        )
        audit_record(
            actor=actor,
            action="ledger.export",
            obj=job,
            after={"filters": params, "background": background},
        )
        if background:
            job_id = job.pk
            transaction.on_commit(lambda: ledger_export_task.enqueue(job_id=job_id))
    return job


def ledger_export_inline(*, job: LedgerExportJob, target: str | IO[bytes]) -> int:
    """Write a small export to ``target`` now (a response or a file); return its rows."""
    cases, sort = _job_cases(job)
    rows = ledger_write(actor=job.owner, cases=cases, sort=sort, target=target)
    job_finish(job, rows)
    return rows


def ledger_export_run(*, job_id: int) -> LedgerExportJob:
    """Write a queued export to a file under MEDIA_ROOT, reporting progress on the job row."""
    claimed = LedgerExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, written_rows=0, updated_at=timezone.now()
    )
    job = LedgerExportJob.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language):
        try:
            cases, sort = _job_cases(job)
        except (Forbidden, InvalidInput) as exc:
            return job_fail(job, str(exc.message) or gettext("您无权导出台账。"))
        job_progress(job, total_rows=cases.count())
        with tempfile.TemporaryFile(suffix=".xlsx") as scratch:
            rows = ledger_write(
                actor=job.owner,
                cases=cases,
                sort=sort,
                target=scratch,
                progress=lambda written: job_progress(job, written_rows=written),
            )
            scratch.seek(0)
            job.file.save(f"{secrets.token_urlsafe(18)}.xlsx", File(scratch), save=False)
        job.save(update_fields=["file", "updated_at"])
        job_finish(job, rows)
    return job


def ledger_export_fail(*, job_id: int) -> None:
    """Mark an export as failed after an unexpected error, so that its page stops waiting."""
    LedgerExportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED,
        error=gettext("导出因系统错误中断。请稍后重试或联系系统管理员。"),
        updated_at=timezone.now(),
    )


def export_file_name(job: LedgerExportJob) -> str:
    """Return the name an export downloads under."""
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    return f"{gettext('台账')}-{stamp}.xlsx"


def _job_cases(job: LedgerExportJob) -> tuple[QuerySet[Case], str]:
    """Return the cases of ``job`` as its owner may see them now."""
    owner = job.owner
    if not permissions.may_anywhere(owner, "ledger.export"):
        raise Forbidden(gettext("您无权导出台账。"))
    return export_cases(actor=owner, params=job.filters or {})


# --- background work, run by ``xinsheng worker`` (immediately in tests) ------------------------


@task()
def ledger_export_task(*, job_id: int) -> None:
    """Write export job ``job_id`` to its file; mark it failed when the work breaks off."""
    try:
        ledger_export_run(job_id=job_id)
    except Exception:
        logger.exception("ledger export job %s failed", job_id)
        ledger_export_fail(job_id=job_id)
        raise
