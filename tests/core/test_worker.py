"""The task worker lasts through a database that goes away and comes back, and can carry the
scheduler's clock."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from xinsheng.core.models import PeriodicRound

pytestmark = pytest.mark.django_db(transaction=True)

ENQUEUE = "from xinsheng.cases.tasks import deadline_sweep; print(deadline_sweep.enqueue().id)"
WAIT_SECONDS = 60


def _database_url() -> str:
    settings = connection.settings_dict
    host = settings["HOST"] or "localhost"
    port = settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xinsheng.settings",
        "XINSHENG_VAR_DIR": str(tmp_path),
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "database",
        "SECRET_KEY": "worker-test",
    }


def _xinsheng(tmp_path: Path, *args: str, **popen: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-u", "-m", "xinsheng.cli", *args],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,  # type: ignore[call-overload]
    )


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    if connection.vendor != "postgresql":
        pytest.skip("drops the worker's PostgreSQL connections")
    process = _xinsheng(tmp_path, "worker", "--interval", "0.1", "--no-startup-delay")
    yield process
    process.terminate()
    process.communicate(timeout=20)


def _drop_other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _status(task_id: str) -> str:
    found = DBTaskResult.objects.filter(id=task_id).values_list("status", flat=True).first()
    return str(found or "")


def test_the_worker_runs_tasks_again_after_its_connection_was_cut(
    worker: subprocess.Popen[str], tmp_path: Path
) -> None:
    # Given a worker that has connected to the database
    deadline = time.monotonic() + WAIT_SECONDS
    while _drop_other_connections() == 0 and time.monotonic() < deadline:
        time.sleep(0.1)

    # When its connection is cut, as a PostgreSQL restart cuts it (and again, to be sure it was
    # cut while it used it), and a task is queued afterwards
    for _ in range(5):
        _drop_other_connections()
        time.sleep(0.1)
    enqueue = _xinsheng(tmp_path, "shell", "-c", ENQUEUE)
    out, err = enqueue.communicate(timeout=60)
    assert enqueue.returncode == 0, err
    task_id = out.strip().splitlines()[-1]

    # Then the worker is still there and runs the task
    while _status(task_id) != "SUCCESSFUL" and time.monotonic() < deadline:
        assert worker.poll() is None, worker.communicate()[1]
        time.sleep(0.2)
    assert _status(task_id) == "SUCCESSFUL"
    assert worker.poll() is None


def test_a_worker_with_the_scheduler_enqueues_the_periodic_tasks_and_runs_them(
    tmp_path: Path,
) -> None:
    # Given the one background process `xinsheng serve --with-worker` starts
    if connection.vendor != "postgresql":
        pytest.skip("a second process needs the test database on a server")
    process = _xinsheng(
        tmp_path, "worker", "--with-scheduler", "--interval", "0.1", "--no-startup-delay"
    )
    try:
        assert process.stdout is not None
        assert "Scheduler started: periodic tasks every 15 minutes." in process.stdout.readline()

        # Then its clock enqueues the round at once, and the worker itself runs the tasks
        deadline = time.monotonic() + WAIT_SECONDS
        done = DBTaskResult.objects.filter(
            task_path__endswith="deadline_sweep", status="SUCCESSFUL"
        )
        while not done.exists() and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[1]
            time.sleep(0.2)
        assert done.exists()
        assert PeriodicRound.objects.exclude(holder="").exists()

        # And it stops cleanly when the service manager asks
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
