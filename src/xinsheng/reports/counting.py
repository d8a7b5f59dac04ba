"""What one case counts for: its contributions to the counters, per (unit, day).

Pure Python over plain rows, no ORM: ``figures.py`` loads the rows and stores the result. The
rules are those of docs/metrics.md; the recount test checks them against a count written
independently from the raw rows.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from xinsheng.cases.choices import CaseStatus, CloseReason, EventKind
from xinsheng.core.calendar import add_working_days, working_days_between
from xinsheng.core.ratings import Satisfaction


@dataclass(frozen=True)
class CaseRow:
    """The fields of a case that figures read."""

    id: int
    origin_unit_id: int
    created_at: dt.datetime
    channel: str
    category_id: int | None
    status: str
    responsible_unit_id: int | None
    response_deadline: dt.date | None
    dispatched_at: dt.datetime | None
    answered_at: dt.datetime | None
    deadline: dt.date | None
    closed_at: dt.datetime | None
    close_reason: str


@dataclass(frozen=True)
class EventRow:
    """The fields of a case event that figures read."""

    id: int
    kind: str
    at: dt.datetime
    unit_id: int | None


@dataclass(frozen=True)
class RatingRow:
    """The fields of a rating that figures read."""

    at: dt.datetime
    satisfaction: str
    solved: bool


@dataclass
class Contribution:
    """What a case counts for at one unit on one day."""

    unit_id: int
    day: dt.date
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    channel: str = ""
    category_id: int | None = None


@dataclass
class _Dispatch:
    unit_id: int
    at: dt.datetime
    signed_on: dt.date | None = None
    returned: bool = False


@dataclass(frozen=True)
class Rules:
    """The installation's rules figures depend on: the response clock and the calendar."""

    response_days: int
    days_off: frozenset[dt.date]
    local_day: Callable[[dt.datetime], dt.date]


def case_contributions(
    case: CaseRow, events: Sequence[EventRow], ratings: Iterable[RatingRow], rules: Rules
) -> list[Contribution]:
    """Return what ``case`` counts for, one contribution per (unit, day) it touches.

    ``events`` must be the case's events in the order they happened (``at``, then ``id``).
    """
    out: dict[tuple[int, dt.date], Contribution] = {}

    def add(unit_id: int | None, day: dt.date, **counts: int) -> Contribution | None:
        if unit_id is None:
            return None
        row = out.get((unit_id, day))
        if row is None:
            row = out[(unit_id, day)] = Contribution(unit_id, day)
        for name, value in counts.items():
            row.counts[name] += value
        return row

    day_of = rules.local_day
    received = add(
        case.origin_unit_id,
        day_of(case.created_at),
        received=1,
        rejected=int(case.status == CaseStatus.REJECTED),
        merged=int(case.status == CaseStatus.MERGED),
    )
    if received is not None:
        received.channel = case.channel
        received.category_id = case.category_id

    dispatches = _dispatches(case, events, rules, add)
    for rating in ratings:
        unit_id = _unit_at(dispatches, rating.at) or case.responsible_unit_id
        add(
            unit_id,
            day_of(rating.at),
            rated=1,
            solved=int(rating.solved),
            satisfied=int(rating.satisfaction == Satisfaction.SATISFIED),
            basically_satisfied=int(rating.satisfaction == Satisfaction.BASICALLY_SATISFIED),
            unsatisfied=int(rating.satisfaction == Satisfaction.UNSATISFIED),
        )
    if case.status == CaseStatus.CLOSED and case.closed_at is not None:
        _add_closing(case, case.closed_at, rules, add)
    return list(out.values())


def _dispatches(
    case: CaseRow,
    events: Sequence[EventRow],
    rules: Rules,
    add: Callable[..., Contribution | None],
) -> list[_Dispatch]:
    """Walk the events: count dispatches, responses, returns, reopenings and supervision."""
    dispatches: list[_Dispatch] = []
    current: _Dispatch | None = None
    for event in events:
        if event.kind == EventKind.DISPATCHED and event.unit_id is not None:
            current = _Dispatch(event.unit_id, event.at)
            dispatches.append(current)
        elif event.kind == EventKind.SIGNED and current is not None and current.signed_on is None:
            current.signed_on = rules.local_day(event.at)
        elif event.kind == EventKind.RETURNED and current is not None:
            current.returned = True
        elif event.kind == EventKind.REOPENED:
            unit_id = current.unit_id if current else case.responsible_unit_id
            add(unit_id, rules.local_day(event.at), reopened=1)
        elif event.kind == EventKind.SUPERVISED:
            unit_id = event.unit_id or (current.unit_id if current else case.responsible_unit_id)
            add(unit_id, rules.local_day(event.at), supervised=1)
    for number, dispatch in enumerate(dispatches, start=1):
        day = rules.local_day(dispatch.at)
        add(dispatch.unit_id, day, dispatched=1, returned=int(dispatch.returned))
        due = None
        if number == len(dispatches):
            due = case.response_deadline  # the last dispatch's deadline is on the case
        if due is None:
            due = add_working_days(day, rules.response_days, days_off=rules.days_off)
        in_time = dispatch.signed_on is not None and dispatch.signed_on <= due
        add(dispatch.unit_id, due, response_due=1, responded=int(in_time))
    return dispatches


def _unit_at(dispatches: Sequence[_Dispatch], moment: dt.datetime) -> int | None:
    """Return the unit the case was dispatched to last before ``moment``."""
    unit_id = None
    for dispatch in dispatches:
        if dispatch.at <= moment:
            unit_id = dispatch.unit_id
    return unit_id


def _add_closing(
    case: CaseRow,
    closed_at: dt.datetime,
    rules: Rules,
    add: Callable[..., Contribution | None],
) -> None:
    closed_on = rules.local_day(closed_at)
    answered_on = rules.local_day(case.answered_at) if case.answered_at else None
    on_time = case.deadline is None or (answered_on or closed_on) <= case.deadline
    handled = case.dispatched_at is not None and answered_on is not None
    days = 0
    if case.dispatched_at is not None and answered_on is not None:
        days = working_days_between(
            rules.local_day(case.dispatched_at), answered_on, days_off=rules.days_off
        )
    add(
        case.responsible_unit_id or case.origin_unit_id,
        closed_on,
        closed=1,
        closed_on_time=int(on_time),
        closed_unrated=int(case.close_reason == CloseReason.NOT_RATED),
        handled=int(handled),
        handling_days=days,
    )
