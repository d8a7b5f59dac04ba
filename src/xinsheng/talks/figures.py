"""The figures of talks and visits for a unit subtree and a period, counted from the records.

What each number counts:

- **talks / visits** (谈心 / 走访): records held in the period at a unit of the subtree; visits
  include home visits (家访), also given on their own.
- **person-times** (人次): people talked with or visited, one per person per record
  (``TalkParticipant`` rows), by the person's unit when the record was written.
- **people reached** (覆盖人数): distinct people among them; a person reached twice counts once.
- **coverage** (覆盖率): people reached ÷ headcount (the active people of the subtree now), at
  most 100% (someone reached who has left since still counts as reached).
- **pairs** (约谈对子): pairs of the cycles overlapping the period, per tier: planned (neither
  waived nor retired), held, waived.
- **requests** (约谈申请): received in the period (by the day they were made) and, of those, held;
  waiting is a state: asked or scheduled now, whenever made.
- **voices** (反映诉求): cases linked to the period's records (``TalkVoice``) and to its meetings;
  solved as the 解决率 counts it (docs/metrics.md): the case is closed and the employee's rating of
  its last answer says solved. A closure without a rating is never solved.
- **meetings**: held in the period at a unit of the subtree, by kind.
- **rectifications** (整改): items raised by the period's meetings and inspections whose owner unit
  is in the subtree; done; overdue (not done and past the due date today).

Speed: the board counts all its units with one query per figure (``summed``): the rows under
the units' common path, grouped by their path cut to the deepest unit's length, and added up here
into every unit whose subtree holds them, so a board of fifty units costs what a board of two
does. People reached and person-times of a calendar month, quarter or year, and the talks and
visits, come from ``talks.aggregates`` (one sum per unit, caught up with the records first); a
run of whole months counts distinct people in the aggregates' reach rows; any other range of
days counts the participants themselves (exact, slower on a large tree). The headcount counts
the people now, never a copy. The dashboard only reads (``shared``): it never catches the
aggregates up, which locks and writes; while they are behind the records (until the
scheduler's next pass or a board's read), it counts the records themselves.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from xinsheng.cases.choices import CaseStatus, CloseReason
from xinsheng.cases.models import Case, Rating
from xinsheng.core.periods import Period
from xinsheng.core.plain_sql import column, day, fetch, moment, prefix, starts_with, table
from xinsheng.org.models import OrgUnit, Person
from xinsheng.org.shared_reads import SharedReads
from xinsheng.talks import aggregates
from xinsheng.talks.choices import MeetingKind, PairStatus, RequestStatus, TalkKind
from xinsheng.talks.models import (
    Inspection,
    Meeting,
    Rectification,
    TalkCycle,
    TalkPair,
    TalkParticipant,
    TalkRecord,
    TalkRequest,
    TalkTally,
    TalkVoice,
    TierRule,
)

VISIT_KINDS = (TalkKind.VISIT, TalkKind.HOME_VISIT)
WAITING = (RequestStatus.REQUESTED, RequestStatus.SCHEDULED)


def ratio(numerator: int, denominator: int) -> float | None:
    """Return ``numerator ÷ denominator``, None when there is nothing to divide by."""
    return numerator / denominator if denominator else None


def coverage_of(reached: int, headcount: int) -> float | None:
    """Return the coverage: people reached ÷ headcount, at most 1 (None without headcount)."""
    share = ratio(reached, headcount)
    return min(share, 1.0) if share is not None else None


# --- counting many units at once ------------------------------------------------------------------


def _by_length(units: Iterable[OrgUnit]) -> dict[int, dict[str, int]]:
    groups: dict[int, dict[str, int]] = defaultdict(dict)
    for unit in units:
        groups[len(unit.path)][unit.path] = unit.pk
    return groups


def _common_path(paths: Iterable[str]) -> str:
    first, *rest = paths
    prefix = first
    for path in rest:
        while not path.startswith(prefix):
            prefix = prefix[: -OrgUnit.steplen]
    return prefix


class Subtrees:
    """The subtrees of some units: what a count made at a unit path adds to."""

    def __init__(self, units: Sequence[OrgUnit]) -> None:
        self.by_path = {unit.path: unit.pk for unit in units}
        self.lengths = sorted({len(path) for path in self.by_path})
        self.common = _common_path(self.by_path) if self.by_path else ""

    def rows(self, queryset: QuerySet[Any], path_field: str) -> QuerySet[Any]:
        """Return the rows of ``queryset`` under the units' common path, with ``prefix``: their
        path cut to the deepest of the units (all that ``owners`` needs, and fewer groups)."""
        rows: QuerySet[Any] = queryset.filter(
            **{f"{path_field}__startswith": self.common}
        ).annotate(prefix=Substr(path_field, 1, self.lengths[-1] if self.lengths else 0))
        return rows

    def owners(self, path: str) -> list[int]:
        """Return the ids of the units whose subtree holds ``path``."""
        found = (self.by_path.get(path[:length]) for length in self.lengths if length <= len(path))
        return [pk for pk in found if pk is not None]


def summed(
    queryset: QuerySet[Any],
    units: Sequence[OrgUnit],
    *,
    path_field: str = "unit_path",
    **sums: Any,
) -> dict[int, dict[str, int]]:
    """Return ``sums`` of ``queryset`` over each unit's subtree, by unit id.

    One query for all ``units``, nested or not: the sums per unit path under their common path,
    added up here into every unit above. Only for figures that add up (counts and sums, not
    distinct counts: use ``grouped``).
    """
    subtrees = Subtrees(units)
    names = list(sums)
    totals = {unit.pk: dict.fromkeys(names, 0) for unit in units}
    rows = subtrees.rows(queryset, path_field).order_by().values_list("prefix").annotate(**sums)
    for path, *values in rows:
        for pk in subtrees.owners(path):
            total = totals[pk]
            for name, value in zip(names, values, strict=True):
                total[name] += value or 0
    return totals


def grouped(
    queryset: QuerySet[Any],
    units: Sequence[OrgUnit],
    *,
    path_field: str = "unit_path",
    **aggregates: Any,
) -> dict[int, dict[str, int]]:
    """Return ``aggregates`` of ``queryset`` over each unit's subtree, by unit id.

    One query per depth among ``units``: the rows under the units' common path, grouped by the
    leading part of their path, so any aggregate is exact (distinct counts too). Units must not
    be nested within one depth's group (siblings and cousins are fine; a unit and its child are
    counted by separate queries, being of two depths).
    """
    counts = {unit.pk: dict.fromkeys(aggregates, 0) for unit in units}
    for length, by_path in _by_length(units).items():
        rows = (
            queryset.filter(**{f"{path_field}__startswith": _common_path(by_path)})
            .annotate(prefix=Substr(path_field, 1, length))
            .filter(prefix__in=list(by_path))
            .order_by()
            .values("prefix")
            .annotate(**aggregates)
        )
        for row in rows:
            counts[by_path[row["prefix"]]].update({name: row[name] or 0 for name in aggregates})
    return counts


def headcounts(units: Sequence[OrgUnit]) -> dict[int, int]:
    """Return the active people of each of ``units`` and its subtree now, by unit id.

    One query for all ``units`` (``org.selectors.unit_headcounts`` runs one per depth): the
    active people per unit path under their common path, added up here. It reads the people
    themselves, so it is never stale.
    """
    subtrees = Subtrees(units)
    people = subtrees.rows(Person.objects.filter(is_active=True), "unit__path").order_by()
    counts = dict.fromkeys((unit.pk for unit in units), 0)
    for path, n in people.values_list("prefix").annotate(n=Count("id")):
        for pk in subtrees.owners(path):
            counts[pk] += n
    return counts


# --- coverage -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """Whom the talks and visits of a subtree reached in a period."""

    headcount: int
    people_reached: int
    person_times: int
    talks: int
    visits: int
    home_visits: int

    @property
    def coverage(self) -> float | None:
        """Return people reached ÷ headcount (at most 1), None for a subtree with nobody."""
        return coverage_of(self.people_reached, self.headcount)

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as plain values."""
        return {
            "headcount": self.headcount,
            "people_reached": self.people_reached,
            "coverage": self.coverage,
            "person_times": self.person_times,
            "talks": self.talks,
            "visits": self.visits,
            "home_visits": self.home_visits,
        }


def _in_period(period: Period, field_name: str = "held_on") -> dict[str, dt.date]:
    return {f"{field_name}__gte": period.start, f"{field_name}__lte": period.end}


TALLY_SUMS: dict[str, Any] = {
    name: Sum(name) for name in ("people", "person_times", "talks", "visits", "home_visits")
}


def reach_by_unit(
    units: Sequence[OrgUnit], period: Period, *, shared: SharedReads | None = None
) -> dict[int, Reach]:
    """Return the coverage of each of ``units`` (its whole subtree) in ``period``, by unit id.

    A calendar month, quarter or year is one sum over the tally (``talks.aggregates``, caught
    up first); another run of whole months sums the months' tallies and counts distinct people
    in the reach rows; any other period counts the participants and records themselves.

    With ``shared`` (a page that only reads), the aggregates are not caught up: while they miss
    a change, the records are counted instead; the headcounts come from ``shared``.
    """
    if not units:
        return {}
    counts = counted_by_unit(units, period, catch_up=shared is None)
    if shared is not None:
        people = {unit.pk: shared.headcount(unit.path) for unit in units}
    else:
        people = headcounts(units)
    return {
        unit.pk: Reach(
            headcount=people[unit.pk],
            people_reached=counts[unit.pk]["people"],
            person_times=counts[unit.pk]["person_times"],
            talks=counts[unit.pk]["talks"],
            visits=counts[unit.pk]["visits"],
            home_visits=counts[unit.pk]["home_visits"],
        )
        for unit in units
    }


def counted_by_unit(
    units: Sequence[OrgUnit], period: Period, *, catch_up: bool = True
) -> dict[int, dict[str, int]]:
    """Return people, person-times, talks, visits and home visits per unit (see above).

    ``catch_up=False`` never locks nor writes: the records are counted while the aggregates
    are behind them.
    """
    months = aggregates.whole_months(period)
    if months is None:  # a calendar month, quarter or year is whole months too
        return counted_raw(units, period)
    if catch_up:
        aggregates.aggregates_refresh()
    elif aggregates.behind():
        return counted_raw(units, period)
    if (span := aggregates.calendar_span(period)) is not None:
        if len(units) == 1:  # the dashboard's case: the statement written out
            return {units[0].pk: _tally_of_one(units[0], *span)}
        return summed(aggregates.tally_rows(*span), units, **TALLY_SUMS)
    counts = summed(aggregates.month_rows(months), units, **TALLY_SUMS)
    people = grouped(aggregates.reach_rows(months), units, n=Count("person_id", distinct=True))
    for pk, row in people.items():
        counts[pk]["people"] = row["n"]
    return counts


def _tally_of_one(unit: OrgUnit, span: str, start: dt.date) -> dict[str, int]:
    """Return ``TALLY_SUMS`` of the tally rows of one calendar period (``tally_rows``) in the
    subtree of ``unit``."""
    sums = ", ".join(f"SUM({column(TalkTally, name)})" for name in TALLY_SUMS)
    found = fetch(
        f"SELECT {sums} FROM {table(TalkTally)} "  # noqa: S608 - our names
        f"WHERE {column(TalkTally, 'span')} = %s AND {column(TalkTally, 'starts_on')} = %s "
        f"AND {starts_with(column(TalkTally, 'unit_path'))}",
        [span, day(start), prefix(unit.path)],
    )[0]
    return {name: value or 0 for name, value in zip(TALLY_SUMS, found, strict=True)}


def counted_raw(units: Sequence[OrgUnit], period: Period) -> dict[int, dict[str, int]]:
    """Return the same figures as ``counted_by_unit`` from the participants and records."""
    if len(units) == 1:  # the dashboard's case: two statements written out
        return {units[0].pk: _counted_raw_one(units[0], period)}
    people = grouped(
        TalkParticipant.objects.filter(**_in_period(period)),
        units,
        person_times=Count("person_id"),
        people=Count("person_id", distinct=True),
    )
    records = summed(
        TalkRecord.objects.filter(**_in_period(period)),
        units,
        talks=Count("id", filter=Q(kind=TalkKind.TALK)),
        visits=Count("id", filter=Q(kind__in=VISIT_KINDS)),
        home_visits=Count("id", filter=Q(kind=TalkKind.HOME_VISIT)),
    )
    return {unit.pk: {**people[unit.pk], **records[unit.pk]} for unit in units}


def _counted_raw_one(unit: OrgUnit, period: Period) -> dict[str, int]:
    """Return what ``counted_raw`` counts for the one subtree of ``unit``."""
    held, person = column(TalkParticipant, "held_on"), column(TalkParticipant, "person")
    person_times, people = fetch(
        f"SELECT COUNT({person}), COUNT(DISTINCT {person}) FROM {table(TalkParticipant)} "  # noqa: S608 - our names
        f"WHERE {held} >= %s AND {held} <= %s "
        f"AND {starts_with(column(TalkParticipant, 'unit_path'))}",
        [day(period.start), day(period.end), prefix(unit.path)],
    )[0]
    held, kind = column(TalkRecord, "held_on"), column(TalkRecord, "kind")
    talks, visits, home_visits = fetch(
        f"SELECT COUNT(CASE WHEN {kind} = %s THEN 1 END), "  # noqa: S608 - our names
        f"COUNT(CASE WHEN {kind} IN (%s, %s) THEN 1 END), "
        f"COUNT(CASE WHEN {kind} = %s THEN 1 END) FROM {table(TalkRecord)} "
        f"WHERE {held} >= %s AND {held} <= %s AND {starts_with(column(TalkRecord, 'unit_path'))}",
        [
            TalkKind.TALK.value,
            *(visit.value for visit in VISIT_KINDS),
            TalkKind.HOME_VISIT.value,
            day(period.start),
            day(period.end),
            prefix(unit.path),
        ],
    )[0]
    return {
        "person_times": person_times,
        "people": people,
        "talks": talks,
        "visits": visits,
        "home_visits": home_visits,
    }


def reach_of(unit: OrgUnit, period: Period, *, shared: SharedReads | None = None) -> Reach:
    """Return the coverage of ``unit``'s subtree in ``period`` (``shared``: see
    ``reach_by_unit``)."""
    return reach_by_unit([unit], period, shared=shared)[unit.pk]


# --- pairs, requests, meetings and rectifications, per unit ---------------------------------------


@dataclass(frozen=True)
class TierPairs:
    """The pairs of one tier (层级) of the cycles overlapping a period."""

    rule_id: int
    name: str
    order: int
    planned: int
    held: int
    waived: int

    @property
    def rate(self) -> float | None:
        """Return held ÷ planned."""
        return ratio(self.held, self.planned)


def _pairs_of_period(period: Period) -> QuerySet[TalkPair]:
    return TalkPair.objects.filter(
        cycle__starts_on__lte=period.end, cycle__ends_on__gte=period.start
    ).exclude(status=PairStatus.RETIRED)


def _pairs_of_one(unit: OrgUnit, period: Period) -> list[dict[str, Any]]:
    """Return the rows ``pairs_by_unit`` reads for the one subtree of ``unit`` (as
    ``_pairs_of_period`` keeps the pairs), their prefix ``unit``'s path."""
    rule, name, order = (
        column(TalkPair, "rule", "p"),
        column(TierRule, "name", "r"),
        column(TierRule, "order", "r"),
    )
    status = column(TalkPair, "status", "p")
    rows = fetch(
        f"SELECT {rule}, {name}, {order}, {status}, COUNT(*) FROM {table(TalkPair)} p "  # noqa: S608 - our names
        f"INNER JOIN {table(TalkCycle)} c "
        f"ON {column(TalkPair, 'cycle', 'p')} = {column(TalkCycle, 'id', 'c')} "
        f"INNER JOIN {table(TierRule)} r ON {rule} = {column(TierRule, 'id', 'r')} "
        f"WHERE {column(TalkCycle, 'starts_on', 'c')} <= %s "
        f"AND {column(TalkCycle, 'ends_on', 'c')} >= %s AND NOT ({status} = %s) "
        f"AND {starts_with(column(TalkPair, 'unit_path', 'p'))} "
        f"GROUP BY {rule}, {name}, {order}, {status}",
        [day(period.end), day(period.start), PairStatus.RETIRED.value, prefix(unit.path)],
    )
    keys = ("rule_id", "rule__name", "rule__order", "status", "n")
    return [{"prefix": unit.path, **dict(zip(keys, row, strict=True))} for row in rows]


def pairs_by_unit(units: Sequence[OrgUnit], period: Period) -> dict[int, list[TierPairs]]:
    """Return, by unit id, the pairs planned, held and waived per tier in each subtree.

    One query: the pairs per unit path, tier and status, added up here.
    """
    subtrees = Subtrees(units)
    tiers: dict[int, dict[int, dict[str, Any]]] = {unit.pk: {} for unit in units}
    rows: Iterable[dict[str, Any]]
    if len(units) == 1:  # the dashboard's case: the statement written out
        rows = _pairs_of_one(units[0], period)
    else:
        rows = (
            subtrees.rows(_pairs_of_period(period), "unit_path")
            .order_by()
            .values("prefix", "rule_id", "rule__name", "rule__order", "status")
            .annotate(n=Count("id"))
        )
    for row in rows:
        for pk in subtrees.owners(row["prefix"]):
            tier = tiers[pk].setdefault(
                row["rule_id"],
                {"name": row["rule__name"], "order": row["rule__order"], "planned": 0, "held": 0},
            )
            tier.setdefault("waived", 0)
            if row["status"] == PairStatus.WAIVED:
                tier["waived"] += row["n"]
            else:
                tier["planned"] += row["n"]
            if row["status"] == PairStatus.HELD:
                tier["held"] += row["n"]
    return {
        pk: sorted(
            (
                TierPairs(rule_id, t["name"], t["order"], t["planned"], t["held"], t["waived"])
                for rule_id, t in by_rule.items()
            ),
            key=lambda tier: (tier.order, tier.rule_id),
        )
        for pk, by_rule in tiers.items()
    }


def requests_waiting_by_unit(units: Sequence[OrgUnit]) -> dict[int, int]:
    """Return, by unit id, the talk requests asked or scheduled now and not yet held."""
    rows = summed(TalkRequest.objects.filter(status__in=WAITING), units, n=Count("id"))
    return {pk: row["n"] for pk, row in rows.items()}


def meetings_by_unit(units: Sequence[OrgUnit], period: Period) -> dict[int, int]:
    """Return, by unit id, the meetings held in the subtree in ``period``."""
    rows = summed(Meeting.objects.filter(**_in_period(period)), units, n=Count("id"))
    return {pk: row["n"] for pk, row in rows.items()}


def overdue_by_unit(units: Sequence[OrgUnit], today: dt.date | None = None) -> dict[int, int]:
    """Return, by unit id, the rectification items owned in the subtree that are overdue now."""
    today = today or timezone.localdate()
    overdue = Rectification.objects.filter(done_on__isnull=True, due_on__lt=today)
    rows = summed(overdue, units, n=Count("id"))
    return {pk: row["n"] for pk, row in rows.items()}


# --- everything about one subtree -----------------------------------------------------------------


def solved_q() -> Q:
    """Return the filter keeping the cases the 解决率 counts as solved (see docs/metrics.md)."""
    last_answer_solved = Rating.objects.filter(
        case_id=OuterRef("pk"), answer_round=OuterRef("answer_count"), solved=True
    )
    return Q(status=CaseStatus.CLOSED, close_reason=CloseReason.RATED) & Q(
        Exists(last_answer_solved)
    )


@dataclass(frozen=True)
class Voices:
    """Voices raised by talks, visits and meetings, and how many were solved."""

    by_talks: int = 0
    by_visits: int = 0
    by_meetings: int = 0
    raised: int = 0  # distinct cases (a case linked to a record and a meeting counts once)
    solved: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the figures as plain values."""
        return {
            "by_talks": self.by_talks,
            "by_visits": self.by_visits,
            "by_meetings": self.by_meetings,
            "raised": self.raised,
            "solved": self.solved,
        }


def voices_of(unit: OrgUnit, period: Period) -> Voices:
    """Return the voices raised in ``unit``'s subtree by the talks, visits and meetings of
    ``period``, and how many of them were solved.

    Two statements written out (``core.plain_sql``): the dashboard asks on every visit.
    """
    in_period = [day(period.start), day(period.end), prefix(unit.path)]
    # The cases linked to the period's records (v, joined to their record r) …
    record_links = (
        f"FROM {table(TalkVoice)} v INNER JOIN {table(TalkRecord)} r "
        f"ON {column(TalkVoice, 'record', 'v')} = {column(TalkRecord, 'id', 'r')} "
        f"WHERE {column(TalkRecord, 'held_on', 'r')} >= %s "
        f"AND {column(TalkRecord, 'held_on', 'r')} <= %s "
        f"AND {starts_with(column(TalkRecord, 'unit_path', 'r'))}"
    )
    # … and to its meetings (mc, joined to their meeting m).
    through = Meeting.cases.through
    meeting_cases = (
        f"SELECT {column(through, 'case', 'mc')} "  # noqa: S608 - our names
        f"FROM {table(through)} mc INNER JOIN {table(Meeting)} m "
        f"ON {column(through, 'meeting', 'mc')} = {column(Meeting, 'id', 'm')} "
        f"WHERE {column(Meeting, 'held_on', 'm')} >= %s "
        f"AND {column(Meeting, 'held_on', 'm')} <= %s "
        f"AND {starts_with(column(Meeting, 'unit_path', 'm'))}"
    )
    kind, case_id = column(TalkRecord, "kind", "r"), column(TalkVoice, "case", "v")
    by_talks, by_visits = fetch(
        f"SELECT COUNT(DISTINCT CASE WHEN {kind} = %s THEN {case_id} END), "
        f"COUNT(DISTINCT CASE WHEN {kind} IN (%s, %s) THEN {case_id} END) {record_links}",
        [TalkKind.TALK.value, *(visit.value for visit in VISIT_KINDS), *in_period],
    )[0]
    case = column(Case, "id", "c")
    solved = (  # as ``solved_q`` keeps them
        f"{column(Case, 'status', 'c')} = %s AND {column(Case, 'close_reason', 'c')} = %s "  # noqa: S608 - our names
        f"AND EXISTS (SELECT 1 FROM {table(Rating)} g WHERE {column(Rating, 'case', 'g')} = {case} "
        f"AND {column(Rating, 'answer_round', 'g')} = {column(Case, 'answer_count', 'c')} "
        f"AND {column(Rating, 'solved', 'g')})"
    )
    # One list of the linked cases (UNION): "in one list or in the other" made the database
    # read every case of the installation to test each against both. Each case counts once.
    raised, solved_count, by_meetings = fetch(
        f"SELECT COUNT(*), COUNT(CASE WHEN {solved} THEN 1 END), "  # noqa: S608 - our names
        f"COUNT(CASE WHEN {case} IN ({meeting_cases}) THEN 1 END) FROM {table(Case)} c "
        f"WHERE {case} IN (SELECT {case_id} {record_links} UNION {meeting_cases})",
        [
            CaseStatus.CLOSED.value,
            CloseReason.RATED.value,
            *in_period,  # the meetings' cases
            *in_period,  # the records' cases, then the meetings'
            *in_period,
        ],
    )[0]
    return Voices(
        by_talks=by_talks,
        by_visits=by_visits,
        by_meetings=by_meetings,
        raised=raised,
        solved=solved_count,
    )


@dataclass(frozen=True)
class Rectifications:
    """Items raised by a period's meetings and inspections, and where they stand today."""

    raised: int = 0
    done: int = 0
    overdue: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the figures as plain values."""
        return {"raised": self.raised, "done": self.done, "overdue": self.overdue}


def rectifications_of(
    unit: OrgUnit, period: Period, today: dt.date | None = None
) -> Rectifications:
    """Return the rectification items of ``period``'s meetings and inspections owned in the
    subtree, done, and overdue today."""
    today = today or timezone.localdate()
    done, due = column(Rectification, "done_on", "x"), column(Rectification, "due_on", "x")
    meeting_held = column(Meeting, "held_on", "m")
    inspection_held = column(Inspection, "held_on", "i")
    raised, finished, overdue = fetch(
        f"SELECT COUNT(*), COUNT(CASE WHEN {done} IS NOT NULL THEN 1 END), "  # noqa: S608 - our names
        f"COUNT(CASE WHEN {done} IS NULL AND {due} < %s THEN 1 END) "
        f"FROM {table(Rectification)} x LEFT OUTER JOIN {table(Meeting)} m "
        f"ON {column(Rectification, 'meeting', 'x')} = {column(Meeting, 'id', 'm')} "
        f"LEFT OUTER JOIN {table(Inspection)} i "
        f"ON {column(Rectification, 'inspection', 'x')} = {column(Inspection, 'id', 'i')} "
        f"WHERE {starts_with(column(Rectification, 'unit_path', 'x'))} "
        f"AND (({meeting_held} >= %s AND {meeting_held} <= %s) "
        f"OR ({inspection_held} >= %s AND {inspection_held} <= %s))",
        [day(today), prefix(unit.path), *[day(period.start), day(period.end)] * 2],
    )[0]
    return Rectifications(raised, finished, overdue)


@dataclass(frozen=True)
class Requests:
    """Employees' requests for a talk: received in the period, held of those, waiting now."""

    received: int = 0
    held: int = 0
    waiting: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the figures as plain values."""
        return {"received": self.received, "held": self.held, "waiting": self.waiting}


def requests_of(unit: OrgUnit, period: Period) -> Requests:
    """Return the talk requests of ``unit``'s subtree (received and held in ``period``)."""
    # Made on a day of the period, where the page is read: from its first midnight to the
    # midnight after it, as ``created_at__date`` compares them in the current time zone.
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(period.start, dt.time(), tzinfo=zone)
    after = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    made_on = column(TalkRequest, "created_at")
    made = f"{made_on} >= %s AND {made_on} < %s"
    status = column(TalkRequest, "status")
    received, held, waiting = fetch(
        f"SELECT COUNT(CASE WHEN {made} THEN 1 END), "  # noqa: S608 - our names
        f"COUNT(CASE WHEN {made} AND {status} = %s THEN 1 END), "
        f"COUNT(CASE WHEN {status} IN (%s, %s) THEN 1 END) "
        f"FROM {table(TalkRequest)} WHERE {starts_with(column(TalkRequest, 'unit_path'))}",
        [
            moment(first),
            moment(after),
            moment(first),
            moment(after),
            RequestStatus.HELD.value,
            *(state.value for state in WAITING),
            prefix(unit.path),
        ],
    )[0]
    return Requests(received=received, held=held, waiting=waiting)


@dataclass(frozen=True)
class TalkFigures:
    """Every figure of talks and visits of a subtree for a period."""

    unit: OrgUnit
    period: Period
    reach: Reach
    pairs: list[TierPairs]
    requests: Requests
    voices: Voices
    meetings: dict[str, int] = field(default_factory=dict)  # by MeetingKind value
    rectifications: Rectifications = field(default_factory=Rectifications)

    @property
    def meetings_held(self) -> int:
        """Return the meetings of every kind."""
        return sum(self.meetings.values())

    @property
    def pairs_planned(self) -> int:
        """Return the pairs planned in every tier."""
        return sum(tier.planned for tier in self.pairs)

    @property
    def pairs_held(self) -> int:
        """Return the pairs held in every tier."""
        return sum(tier.held for tier in self.pairs)

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as plain values (for JSON, the briefing and ``xinsheng rates``)."""
        return {
            "unit": self.unit.code,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            **self.reach.as_dict(),
            "pairs": [
                {
                    "tier": tier.name,
                    "planned": tier.planned,
                    "held": tier.held,
                    "waived": tier.waived,
                }
                for tier in self.pairs
            ],
            "pairs_planned": self.pairs_planned,
            "pairs_held": self.pairs_held,
            "requests": self.requests.as_dict(),
            "voices": self.voices.as_dict(),
            "meetings": dict(self.meetings),
            "meetings_held": self.meetings_held,
            "rectifications": self.rectifications.as_dict(),
        }


def talk_figures_of(
    unit: OrgUnit, period: Period, *, shared: SharedReads | None = None
) -> TalkFigures:
    """Return every figure of talks and visits of ``unit``'s subtree in ``period``.

    The caller has checked that the reader may see ``unit``. With ``shared`` (the dashboard),
    nothing is locked or written and the headcount is the page's (``reach_by_unit``).
    """
    kind, held = column(Meeting, "kind"), column(Meeting, "held_on")
    meetings = dict(
        fetch(
            f"SELECT {kind}, COUNT(*) FROM {table(Meeting)} "  # noqa: S608 - our names
            f"WHERE {held} >= %s AND {held} <= %s AND {starts_with(column(Meeting, 'unit_path'))} "
            f"GROUP BY {kind}",
            [day(period.start), day(period.end), prefix(unit.path)],
        )
    )
    return TalkFigures(
        unit=unit,
        period=period,
        reach=reach_of(unit, period, shared=shared),
        pairs=pairs_by_unit([unit], period)[unit.pk],
        requests=requests_of(unit, period),
        voices=voices_of(unit, period),
        meetings={kind.value: meetings.get(kind.value, 0) for kind in MeetingKind},
        rectifications=rectifications_of(unit, period),
    )
