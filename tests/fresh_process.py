"""A fresh Python process on the database a test wrote: how tests see what a new worker loads.

The script runs in a new interpreter with the project's settings, pointed at the test's database
(PostgreSQL's test database by its URL; SQLite's in-memory one copied to a file where the
settings look for it), and prints its answer as JSON on its last line.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.db import connection


def worker_env(tmp_path: Path) -> dict[str, str]:
    """Return the environment of a worker process using the database this test writes."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "xinsheng.settings",
        "XINSHENG_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "light-worker-test",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = settings["HOST"] or "localhost", settings["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"
    else:  # the in-memory test database, copied to where the worker's settings look for it
        connection.ensure_connection()
        with sqlite3.connect(tmp_path / "xinsheng.sqlite3") as copy:
            connection.connection.backup(copy)
    return env


def answer_of(
    script: str,
    *arguments: str,
    tmp_path: Path,
    timeout: int = 120,
    environment: dict[str, str] | None = None,
) -> Any:
    """Run ``script`` with ``arguments`` in a fresh process (``environment`` added to the
    worker's); return the JSON of its last line."""
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", script, *arguments],
        env=worker_env(tmp_path) | (environment or {}),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
