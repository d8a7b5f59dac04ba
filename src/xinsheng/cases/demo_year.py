"""The demo year taken in memory and written in bulk.

The demo's past never happened in real time, so it need not go through the services one step at
a time (dozens of queries a step, seventeen thousand steps). ``Year`` takes the planned steps and
the nightly sweeps of every simulated day in time order, as the services and the scheduler would
take them, on cases held in memory: the same checks of the loop's steps, the same state changes,
the same events with the same data, each stamped with its simulated time. ``Year.write`` then
saves the cases, their events and ratings in a few bulk inserts, in the order they happened.

Live actions go through ``xinsheng.cases.services`` only; the tests take a small demo year both
ways and compare them, so that the two stay the same.
"""

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from xinsheng.cases import steps
from xinsheng.cases.choices import (
    WITH_UNIT,
    CaseStatus,
    Channel,
    CloseReason,
    EventKind,
    SubmitterCheck,
)
from xinsheng.cases.event_hooks import case_events_written
from xinsheng.cases.intake import receipts
from xinsheng.cases.models import Case, CaseEvent, Category, Rating
from xinsheng.cases.numbering import case_numbers_reserve
from xinsheng.cases.selectors import person_name_key
from xinsheng.cases.validation import (
    REASON_MAX,
    clean_note,
    clean_text_normalized,
    clean_title,
)
from xinsheng.core.calendar import add_working_days
from xinsheng.core.errors import Conflict
from xinsheng.core.progress import progress_report
from xinsheng.core.ratings import Satisfaction

if TYPE_CHECKING:
    from xinsheng.cases.demo import CasePlan, Step

BATCH = 500  # rows per insert


@contextmanager
def stamps_as_given(*fields: models.DateTimeField[Any, Any]) -> Iterator[None]:
    """Keep the times set on new rows inside this block instead of stamping them with now.

    ``auto_now`` and ``auto_now_add`` fields stamp every insert; the demo writes a past whose
    times it has decided itself.
    """
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _time_field(model: type[models.Model], name: str) -> models.DateTimeField[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.DateTimeField):
        raise TypeError(f"{model.__name__}.{name} is not a time")
    return field


class Year:
    """The cases of the demo year, taken round the loop in memory."""

    def __init__(
        self, categories: dict[str, Category], days_off: frozenset[dt.date], names: dict[str, str]
    ) -> None:
        self.categories = categories
        self.days_off = days_off
        self.names = names  # the name of each employee number, to check named submitters
        self.response_days = int(settings.XINSHENG["RESPONSE_DAYS"])
        self.unrated_after = dt.timedelta(days=int(settings.XINSHENG["UNRATED_CLOSE_DAYS"]))
        self.cases: list[Case] = []  # in the order they came in
        self.events: list[CaseEvent] = []  # in the order they were written
        self.ratings: list[Rating] = []
        self.order: dict[int, int] = {}  # by id() of a case: its place in ``cases``
        self.with_unit: dict[int, Case] = {}  # by id(): dispatched or in progress
        self.answered: dict[int, Case] = {}  # by id(): waiting for a rating
        self.reminded: dict[int, set[str]] = {}  # by id(): the deadlines reminded of
        self.rated: set[tuple[int, int]] = set()  # id() of a case and the answer round rated
        self.working_day_after: dict[dt.date, dt.date] = {}

    # Time.

    def after_working_days(self, day: dt.date, n: int) -> dt.date:
        return add_working_days(day, n, days_off=self.days_off)

    def next_working_day(self, day: dt.date) -> dt.date:
        if day not in self.working_day_after:
            self.working_day_after[day] = self.after_working_days(day, 1)
        return self.working_day_after[day]

    # Taking the year.

    def run(self, plans: list["CasePlan"], start: dt.datetime, end: dt.datetime) -> None:
        """Take every step before ``end``, and sweep at each midnight after ``start``."""
        agenda = [
            (step.at, 1, i, j)
            for i, plan in enumerate(plans)
            for j, step in enumerate(plan.steps)
            if step.at < end
        ]
        day = start.date() + dt.timedelta(days=1)
        while day <= end.date():
            agenda.append((dt.datetime.combine(day, dt.time.min, tzinfo=end.tzinfo), 0, -1, -1))
            day += dt.timedelta(days=1)
        agenda.sort()
        numbers = iter(case_numbers_reserve(sum(1 for _at, _o, _i, j in agenda if j == 0)))
        for done, (at, _order, i, j) in enumerate(agenda):
            if done % 200 == 0:
                progress_report(done, 2 * len(agenda))
            if i < 0:
                self.sweep(at)
            elif j == 0:
                self.submit(plans[i], plans[i].steps[0], next(numbers))
            else:
                self.take(plans[i], plans[i].steps[j])
        self.write(len(agenda))

    def file(self, case: Case) -> None:
        """Keep the lists the sweeps read up to date with ``case``'s state."""
        key = id(case)
        if case.status in WITH_UNIT:
            self.with_unit[key] = case
        else:
            self.with_unit.pop(key, None)
        if case.status == CaseStatus.ANSWERED:
            self.answered[key] = case
        else:
            self.answered.pop(key, None)

    def event(
        self,
        case: Case,
        kind: EventKind,
        at: dt.datetime,
        *,
        actor_id: int | None = None,
        from_status: str = "",
        note: str = "",
        public: bool = True,
        unit_id: int | None = None,
        data: Mapping[str, object] | None = None,
    ) -> None:
        """Write an event as the services' ``_event`` does, at ``at``."""
        self.events.append(
            CaseEvent(
                case=case,
                kind=kind,
                at=at,
                actor_id=actor_id,
                from_status=from_status,
                to_status=case.status if from_status else "",
                note=note,
                is_public=public,
                unit_id=unit_id,
                data=dict(data or {}),
            )
        )

    def move(self, case: Case, name: str) -> str:
        """Take the loop's step ``name`` (its state and guard checked); return the old state."""
        step = steps.STEP[name]
        if not step.open_for(case):
            raise Conflict(f"{case.case_no}: {name} is not open in {case.status}")
        previous = case.status
        target = step.target(previous)
        if target is not None:
            case.status = target
        return previous

    def sweep(self, at: dt.datetime) -> None:
        """Do what the scheduler does each night: overdue, reminders, unrated answers.

        Each sweep takes its cases newest first, as its query orders them.
        """
        today = at.date()

        def newest_first(cases: Iterator[Case]) -> list[Case]:
            return sorted(cases, key=lambda case: self.order[id(case)], reverse=True)

        due = (
            c
            for c in self.with_unit.values()
            if not c.is_overdue and c.deadline is not None and c.deadline < today
        )
        for case in newest_first(due):
            case.is_overdue = True
            case.updated_at = at
            self.event(case, EventKind.OVERDUE, at, public=False, unit_id=case.responsible_unit_id)
        tomorrow = self.next_working_day(today)
        for case in newest_first(c for c in self.with_unit.values() if c.deadline == tomorrow):
            stamp = tomorrow.isoformat()
            reminded = self.reminded.setdefault(id(case), set())
            if stamp not in reminded:
                reminded.add(stamp)
                self.event(case, EventKind.REMINDED, at, public=False, data={"deadline": stamp})
        cutoff = at - self.unrated_after
        stale = (c for c in self.answered.values() if c.answered_at and c.answered_at < cutoff)
        for case in newest_first(stale):
            previous = self.move(case, "close")
            case.closed_at = case.updated_at = at
            case.close_reason = CloseReason.NOT_RATED
            reason = {"reason": CloseReason.NOT_RATED}
            self.event(case, EventKind.CLOSED, at, from_status=previous, data=reason)
            self.file(case)

    def submit(self, plan: "CasePlan", step: "Step", number: int) -> None:
        """Take a voice in, as ``case_submit`` (QR code) or ``case_record`` (written down)."""
        text, original = clean_text_normalized(plan.text)
        code = receipts.receipt_new()
        case = Case(
            case_no=f"{step.at.year}-{number:06d}",
            channel=plan.channel if plan.recorder is not None else Channel.QR,
            kind=plan.kind,
            title=clean_title(plan.title, text),
            text=text,
            text_original=original,
            origin_unit=plan.origin,
            is_anonymous=plan.identity.anonymous,
            receipt_hash=receipts.receipt_hash(code),
            created_at=step.at,
            updated_at=step.at,
            **self.identity(plan),
        )
        if plan.recorder is not None:
            case.recorded_by_id = plan.recorder.pk
            case.heard_on = plan.heard_on
            case.heard_place = clean_note("heard_place", plan.heard_place, required=False)
        plan.case, plan.receipt = case, code
        self.order[id(case)] = len(self.cases)
        self.cases.append(case)
        if plan.recorder is None:
            self.event(case, EventKind.SUBMITTED, step.at, unit_id=plan.origin.pk)
        else:
            self.event(
                case, EventKind.RECORDED, step.at, actor_id=plan.recorder.pk, unit_id=plan.origin.pk
            )

    def identity(self, plan: "CasePlan") -> dict[str, str]:
        """Return the submitter's columns, checked as ``submitter_check_for`` checks them."""
        who = plan.identity
        if who.anonymous:
            return {}
        known = self.names.get(who.employee_no)
        check = (
            SubmitterCheck.NOT_CHECKED
            if not who.employee_no
            else SubmitterCheck.UNKNOWN_NO
            if known is None
            else SubmitterCheck.NAME_MISMATCH
            if person_name_key(known) != person_name_key(who.name)
            else SubmitterCheck.VERIFIED
        )
        return {
            "submitter_name": who.name,
            "submitter_employee_no": who.employee_no,
            "submitter_phone": who.phone,
            "submitter_check": check,
        }

    def take(self, plan: "CasePlan", step: "Step") -> None:
        """Take ``step`` on the plan's case at ``step.at``."""
        case = plan.case
        if case is None:
            raise ValueError("a step before the case exists")
        TAKE[step.action](self, plan, case, step)
        if step.action != "note":  # a note leaves the case row as it is
            case.updated_at = step.at
        self.file(case)

    # Writing it.

    def write(self, done: int) -> None:
        """Save the cases, then their events and ratings, in the order they happened."""
        total = 2 * done
        rows = len(self.cases) + len(self.events) + len(self.ratings)
        written = 0

        def saved(count: int) -> None:
            nonlocal written
            written += count
            progress_report(done + done * written // max(rows, 1), total)

        stamps = (
            _time_field(Case, "created_at"),
            _time_field(Case, "updated_at"),
            _time_field(CaseEvent, "at"),
            _time_field(Rating, "at"),
        )
        with stamps_as_given(*stamps):
            batch: list[Case] = []
            for case in self.cases:
                # A case is merged into one that came in before it: saved first.
                if case.merged_into is not None and case.merged_into.pk is None:
                    Case.objects.bulk_create(batch)
                    saved(len(batch))
                    batch = []
                batch.append(case)
                if len(batch) >= BATCH:
                    Case.objects.bulk_create(batch)
                    saved(len(batch))
                    batch = []
            Case.objects.bulk_create(batch)
            saved(len(batch))
            for rows_of in (self.events, self.ratings):
                model: Any = type(rows_of[0]) if rows_of else None
                for start in range(0, len(rows_of), BATCH):
                    model.objects.bulk_create(rows_of[start : start + BATCH])
                    saved(len(rows_of[start : start + BATCH]))
        progress_report(total, total)
        if self.events:
            case_events_written()  # as the services do: the figures fold them in


Take = Callable[[Year, "CasePlan", Case, "Step"], None]


def _actor_id(step: "Step") -> int:
    if step.actor is None:
        raise ValueError(f"{step.action} needs an actor")
    return int(step.actor.pk)


def _date(step: "Step") -> dt.date:
    if step.date is None:
        raise ValueError(f"{step.action} needs a date")
    return step.date


def _accept(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    category = year.categories[plan.category.code]
    if not category.is_active:
        raise Conflict(f"{category.code} is not active")
    previous = year.move(case, "accept")
    case.category = category
    case.urgency = plan.urgency
    case.accepted_at = step.at
    data = {"category": category.code}
    actor = _actor_id(step)
    year.event(case, EventKind.ACCEPTED, step.at, actor_id=actor, from_status=previous, data=data)


def _reject(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    reason = clean_note("reason", step.text, limit=REASON_MAX)
    previous = year.move(case, "reject")
    case.reject_reason = reason
    case.closed_at = step.at
    actor = _actor_id(step)
    year.event(case, EventKind.REJECTED, step.at, actor_id=actor, from_status=previous, note=reason)


def _merge(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    target = plan.merge_into.case if plan.merge_into is not None else None
    if target is None or target is case:
        raise ValueError("merging into a case that does not exist yet")
    if target.status in {CaseStatus.MERGED, CaseStatus.REJECTED}:
        raise Conflict(f"{case.case_no}: {target.case_no} takes no merge")
    previous = year.move(case, "merge")
    case.merged_into = target
    case.closed_at = step.at
    target.supporters += 1 + case.supporters  # the target's row is not saved: no new time
    actor = _actor_id(step)
    into = {"into": target.case_no}
    year.event(case, EventKind.MERGED, step.at, actor_id=actor, from_status=previous, data=into)
    year.event(target, EventKind.SUPPORTED, step.at, actor_id=actor, data={"merged": case.case_no})


def _dispatch(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    if step.unit is None:
        raise ValueError("dispatch needs a unit")
    deadline = _date(step)
    previous = year.move(case, "dispatch")
    case.responsible_unit = step.unit
    case.handler_id = None
    case.dispatched_at = step.at
    case.response_deadline = year.after_working_days(step.at.date(), year.response_days)
    case.deadline = deadline
    case.signed_at = None
    case.is_overdue = False
    case.extension_until = None
    case.extension_reason = ""
    year.event(
        case,
        EventKind.DISPATCHED,
        step.at,
        actor_id=_actor_id(step),
        from_status=previous,
        unit_id=step.unit.pk,
        data={"deadline": deadline.isoformat()},
    )


def _sign(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    previous = year.move(case, "sign")
    case.signed_at = step.at
    case.handler_id = _actor_id(step)
    year.event(
        case,
        EventKind.SIGNED,
        step.at,
        actor_id=case.handler_id,
        from_status=previous,
        unit_id=case.responsible_unit_id,
    )


def _note(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    year.move(case, "note")
    note = clean_note("text", step.text)
    year.event(case, EventKind.NOTE, step.at, actor_id=_actor_id(step), public=False, note=note)


def _return(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    reason = clean_note("reason", step.text, limit=REASON_MAX)
    unit_id = case.responsible_unit_id
    previous = year.move(case, "return")
    case.extension_until = None
    year.event(
        case,
        EventKind.RETURNED,
        step.at,
        actor_id=_actor_id(step),
        from_status=previous,
        note=reason,
        public=False,
        unit_id=unit_id,
    )


def _extend(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    year.move(case, "extend")
    reason = clean_note("reason", step.text, limit=REASON_MAX)
    until = _date(step)
    if case.deadline is not None and until <= case.deadline:
        raise Conflict(f"{case.case_no}: an extension to {until} is no extension")
    case.extension_until = until
    case.extension_reason = reason
    year.event(
        case,
        EventKind.EXTENSION_REQUESTED,
        step.at,
        actor_id=_actor_id(step),
        public=False,
        note=reason,
        data={"until": until.isoformat()},
    )


def _grant(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    year.move(case, "grant-extension")
    old, case.deadline = case.deadline, case.extension_until
    case.extension_until = None
    case.is_overdue = False
    data = {
        "from": old.isoformat() if old else None,
        "to": case.deadline and case.deadline.isoformat(),
    }
    actor = _actor_id(step)
    year.event(case, EventKind.EXTENSION_GRANTED, step.at, actor_id=actor, data=data)


def _refuse(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    year.move(case, "refuse-extension")
    asked = case.extension_until
    case.extension_until = None
    year.event(
        case,
        EventKind.EXTENSION_REFUSED,
        step.at,
        actor_id=_actor_id(step),
        public=False,
        data={"asked": asked and asked.isoformat()},
    )


def _supervise(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    text = clean_note("text", step.text)
    supervise = steps.STEP["supervise"]
    if not supervise.open_for(case):
        raise Conflict(f"{case.case_no}: supervise is not open in {case.status}")
    reopens = supervise.target(case.status) is not None
    previous = year.move(case, "supervise") if reopens else ""
    if reopens:  # supervision reopens what was escalated
        case.closed_at = None
        case.close_reason = ""
        case.escalated = False
    if step.outcome == "reopened":
        case.deadline = _date(step)
    case.supervision_count += 1
    year.event(
        case,
        EventKind.SUPERVISED,
        step.at,
        actor_id=_actor_id(step),
        from_status=previous,
        note=text,
        public=False,
        unit_id=case.responsible_unit_id,
    )


def _answer(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    text = clean_note("text", step.text)
    previous = year.move(case, "answer")
    case.answer = text
    case.answered_at = step.at
    case.answer_count += 1
    case.solved_by_unit = step.solved
    case.extension_until = None
    year.event(
        case,
        EventKind.ANSWERED,
        step.at,
        actor_id=_actor_id(step),
        from_status=previous,
        note=text,
        unit_id=case.responsible_unit_id,
        data={"solved": step.solved, "round": case.answer_count},
    )


def _rate(year: Year, plan: "CasePlan", case: Case, step: "Step") -> None:
    """Rate the answer as ``case_rate`` does; the rating decides as ``_rating_decides`` does."""
    comment = clean_note("comment", step.text, required=False, limit=REASON_MAX)
    answered_round = case.answer_count
    rated_before = (id(case), answered_round) in year.rated
    if case.answered_at is None or (case.status != CaseStatus.ANSWERED and not rated_before):
        raise Conflict(f"{case.case_no} cannot be rated in {case.status}")
    year.rated.add((id(case), answered_round))
    year.ratings.append(
        Rating(
            case=case,
            via_case=case,
            answer_round=answered_round,
            satisfaction=step.satisfaction,
            solved=step.solved,
            comment=comment,
            at=step.at,
        )
    )
    data = {"satisfaction": step.satisfaction, "solved": step.solved, "round": answered_round}
    year.event(case, EventKind.RATED, step.at, note=comment, data=data)
    if case.status != CaseStatus.ANSWERED:
        return
    if step.satisfaction != Satisfaction.UNSATISFIED:
        previous = year.move(case, "close")
        case.closed_at = step.at
        case.close_reason = CloseReason.RATED
        reason = {"reason": CloseReason.RATED}
        year.event(case, EventKind.CLOSED, step.at, from_status=previous, data=reason)
    elif steps.STEP["reopen"].open_for(case):
        previous = year.move(case, "reopen")
        case.reopen_count += 1
        case.deadline = _date(step)
        case.is_overdue = False
        data = {"round": case.reopen_count, "deadline": case.deadline.isoformat()}
        year.event(case, EventKind.REOPENED, step.at, from_status=previous, data=data)
    else:
        previous = year.move(case, "close")
        case.closed_at = step.at
        case.close_reason = CloseReason.SUPERVISION
        case.escalated = True
        reason = {"reason": CloseReason.SUPERVISION}
        year.event(case, EventKind.CLOSED, step.at, from_status=previous, data=reason)


TAKE: dict[str, Take] = {
    "accept": _accept,
    "reject": _reject,
    "merge": _merge,
    "dispatch": _dispatch,
    "sign": _sign,
    "note": _note,
    "return": _return,
    "extend": _extend,
    "grant": _grant,
    "refuse": _refuse,
    "supervise": _supervise,
    "answer": _answer,
    "rate": _rate,
}
