"""Serve Xinsheng with gunicorn, optionally with a task worker and the scheduler beside it.

gunicorn (25.1 and later) opens a control socket for its ``gunicornc`` client, by default one
path per user ($XDG_RUNTIME_DIR or ~/.gunicorn/gunicorn.ctl): a second instance on the same host
would take over the first one's socket, and ``gunicornc`` would then manage the wrong server. Each
instance gets its own socket under the var directory, named by its address, or none at all.
"""

import os
import re
import signal
import subprocess
import sys
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
        helpers: list[subprocess.Popen[bytes]] = []
        if options["with_worker"]:
            helpers = [
                subprocess.Popen(
                    [sys.executable, "-m", "xinsheng.cli", "worker", "--queue-name", "default"],
                ),
                subprocess.Popen([sys.executable, "-m", "xinsheng.cli", "scheduler"]),
            ]
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"Xinsheng 心声 is at http://{address}/"))
        command = gunicorn_command(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            control_socket=not options["no_control_socket"],
        )
        web = subprocess.Popen(command)  # noqa: S603 - fixed arguments
        signal.signal(signal.SIGTERM, _interrupt)  # stopped by a service manager: as Ctrl+C
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop([web, *helpers])


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
