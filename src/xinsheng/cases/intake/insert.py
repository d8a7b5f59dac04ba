"""A new voice and its first event written in one statement, on PostgreSQL.

The public intake is the one write that many employees make at once (a QR code posted at a shift
change), so on PostgreSQL it costs a single round trip: one statement looks up the unit by its
code, checks that it takes voices, draws the case number from the sequence, and inserts the case
and its "submitted" event together (data-modifying common table expressions). Outside a
transaction the statement commits by itself; inside one it runs in a savepoint so that a
duplicate idempotency key rolls back only its own work. Planning the statement costs the server
more than running it, so it is prepared once per connection (``core.prepared_statements``).

The rows are the very rows the ORM would write for a model instance made with the same values:
every column the caller leaves out takes its field's default, the creation times are stamped,
and each value is prepared by its field as ``Model.save`` prepares it. No model instance is
made to be read back (building one, field by field with its defaults, was a good part of the
request's own work); the case is made once, from its whole row, after the insert. Anything the
statement cannot decide (an unknown or disabled unit, a rotated code) returns nothing, and the
caller takes the ordinary path, which raises the precise error.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Choices, Field, Model

from xinsheng.cases.models import Case, CaseEvent, IntakePoint
from xinsheng.cases.numbering import SEQUENCE
from xinsheng.core.prepared_statements import prepared_cursor
from xinsheng.org.models import OrgUnit

# How a column set to the time of the insert is written: one parameter for the whole statement.
STAMP = "stamp.at"

# Filled in by the statement rather than by the caller.
_CASE_FROM_SQL = frozenset({"id", "case_no", "origin_unit_id"})
_EVENT_FROM_SQL = frozenset({"id", "case_id", "unit_id"})


def available() -> bool:
    """Return whether the database can take the one-statement insert."""
    return connection.vendor == "postgresql"


# Fields whose value is already what the driver is given: ``get_db_prep_save`` of these returns
# the value as it is (a text, a number, a flag, a key), so it is not called.
_AS_IS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.ForeignKey,
)


# A word that is safe to write between quotes as it is: the values of choices and defaults.
_WORD = re.compile(r"[a-z][a-z_]{0,39}")


def _constant(value: object) -> str | None:
    """Return ``value`` written as an SQL constant, or None when it goes as a parameter.

    A new voice has many empty or fixed columns, and a statement with fewer parameters costs
    less to send and to bind: NULL, flags, empty texts, empty JSON, small whole numbers and the
    values of choices (a lower-case word: ``submitted``) are written in the statement. A text
    from the submitter is never a constant: the statement would change with every voice.
    """
    if value is None:
        return "NULL"
    kind = type(value)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int and 0 <= value < 1000:  # type: ignore[operator]
        return str(value)
    if kind is dict and not value:
        return "'{}'"
    if isinstance(value, Choices) and _WORD.fullmatch(str(value)):
        return f"'{value}'"
    if kind is str and value == "":
        return "''"
    return None


@dataclass(frozen=True)
class _Column:
    """One column of a new row: how its value is found and prepared."""

    index: int  # its place among the model's concrete fields (the order of a whole row)
    name: str  # quoted
    attname: str
    field: "Field[Any, Any]"
    prepares: bool  # the field prepares its value (``get_db_prep_save``); else it goes as it is
    stamped: bool  # set to the time of the insert (``auto_now`` or ``auto_now_add``)
    default: Any  # the value of a row that is given none, when it is not made per row
    default_made: bool  # the default is made afresh for each row (a callable: ``dict``, say)
    default_constant: str | None  # that value written as a constant (``_constant``), if it can be


@lru_cache(maxsize=8)
def _columns_of(model: type[Model], skip: frozenset[str]) -> tuple[_Column, ...]:
    """Return the columns of ``model`` a new row writes, but those in ``skip``."""
    quote = connection.ops.quote_name
    columns = []
    for index, field in enumerate(model._meta.concrete_fields):
        if field.column is None or field.column in skip:
            continue
        made = field.has_default() and callable(field.default)
        default = None if made else field.get_default()
        if not made and type(default) is str and _WORD.fullmatch(default):
            constant: str | None = f"'{default}'"  # a default from the model, not from input
        else:
            constant = None if made else _constant(default)
        columns.append(
            _Column(
                index=index,
                name=quote(field.column),
                attname=field.attname,
                field=field,
                prepares=type(field) not in _AS_IS,
                stamped=bool(getattr(field, "auto_now", False))
                or bool(getattr(field, "auto_now_add", False)),
                default=default,
                default_made=made,
                default_constant=constant,
            )
        )
    return tuple(columns)


@dataclass
class _Row:
    """A new row: its values in the order of the model's fields (what an instance holds), and
    what the statement writes of them (column names, placeholders or constants, parameters)."""

    values: list[Any]
    names: list[str]
    holders: list[str]
    params: list[Any]


def _row(
    model: type[Model], skip: frozenset[str], given: Mapping[str, Any], now: dt.datetime
) -> _Row:
    """Return the new row of ``model`` holding ``given`` (by attribute name) and the defaults;
    its creation times are ``now``, written once for the whole statement (``STAMP``)."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy looks it up per read
    values: list[Any] = [None] * len(model._meta.concrete_fields)
    row = _Row(values, [], [], [])
    names, holders, params = row.names, row.holders, row.params
    for column in _columns_of(model, skip):
        names.append(column.name)
        attname = column.attname
        if attname not in given:
            if column.stamped:
                values[column.index] = now
                holders.append(STAMP)
                continue
            if column.default_constant is not None:
                values[column.index] = column.default
                holders.append(column.default_constant)
                continue
            value = column.field.get_default() if column.default_made else column.default
        else:
            value = given[attname]
        values[column.index] = value
        constant = _constant(value)
        if constant is not None:
            holders.append(constant)
            continue
        if column.prepares:  # adapts dates and JSON
            value = column.field.get_db_prep_save(value, db)
        holders.append("%s")
        params.append(value)
    return row


@lru_cache(maxsize=64)
def _statement(
    case_columns: tuple[str, ...],
    case_holders: tuple[str, ...],
    event_columns: tuple[str, ...],
    event_holders: tuple[str, ...],
) -> str:
    quote = connection.ops.quote_name
    # Names come from the models, constants from _constant; every other value is a parameter.
    return f"""
        WITH unit AS (
            SELECT u.id FROM {quote(OrgUnit._meta.db_table)} u
            LEFT JOIN {quote(IntakePoint._meta.db_table)} p ON p.unit_id = u.id
            WHERE u.code = %s AND u.is_active
              AND (p.id IS NULL OR (p.is_enabled AND p.token = COALESCE(NULLIF(%s, ''), p.token)))
        ),
        number AS (SELECT nextval('{SEQUENCE}') AS n FROM unit),
        stamp AS (SELECT %s::timestamptz AS at),
        new_case AS (
            INSERT INTO {quote(Case._meta.db_table)} ({", ".join(case_columns)}, case_no,
                origin_unit_id)
            SELECT {", ".join(case_holders)},
                %s::text || '-' || CASE WHEN number.n < 1000000 THEN lpad(number.n::text, 6, '0')
                                  ELSE number.n::text END,
                unit.id
            FROM unit, number, stamp
            RETURNING id, case_no, origin_unit_id
        ),
        new_event AS (
            INSERT INTO {quote(CaseEvent._meta.db_table)} ({", ".join(event_columns)}, case_id,
                unit_id)
            SELECT {", ".join(event_holders)}, new_case.id, new_case.origin_unit_id
            FROM new_case, stamp
        )
        SELECT id, case_no, origin_unit_id FROM new_case
    """  # noqa: S608


@dataclass(frozen=True)
class Insert:
    """The statement that writes a voice and its first event, its parameters, and the case's
    row but for what the statement fills in."""

    sql: str
    params: list[Any]
    case_values: list[Any]


def insert_of(
    case: Mapping[str, Any],
    event: Mapping[str, Any],
    *,
    unit_code: str,
    token: str | None,
    year: int,
    now: dt.datetime,
) -> Insert:
    """Return the insert of a case holding ``case`` and its first event holding ``event`` (each
    by attribute name; the other columns take their defaults, creation times ``now``)."""
    case_row = _row(Case, _CASE_FROM_SQL, case, now)
    event_row = _row(CaseEvent, _EVENT_FROM_SQL, event, now)
    sql = _statement(
        tuple(case_row.names),
        tuple(case_row.holders),
        tuple(event_row.names),
        tuple(event_row.holders),
    )
    params = [unit_code, token or "", now, *case_row.params, str(year), *event_row.params]
    return Insert(sql, params, case_row.values)


def case_insert_with_event(insert: Insert) -> Case | None:
    """Run ``insert`` (``insert_of``): write the case and its first event; return the case as
    saved.

    Return None when the unit does not take voices (missing, inactive, code disabled, or the
    token not its current one) and nothing was written. A duplicate ``intake_key_hash``
    (computed by the caller, as on the ordinary path: see ``idempotency``) raises
    ``IntegrityError``.
    """
    if connection.in_atomic_block:
        with transaction.atomic(), prepared_cursor() as cursor:
            cursor.execute(insert.sql, insert.params)
            written = cursor.fetchone()
    else:  # one statement commits by itself: no BEGIN and COMMIT round trips
        with prepared_cursor() as cursor:
            cursor.execute(insert.sql, insert.params)
            written = cursor.fetchone()
    if written is None:
        return None
    values = insert.case_values
    for index, value in zip(
        _filled_in(Case, ("id", "case_no", "origin_unit_id")), written, strict=True
    ):
        values[index] = value
    return Case.from_db(connection.alias, _attnames(Case), values)


@lru_cache(maxsize=8)
def _attnames(model: type[Model]) -> tuple[str, ...]:
    """Return the attribute names of the concrete fields of ``model``, in order."""
    return tuple(field.attname for field in model._meta.concrete_fields)


@lru_cache(maxsize=8)
def _filled_in(model: type[Model], attnames: tuple[str, ...]) -> tuple[int, ...]:
    """Return the places of ``attnames`` among the concrete fields of ``model``."""
    places = {field.attname: index for index, field in enumerate(model._meta.concrete_fields)}
    return tuple(places[name] for name in attnames)
