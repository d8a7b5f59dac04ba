"""What the fault drills share: PostgreSQL servers and databases of their own, the platform's
processes, a small HTTP client and a look at processes through /proc.

The drills run the platform as an installation runs it — ``xinsheng serve`` (gunicorn),
``xinsheng worker``, ``xinsheng scheduler`` — in processes of their own, from this checkout's
sources. Nothing here imports Django, so one drill can run several installations side by side,
and a restart of the database is seen by the platform exactly as in production.
"""

import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
SOURCE_DIR = BENCH_DIR.parent / "src"
PYTHON = sys.executable
LOCAL_SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@localhost:5432/postgres")
HOST = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port on the loopback address that nobody listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# --- PostgreSQL -----------------------------------------------------------------------------------


def postgres_bindir() -> Path:
    """Return the directory of PostgreSQL's server programs (initdb, pg_ctl), newest version."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        sys.exit("PostgreSQL's server programs (initdb, pg_ctl) are needed for this drill.")
    return Path(initdb).resolve().parent


class PrivateCluster:
    """A PostgreSQL server of the drill's own: a temporary data directory and a port of its own.

    The drill may restart this one at will; the machine's server (and whoever uses it) is never
    touched. As root, the server runs as the ``postgres`` user, as PostgreSQL requires.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="xs-drill-pg-"))
        self.data = self.directory / "data"
        self.log = self.directory / "server.log"
        self.bindir = postgres_bindir()

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603

    def create(self) -> None:
        """Make the cluster (trust on the loopback only) and start it."""
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()

    def _options(self) -> str:
        return f"-p {self.port} -k {self.directory} -c listen_addresses={HOST} -c fsync=off"

    def _ctl(self) -> list[str]:
        return ["pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o", self._options()]

    def start(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-o",
            self._options(),
            "start",
        )

    def restart(self, down: float = 0.0) -> None:
        """Stop the server the way a service manager does (fast: sessions are ended), leave it
        down for ``down`` seconds, and start it again."""
        self._run(*self._ctl(), "-m", "fast", "stop")
        time.sleep(down)
        self.start()

    def remove(self) -> None:
        """Stop the server (if it runs) and delete its directory."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> "PrivateCluster":
        try:
            self.create()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def database_url(server: str, name: str) -> str:
    """Return the URL of database ``name`` on the server of ``server``."""
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


@contextlib.contextmanager
def throwaway_database(server: str, prefix: str) -> Iterator[str]:
    """Create a new database on ``server``; yield its URL; drop it afterwards."""
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL server: postgres://user@host:port/db")
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Return the rows of one query on database ``url``."""
    with psycopg.connect(url) as db:
        return list(db.execute(sql, params).fetchall())  # type: ignore[call-overload]


# --- The platform ---------------------------------------------------------------------------------


def installation_env(database: str, var_dir: Path, **settings: str) -> dict[str, str]:
    """Return the environment of one installation's processes: this checkout, the database
    ``database``, files under ``var_dir``, and ``settings`` (environment variables) on top."""
    var_dir.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SOURCE_DIR), os.environ.get("PYTHONPATH", "")]),
        "DJANGO_SETTINGS_MODULE": "xinsheng.settings",
        "DATABASE_URL": database,
        "XINSHENG_VAR_DIR": str(var_dir),
        "SECRET_KEY": settings.pop("SECRET_KEY", secrets.token_urlsafe(50)),
        "LOG_LEVEL": "WARNING",
        "DEBUG": "",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        **settings,
    }


def xinsheng(env: dict[str, str], *args: str, log: Path | None = None) -> str:
    """Run one ``xinsheng`` command to its end; return what it printed (raise if it failed)."""
    done = subprocess.run(  # noqa: S603 - our own command
        [PYTHON, "-m", "xinsheng.cli", *args], env=env, capture_output=True, text=True
    )
    if log is not None:
        with log.open("a") as out:
            out.write(done.stdout + done.stderr)
    if done.returncode != 0:
        sys.exit(f"xinsheng {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def setup(env: dict[str, str], *args: str) -> Any:
    """Run a step of ``drill_setup.py`` in the installation; return the JSON it printed."""
    done = subprocess.run(  # noqa: S603 - our own script
        [PYTHON, str(BENCH_DIR / "drill_setup.py"), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"drill_setup {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _spawn(env: dict[str, str], args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603 - our own command
            [PYTHON, "-m", "xinsheng.cli", *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )


def serve(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    """Start ``xinsheng serve`` on ``port``; return once it answers."""
    address = ["--host", HOST, "--port", str(port)]
    server = _spawn(env, ["serve", *address, "--workers", str(workers), "--no-control-socket"], log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"xinsheng serve ended at once; see {log}")
        try:
            request(port, "GET", "/api/v1/me", timeout=2)
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        if len(gunicorn_workers(server.pid)) >= workers:
            return server
        time.sleep(0.2)
    stop([server])
    sys.exit(f"xinsheng serve did not answer; see {log}")


def worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen[bytes]:
    """Start ``xinsheng worker`` with the worker id ``name``."""
    return _spawn(env, ["worker", "--queue-name", "default", "--worker-id", name, "-v", "2"], log)


def scheduler(env: dict[str, str], minutes: float, log: Path) -> subprocess.Popen[bytes]:
    """Start ``xinsheng scheduler`` with rounds every ``minutes``."""
    return _spawn(env, ["scheduler", "--interval", f"{minutes:g}"], log)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ask each process to end (SIGTERM), and kill those that have not within 20 seconds."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- Processes, seen through /proc ----------------------------------------------------------------


def children(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def gunicorn_workers(serve_pid: int) -> list[int]:
    """Return the web worker processes of a ``xinsheng serve``: the children of its gunicorn."""
    return [pid for master in children(serve_pid) for pid in children(master)]


def rss_kib(pid: int) -> int | None:
    """Return the resident memory of process ``pid`` in KiB, or None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# --- HTTP -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # JSON when the answer was JSON, else the text
    headers: dict[str, str]


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    """Send one request to the server on ``port``; return its answer.

    A connection that fails raises OSError or http.client.HTTPException, as it would for any
    client.
    """
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    sent = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    try:
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        answer_headers = {key.lower(): value for key, value in response.getheaders()}
    finally:
        connection.close()
    text = raw.decode(errors="replace")
    content: Any = text
    if answer_headers.get("content-type", "").startswith("application/json"):
        with contextlib.suppress(ValueError):
            content = json.loads(text)
    return Answer(response.status, content, answer_headers)
