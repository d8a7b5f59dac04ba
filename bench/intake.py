"""Benchmark: requests per second of the public intake API against a bare insert, on PostgreSQL.

One gunicorn server (sync workers) runs the platform's settings with one extra URL, a bare Django
view that inserts one row (``intake_bare.py``). After a warm-up, the same load — many concurrent
connections from several processes, every request with its own ``Idempotency-Key`` — is sent to
that view and to ``POST /api/v1/units/<code>/cases`` in turn, in alternating rounds so that a
change in the machine's load during the run touches both alike, and the figures are printed side
by side with their ratio. The target is an intake rate of at least half the bare one.

    .venv/bin/python bench/intake.py
    DATABASE_URL=postgres://postgres@localhost:5432/postgres .venv/bin/python bench/intake.py

DATABASE_URL names the PostgreSQL server (default: the local one, user postgres); a throwaway
database is created on it, migrated, and dropped at the end. Tunable by environment variables:
BENCH_WORKERS (default 2 × CPUs + 1), BENCH_ROUNDS (3), BENCH_SECONDS (5 per endpoint and round),
BENCH_WARMUP (3), BENCH_PROCESSES (2) and BENCH_THREADS (16 per process). Beside the rates it
prints the CPU the server's workers spent per request (PostgreSQL's share is not counted), which
says where the difference lies.
"""

import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@localhost:5432/postgres")
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "16"))
UNIT = "BENCH-T1"
BARE_PATH = "/bench/bare"
INTAKE_PATH = f"/api/v1/units/{UNIT}/cases"


def database_url(name: str) -> str:
    """Return SERVER's URL pointing at database ``name``."""
    parts = urlsplit(SERVER)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def database_create(prefix: str = "xs_bench_intake") -> str:
    """Create a throwaway database on the server, named ``prefix`` and this process's id;
    return its name."""
    name = f"{prefix}_{os.getpid()}"
    if not SERVER.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL server: postgres://user@host:port/db")
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def database_drop(name: str) -> None:
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_environment(name: str, workdir: Path) -> dict[str, str]:
    """Return the environment of the server and of the setup: the same settings for both."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(name),
        "DJANGO_SETTINGS_MODULE": "intake_settings",
        "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), os.environ.get("PYTHONPATH", "")]),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "XINSHENG_VAR_DIR": str(workdir),
        "INTAKE_RATE_PER_HOUR": str(10**9),  # the load comes from one address
        "LOG_LEVEL": "WARNING",
        "DEBUG": "",
    }


def prepare(environment: dict[str, str]) -> None:
    """Migrate the database and create the unit that takes the voices.

    A dispatcher holds a role above the unit, as in a real installation, where new voices wait
    in the dispatcher's inbox.
    """
    os.environ.update(environment)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from xinsheng.org.choices import Role, UnitKind
    from xinsheng.org.models import OrgUnit, Person, RoleAssignment

    call_command("migrate", verbosity=0)
    group = OrgUnit.objects.add_root(
        create_kwargs={"name": "基准集团", "code": "BENCH-G", "kind": UnitKind.GROUP}
    )
    team = OrgUnit.objects.add_child(
        group, create_kwargs={"name": "基准班组", "code": UNIT, "kind": UnitKind.TEAM}
    )
    user = User.objects.create_user("bench-dispatcher")
    person = Person.objects.create(employee_no="B000001", name="派单员", unit=team, user=user)
    RoleAssignment.objects.create(person=person, unit=group, role=Role.DISPATCHER)
    connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(environment: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """Start gunicorn with WORKERS sync workers; return once it answers."""
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "xinsheng.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
        ],
        env=environment,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/me", timeout=2)
        except urllib.error.HTTPError:
            return server  # 401: the server is up
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


@dataclass
class Figures:
    """What one endpoint did over the rounds, and the CPU its server workers spent on it."""

    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """Return the milliseconds of worker CPU per answered request."""
        return 1000 * self.cpu_seconds / self.ok if self.ok else 0.0


def workers_cpu(server: subprocess.Popen[bytes]) -> float:
    """Return the CPU seconds the gunicorn workers of ``server`` have used so far (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.pid:  # the parent's pid: a worker of this server
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def load(port: int, path: str, seconds: float) -> Figures:
    """Send the load to ``path`` for ``seconds``; return what was answered and how fast."""
    from intake_load import run

    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        loads = pool.starmap(run, [(port, path, seconds, THREADS)] * PROCESSES)
    elapsed = max(x.stopped for x in loads) - min(x.started for x in loads)
    return Figures(sum(x.ok for x in loads), sum(x.failed for x in loads), elapsed)


def measure(server: subprocess.Popen[bytes], port: int) -> dict[str, Figures]:
    """Warm both endpoints up, then load them in turn for ROUNDS rounds; return the totals."""
    endpoints = {"bare insert": BARE_PATH, "intake API": INTAKE_PATH}
    for path in endpoints.values():
        load(port, path, WARMUP)
    totals = {label: Figures() for label in endpoints}
    for _round in range(ROUNDS):
        for label, path in endpoints.items():
            cpu = workers_cpu(server)
            done = load(port, path, SECONDS)
            total = totals[label]
            total.ok += done.ok
            total.failed += done.failed
            total.seconds += done.seconds
            total.cpu_seconds += workers_cpu(server) - cpu
    return totals


def rows(name: str) -> tuple[int, int]:
    """Return the number of cases and of bare rows in the database."""
    with psycopg.connect(database_url(name)) as db:
        cases = db.execute("SELECT count(*) FROM cases_case").fetchone()
        bare = db.execute("SELECT count(*) FROM core_auditevent WHERE action = 'bench.bare'")
        bare_count = bare.fetchone()
    return (cases[0] if cases else 0), (bare_count[0] if bare_count else 0)


def main() -> None:
    sys.path.insert(0, str(BENCH_DIR))
    name = database_create()
    server: subprocess.Popen[bytes] | None = None
    try:
        with tempfile.TemporaryDirectory() as workdir:
            environment = server_environment(name, Path(workdir))
            prepare(environment)
            port = free_port()
            server = serve(environment, port)
            figures = measure(server, port)
            cases, bare = rows(name)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        database_drop(name)

    print(
        f"gunicorn: {WORKERS} sync workers; load: {PROCESSES * THREADS} connections; "
        f"PostgreSQL; {ROUNDS} rounds of {SECONDS:g} s per endpoint; {os.cpu_count()} CPUs"
    )
    print(f"{'':<12} {'requests':>9} {'failed':>7} {'seconds':>8} {'req/s':>8} {'CPU ms/req':>11}")
    for label, f in figures.items():
        row = f"{f.ok:>9} {f.failed:>7} {f.seconds:>8.1f} {f.rate:>8.0f} {f.cpu_ms:>11.2f}"
        print(f"{label:<12} {row}")
    ratio = figures["intake API"].rate / figures["bare insert"].rate
    print(f"ratio intake / bare: {ratio:.2f} (target: at least 0.50)")
    print(f"rows written: {cases} cases, {bare} bare rows (warm-up included)")


if __name__ == "__main__":
    main()
