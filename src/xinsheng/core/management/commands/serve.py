"""Serve Xinsheng with gunicorn, optionally with a task worker and the scheduler beside it.

gunicorn (25.1 and later) opens a control socket for its ``gunicornc`` client, by default one
path per user ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): a second instance on the same host
would take over the first one's socket, and ``gunicornc`` would then manage the wrong server. Each
instance gets its own socket under the var directory, named by its address, or none at all.

With ``--with-worker`` the task worker runs beside the web server, the scheduler's clock in a
thread of it (``xinsheng worker --with-scheduler``), and is started again when it dies (a
database restart ends the worker with an ``OperationalError``), after a pause that doubles with
each death in a row, up to a minute: queued tasks never wait for a worker that is gone.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the platform with gunicorn (production-grade WSGI server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3"))
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run a task worker and the scheduler of periodic tasks (for the demo)",
        )
        parser.add_argument(
            "--no-control-socket",
            action="store_true",
            help="open no gunicorn control socket (by default var/run/gunicorn-<host>-<port>.ctl)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        helpers: list[Helper] = []
        if options["with_worker"]:
            # One process: the scheduler's clock is a thread of the worker (a second process
            # would load the whole application again for a few statements every interval).
            helpers = [
                Helper(
                    "worker",
                    [*XINSHENG, "worker", "--queue-name", "default", "--with-scheduler"],
                ),
            ]
        host, port = options["host"], options["port"]
        command = gunicorn_command(
            host=host,
            port=port,
            workers=options["workers"],
            control_socket=not options["no_control_socket"],
        )
        started = time.monotonic()
        web = subprocess.Popen(command)  # noqa: S603 - fixed arguments
        signal.signal(signal.SIGTERM, _interrupt)  # stopped by a service manager: as Ctrl+C
        try:
            # Ready once the server answers; the worker and the scheduler start after it, so that
            # what they do first (training the text models, say) does not slow its start.
            if wait_until_answering(web, host, port):
                seconds = time.monotonic() - started
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Xinsheng 心声 is ready at http://{address_of(host)}:{port}/ "
                        f"(the server started in {seconds:.1f} s)"
                    )
                )
            else:
                self.stdout.write(
                    f"Xinsheng 心声 is at http://{address_of(host)}:{port}/, though its health "
                    "check (/healthz) does not answer OK: see the log."
                )
            self.stdout.flush()
            for helper in helpers:
                helper.start()
            supervise(web, helpers, say=self.stderr.write)
        except KeyboardInterrupt:
            pass
        finally:
            stop([web, *(helper.process for helper in helpers if helper.process is not None)])


XINSHENG = [sys.executable, "-m", "xinsheng.cli"]
RESTART_PAUSE_MAX = 60.0  # seconds between restarts of a helper that keeps dying


@dataclass
class Helper:
    """A process that runs beside the web server and is started again when it dies."""

    name: str
    argv: list[str]
    pause: float = 1.0  # before the first restart; doubled with each death in a row
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    deaths_in_a_row: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv)  # noqa: S603 - our own fixed arguments
        self.started_at = time.monotonic()

    def check(self, now: float, say: Callable[[str], object]) -> None:
        """Start the helper again if it died and its pause is over."""
        if self.process is None or self.process.poll() is None:
            return
        if self.restart_at is None:  # it just died
            lived = now - self.started_at
            self.deaths_in_a_row = 1 if lived > RESTART_PAUSE_MAX else self.deaths_in_a_row + 1
            wait = min(self.pause * 2 ** (self.deaths_in_a_row - 1), RESTART_PAUSE_MAX)
            self.restart_at = now + wait
            say(
                f"The {self.name} stopped (exit code {self.process.returncode}); "
                f"starting it again in {wait:g} s.\n"
            )
        if now >= self.restart_at:
            self.restart_at = None
            self.restarts += 1
            self.start()


def supervise(
    web: subprocess.Popen[bytes],
    helpers: list[Helper],
    *,
    say: Callable[[str], object],
    interval: float = 0.5,
) -> int:
    """Wait for the web server to end, starting again each helper that dies meanwhile."""
    while True:
        try:
            return web.wait(timeout=interval)
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        for helper in helpers:
            helper.check(now, say)


READY_TIMEOUT = 120.0  # seconds the web server may take to answer its health check


def address_of(host: str) -> str:
    """Return the address a browser on this machine opens to reach a server bound to ``host``."""
    return "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104 - compared, not bound


def wait_until_answering(web: subprocess.Popen[bytes], host: str, port: int) -> bool:
    """Wait until the server answers ``/healthz``: True when healthy, False if it answered
    otherwise (a host name it does not serve, the database away), ended or took too long."""
    url = f"http://{address_of(host)}:{port}/healthz"
    deadline = time.monotonic() + READY_TIMEOUT
    while web.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return bool(answer.status == HTTPStatus.OK)
        except urllib.error.HTTPError:
            return False  # it answers, though not as healthy: nothing to wait for
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    return False


def control_socket_path(host: str, port: int) -> Path:
    """Return the control socket of the instance serving ``host:port``, under the var directory."""
    name = re.sub(r"[^A-Za-z0-9.]", "_", host)
    return Path(settings.VAR_DIR) / "run" / f"gunicorn-{name}-{port}.ctl"


def gunicorn_command(*, host: str, port: int, workers: int, control_socket: bool) -> list[str]:
    """Return the command line that starts gunicorn serving ``host:port``."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "xinsheng.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        # No client address, user agent or receipt code is logged: see docs/architecture.md.
        "--logger-class",
        "xinsheng.core.gunicorn_logging.PrivateAccessLogger",
        "--access-logformat",
        '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
    ]
    if control_socket:
        command += ["--control-socket", str(control_socket_path(host, port))]
    else:
        command.append("--no-control-socket")
    if settings.DEBUG:
        command.append("--reload")
    else:  # loaded (and warmed, see wsgi.py) once before the workers fork: no first request waits
        command.append("--preload")
    return command


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ask each process to finish, and kill those that do not within ten seconds."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
