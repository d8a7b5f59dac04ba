"""Import historical ledgers (paper notebooks typed into Excel, or an exported ledger corrected):
the writer of a kind of the spreadsheet kit, and the kind's declaration.

The kit (``xinsheng.core.sheets``) keeps the job, runs the dry run and the import in one
transaction, and serves the pages and the command; the ledger brings its columns
(``columns``), the reading of its table (``read``), the checker (``check``),
this writer and the template (``template``) of ``xinsheng.cases.ledger``.

Rows are keyed by 编号: a number not yet known makes a new case, with the events its columns
imply at the historical times (marked ``{"imported": true}``), so that it counts in every figure
like a case that went through the loop; a known number is updated where the row differs.
"""

import datetime as dt
import re
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from xinsheng.cases import selectors
from xinsheng.cases.choices import (
    CaseKind,
    CaseStatus,
    Channel,
    CloseReason,
    EventKind,
    SubmitterCheck,
)
from xinsheng.cases.deadlines import deadline_from, response_deadline_from
from xinsheng.cases.event_hooks import case_events_written
from xinsheng.cases.ledger.check import NEEDS_UNIT, STAGE, LedgerRow, Plan, Update, check_ledger
from xinsheng.cases.ledger.read import read_ledger
from xinsheng.cases.ledger.template import template_file_name, template_workbook
from xinsheng.cases.models import Case, CaseCounter, CaseEvent, Rating
from xinsheng.cases.numbering import SEQUENCE
from xinsheng.cases.validation import REASON_MAX, clean_title
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.sheets.kinds import ImportKind
from xinsheng.core.sheets.reader import max_bytes as sheet_max_bytes
from xinsheng.core.sheets.rows import changes_text
from xinsheng.org import permissions

KEY = "ledger"
BATCH = 1000
IMPORTED = {"imported": True}
OUR_NUMBER = re.compile(r"^\d{4}-(\d{6,9})$")  # the shape of the numbers Xinsheng hands out
WITH_ANSWER = frozenset({CaseStatus.ANSWERED, CaseStatus.CLOSED})
SIGNED = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.ANSWERED, CaseStatus.CLOSED})


def max_bytes() -> int:
    """Return the largest upload accepted, in bytes (the same limit as other imports)."""
    return sheet_max_bytes()


# --- writing --------------------------------------------------------------------------------------


def write(plan: Plan, *, actor: Actor) -> None:
    """Create and change the cases of ``plan``, with their events and ratings.

    Runs inside the import's transaction; the figures kept from case events are brought up to
    date after it commits.
    """
    events: list[CaseEvent] = []
    ratings: list[Rating] = []
    cases = [_new_case(row) for row in plan.creates]
    for start in range(0, len(cases), BATCH):
        batch = cases[start : start + BATCH]
        stamps = [(case.created_at, case.created_at) for case in batch]
        Case.objects.bulk_create(batch)
        for case, (created, _) in zip(batch, stamps, strict=True):
            case.created_at = case.updated_at = created
        Case.objects.bulk_update(batch, ["created_at", "updated_at"])
    for case, row in zip(cases, plan.creates, strict=True):
        if row.satisfaction:
            ratings.append(_rating(case, row))
        events += _steps(case, have={})
    for update in plan.updates:
        new_events, rating = _update(update, actor=actor)
        events += new_events
        if rating is not None:
            ratings.append(rating)
    _save_stamped(CaseEvent, events)
    _save_stamped(Rating, ratings)
    _numbers_after(row.case_no for row in plan.creates)
    case_events_written()


def _save_stamped(model: type[CaseEvent] | type[Rating], rows: list[Any]) -> None:
    """Insert ``rows`` and give them their historical ``at`` (which ``auto_now_add`` overrides)."""
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        stamps = [row.at for row in batch]
        model.objects.bulk_create(batch)
        for row, at in zip(batch, stamps, strict=True):
            row.at = at
        model.objects.bulk_update(batch, ["at"])


def _new_case(row: LedgerRow) -> Case:
    created = row.created_at
    assert created is not None  # noqa: S101 — a row without it never reaches the plan
    case = Case(
        case_no=row.case_no,
        kind=CaseKind.DEMAND,
        channel=row.channel,
        title=clean_title("", row.text),
        text=row.text,
        text_original=row.text_original,
        origin_unit=row.origin,
        status=row.status,
        category=row.category,
        responsible_unit=row.responsible,
        handler_id=row.handler_id,
        is_anonymous=row.anonymous,
        submitter_name=row.submitter,
        deadline=row.deadline,
        supervision_count=row.supervisions,
        created_at=created,
    )
    if row.status == CaseStatus.REJECTED:
        case.reject_reason = row.answer[:REASON_MAX]
        case.closed_at = row.closed_at or created
    else:
        case.answer = row.answer if row.status in WITH_ANSWER else ""
        case.answered_at = row.answered_at
        case.closed_at = row.closed_at
    _fill_times(case, satisfaction=row.satisfaction)
    return case


def _fill_times(case: Case, *, satisfaction: str) -> None:
    """Fill in the loop's times a ledger does not list, from the nearest time it does.

    A paper ledger says when a voice was raised, answered and closed; acceptance, dispatch and
    signing are taken to have happened when it was raised, and the deadlines follow from them.
    """
    status = case.status
    created = case.created_at
    if STAGE[status] >= STAGE[CaseStatus.ACCEPTED] and status != CaseStatus.REJECTED:
        case.accepted_at = case.accepted_at or created
    if status in NEEDS_UNIT:
        case.dispatched_at = case.dispatched_at or case.accepted_at or created
        day = timezone.localtime(case.dispatched_at).date()
        if case.response_deadline is None:
            case.response_deadline = response_deadline_from(day)
        if case.deadline is None and case.category is not None:
            case.deadline = deadline_from(day, category=case.category, urgency=case.urgency)
    if status in SIGNED:
        case.signed_at = case.signed_at or case.dispatched_at
    if status in WITH_ANSWER:
        case.answer_count = max(case.answer_count, 1)
    if status == CaseStatus.CLOSED and not case.close_reason:
        case.close_reason = CloseReason.RATED if satisfaction else CloseReason.NO_RATER


def _steps(case: Case, *, have: dict[str, int]) -> list[CaseEvent]:
    """Return the events ``case``'s state implies that it lacks (``have``: kind → how many)."""
    status = case.status
    steps: list[tuple[str, dt.datetime, dict[str, Any]]] = []
    first = EventKind.SUBMITTED if case.channel == Channel.QR else EventKind.RECORDED
    if not have.get(EventKind.SUBMITTED) and not have.get(EventKind.RECORDED):
        steps.append((first, case.created_at, {"unit": case.origin_unit, "to": ""}))
    if case.accepted_at is not None:
        code = case.category.code if case.category else ""
        steps.append((EventKind.ACCEPTED, case.accepted_at, {"data": {"category": code}}))
    if status == CaseStatus.REJECTED:
        at = case.closed_at or case.created_at
        steps.append((EventKind.REJECTED, at, {"note": case.reject_reason}))
    if case.dispatched_at is not None:
        deadline = case.deadline.isoformat() if case.deadline else None
        steps.append(
            (
                EventKind.DISPATCHED,
                case.dispatched_at,
                {"unit": case.responsible_unit, "data": {"deadline": deadline}},
            )
        )
        missing = case.supervision_count - have.get(EventKind.SUPERVISED, 0)
        for _ in range(max(missing, 0)):
            steps.append((EventKind.SUPERVISED, case.dispatched_at, {"public": False}))
    if status == CaseStatus.RETURNED:
        steps.append((EventKind.RETURNED, case.dispatched_at or case.created_at, {"public": False}))
    if case.signed_at is not None:
        steps.append((EventKind.SIGNED, case.signed_at, {"unit": case.responsible_unit}))
    if status in WITH_ANSWER and case.answered_at is not None:
        data = {"solved": None, "round": case.answer_count}
        steps.append((EventKind.ANSWERED, case.answered_at, {"note": case.answer, "data": data}))
    if status == CaseStatus.CLOSED and case.closed_at is not None:
        steps += _closing(case)
    events = []
    statuses = _statuses()
    for kind, at, extra in steps:
        if kind != EventKind.SUPERVISED and have.get(kind):
            continue
        to = statuses.get(kind, "")
        events.append(
            CaseEvent(
                case=case,
                kind=kind,
                at=at,
                from_status="",
                to_status=extra.get("to", to),
                unit=extra.get("unit"),
                note=extra.get("note", ""),
                is_public=extra.get("public", True),
                data={**extra.get("data", {}), **IMPORTED},
            )
        )
    _chain(events)
    return events


def _closing(case: Case) -> list[tuple[str, dt.datetime, dict[str, Any]]]:
    assert case.closed_at is not None  # noqa: S101 — checked by the caller
    steps: list[tuple[str, dt.datetime, dict[str, Any]]] = []
    rating = getattr(case, "_imported_rating", None)
    if rating is not None:
        data = {"satisfaction": rating.satisfaction, "solved": rating.solved, "round": 1}
        steps.append((EventKind.RATED, case.closed_at, {"data": data, "to": ""}))
    data = {"reason": case.close_reason or CloseReason.NO_RATER}
    steps.append((EventKind.CLOSED, case.closed_at, {"data": data}))
    return steps


def _statuses() -> dict[str, str]:
    """Return the state each step of the loop leaves a case in."""
    return {
        EventKind.ACCEPTED: CaseStatus.ACCEPTED,
        EventKind.REJECTED: CaseStatus.REJECTED,
        EventKind.DISPATCHED: CaseStatus.DISPATCHED,
        EventKind.RETURNED: CaseStatus.RETURNED,
        EventKind.SIGNED: CaseStatus.IN_PROGRESS,
        EventKind.ANSWERED: CaseStatus.ANSWERED,
        EventKind.CLOSED: CaseStatus.CLOSED,
    }


def _chain(events: list[CaseEvent]) -> None:
    """Set each moving event's ``from_status`` to the state the one before it left."""
    current = CaseStatus.SUBMITTED
    for event in events:
        if event.to_status:
            event.from_status = current
            current = CaseStatus(event.to_status)


def _rating(case: Case, row: LedgerRow) -> Rating:
    rating = Rating(
        case=case,
        via_case=case,
        answer_round=max(case.answer_count, 1),
        satisfaction=row.satisfaction,
        solved=bool(row.solved),
        comment="",
        at=row.closed_at or case.closed_at or case.created_at,
    )
    case._imported_rating = rating  # type: ignore[attr-defined]  # read by _closing
    return rating


def _update(update: Update, *, actor: Actor) -> tuple[list[CaseEvent], Rating | None]:
    """Change one case; return the events and rating its new state implies that it lacks."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("origin_unit", "responsible_unit", "category")
        .get(pk=update.case_id)
    )
    before = {name: _plain(getattr(case, name)) for name in update.fields}
    for name, value in update.fields.items():
        setattr(case, name, value)
    if update.fields.get("is_anonymous"):
        case.submitter_name = case.submitter_employee_no = case.submitter_phone = ""
        case.submitter_email = ""
        case.submitter_check = SubmitterCheck.NOT_CHECKED
    elif "submitter_name" in update.fields:  # the number stays; is the new name its person's?
        case.submitter_check = selectors.submitter_check_for(
            name=case.submitter_name, employee_no=case.submitter_employee_no
        )
    _fill_times(case, satisfaction=update.row.satisfaction if update.add_rating else "")
    case.save()
    have: dict[str, int] = {}
    for kind in case.events.values_list("kind", flat=True):
        have[kind] = have.get(kind, 0) + 1
    rating = _rating(case, update.row) if update.add_rating else None
    events = _steps(case, have=have)
    if update.fields:  # the correction itself, on the case's timeline
        labels = [_label(name) for name in update.fields]
        events.append(
            CaseEvent(
                case=case,
                kind=EventKind.NOTE,
                at=timezone.now(),
                is_public=False,
                note=gettext("台账导入更正：%(fields)s") % {"fields": "、".join(labels)},
                data={**IMPORTED, "fields": sorted(update.fields)},
            )
        )
    if before:
        audit_record(
            actor=actor,
            action="case.import_update",
            obj=case,
            before=before,
            after={name: _plain(getattr(case, name)) for name in update.fields},
        )
    return events, rating


def _label(name: str) -> str:
    field = Case._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _plain(value: object) -> object:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _numbers_after(numbers: Any) -> None:
    """Move the case-number counter past imported numbers of Xinsheng's own shape, so that the
    numbers it hands out next never collide with them."""
    highest = 0
    for number in numbers:
        if match := OUR_NUMBER.match(number):
            highest = max(highest, int(match[1]))
    if not highest:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval('{SEQUENCE}', GREATEST(%s, (SELECT last_value FROM {SEQUENCE})))",  # noqa: S608
                [highest],
            )
        return
    counter, _ = CaseCounter.objects.select_for_update().get_or_create(year=0)
    if counter.last < highest:
        counter.last = highest
        counter.save(update_fields=["last"])


# --- the kind -------------------------------------------------------------------------------------


def may_import(actor: Actor) -> bool:
    """Return whether ``actor`` may import ledgers (somewhere)."""
    return permissions.may_anywhere(actor, "ledger.import")


def report_lines(report: dict[str, Any]) -> list[str]:
    """Return what the command prints of a report: the figures and the changed rows."""
    lines = [
        gettext("%(title)s：%(rows)d 行，新增 %(created)d，修改 %(changed)d，不变 %(unchanged)d")
        % report
    ]
    for alias in report.get("channel_aliases", []):
        lines.append(
            "  " + gettext("来源渠道“%(written)s”按“%(channel)s”导入（%(rows)d 行）") % alias
        )
    for item in report.get("changed_items", []):
        changes = changes_text(item["changes"])
        lines.append("  " + gettext("第%(row)d行") % item + f" {item['key']}：{changes}")
    return lines


LEDGER_IMPORT = ImportKind(
    key=KEY,
    title=gettext_lazy("导入台账"),
    action="ledger.import",
    allowed=may_import,
    read=read_ledger,
    check=check_ledger,
    write=write,
    template=template_workbook,
    template_name=template_file_name,
    report_lines=report_lines,
    templates="cases/ledger_io/",
    url_name="cases:ledger_import",
    form_help=gettext_lazy("Excel (.xlsx) 或 CSV 文件，列与导出的台账相同。"),
    forbidden_message=gettext_lazy("您无权导入台账。"),
    order=20,
)
