"""A new voice and its first event written in one statement, on PostgreSQL.

The public intake is the one write that many employees make at once (a QR code posted at a shift
change), so on PostgreSQL it costs a single round trip: one statement looks up the unit by its
code, checks that it takes voices, draws the case number from the sequence, and inserts the case
and its "submitted" event together (data-modifying common table expressions). Outside a
transaction the statement commits by itself; inside one it runs in a savepoint so that a
duplicate idempotency key rolls back only its own work. Planning the statement costs the server
more than running it, so it is prepared once per connection (``core.prepared_statements``).

The rows are the very rows the ORM would write: the column values come from unsaved model
instances, prepared by each field as ``Model.save`` would prepare them. Anything the statement
cannot decide (an unknown or disabled unit, a rotated code) returns nothing, and the caller
takes the ordinary path, which raises the precise error.
"""

from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import Field, Model

from xinsheng.cases.models import Case, CaseEvent, IntakePoint
from xinsheng.cases.numbering import SEQUENCE
from xinsheng.core.prepared_statements import prepared_cursor
from xinsheng.org.models import OrgUnit

# Filled in by the statement rather than from the instance.
_CASE_FROM_SQL = frozenset({"id", "case_no", "origin_unit_id"})
_EVENT_FROM_SQL = frozenset({"id", "case_id", "unit_id"})


def available() -> bool:
    """Return whether the database can take the one-statement insert."""
    return connection.vendor == "postgresql"


# Values written as SQL constants rather than parameters: a new voice has many empty columns, and
# a statement with fewer parameters is parsed once and kept by the driver (at most 50 are).
_CONSTANTS: dict[object, str] = {"": "''", False: "FALSE", True: "TRUE"}


# Fields whose value on the instance is already what the driver is given: ``get_db_prep_save``
# of these returns the value as it is (a text, a number, a flag, a key), so it is not called.
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


@lru_cache(maxsize=8)
def _fields(
    model: type[Model], skip: frozenset[str]
) -> tuple[tuple[str, str, "Field[Any, Any] | None"], ...]:
    """Return, per column of ``model`` not in ``skip``: its quoted name, the attribute holding
    its value, and the field that prepares the value (None when it is written as it is)."""
    quote = connection.ops.quote_name
    return tuple(
        (quote(field.column), field.attname, None if type(field) in _AS_IS else field)
        for field in model._meta.local_concrete_fields
        if field.column is not None and field.column not in skip
    )


def _columns(instance: Model, skip: frozenset[str]) -> tuple[list[str], list[str], list[Any]]:
    """Return the columns of ``instance`` as an insert would write them.

    Returns the quoted column names, their placeholders ("%s", or a constant for an empty string,
    NULL and booleans) and the prepared values of the placeholders.
    """
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: the proxy looks it up per read
    names: list[str] = []
    holders: list[str] = []
    values: list[Any] = []
    for name, attname, field in _fields(type(instance), skip):
        if field is None:
            value = getattr(instance, attname)
        else:  # sets auto_now_add, adapts dates and JSON
            value = field.get_db_prep_save(field.pre_save(instance, True), db)
        names.append(name)
        if value is None:
            holders.append("NULL")
        elif type(value) in (str, bool) and value in _CONSTANTS:
            holders.append(_CONSTANTS[value])
        else:
            holders.append("%s")
            values.append(value)
    return names, holders, values


@lru_cache(maxsize=64)
def _statement(
    case_columns: tuple[str, ...],
    case_holders: tuple[str, ...],
    event_columns: tuple[str, ...],
    event_holders: tuple[str, ...],
) -> str:
    quote = connection.ops.quote_name
    # Names come from the models, constants from _CONSTANTS; every other value is a parameter.
    return f"""
        WITH unit AS (
            SELECT u.id FROM {quote(OrgUnit._meta.db_table)} u
            LEFT JOIN {quote(IntakePoint._meta.db_table)} p ON p.unit_id = u.id
            WHERE u.code = %s AND u.is_active
              AND (p.id IS NULL OR (p.is_enabled AND p.token = COALESCE(NULLIF(%s, ''), p.token)))
        ),
        number AS (SELECT nextval('{SEQUENCE}') AS n FROM unit),
        new_case AS (
            INSERT INTO {quote(Case._meta.db_table)} ({", ".join(case_columns)}, case_no,
                origin_unit_id)
            SELECT {", ".join(case_holders)},
                %s::text || '-' || CASE WHEN number.n < 1000000 THEN lpad(number.n::text, 6, '0')
                                  ELSE number.n::text END,
                unit.id
            FROM unit, number
            RETURNING id, case_no, origin_unit_id
        ),
        new_event AS (
            INSERT INTO {quote(CaseEvent._meta.db_table)} ({", ".join(event_columns)}, case_id,
                unit_id)
            SELECT {", ".join(event_holders)}, new_case.id, new_case.origin_unit_id FROM new_case
        )
        SELECT id, case_no, origin_unit_id FROM new_case
    """  # noqa: S608


def case_insert_with_event(
    case: Case, event: CaseEvent, *, unit_code: str, token: str | None, year: int
) -> bool:
    """Insert ``case`` (numbered in ``year``) and its first ``event`` at the unit ``unit_code``.

    Return True with ``case.pk``, ``case.case_no`` and ``case.origin_unit_id`` set, or False when
    the unit does not take voices (missing, inactive, code disabled, or ``token`` not its
    current one) and nothing was written. A duplicate ``intake_key_hash`` (computed by the
    caller, as on the ordinary path: see ``idempotency``) raises ``IntegrityError``.
    """
    case_columns, case_holders, case_values = _columns(case, _CASE_FROM_SQL)
    event_columns, event_holders, event_values = _columns(event, _EVENT_FROM_SQL)
    sql = _statement(
        tuple(case_columns), tuple(case_holders), tuple(event_columns), tuple(event_holders)
    )
    params = [unit_code, token or "", *case_values, str(year), *event_values]
    if connection.in_atomic_block:
        with transaction.atomic(), prepared_cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    else:  # one statement commits by itself: no BEGIN and COMMIT round trips
        with prepared_cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    if row is None:
        return False
    case.pk, case.case_no, case.origin_unit_id = row
    case._state.adding = False
    case._state.db = connection.alias
    return True
