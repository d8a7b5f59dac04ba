"""Serve Xinsheng with gunicorn, optionally with a task worker and the scheduler beside it."""

import os
import signal
import subprocess
import sys
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
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "xinsheng.wsgi:application",
            "--bind",
            address,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # No client address, user agent or receipt code is logged: see docs/architecture.md.
            "--logger-class",
            "xinsheng.core.gunicorn_logging.PrivateAccessLogger",
            "--access-logformat",
            '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
        ]
        if settings.DEBUG:
            command.append("--reload")
        web = subprocess.Popen(command)  # noqa: S603 - fixed arguments
        signal.signal(signal.SIGTERM, _interrupt)  # stopped by a service manager: as Ctrl+C
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop([web, *helpers])


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
