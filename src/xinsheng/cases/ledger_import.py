"""Import historical ledgers (paper notebooks typed into Excel, or an exported ledger corrected):
the service of the import pages, task and command.

An import is a ``LedgerImportJob``. Uploading creates it (the file's type, size and columns are
checked right away); a dry run reads every row and stores a report of what would be created,
changed or refused; applying re-runs the check inside one transaction and writes everything or
nothing. Rows are keyed by 编号: a number not yet known makes a new case, with the events its
columns imply at the historical times (marked ``{"imported": true}``), so that it counts in every
figure like a case that went through the loop; a known number is updated where the row differs.
"""

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from xinsheng.cases.choices import CaseKind, CaseStatus, Channel, CloseReason, EventKind
from xinsheng.cases.event_hooks import case_events_written
from xinsheng.cases.ledger_check import NEEDS_UNIT, STAGE, LedgerRow, Plan, Update, check_ledger
from xinsheng.cases.ledger_models import LedgerImportJob
from xinsheng.cases.ledger_read import LedgerData, read_ledger
from xinsheng.cases.models import Case, CaseCounter, CaseEvent, Rating
from xinsheng.cases.numbering import SEQUENCE
from xinsheng.cases.validation import REASON_MAX, clean_title
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.calendar import add_working_days
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org import permissions
from xinsheng.org.import_read import max_bytes as _max_bytes

logger = logging.getLogger(__name__)

Status = LedgerImportJob.Status
FILE_NAME_MAX = 200
BATCH = 1000
IMPORTED = {"imported": True}
OUR_NUMBER = re.compile(r"^\d{4}-(\d{6,9})$")  # the shape of the numbers Xinsheng hands out
WITH_ANSWER = frozenset({CaseStatus.ANSWERED, CaseStatus.CLOSED})
SIGNED = frozenset({CaseStatus.IN_PROGRESS, CaseStatus.ANSWERED, CaseStatus.CLOSED})


class _PlanChanged(Exception):
    """The re-check before writing differs from the dry run; carries the new plan."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("ledger import plan changed since the dry run")
        self.plan = plan


def max_bytes() -> int:
    """Return the largest upload accepted, in bytes (the same limit as other imports)."""
    return _max_bytes()


def ledger_import_create(
    *, actor: Actor, file_name: str, content: bytes, background: bool = True
) -> LedgerImportJob:
    """Keep an uploaded ledger as a new import job and queue its dry run.

    A file that is empty, too big, of the wrong type or without the required columns raises
    ``InvalidInput`` and creates nothing. With ``background=False`` the caller runs the dry run.
    """
    if not actor.is_authenticated or not permissions.may_anywhere(actor, "ledger.import"):
        raise Forbidden()
    read_ledger(content, file_name, headers_only=True)
    with transaction.atomic():
        job = LedgerImportJob.objects.create(
            actor_id=actor.pk,
            file_name=file_name[-FILE_NAME_MAX:],
            content=content,
            language=translation.get_language() or "zh-hans",
            status=Status.QUEUED,
        )
        if background:
            from xinsheng.cases.ledger_tasks import ledger_import_check_task

            job_id = job.pk
            transaction.on_commit(lambda: ledger_import_check_task.enqueue(job_id=job_id))
    return job


def ledger_import_check(*, job_id: int) -> LedgerImportJob:
    """Run the dry run of a queued job and store its report; nothing but the job is written."""
    claimed = LedgerImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.CHECKING, checked_rows=0, total_rows=0, updated_at=timezone.now()
    )
    job = LedgerImportJob.objects.select_related("actor").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language):
        try:
            data = read_ledger(bytes(job.content), job.file_name, progress=_reading_of(job))
        except InvalidInput as exc:
            return _fail(job, str(exc.message))
        _progress(job, total_rows=len(data.rows), checked_rows=0)
        plan = check_ledger(data, actor=job.actor, progress=_progress_of(job))
        _store_plan(job, plan, status=Status.CHECKED)
    return job


@transaction.atomic
def ledger_import_request_apply(
    *, actor: Actor, job: LedgerImportJob, background: bool = True
) -> LedgerImportJob:
    """Ask for a checked job to be written; only its importer may, and only without errors."""
    job = LedgerImportJob.objects.select_for_update().get(pk=job.pk)
    if job.actor_id != actor.pk:
        raise NotFound()
    if not job.can_apply:
        raise Conflict(gettext("只有预检通过且有需要写入的变化时才能执行导入。"))
    job.status = Status.APPLYING
    job.message = ""
    job.save(update_fields=["status", "message", "updated_at"])
    if background:
        from xinsheng.cases.ledger_tasks import ledger_import_apply_task

        job_id = job.pk
        transaction.on_commit(lambda: ledger_import_apply_task.enqueue(job_id=job_id))
    return job


def ledger_import_apply(*, job_id: int) -> LedgerImportJob:
    """Write a job asked to be applied: all of it in one transaction, or none of it.

    The rows are checked again inside the transaction; when the database moved since the dry
    run, nothing is written and the job goes back to "checked" with the new report.
    """
    job = LedgerImportJob.objects.select_related("actor").get(pk=job_id)
    if job.status != Status.APPLYING:
        return job
    with translation.override(job.language):
        try:
            data = read_ledger(bytes(job.content), job.file_name)
            _apply(job, data)
        except _PlanChanged as changed:
            _store_plan(job, changed.plan, status=Status.CHECKED)
            job.message = gettext(
                "数据在预检之后有了变化，未写入任何数据。请核对下面新的预检结果。"
            )
            job.save(update_fields=["message"])
        except (InvalidInput, Conflict) as exc:
            _fail(job, str(exc.message))
        except IntegrityError:
            logger.warning("ledger import job %s collided with a concurrent write", job.pk)
            _fail(job, gettext("导入时数据被其他操作同时修改，未写入任何数据，请重新上传。"))
    return job


def ledger_import_fail(*, job_id: int) -> None:
    """Mark a job as failed after an unexpected error, so that its page stops waiting."""
    LedgerImportJob.objects.filter(pk=job_id).exclude(status=Status.APPLIED).update(
        status=Status.FAILED,
        message=gettext("导入因系统错误中断，未写入任何数据。请稍后重试或联系系统管理员。"),
        updated_at=timezone.now(),
    )


def _apply(job: LedgerImportJob, data: LedgerData) -> None:
    with transaction.atomic():
        locked = LedgerImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != Status.APPLYING:
            return
        plan = check_ledger(data, actor=job.actor)
        if plan.errors or plan.digest != job.digest:
            raise _PlanChanged(plan)
        _write(plan, actor=job.actor)
        job.report = plan.report()
        job.status = Status.APPLIED
        job.applied_at = timezone.now()
        job.save(update_fields=["report", "status", "applied_at", "updated_at"])
        audit_record(
            actor=job.actor,
            action="ledger.import",
            obj=job,
            after={"file": job.file_name, **plan.counts()},
        )
        case_events_written()  # e.g. the aggregated figures are brought up to date after commit


# --- writing --------------------------------------------------------------------------------------


def _write(plan: Plan, *, actor: Actor) -> None:
    """Create and change the cases of ``plan``, with their events and ratings."""
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
            case.response_deadline = add_working_days(day, settings.XINSHENG["RESPONSE_DAYS"])
        if case.deadline is None and case.category is not None:
            case.deadline = add_working_days(day, case.category.deadline_for(case.urgency))
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


# --- job bookkeeping ------------------------------------------------------------------------------


def _store_plan(job: LedgerImportJob, plan: Plan, *, status: str) -> None:
    job.report = plan.report()
    job.digest = plan.digest
    job.error_count = len(plan.errors)
    job.change_count = plan.change_count
    job.checked_rows = job.total_rows
    job.status = status
    job.message = ""
    job.checked_at = timezone.now()
    job.save(
        update_fields=[
            "report",
            "digest",
            "error_count",
            "change_count",
            "checked_rows",
            "status",
            "message",
            "checked_at",
            "updated_at",
        ]
    )


def _fail(job: LedgerImportJob, message: str) -> LedgerImportJob:
    job.status = Status.FAILED
    job.message = message[:500]
    job.save(update_fields=["status", "message", "updated_at"])
    return job


def _progress(job: LedgerImportJob, **fields: int) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    LedgerImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def _reading_of(job: LedgerImportJob) -> Callable[[int], None]:
    def report(rows: int) -> None:
        _progress(job, checked_rows=rows)

    return report


def _progress_of(job: LedgerImportJob) -> Callable[[int], None]:
    def report(rows: int) -> None:
        _progress(job, checked_rows=min(rows, job.total_rows))

    return report
