"""Statements that PostgreSQL parses and plans once per connection instead of once per run.

Django's PostgreSQL cursors bind parameters on the client and never prepare a statement: the
server parses and plans each one again. For a short statement that costs little; for the
statement that takes a new voice (a unit look-up, a number drawn and two inserts in one
statement, see ``cases.intake.insert``) planning costs the server more than running it, and it
is the statement many employees send at once. A statement run through ``prepared_cursor`` is
prepared on the server the first time a connection runs it (psycopg's prepared statements, in
the same round trip) and only executed afterwards; the ORM's statements are unchanged.

Settings give PostgreSQL connections a ``prepare_threshold`` that psycopg never reaches by
counting, so it prepares only what is run here. A connection pooler that cannot keep prepared
statements (PgBouncer in transaction mode before 1.21) is served with
``DB_PREPARED_STATEMENTS=off``: the threshold is then None and the same statements run
unprepared.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

import psycopg
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from psycopg.abc import Params


class _PreparingCursor(psycopg.Cursor[Any]):
    """A cursor binding its parameters on the server and asking for each statement to be
    prepared (psycopg keeps at most ``prepared_max`` per connection, 100)."""

    def execute(
        self,
        query: Any,
        params: Params | None = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> Self:
        return super().execute(query, params, prepare=True, binary=binary)


class _PreparedDebugWrapper(CursorDebugWrapper):
    """Django's logging cursor, logging the statement as written (with its placeholders): the
    statement as executed is not known on the client when the server binds the values."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """Yield a cursor of the default PostgreSQL connection whose statements are prepared.

    It is Django's cursor in all but the binding: the health check, the opening of the
    connection, the error translation (``IntegrityError`` and the rest) and the logging of
    statements are Django's. One cursor is kept per connection and used again (closed with it):
    a new cursor would look up again how to send each type of value.
    """
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = _kept_cursor()
    wrapper = _PreparedDebugWrapper if connection.queries_logged else CursorWrapper
    yield wrapper(raw, connection)


# Where the kept cursor hangs on Django's connection object (one per thread).
_KEPT = "_prepared_cursor_kept"


def _kept_cursor() -> _PreparingCursor:
    """Return the cursor kept for the open connection, made on first use (and again once the
    connection was opened anew: the old cursor goes with the old connection)."""
    raw_connection = connection.connection
    cursor: _PreparingCursor | None = getattr(connection, _KEPT, None)
    if cursor is None or cursor.closed or cursor.connection is not raw_connection:
        with connection.wrap_database_errors:
            cursor = _PreparingCursor(raw_connection)
        setattr(connection, _KEPT, cursor)
    return cursor
