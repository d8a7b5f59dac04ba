"""Every figure of a unit subtree for a period, read from the aggregates (see docs/metrics.md).

These functions take a unit the caller may already see (``reports.selectors`` checks the scope)
and never look at raw cases, except ``overdue_now``, which is a state, not a count over time.
A period is read as whole years, then whole months, then the days at its edges, from the rows
of the subtree's sums (``SubtreeFigures``, ``SubtreeBreakdown``), so a calendar year costs one
row (one per key for a breakdown) whatever the number of cases and units.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from xinsheng.cases.choices import WITH_UNIT, Channel
from xinsheng.cases.models import Case, label_of
from xinsheng.core.periods import MONTH, Period, period_of, period_parts
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit, in_subtree
from xinsheng.org.shared_reads import SharedReads
from xinsheng.reports import subtree_reads
from xinsheng.reports.models import (
    COUNTERS,
    CaseFigure,
    Dimension,
    Grain,
    SubtreeFigures,
    UnitFigures,
)

Counts = Mapping[str, int]
# What the figures pages show of a unit; lists of many units load nothing more.
UNIT_FIELDS = ("id", "path", "depth", "numchild", "name", "code", "kind", "is_active")


def _setting(name: str, default: Any) -> Any:
    return settings.XINSHENG.get(name, default)


def basic_weight() -> float:
    """Return how much a 基本满意 counts towards 满意率 (``SATISFACTION_BASIC_WEIGHT``, 1)."""
    return float(_setting("SATISFACTION_BASIC_WEIGHT", 1))


def score_weights() -> tuple[float, float, float]:
    """Return the weights of 响应率, 解决率, 满意率 in the score (``SCORE_WEIGHTS``, 30/35/35)."""
    response, solution, satisfaction = _setting("SCORE_WEIGHTS", (30, 35, 35))
    return float(response), float(solution), float(satisfaction)


def rank_min_rated() -> int:
    """Return the rated answers a unit needs in a period to be ranked (``RANK_MIN_RATED``, 10)."""
    return int(_setting("RANK_MIN_RATED", 10))


def rank_list_size() -> int:
    """Return how many units the red and black lists hold (``RANK_LIST_SIZE``, 5)."""
    return int(_setting("RANK_LIST_SIZE", 5))


def _ratio(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class Figures:
    """The counters of a unit subtree over a period, and the figures made from them.

    Rates are fractions (0.0–1.0), None when nothing was counted for their denominator.
    """

    unit: OrgUnit
    period: Period
    counts: Counts
    headcount: int | None = None
    basic_weight: float = 1.0
    weights: tuple[float, float, float] = (30.0, 35.0, 35.0)

    def __getitem__(self, name: str) -> int:
        return self.counts[name]

    @property
    def response_rate(self) -> float | None:
        """响应率: dispatches signed by their response deadline ÷ dispatches due in the period."""
        return _ratio(self.counts["responded"], self.counts["response_due"])

    @property
    def solution_rate(self) -> float | None:
        """解决率: ratings saying solved ÷ ratings."""
        return _ratio(self.counts["solved"], self.counts["rated"])

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率: (满意 + 基本满意 × weight) ÷ ratings."""
        points = self.counts["satisfied"] + self.counts["basically_satisfied"] * self.basic_weight
        return _ratio(points, self.counts["rated"])

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率: cases closed whose last answer came by the deadline ÷ cases closed."""
        return _ratio(self.counts["closed_on_time"], self.counts["closed"])

    @property
    def reopen_rate(self) -> float | None:
        """重办率: reopenings ÷ ratings."""
        return _ratio(self.counts["reopened"], self.counts["rated"])

    @property
    def return_rate(self) -> float | None:
        """退单率: dispatches returned by the unit ÷ dispatches."""
        return _ratio(self.counts["returned"], self.counts["dispatched"])

    @property
    def average_handling_days(self) -> float | None:
        """Average working days from dispatch to the last answer, over the cases closed."""
        return _ratio(self.counts["handling_days"], self.counts["handled"])

    @property
    def per_hundred(self) -> float | None:
        """Cases received per 100 active people in the subtree."""
        if not self.headcount:
            return None
        return self.counts["received"] * 100 / self.headcount

    @property
    def score(self) -> float | None:
        """The composite score, 0–100: the weighted mean of the three rates that are known."""
        rates = (self.response_rate, self.solution_rate, self.satisfaction_rate)
        known = [(w, r) for w, r in zip(self.weights, rates, strict=True) if r is not None]
        total = sum(w for w, _ in known)
        if not known or not total:
            return None
        return 100 * sum(w * r for w, r in known) / total

    def as_dict(self) -> dict[str, object]:
        """Return the counters and figures as plain values (for JSON)."""
        return {
            "unit": self.unit.code,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "counts": dict(self.counts),
            "headcount": self.headcount,
            "response_rate": self.response_rate,
            "solution_rate": self.solution_rate,
            "satisfaction_rate": self.satisfaction_rate,
            "on_time_rate": self.on_time_rate,
            "reopen_rate": self.reopen_rate,
            "return_rate": self.return_rate,
            "supervised": self.counts["supervised"],
            "average_handling_days": self.average_handling_days,
            "per_hundred": self.per_hundred,
            "score": self.score,
        }


def _figures(unit: OrgUnit, period: Period, counts: Counts, headcount: int | None) -> Figures:
    full = {name: int(counts.get(name) or 0) for name in COUNTERS}
    return Figures(unit, period, full, headcount, basic_weight(), score_weights())


def _period_q(period: Period, *, whole_years: bool = True) -> Q:
    """Return the filter keeping the rows that add up to ``period``, coarsest first."""
    parts = period_parts(period, whole_years=whole_years)
    query = Q(pk__in=[])
    if parts.years:
        query |= Q(grain=Grain.YEAR, start__in=parts.years)
    if parts.months:
        query |= Q(grain=Grain.MONTH, start__in=parts.months)
    for start, end in parts.days:
        query |= Q(grain=Grain.DAY, start__gte=start, start__lte=end)
    return query


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in COUNTERS}


def _rows(unit: OrgUnit, period: Period) -> QuerySet[SubtreeFigures]:
    """Return the subtree rows of ``unit`` that add up to ``period``."""
    return SubtreeFigures.objects.filter(_period_q(period), unit=unit).order_by()


def figures_for(unit: OrgUnit, period: Period, *, headcount: bool = True) -> Figures:
    """Return the figures of ``unit`` and everything under it over ``period``."""
    counts = _rows(unit, period).aggregate(**_sums())
    people = org_selectors.unit_subtree_headcount(unit=unit) if headcount else None
    return _figures(unit, period, counts, people)


@dataclass(frozen=True)
class Comparison:
    """Figures of a period beside those of the period before."""

    current: Figures
    previous: Figures


def figures_compared(unit: OrgUnit, period: Period) -> Comparison:
    """Return the figures of ``period`` and of the period before it, for ``unit``'s subtree."""
    current = figures_for(unit, period)
    previous = figures_for(unit, period.previous(), headcount=False)
    return Comparison(current, replace_headcount(previous, current.headcount))


def replace_headcount(figures: Figures, headcount: int | None) -> Figures:
    """Return ``figures`` with ``headcount`` (people are counted now, not per period)."""
    return Figures(
        figures.unit,
        figures.period,
        figures.counts,
        headcount,
        figures.basic_weight,
        figures.weights,
    )


def _by_unit(unit_ids: Sequence[int] | QuerySet[Any], period: Period) -> dict[int, dict[str, int]]:
    """Return the figures of the subtree of each of ``unit_ids`` (ids, or a query of ids) over
    ``period``, by unit id."""
    result: Any = (
        SubtreeFigures.objects.filter(_period_q(period), unit_id__in=unit_ids)
        .order_by()
        .values("unit_id")
        .annotate(**_sums())
    )
    return {row.pop("unit_id"): row for row in result}


def figures_of_units(units: Sequence[OrgUnit], period: Period) -> list[Figures]:
    """Return the figures of each of ``units`` (all of one depth) over ``period``, in order."""
    if not units:
        return []
    # The units of that depth under the units' common ancestor, as a subquery: a ranking of
    # 2,000 units would otherwise send and plan a list of 2,000 ids.
    common = _common_prefix([unit.path for unit in units])
    level = OrgUnit.objects.filter(**in_subtree(common), depth=units[0].depth).values("id")
    sums = _by_unit(level, period)
    people = org_selectors.unit_headcounts(units=units)
    return [_figures(unit, period, sums.get(unit.pk, {}), people[unit.pk]) for unit in units]


def _common_prefix(paths: Sequence[str]) -> str:
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: -OrgUnit.steplen]
    return prefix


def children_of(unit: OrgUnit) -> list[OrgUnit]:
    """Return the active direct sub-units of ``unit``, in tree order."""
    return list(
        OrgUnit.objects.filter(**in_subtree(unit.path), depth=unit.depth + 1, is_active=True)
        .only(*UNIT_FIELDS)
        .order_by("path")
    )


@dataclass(frozen=True)
class ChildFigures:
    """The figures of each direct sub-unit, and of the unit's own cases (本级)."""

    children: list[Figures]
    own: Figures


def figures_by_child(unit: OrgUnit, period: Period) -> ChildFigures:
    """Return the figures of each sub-unit of ``unit``, and of ``unit`` alone, over ``period``."""
    children = figures_of_units(children_of(unit), period)
    own_counts = (
        UnitFigures.objects.filter(_period_q(period), unit=unit).order_by().aggregate(**_sums())
    )
    return ChildFigures(children, _figures(unit, period, own_counts, None))


def _less(
    total: Mapping[str, int | None], parts: Iterable[Mapping[str, int | None]]
) -> dict[str, int]:
    """Return ``total`` less the sum of ``parts``."""
    rest = {name: total.get(name) or 0 for name in COUNTERS}
    for part in parts:
        for name in COUNTERS:
            rest[name] -= part.get(name) or 0
    return rest


def dashboard_figures(
    unit: OrgUnit, period: Period, shared: SharedReads
) -> tuple[Comparison, ChildFigures]:
    """Return what ``figures_compared`` and ``figures_by_child`` return, in four statements.

    The sub-units, active or not; the period's subtree rows of ``unit`` and of each sub-unit
    summed per unit (``unit``'s own cases are its subtree's less its sub-units'); the previous
    period's subtree rows of ``unit``; the active people per sub-unit and of ``unit`` itself,
    whose total is the subtree's headcount, handed to ``shared`` for the page's other sections.
    A sub-unit no longer active is not shown but still counts in the subtree's figures, as
    before. (Summing both periods in one statement with ``FILTER`` took PostgreSQL longer than
    the two.)
    """
    length = len(unit.path) + OrgUnit.steplen
    every_child = list(
        OrgUnit.objects.filter(**in_subtree(unit.path), depth=unit.depth + 1)
        .only(*UNIT_FIELDS)
        .order_by("path")
    )
    children = [child for child in every_child if child.is_active]
    groups = subtree_reads.figures_by_unit([unit.pk, *(child.pk for child in every_child)], period)
    whole = groups.get(unit.pk, {})
    below = [groups.get(child.pk, {}) for child in every_child]
    previous = period.previous()
    earlier_counts = subtree_reads.figures_of(unit.pk, previous)
    people = subtree_reads.people_by_child(unit, length)
    headcount = sum(people.values())
    shared.remember_headcounts(
        {unit.path: headcount, **{child.path: people.get(child.path, 0) for child in children}}
    )
    current = _figures(unit, period, whole, headcount)
    earlier = _figures(unit, previous, earlier_counts, headcount)
    by_child = [
        _figures(child, period, groups.get(child.pk, {}), people.get(child.path, 0))
        for child in children
    ]
    own_figures = _figures(unit, period, _less(whole, below), None)
    return Comparison(current, earlier), ChildFigures(by_child, own_figures)


# --- rankings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    """A unit in a ranking: its figures and its place (None: too few ratings to be ranked)."""

    figures: Figures
    rank: int | None

    @property
    def unit(self) -> OrgUnit:
        return self.figures.unit


@dataclass(frozen=True)
class Ranking:
    """Units of one depth ranked by score: all rows, the red list (top) and black list (bottom)."""

    depth: int
    rows: list[RankRow]
    red: list[RankRow]
    black: list[RankRow]
    min_rated: int


def _sort_key(figures: Figures) -> tuple[float, float, str]:
    return (-(figures.score or 0.0), -(figures.solution_rate or 0.0), figures.unit.path)


def ranking(unit: OrgUnit, period: Period, *, depth: int | None = None) -> Ranking:
    """Rank the units at tree level ``depth`` within ``unit``'s subtree over ``period``.

    ``depth`` defaults to the level just below ``unit``. A unit with fewer than
    ``RANK_MIN_RATED`` ratings in the period is listed after the ranked ones, without a place.
    """
    depth = depth or unit.depth + 1
    units = list(
        OrgUnit.objects.filter(**in_subtree(unit.path), depth=depth, is_active=True)
        .only(*UNIT_FIELDS)
        .order_by("path")
    )
    return rank(figures_of_units(units, period), depth=depth)


def rank(figures: Sequence[Figures], *, depth: int) -> Ranking:
    """Rank ``figures`` (units of one level) by score, with the red and black lists."""
    minimum = rank_min_rated()
    ranked = sorted((f for f in figures if f.counts["rated"] >= minimum), key=_sort_key)
    unranked = [f for f in figures if f.counts["rated"] < minimum]
    rows = [RankRow(f, place) for place, f in enumerate(ranked, start=1)]
    rows += [RankRow(f, None) for f in unranked]
    size = rank_list_size()
    red = rows[: min(size, len(ranked))]
    black_count = min(size, len(ranked) - len(red))
    black = rows[len(ranked) - black_count : len(ranked)][::-1]
    return Ranking(depth, rows, red, black, minimum)


# --- trends and breakdowns ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """The figures of one day or month of a period."""

    start: dt.date
    end: dt.date
    figures: Figures


def trend(unit: OrgUnit, period: Period, *, counters: Sequence[str] = COUNTERS) -> list[TrendPoint]:
    """Return the figures of each day (a period up to two months) or each month of ``period``.

    Only ``counters`` are read (the others read 0). The subtree's rows of each day, or of each
    month and the days at the period's edges, are read and added up per day or month.
    """
    daily = period.days <= 62
    buckets: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for row_start, row in subtree_reads.trend_rows(unit.pk, period, counters, daily=daily):
        start = row_start if daily else row_start.replace(day=1)
        for name in counters:
            buckets[start][name] += row[name]
    points = []
    cursor = period.start
    while cursor <= period.end:
        if daily:
            bucket = Period(cursor, cursor, "day")
        else:
            month = period_of(MONTH, cursor)
            bucket = Period(max(month.start, period.start), min(month.end, period.end), MONTH)
        key = bucket.start if daily else bucket.start.replace(day=1)
        counts = buckets.get(key, {})
        points.append(TrendPoint(bucket.start, bucket.end, _figures(unit, bucket, counts, None)))
        cursor = bucket.end + dt.timedelta(days=1)
    return points


@dataclass(frozen=True)
class Share:
    """Cases received in one channel or category."""

    key: str
    label: str
    cases: int


def breakdown(unit: OrgUnit, period: Period, dimension: str) -> list[Share]:
    """Return the cases ``unit``'s subtree received in ``period`` per channel or category."""
    return breakdowns(unit, period, dimensions=(dimension,))[dimension]


def breakdowns(
    unit: OrgUnit,
    period: Period,
    *,
    dimensions: Sequence[str] = (Dimension.CHANNEL, Dimension.CATEGORY),
    category_labels: Mapping[str, str] | None = None,
) -> dict[str, list[Share]]:
    """Return the cases received per channel and per category (one query for both).

    ``category_labels`` (``category_labels()``) spares reading the categories again.
    """
    rows = subtree_reads.breakdown_sums(unit.pk, period, dimensions)
    found: dict[str, list[Share]] = {dimension: [] for dimension in dimensions}
    labels = {
        dimension: _labels(dimension)
        if category_labels is None or dimension != Dimension.CATEGORY
        else category_labels
        for dimension in dimensions
    }
    for dimension, key, n in rows:
        if n:
            found[dimension].append(Share(key, labels[dimension].get(key, key), n))
    return {
        dimension: sorted(shares, key=lambda share: (-share.cases, share.key))
        for dimension, shares in found.items()
    }


def _labels(dimension: str) -> dict[str, str]:
    if dimension == Dimension.CHANNEL:
        return {str(value): str(label) for value, label in Channel.choices}
    return category_labels()


def category_labels() -> dict[str, str]:
    """Return the label of each category by its key in the breakdowns ("" uncategorised)."""
    from django.utils.translation import gettext as _

    names = {str(pk): label_of(name, english) for pk, name, english in subtree_reads.categories()}
    return {"": _("未分类"), **names}


@dataclass(frozen=True)
class Growth:
    """A category's cases this month beside last month."""

    key: str
    label: str
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def ratio(self) -> float | None:
        """Return the growth as a fraction of last month (None when last month had none)."""
        return self.change / self.previous if self.previous else None


def growing_categories(
    unit: OrgUnit,
    month: Period,
    *,
    limit: int = 5,
    category_labels: Mapping[str, str] | None = None,
) -> list[Growth]:
    """Return the categories whose cases grew most in ``month`` over the month before.

    ``month`` is a calendar month (``periods.period_of(MONTH, …)``): both months are read from
    the monthly rows in one query.
    """
    previous = month.previous()
    sums = subtree_reads.month_breakdown_sums(
        unit.pk, Dimension.CATEGORY, [month.start, previous.start]
    )
    now: dict[str, int] = {}
    before: dict[str, int] = {}
    for start, key, n in sums:
        (now if start == month.start else before)[key] = n
    labels = _labels(Dimension.CATEGORY) if category_labels is None else category_labels
    rows = [
        Growth(key, labels.get(key, key), cases, before.get(key, 0)) for key, cases in now.items()
    ]
    growing = [row for row in rows if row.change > 0]
    return sorted(growing, key=lambda row: (-row.change, row.key))[:limit]


# --- states and the cases behind a figure ---------------------------------------------------------


def overdue_cases(unit: OrgUnit) -> QuerySet[Case]:
    """Return the cases a unit of ``unit``'s subtree holds now past their deadline."""
    return Case.objects.filter(
        status__in=WITH_UNIT, is_overdue=True, **in_subtree(unit.path, via="responsible_unit")
    )


def overdue_now(unit: OrgUnit) -> int:
    """Return how many cases ``unit``'s subtree holds now past their deadline: the cases
    ``overdue_cases`` lists, counted through a statement written out (the dashboard shows the
    number on every visit)."""
    return subtree_reads.overdue_count(unit, WITH_UNIT)


# The figures whose cases can be listed: a counter name, or "overdue" (a state, now).
LISTABLE = frozenset(COUNTERS) - {"handling_days"} | {"overdue"}


@dataclass(frozen=True)
class CaseSelection:
    """Which cases a number counts: ``figure`` of ``unit``'s subtree over ``period``.

    ``channel`` and ``category`` narrow the cases received to one channel or category (a
    category id as text, "" for the uncategorised); None leaves them open.
    """

    unit: OrgUnit
    period: Period
    figure: str
    channel: str | None = None
    category: str | None = None


def counted_cases(selection: CaseSelection) -> QuerySet[Case]:
    """Return the cases that ``selection``'s number counts, exactly those, in any order."""
    if selection.figure == "overdue":
        return overdue_cases(selection.unit)
    facts = CaseFigure.objects.filter(
        **in_subtree(selection.unit.path),
        day__gte=selection.period.start,
        day__lte=selection.period.end,
        **{f"{selection.figure}__gt": 0},
    )
    if selection.channel is not None:
        facts = facts.filter(channel=selection.channel)
    if selection.category == "":
        facts = facts.filter(category__isnull=True)
    elif selection.category is not None:
        facts = facts.filter(category_id=selection.category)
    return Case.objects.filter(pk__in=facts.values("case_id"))


def sum_counts(figures: Iterable[Figures]) -> dict[str, int]:
    """Return the counters of ``figures`` added up."""
    total = dict.fromkeys(COUNTERS, 0)
    for item in figures:
        for name in COUNTERS:
            total[name] += item.counts[name]
    return total
