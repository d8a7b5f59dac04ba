"""The dashboard's reads of the subtree sums, as plain statements.

The dashboard reads ``SubtreeFigures`` and ``SubtreeBreakdown`` five times per request (the
period per sub-unit, the period before, the trend, the breakdowns, the growing categories). Each
is one indexed lookup of a handful of rows, and the database answers in a fraction of a
millisecond; building the same statements through the ORM (twenty ``Sum`` expressions, the
period's ``Q`` filters, compiling) cost the worker several times that. These functions write the
statements themselves (the tables are a unit, a grain, a start and plain integer columns) and
return exactly what the ORM's ``values()``/``aggregate()`` did: counters as integers (None when
no row was summed), dates as dates.

The rows kept are those of ``periods.period_parts``: whole years, then whole months, then the
days at the period's edges, as ``metrics._period_q`` keeps them.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

from xinsheng.core.periods import Period, period_parts
from xinsheng.reports.models import COUNTERS, Grain, SubtreeBreakdown, SubtreeFigures


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _day(value: dt.date) -> Any:
    """Return ``value`` as the database takes a date parameter."""
    return connection.ops.adapt_datefield_value(value)


def _read_day(value: Any) -> dt.date:
    """Return a date read back (SQLite hands back text where a column's type is not known)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def period_where(
    model: type[Model], period: Period, *, whole_years: bool = True
) -> tuple[str, list[Any]]:
    """Return the condition keeping ``model``'s rows that add up to ``period``, and its
    parameters (what ``metrics._period_q`` filters)."""
    grain, start = _column(model, "grain"), _column(model, "start")
    parts = period_parts(period, whole_years=whole_years)
    conditions: list[str] = []
    params: list[Any] = []
    for kind, starts in ((Grain.YEAR, parts.years), (Grain.MONTH, parts.months)):
        if starts:
            conditions.append(f"({grain} = %s AND {start} IN ({_placeholders(len(starts))}))")
            params += [kind.value, *(_day(day) for day in starts)]
    for first, last in parts.days:
        conditions.append(f"({grain} = %s AND {start} >= %s AND {start} <= %s)")
        params += [Grain.DAY.value, _day(first), _day(last)]
    if not conditions:
        return "1 = 0", []
    return "(" + " OR ".join(conditions) + ")", params


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _counters(values: Sequence[Any], names: Sequence[str]) -> dict[str, int | None]:
    return {
        name: None if value is None else int(value)
        for name, value in zip(names, values, strict=True)
    }


def _sums_sql() -> str:
    return ", ".join(f"SUM({_column(SubtreeFigures, name)})" for name in COUNTERS)


def figures_by_unit(unit_ids: Sequence[int], period: Period) -> dict[int, dict[str, int | None]]:
    """Return the counters of the subtree of each of ``unit_ids`` over ``period``, by unit id
    (units without a row are left out)."""
    if not unit_ids:
        return {}
    where, params = period_where(SubtreeFigures, period)
    unit = _column(SubtreeFigures, "unit")
    sql = (
        f"SELECT {unit}, {_sums_sql()} FROM {_table(SubtreeFigures)} "  # noqa: S608 - our names, values as parameters
        f"WHERE {where} AND {unit} IN ({_placeholders(len(unit_ids))}) GROUP BY {unit}"
    )
    rows = _fetch(sql, [*params, *unit_ids])
    return {row[0]: _counters(row[1:], COUNTERS) for row in rows}


def figures_of(unit_id: int, period: Period) -> dict[str, int | None]:
    """Return the counters of ``unit_id``'s subtree over ``period`` (None each without rows)."""
    where, params = period_where(SubtreeFigures, period)
    sql = (
        f"SELECT {_sums_sql()} FROM {_table(SubtreeFigures)} "  # noqa: S608 - our names, values as parameters
        f"WHERE {where} AND {_column(SubtreeFigures, 'unit')} = %s"
    )
    return _counters(_fetch(sql, [*params, unit_id])[0], COUNTERS)


def trend_rows(
    unit_id: int, period: Period, counters: Sequence[str], *, daily: bool
) -> list[tuple[dt.date, dict[str, int]]]:
    """Return ``unit_id``'s subtree rows for the trend: each day of ``period`` (``daily``), or
    its whole months and the days at its edges; their start and ``counters``."""
    start = _column(SubtreeFigures, "start")
    if daily:
        where = f"{_column(SubtreeFigures, 'grain')} = %s AND {start} >= %s AND {start} <= %s"
        params: list[Any] = [Grain.DAY.value, _day(period.start), _day(period.end)]
    else:
        where, params = period_where(SubtreeFigures, period, whole_years=False)
    columns = ", ".join(_column(SubtreeFigures, name) for name in counters)
    sql = (
        f"SELECT {start}, {columns} FROM {_table(SubtreeFigures)} "  # noqa: S608 - our names, values as parameters
        f"WHERE {where} AND {_column(SubtreeFigures, 'unit')} = %s"
    )
    return [
        (
            _read_day(row[0]),
            {name: value or 0 for name, value in zip(counters, row[1:], strict=True)},
        )
        for row in _fetch(sql, [*params, unit_id])
    ]


def breakdown_sums(
    unit_id: int, period: Period, dimensions: Sequence[str]
) -> list[tuple[str, str, int | None]]:
    """Return the cases of ``unit_id``'s subtree over ``period`` per dimension and key."""
    if not dimensions:
        return []
    where, params = period_where(SubtreeBreakdown, period)
    dimension, key = _column(SubtreeBreakdown, "dimension"), _column(SubtreeBreakdown, "key")
    sql = (
        f"SELECT {dimension}, {key}, SUM({_column(SubtreeBreakdown, 'cases')}) "  # noqa: S608 - our names, values as parameters
        f"FROM {_table(SubtreeBreakdown)} WHERE {where} "
        f"AND {_column(SubtreeBreakdown, 'unit')} = %s "
        f"AND {dimension} IN ({_placeholders(len(dimensions))}) GROUP BY {dimension}, {key}"
    )
    return [
        (row[0], row[1], None if row[2] is None else int(row[2]))
        for row in _fetch(sql, [*params, unit_id, *dimensions])
    ]


def month_breakdown_sums(
    unit_id: int, dimension: str, months: Sequence[dt.date]
) -> list[tuple[dt.date, str, int | None]]:
    """Return the cases of ``unit_id``'s subtree in each of ``months`` (their first days)
    per key of ``dimension``."""
    start, key = _column(SubtreeBreakdown, "start"), _column(SubtreeBreakdown, "key")
    sql = (
        f"SELECT {start}, {key}, SUM({_column(SubtreeBreakdown, 'cases')}) "  # noqa: S608 - our names, values as parameters
        f"FROM {_table(SubtreeBreakdown)} "
        f"WHERE {_column(SubtreeBreakdown, 'grain')} = %s "
        f"AND {start} IN ({_placeholders(len(months))}) "
        f"AND {_column(SubtreeBreakdown, 'dimension')} = %s "
        f"AND {_column(SubtreeBreakdown, 'unit')} = %s GROUP BY {start}, {key}"
    )
    params = [Grain.MONTH.value, *(_day(month) for month in months), dimension, unit_id]
    return [
        (_read_day(row[0]), row[1], None if row[2] is None else int(row[2]))
        for row in _fetch(sql, params)
    ]
