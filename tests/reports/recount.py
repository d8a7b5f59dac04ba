"""A plain recount of every counter, straight from the Case, CaseEvent and Rating rows.

Written apart from ``reports.counting`` and without the aggregates: each counter is worked out
the way docs/metrics.md words it, one question at a time, so that a figure read from the
aggregates can be checked against it.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from xinsheng.cases.choices import CaseStatus, CloseReason, EventKind
from xinsheng.cases.models import Case, CaseEvent, Rating
from xinsheng.core.calendar import add_working_days, working_days_between
from xinsheng.core.ratings import Satisfaction
from xinsheng.org.models import OrgUnit


def _day(moment: dt.datetime | None) -> dt.date:
    if moment is None:
        raise AssertionError("a closed case has its times")
    return timezone.localtime(moment).date()


@dataclass
class Raw:
    """Every case with its events, and every rating, read once."""

    cases: list[Case]
    events: dict[int, list[CaseEvent]]
    ratings: list[Rating]


def raw_rows() -> Raw:
    """Return the raw rows the recount reads."""
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.order_by("at", "id"):
        events[event.case_id].append(event)
    return Raw(list(Case.objects.all()), events, list(Rating.objects.all()))


def recount(raw: Raw, unit: OrgUnit, start: dt.date, end: dt.date) -> Counter[str]:
    """Return every counter of ``unit``'s subtree over ``start``–``end``, recounted."""
    inside = set(OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))

    def counts(unit_id: int | None, day: dt.date) -> bool:
        return unit_id in inside and start <= day <= end

    total: Counter[str] = Counter()
    for case in raw.cases:
        events = raw.events[case.pk]
        if counts(case.origin_unit_id, _day(case.created_at)):
            total["received"] += 1
            total["rejected"] += case.status == CaseStatus.REJECTED
            total["merged"] += case.status == CaseStatus.MERGED
        dispatches = [e for e in events if e.kind == EventKind.DISPATCHED]
        for number, dispatch in enumerate(dispatches):
            following = dispatches[number + 1] if number + 1 < len(dispatches) else None
            during = [
                e for e in events if e.at >= dispatch.at and (not following or e.at < following.at)
            ]
            if counts(dispatch.unit_id, _day(dispatch.at)):
                total["dispatched"] += 1
                total["returned"] += any(e.kind == EventKind.RETURNED for e in during)
            if following is None and case.response_deadline is not None:
                due = case.response_deadline
            else:
                due = add_working_days(_day(dispatch.at), settings.XINSHENG["RESPONSE_DAYS"])
            if counts(dispatch.unit_id, due):
                total["response_due"] += 1
                signed = [e for e in during if e.kind == EventKind.SIGNED]
                total["responded"] += bool(signed) and _day(signed[0].at) <= due
        for event in events:
            if event.kind not in {EventKind.REOPENED, EventKind.SUPERVISED}:
                continue
            holder = event.unit_id
            if holder is None:
                holder = [d for d in dispatches if d.at <= event.at][-1].unit_id
            if counts(holder, _day(event.at)):
                total[str(event.kind)] += 1
        closed = case.status == CaseStatus.CLOSED
        if closed and counts(case.responsible_unit_id, _day(case.closed_at)):
            total["closed"] += 1
            answered_on = _day(case.answered_at)
            total["closed_on_time"] += case.deadline is None or answered_on <= case.deadline
            total["closed_unrated"] += case.close_reason == CloseReason.NOT_RATED
            total["handled"] += 1
            total["handling_days"] += working_days_between(_day(case.dispatched_at), answered_on)
    for rating in raw.ratings:
        earlier = [
            e
            for e in raw.events[rating.case_id]
            if e.kind == EventKind.DISPATCHED and e.at <= rating.at
        ]
        if earlier and counts(earlier[-1].unit_id, _day(rating.at)):
            total["rated"] += 1
            total["solved"] += rating.solved
            total["satisfied"] += rating.satisfaction == Satisfaction.SATISFIED
            total["basically_satisfied"] += rating.satisfaction == Satisfaction.BASICALLY_SATISFIED
            total["unsatisfied"] += rating.satisfaction == Satisfaction.UNSATISFIED
    return total
