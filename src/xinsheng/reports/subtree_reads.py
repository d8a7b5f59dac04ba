"""The dashboard's own reads, as statements written out (``core.plain_sql``).

The dashboard reads ``SubtreeFigures`` and ``SubtreeBreakdown`` five times per request (the
period per sub-unit, the period before, the trend, the breakdowns, the growing categories), and
counts the people per sub-unit, the cases overdue now and the categories' names. Each is an
indexed lookup of a handful of rows, and the database answers in a fraction of a millisecond;
building the same statements through the ORM (twenty ``Sum`` expressions, the period's ``Q``
filters, compiling) cost the worker several times that. These functions write the statements
themselves and return what the ORM's ``values()``/``aggregate()`` did as the dashboard reads it:
counters as integers (0 where no row was summed), dates as dates.

The rows kept are those of ``periods.period_parts``: whole years, then whole months, then the
days at the period's edges, as ``metrics._period_q`` keeps them.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model

from xinsheng.cases.models import Case, Category
from xinsheng.core.periods import Period, period_parts
from xinsheng.core.plain_sql import (
    column,
    day,
    fetch,
    placeholders,
    prefix,
    read_day,
    starts_with,
    table,
)
from xinsheng.org.models import OrgUnit, Person
from xinsheng.reports.models import COUNTERS, Grain, SubtreeBreakdown, SubtreeFigures


def period_where(
    model: type[Model], period: Period, *, whole_years: bool = True
) -> tuple[str, list[Any]]:
    """Return the condition keeping ``model``'s rows that add up to ``period``, and its
    parameters (what ``metrics._period_q`` filters)."""
    grain, start = column(model, "grain"), column(model, "start")
    parts = period_parts(period, whole_years=whole_years)
    conditions: list[str] = []
    params: list[Any] = []
    for kind, starts in ((Grain.YEAR, parts.years), (Grain.MONTH, parts.months)):
        if starts:
            conditions.append(f"({grain} = %s AND {start} IN ({placeholders(len(starts))}))")
            params += [kind.value, *(day(first_day) for first_day in starts)]
    for first, last in parts.days:
        conditions.append(f"({grain} = %s AND {start} >= %s AND {start} <= %s)")
        params += [Grain.DAY.value, day(first), day(last)]
    if not conditions:
        return "1 = 0", []
    return "(" + " OR ".join(conditions) + ")", params


def _counters(values: Sequence[Any], names: Sequence[str]) -> dict[str, int]:
    """Return the sums by counter name, 0 where no row was summed (as ``metrics._figures``
    reads a missing sum)."""
    return {name: int(value or 0) for name, value in zip(names, values, strict=True)}


def _sums_sql() -> str:
    return ", ".join(f"SUM({column(SubtreeFigures, name)})" for name in COUNTERS)


def figures_by_unit(unit_ids: Sequence[int], period: Period) -> dict[int, dict[str, int]]:
    """Return the counters of the subtree of each of ``unit_ids`` over ``period``, by unit id
    (units without a row are left out)."""
    if not unit_ids:
        return {}
    where, params = period_where(SubtreeFigures, period)
    unit = column(SubtreeFigures, "unit")
    sql = (
        f"SELECT {unit}, {_sums_sql()} FROM {table(SubtreeFigures)} "  # noqa: S608 - our names, values as parameters
        f"WHERE {where} AND {unit} IN ({placeholders(len(unit_ids))}) GROUP BY {unit}"
    )
    rows = fetch(sql, [*params, *unit_ids])
    return {row[0]: _counters(row[1:], COUNTERS) for row in rows}


def figures_of(unit_id: int, period: Period) -> dict[str, int]:
    """Return the counters of ``unit_id``'s subtree over ``period`` (0 each without rows)."""
    where, params = period_where(SubtreeFigures, period)
    sql = (
        f"SELECT {_sums_sql()} FROM {table(SubtreeFigures)} "  # noqa: S608 - our names, values as parameters
        f"WHERE {where} AND {column(SubtreeFigures, 'unit')} = %s"
    )
    return _counters(fetch(sql, [*params, unit_id])[0], COUNTERS)


def trend_rows(
    unit_id: int, period: Period, counters: Sequence[str], *, daily: bool
) -> list[tuple[dt.date, dict[str, int]]]:
    """Return ``unit_id``'s subtree rows for the trend: each day of ``period`` (``daily``), or
    its whole months and the days at its edges; their start and ``counters``."""
    start = column(SubtreeFigures, "start")
    if daily:
        where = f"{column(SubtreeFigures, 'grain')} = %s AND {start} >= %s AND {start} <= %s"
        params: list[Any] = [Grain.DAY.value, day(period.start), day(period.end)]
    else:
        where, params = period_where(SubtreeFigures, period, whole_years=False)
    columns = ", ".join(column(SubtreeFigures, name) for name in counters)
    sql = (
        f"SELECT {start}, {columns} FROM {table(SubtreeFigures)} "  # noqa: S608 - our names, values as parameters
        f"WHERE {where} AND {column(SubtreeFigures, 'unit')} = %s"
    )
    return [
        (
            read_day(row[0]),
            {name: value or 0 for name, value in zip(counters, row[1:], strict=True)},
        )
        for row in fetch(sql, [*params, unit_id])
    ]


def breakdown_sums(
    unit_id: int, period: Period, dimensions: Sequence[str]
) -> list[tuple[str, str, int]]:
    """Return the cases of ``unit_id``'s subtree over ``period`` per dimension and key."""
    if not dimensions:
        return []
    where, params = period_where(SubtreeBreakdown, period)
    dimension, key = column(SubtreeBreakdown, "dimension"), column(SubtreeBreakdown, "key")
    sql = (
        f"SELECT {dimension}, {key}, SUM({column(SubtreeBreakdown, 'cases')}) "  # noqa: S608 - our names, values as parameters
        f"FROM {table(SubtreeBreakdown)} WHERE {where} "
        f"AND {column(SubtreeBreakdown, 'unit')} = %s "
        f"AND {dimension} IN ({placeholders(len(dimensions))}) GROUP BY {dimension}, {key}"
    )
    return [
        (row[0], row[1], int(row[2] or 0)) for row in fetch(sql, [*params, unit_id, *dimensions])
    ]


def month_breakdown_sums(
    unit_id: int, dimension: str, months: Sequence[dt.date]
) -> list[tuple[dt.date, str, int]]:
    """Return the cases of ``unit_id``'s subtree in each of ``months`` (their first days)
    per key of ``dimension``."""
    start, key = column(SubtreeBreakdown, "start"), column(SubtreeBreakdown, "key")
    sql = (
        f"SELECT {start}, {key}, SUM({column(SubtreeBreakdown, 'cases')}) "  # noqa: S608 - our names, values as parameters
        f"FROM {table(SubtreeBreakdown)} "
        f"WHERE {column(SubtreeBreakdown, 'grain')} = %s "
        f"AND {start} IN ({placeholders(len(months))}) "
        f"AND {column(SubtreeBreakdown, 'dimension')} = %s "
        f"AND {column(SubtreeBreakdown, 'unit')} = %s GROUP BY {start}, {key}"
    )
    params = [Grain.MONTH.value, *(day(month) for month in months), dimension, unit_id]
    return [(read_day(row[0]), row[1], int(row[2] or 0)) for row in fetch(sql, params)]


def people_by_child(unit: OrgUnit, length: int) -> dict[str, int]:
    """Return the active people of ``unit``'s subtree by their unit's path cut to ``length``
    (the path of the sub-unit they are under, or ``unit``'s own for its own people)."""
    path = column(OrgUnit, "path", "u")
    rows = fetch(
        f"SELECT SUBSTR({path}, 1, {int(length)}), COUNT(*) "  # noqa: S608 - our names
        f"FROM {table(Person)} p INNER JOIN {table(OrgUnit)} u "
        f"ON {column(Person, 'unit', 'p')} = {column(OrgUnit, 'id', 'u')} "
        f"WHERE {column(Person, 'is_active', 'p')} AND {starts_with(path)} GROUP BY 1",
        [prefix(unit.path)],
    )
    return dict(rows)


def overdue_count(unit: OrgUnit, statuses: Iterable[str]) -> int:
    """Return the cases a unit of ``unit``'s subtree holds in one of ``statuses`` past their
    deadline (``metrics.overdue_cases``)."""
    held = sorted(statuses)
    rows = fetch(
        f"SELECT COUNT(*) FROM {table(Case)} c INNER JOIN {table(OrgUnit)} u "  # noqa: S608 - our names
        f"ON {column(Case, 'responsible_unit', 'c')} = {column(OrgUnit, 'id', 'u')} "
        f"WHERE {column(Case, 'is_overdue', 'c')} AND {starts_with(column(OrgUnit, 'path', 'u'))} "
        f"AND {column(Case, 'status', 'c')} IN ({placeholders(len(held))})",
        [prefix(unit.path), *held],
    )
    return int(rows[0][0])


def categories() -> list[tuple[int, str, str]]:
    """Return the id, name and English name of every category, in their order."""
    return [
        (pk, name, english)
        for pk, name, english in fetch(
            f"SELECT {column(Category, 'id')}, {column(Category, 'name')}, "  # noqa: S608 - our names
            f"{column(Category, 'english_name')} FROM {table(Category)} "
            f"ORDER BY {column(Category, 'position')}, {column(Category, 'code')}",
            [],
        )
    ]
