"""A new voice and its first event written in one statement, on PostgreSQL.

The public intake is the one write that many employees make at once (a QR code posted at a shift
change), so on PostgreSQL it costs a single round trip: one statement looks up the unit by its
code, checks that it takes voices, draws the case number from the sequence, and inserts the case
and its "submitted" event together (data-modifying common table expressions). Outside a
transaction the statement commits by itself; inside one it runs in a savepoint so that a
duplicate idempotency key rolls back only its own work.

The rows are the very rows the ORM would write: the column values come from unsaved model
instances, prepared by each field as ``Model.save`` would prepare them. Anything the statement
cannot decide (an unknown or disabled unit, a rotated code) returns nothing, and the caller
takes the ordinary path, which raises the precise error.
"""

from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from xinsheng.cases.models import Case, CaseEvent, IntakePoint
from xinsheng.cases.numbering import SEQUENCE
from xinsheng.org.models import OrgUnit

# Filled in by the statement rather than from the instance.
_CASE_FROM_SQL = frozenset({"id", "case_no", "origin_unit_id"})
_EVENT_FROM_SQL = frozenset({"id", "case_id", "unit_id"})


def available() -> bool:
    """Return whether the database can take the one-statement insert."""
    return connection.vendor == "postgresql"


def _columns(instance: Model, skip: frozenset[str]) -> tuple[list[str], list[Any]]:
    """Return the column names and prepared values of ``instance``, as an insert would write."""
    names: list[str] = []
    values: list[Any] = []
    for field in instance._meta.local_concrete_fields:
        if field.column is None or field.column in skip:
            continue
        value = field.pre_save(instance, True)  # sets auto_now_add times on the instance too
        names.append(connection.ops.quote_name(field.column))
        values.append(field.get_db_prep_save(value, connection))
    return names, values


def _statement(case_columns: list[str], event_columns: list[str]) -> str:
    quote = connection.ops.quote_name
    case_params = ", ".join(["%s"] * len(case_columns))
    event_params = ", ".join(["%s"] * len(event_columns))
    # Names come from the models; every value is a parameter.
    return f"""
        WITH unit AS (
            SELECT u.id FROM {quote(OrgUnit._meta.db_table)} u
            LEFT JOIN {quote(IntakePoint._meta.db_table)} p ON p.unit_id = u.id
            WHERE u.code = %s AND u.is_active
              AND (p.id IS NULL OR (p.is_enabled AND (%s = '' OR p.token = %s)))
        ),
        number AS (SELECT nextval('{SEQUENCE}') AS n FROM unit),
        new_case AS (
            INSERT INTO {quote(Case._meta.db_table)} ({", ".join(case_columns)}, case_no,
                origin_unit_id)
            SELECT {case_params},
                %s || '-' || CASE WHEN number.n < 1000000 THEN lpad(number.n::text, 6, '0')
                                  ELSE number.n::text END,
                unit.id
            FROM unit, number
            RETURNING id, case_no, origin_unit_id
        ),
        new_event AS (
            INSERT INTO {quote(CaseEvent._meta.db_table)} ({", ".join(event_columns)}, case_id,
                unit_id)
            SELECT {event_params}, new_case.id, new_case.origin_unit_id FROM new_case
        )
        SELECT id, case_no, origin_unit_id FROM new_case
    """  # noqa: S608


def case_insert_with_event(
    case: Case, event: CaseEvent, *, unit_code: str, token: str | None, year: int
) -> bool:
    """Insert ``case`` (numbered in ``year``) and its first ``event`` at the unit ``unit_code``.

    Return True with ``case.pk``, ``case.case_no`` and ``case.origin_unit_id`` set, or False when
    the unit does not take voices (missing, inactive, code disabled, or ``token`` not its
    current one) and nothing was written. A duplicate ``intake_key`` raises ``IntegrityError``.
    """
    case_columns, case_values = _columns(case, _CASE_FROM_SQL)
    event_columns, event_values = _columns(event, _EVENT_FROM_SQL)
    sql = _statement(case_columns, event_columns)
    params = [unit_code, token or "", token or "", *case_values, str(year), *event_values]
    if connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    else:  # one statement commits by itself: no BEGIN and COMMIT round trips
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    if row is None:
        return False
    case.pk, case.case_no, case.origin_unit_id = row
    case._state.adding = False
    case._state.db = connection.alias
    return True
