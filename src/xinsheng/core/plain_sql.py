"""Small read statements written by hand, for counts a page makes on every request.

Building a statement through the ORM (the filters, the aggregates, compiling) costs the worker
about a millisecond, often several times what the database takes to answer a count over an
index. A page that counts a dozen things for every visitor (the dashboard's panels) writes those
statements itself with these helpers: the table's and columns' names come from the models, every
value is a parameter, and a path prefix is matched exactly as the ORM's ``__startswith`` matches
it on the database in use (the same operator, cast and escaping), so the rows counted are the
same.
"""

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    """Return ``model``'s table, quoted."""
    return _table(model, connection.vendor)


def column(model: type[Model], name: str, alias: str = "") -> str:
    """Return the column of ``model``'s field ``name`` (``alias.column`` with an alias), quoted."""
    return _column(model, name, alias, connection.vendor)


# Names are looked up once per process and database: a page writes some hundred of them.
@functools.lru_cache(maxsize=256)
def _table(model: type[Model], vendor: str) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@functools.lru_cache(maxsize=1024)
def _column(model: type[Model], name: str, alias: str, vendor: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:  # e.g. the far end of a relation
        raise LookupError(f"{model.__name__}.{name} is not a column")
    quoted = connection.ops.quote_name(field.column)
    return f"{alias}.{quoted}" if alias else quoted


def starts_with(column_sql: str) -> str:
    """Return the condition "``column_sql`` starts with the parameter" as ``__startswith``
    writes it (pass the parameter through ``prefix``)."""
    cast = connection.ops.lookup_cast("startswith") % column_sql
    operators: dict[str, str] = connection.operators  # type: ignore[attr-defined]
    return f"{cast} {operators['startswith']}"


def prefix(value: str) -> str:
    """Return the parameter of ``starts_with`` for the prefix ``value``."""
    return f"{connection.ops.prep_for_like_query(value)}%"


def day(value: dt.date) -> Any:
    """Return ``value`` as the database takes a date parameter."""
    return connection.ops.adapt_datefield_value(value)


def moment(value: dt.datetime) -> Any:
    """Return the aware ``value`` as the database takes a date and time parameter."""
    return connection.ops.adapt_datetimefield_value(value)


def read_day(value: Any) -> dt.date:
    """Return a date read back (SQLite hands back text where a column's type is not known)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def placeholders(count: int) -> str:
    """Return ``count`` parameter places, separated by commas."""
    return ", ".join(["%s"] * count)


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Return the rows of the statement ``sql`` with ``params``."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows
