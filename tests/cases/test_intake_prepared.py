"""On PostgreSQL the statement taking a voice is planned once per connection, not per voice."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import DataError, connection

from tests.conftest import Tree
from tests.fresh_process import answer_of
from xinsheng.cases import services
from xinsheng.cases.models import Case
from xinsheng.core.prepared_statements import _KEPT as KEPT
from xinsheng.core.prepared_statements import prepared_cursor

ANONYMOUS = services.Identity(anonymous=True)
INTAKE_MARK = "WITH unit AS"  # how the intake statement begins (cases.intake.insert)


@pytest.fixture(autouse=True)
def _postgresql(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def submit(key: str, **changes: Any) -> services.Submitted:
    fields: dict[str, Any] = {
        "unit_code": "T1",
        "kind": "demand",
        "title": "",
        "text": "井口澡堂的热水供应时间太短，夜班下井回来经常没有热水。",
        "identity": ANONYMOUS,
        "intake_key": key,
    }
    return services.case_submit_at(**(fields | changes))


def prepared() -> dict[str, int]:
    """Return the statements prepared on this connection, with how often each has run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def intake_runs() -> dict[str, int]:
    return {sql: runs for sql, runs in prepared().items() if INTAKE_MARK in sql}


def test_the_second_voice_runs_the_statement_the_first_prepared(tree: Tree) -> None:
    submit("first")
    before = intake_runs()
    second = submit("second")

    after = intake_runs()
    assert len(after) == 1, after  # no new statement for the second voice
    (sql,) = after
    assert after[sql] == before[sql] + 1
    assert Case.objects.get(pk=second.case.pk).case_no == second.case.case_no


def test_the_orm_prepares_nothing(tree: Tree) -> None:
    submit("one")
    list(Case.objects.filter(origin_unit=tree.team1).values_list("case_no", flat=True))
    Case.objects.filter(origin_unit=tree.team1).update(supporters=0)

    assert all(INTAKE_MARK in sql for sql in prepared())


def test_a_retry_with_the_same_key_still_finds_the_first_voice(tree: Tree) -> None:
    first = submit("same")
    again = submit("same")

    assert not again.created
    assert (again.case.pk, again.receipt_code) == (first.case.pk, first.receipt_code)
    assert Case.objects.filter(origin_unit=tree.team1).count() == 1


def test_voices_share_one_cursor_of_their_connection(tree: Tree) -> None:
    with prepared_cursor() as first:
        pass
    submit("one")
    with prepared_cursor() as second:
        pass

    assert second.cursor is first.cursor


def test_a_cursor_kept_for_another_connection_is_not_used(tree: Tree) -> None:
    # As after the connection was closed and opened anew: the kept cursor is of the old one.
    with psycopg.connect(**connection.get_connection_params()) as other:
        setattr(connection, KEPT, other.cursor())
        submitted = submit("after reconnecting")

    with prepared_cursor() as cursor:
        assert cursor.cursor.connection is connection.connection
    assert Case.objects.get(pk=submitted.case.pk).case_no == submitted.case.case_no


def test_a_database_error_is_djangos(tree: Tree) -> None:
    with pytest.raises(DataError), prepared_cursor() as cursor:
        cursor.execute("SELECT 1 / %s", [0])


@pytest.fixture
def unprepared(db: None) -> Iterator[None]:
    """The connection as ``DB_PREPARED_STATEMENTS=off`` opens it (for a pooler)."""
    connection.ensure_connection()
    raw = connection.connection
    kept = raw.prepare_threshold
    raw.prepare_threshold = None
    yield
    raw.prepare_threshold = kept


def test_with_prepared_statements_off_the_voice_is_taken_unprepared(
    tree: Tree, unprepared: None
) -> None:
    before = intake_runs()
    submitted = submit("pooled")

    assert intake_runs() == before
    assert Case.objects.get(pk=submitted.case.pk).events.count() == 1


# A fresh process with the project's settings runs one statement twice through
# ``prepared_cursor`` and says how many statements its connection holds prepared.
SETTINGS_SCRIPT = """
import json
import django
django.setup()
from django.db import connection
from xinsheng.core.prepared_statements import _KEPT as KEPT
from xinsheng.core.prepared_statements import prepared_cursor
for _ in range(2):
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s::int + 1", [1])
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM pg_prepared_statements")
    print(json.dumps(cursor.fetchone()[0]))
"""


@pytest.mark.parametrize(("setting", "held"), [("on", 1), ("off", 0)])
def test_the_setting_decides_whether_the_server_keeps_the_statement(
    tmp_path: Path, setting: str, held: int
) -> None:
    environment = {"DB_PREPARED_STATEMENTS": setting}
    assert answer_of(SETTINGS_SCRIPT, tmp_path=tmp_path, environment=environment) == held
