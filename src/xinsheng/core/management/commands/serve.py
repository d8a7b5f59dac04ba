"""Serve Xinsheng with gunicorn, optionally with a task worker beside it."""

import os
import signal
import subprocess
import sys
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
            "--with-worker", action="store_true", help="also run a task worker (for the demo)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None
        if options["with_worker"]:
            worker = subprocess.Popen(
                [sys.executable, "-m", "xinsheng.cli", "worker", "--queue-name", "default"],
            )
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
            # Requests are logged without the client address: see docs/architecture.md.
            "--access-logformat",
            '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
        ]
        if settings.DEBUG:
            command.append("--reload")
        try:
            subprocess.run(command, check=False)  # noqa: S603 - fixed arguments
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(timeout=10)
