"""A new SQLite database made at once (``xinsheng demo --serve``) is the one ``migrate`` makes."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

MAKE = {
    "migrate": "from django.core.management import call_command; "
    "call_command('migrate', interactive=False, verbosity=0)",
    "at once": "from xinsheng.core.fresh_schema import schema_create_fresh; "
    "assert schema_create_fresh(); assert not schema_create_fresh()",
}


def _database(tmp_path: Path, how: str) -> sqlite3.Connection:
    var = tmp_path / how.replace(" ", "_")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"XINSHENG_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "xinsheng.settings"}
    script = f"import django; django.setup(); {MAKE[how]}"
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=600)  # noqa: S603
    return sqlite3.connect(var / "xinsheng.sqlite3")


def _schema(db: sqlite3.Connection) -> dict[str, object]:
    """Return each table's columns, foreign keys, indexes and row count, in no particular order
    (a table migrated over time has its columns in the order they were added)."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {
        name: (
            sorted(column[1:] for column in db.execute(f'PRAGMA table_info("{name}")')),
            sorted(key[2:] for key in db.execute(f'PRAGMA foreign_key_list("{name}")')),
            sorted(
                (index[1], index[2], [c[2] for c in db.execute(f'PRAGMA index_info("{index[1]}")')])
                for index in db.execute(f'PRAGMA index_list("{name}")')
            ),
            db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone(),  # noqa: S608 - rows made
        )
        for name in tables
        if not name.startswith("sqlite_")
    }


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite only")
def test_a_new_database_made_at_once_has_what_the_migrations_make(tmp_path: Path) -> None:
    migrated = _schema(_database(tmp_path, "migrate"))
    at_once = _schema(_database(tmp_path, "at once"))

    assert sorted(at_once) == sorted(migrated)
    for table, shape in migrated.items():
        assert at_once[table] == shape, table
