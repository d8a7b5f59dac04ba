"""The sums of a unit's whole subtree, kept beside the unit rows (``SubtreeFigures``,
``SubtreeBreakdown``).

A subtree row of unit *A* for a grain and start holds the sums of the ``UnitFigures`` (or
``UnitBreakdown``) rows of that grain and start whose path starts with *A*'s path: *A*'s own
row and those of every unit under it. Reading a subtree's figures for a year is then one row
(one per key for the breakdowns), where summing the unit rows read one row per unit.

They are derived like the unit rows and never edited by hand:

- ``subtree_sums_refresh`` runs in the refresh, under its lock, after the unit rows of the
  touched (unit, day) pairs were summed again: for every touched unit and each of its
  ancestors, the subtree rows of the touched days, months and years are summed again from the
  unit rows (not from other subtree rows, so the order does not matter and each is exact).
- ``subtree_sums_rebuild`` sums every subtree row in the database itself, one statement per
  tree level and table: the unit rows grouped by their path cut to that level's length,
  joined to the unit of that path.

The paths are those of the units now; unit rows keep the path of their unit when they were
written, so after units move in the tree ``xinsheng figures_rebuild`` sums both again.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Max, Q, Sum
from django.db.models.functions import Substr

from xinsheng.org.models import OrgUnit
from xinsheng.reports.models import (
    COUNTERS,
    Dimension,
    Grain,
    SubtreeBreakdown,
    SubtreeFigures,
    UnitBreakdown,
    UnitFigures,
)

CHUNK = 500  # starts per statement
DIMENSIONS = tuple(Dimension.values)
Pair = tuple[int, dt.date]  # (unit id, day)


def _ancestors(paths: Iterable[str]) -> dict[str, int]:
    """Return the id of every unit whose path is ``paths`` or a prefix of one, by path."""
    steplen = OrgUnit.steplen
    prefixes = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    if not prefixes:
        return {}
    found = OrgUnit.objects.filter(path__in=sorted(prefixes)).values_list("path", "id")
    return dict(found)


def _spans(pairs: Iterable[Pair]) -> list[tuple[str, dt.date]]:
    """Return the (grain, start) of every day, month and year that ``pairs`` touch."""
    spans: set[tuple[str, dt.date]] = set()
    for _unit, day in pairs:
        spans.add((Grain.DAY, day))
        spans.add((Grain.MONTH, day.replace(day=1)))
        spans.add((Grain.YEAR, day.replace(month=1, day=1)))
    return sorted(spans)


def _spans_q(spans: Iterable[tuple[str, dt.date]]) -> Q:
    by_grain: dict[str, list[dt.date]] = defaultdict(list)
    for grain, start in spans:
        by_grain[grain].append(start)
    query = Q(pk__in=[])
    for grain, starts in sorted(by_grain.items()):
        query |= Q(grain=grain, start__in=starts)
    return query


def subtree_sums_refresh(pairs: Iterable[Pair], paths: dict[int, str]) -> None:
    """Sum again the subtree rows of the units of ``pairs`` and of all their ancestors, for
    the days, months and years the pairs touch; the unit rows are already summed again.

    Every (unit, span) of the units and spans found is summed again, a few more than those
    that changed; each is exact, so summing one again that did not change leaves it as it was.
    Per tree level one statement sums the figures, one the breakdowns.
    """
    pairs = list(pairs)
    units = _ancestors({paths[unit_id] for unit_id, _day in pairs})
    if not units:
        return
    by_depth: dict[int, list[str]] = defaultdict(list)
    for path in units:
        by_depth[len(path)].append(path)
    spans = _spans(pairs)
    for begin in range(0, len(spans), CHUNK):
        within = _spans_q(spans[begin : begin + CHUNK])
        kept = SubtreeFigures.objects.filter(within, unit_id__in=sorted(units.values()))
        kept.delete()
        SubtreeBreakdown.objects.filter(
            within, unit_id__in=sorted(units.values()), dimension__in=DIMENSIONS
        ).delete()
        figures: list[SubtreeFigures] = []
        parts: list[SubtreeBreakdown] = []
        for length, prefixes in sorted(by_depth.items()):
            under = Q(pk__in=[])
            for prefix in prefixes:
                under |= Q(path__startswith=prefix)
            figures.extend(_figure_sums(within & under, length, units))
            parts.extend(_breakdown_sums(within & under, length, units))
        SubtreeFigures.objects.bulk_create(figures, batch_size=1000)
        SubtreeBreakdown.objects.bulk_create(parts, batch_size=1000)


def _figure_sums(rows: Q, length: int, units: dict[str, int]) -> Iterable[SubtreeFigures]:
    """Return the sums of the unit rows ``rows`` keeps per span and path cut to ``length``."""
    sums: Any = (
        UnitFigures.objects.filter(rows)
        .order_by()
        .annotate(prefix=Substr("path", 1, length))
        .values("prefix", "grain", "start")
        .annotate(**{name: Sum(name) for name in COUNTERS})
    )
    for row in sums:
        counts = {name: row[name] or 0 for name in COUNTERS}
        if any(counts.values()):
            path = row["prefix"]
            yield SubtreeFigures(
                grain=row["grain"], start=row["start"], unit_id=units[path], path=path, **counts
            )


def _breakdown_sums(rows: Q, length: int, units: dict[str, int]) -> Iterable[SubtreeBreakdown]:
    """Return the sums of the breakdown rows ``rows`` keeps per span, key and cut path."""
    sums = (
        # Every dimension, named so that the index on (grain, dimension, start, path) serves.
        UnitBreakdown.objects.filter(rows, dimension__in=DIMENSIONS)
        .order_by()
        .annotate(prefix=Substr("path", 1, length))
        .values_list("prefix", "grain", "start", "dimension", "key")
        .annotate(n=Sum("cases"))
    )
    for path, grain, start, dimension, key, cases in sums:
        if cases:
            yield SubtreeBreakdown(
                grain=grain,
                start=start,
                unit_id=units[path],
                path=path,
                dimension=dimension,
                key=key,
                cases=cases,
            )


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def subtree_sums_rebuild() -> None:
    """Sum every subtree row from the unit rows, in the database itself (after they are built).

    One statement per tree level and table: the unit rows grouped by their path cut to that
    level's length, joined to the unit of that level that has the cut path (a unit row is never
    all zeros, so neither is a sum of them).
    """
    SubtreeBreakdown.objects.all().delete()
    SubtreeFigures.objects.all().delete()
    deepest = OrgUnit.objects.aggregate(top=Max("depth"))["top"] or 0
    units = _table(OrgUnit)
    columns = ", ".join(COUNTERS)
    sums = ", ".join(f"SUM(f.{name})" for name in COUNTERS)
    with connection.cursor() as cursor:
        for depth in range(1, deepest + 1):
            length = depth * OrgUnit.steplen
            cursor.execute(
                f"INSERT INTO {_table(SubtreeFigures)} "  # noqa: S608
                f"(grain, start, unit_id, path, {columns}) "
                f"SELECT f.grain, f.start, u.id, u.path, {sums} "
                f"FROM {_table(UnitFigures)} f JOIN {units} u "
                f"ON u.depth = %s AND u.path = SUBSTR(f.path, 1, %s) "
                "GROUP BY f.grain, f.start, u.id, u.path",
                [depth, length],
            )
            cursor.execute(
                f"INSERT INTO {_table(SubtreeBreakdown)} "  # noqa: S608
                "(grain, start, unit_id, path, dimension, key, cases) "
                "SELECT f.grain, f.start, u.id, u.path, f.dimension, f.key, SUM(f.cases) "
                f"FROM {_table(UnitBreakdown)} f JOIN {units} u "
                "ON u.depth = %s AND u.path = SUBSTR(f.path, 1, %s) "
                "GROUP BY f.grain, f.start, u.id, u.path, f.dimension, f.key",
                [depth, length],
            )
