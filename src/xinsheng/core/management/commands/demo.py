"""Load the demo enterprise: ``xinsheng demo [--seed N] [--serve]``.

With ``--serve`` it does all that ``make demo`` needs in one process: brings the database up to
date, loads the demo, collects the static files and serves (``xinsheng serve --with-worker``),
saying at each step what it does and how far it has got.

Each installed app that has demo data contributes a ``DemoPart`` to the ``DEMO`` hook of its
``plugins`` module; the parts run in their order, in one transaction, and the whole load is one
audit event, recorded against the object the first part names. Once loaded, the demo is left as it
is: every part skips what exists.
"""

import hashlib
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction

from xinsheng.core.audit import audit_record
from xinsheng.core.errors import XinshengError
from xinsheng.core.fresh_schema import schema_create_fresh
from xinsheng.core.management.commands.serve import XINSHENG
from xinsheng.core.plugins import DemoPart, contributions
from xinsheng.core.progress import progress_shown

DEFAULT_SEED = 2025


class Command(BaseCommand):
    help = "Load the demo enterprise (a fictional coal-mining group) unless it is loaded already."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"seed of the generated data (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--serve",
            action="store_true",
            help="first bring the database up to date, then load, collect the static files and "
            "serve with the task worker (what make demo does)",
        )
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args: Any, **options: Any) -> None:
        seed: int = options["seed"]
        serve: bool = options["serve"]
        started = time.monotonic()
        # The static files are collected (and compressed) beside the load, in a process of its
        # own on the other core, and only when they changed since the last time.
        collecting = static_collect_start() if serve else None
        if serve:
            self.say("Bringing the database up to date …", ending="")
            step = time.monotonic()
            if not schema_create_fresh():  # a new SQLite database is made at once
                call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
            self.say(f" {time.monotonic() - step:.1f} s")
        all_parts = parts()
        shown = {"percent": -1}

        def progress(app: str, seconds: float | None) -> None:
            if seconds is None:
                number = [part.app for part in all_parts].index(app) + 1
                self.say(f"[{number}/{len(all_parts)}] Loading the demo: {app} …", ending="")
                shown["percent"] = -1
            else:
                self.say(f" {seconds:.1f} s")

        def how_far(done: int, total: int) -> None:
            percent = 100 * done // total // 10 * 10 if total else 100
            if percent > shown["percent"]:  # every tenth
                shown["percent"] = percent
                self.say(f" {percent}%", ending="")

        try:
            with progress_shown(how_far):
                summary = load(seed=seed, progress=progress)
        except XinshengError as error:
            raise CommandError(str(error.message)) from error
        for part in all_parts:
            if part.report is not None and (text := part.report(summary=summary, seed=seed)):
                self.stdout.write(text)
        if not serve:
            return
        if collecting is not None:
            self.say("Collecting the static files …", ending="")
            step = time.monotonic()
            static_collect_finish(collecting)
            self.say(f" {time.monotonic() - step:.1f} s more")
        self.say(
            f"Prepared in {time.monotonic() - started:.1f} s ({cpu_seconds():.1f} s of processor "
            "time); starting the web server …"
        )
        # The server starts as a fresh process in this one's place (same process, so Ctrl+C and a
        # service manager's signals still reach it): what the load built up is not carried along
        # by the supervisor for the server's lifetime.
        sys.stdout.flush()
        sys.stderr.flush()
        connections.close_all()
        os.execv(sys.executable, serve_command(host=options["host"], port=options["port"]))  # noqa: S606 - our own command

    def say(self, text: str, ending: str = "\n") -> None:
        """Write ``text`` to the console at once (a long step shows how far it has got)."""
        self.stdout.write(text, ending=ending)
        self.stdout.flush()


def serve_command(*, host: str, port: int) -> list[str]:
    """Return the command line of ``xinsheng serve`` with the task worker on ``host:port``."""
    return [
        *XINSHENG,
        "serve",
        "--host",
        host,
        "--port",
        str(port),
        "--with-worker",
        "--skip-checks",
    ]


def cpu_seconds() -> float:
    """Return the processor time of this process and its finished children (on a busy machine
    the clock says more about the others than about the load)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


STATIC_STAMP = ".collected-from"  # in STATIC_ROOT: the fingerprint of the collected sources


def static_fingerprint() -> str:
    """Return a fingerprint of every static source file: its path, size and time."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def static_collect_start() -> tuple[subprocess.Popen[bytes], str] | None:
    """Start ``collectstatic`` in a process of its own, unless nothing changed since the last
    run; return the process and the fingerprint to record once it succeeds."""
    fingerprint = static_fingerprint()
    stamp = Path(settings.STATIC_ROOT) / STATIC_STAMP
    if stamp.is_file() and stamp.read_text().strip() == fingerprint:
        return None  # collected from these very files (the stamp is written last)
    stamp.unlink(missing_ok=True)
    command = [sys.executable, "-m", "xinsheng.cli", "collectstatic", "--noinput", "-v0"]
    return subprocess.Popen(command), fingerprint  # noqa: S603 - our own fixed arguments


def static_collect_finish(collecting: tuple[subprocess.Popen[bytes], str]) -> None:
    """Wait for ``collectstatic`` to end; record what it collected from."""
    process, fingerprint = collecting
    if process.wait() != 0:
        raise CommandError("collectstatic failed (see above)")
    (Path(settings.STATIC_ROOT) / STATIC_STAMP).write_text(fingerprint)


def parts() -> list[DemoPart]:
    """Return the demo parts of the installed apps, in the order they build on one another."""
    return list(contributions("DEMO"))


def load(
    *, seed: int, progress: Callable[[str, float | None], None] | None = None
) -> dict[str, Any] | None:
    """Run every demo part in one transaction; return what they made, or None if loaded.

    ``progress(app, None)`` is called as a part starts and ``progress(app, seconds)`` as it ends,
    so that a first load of a minute or more is not silent.
    """
    with transaction.atomic():
        summary: dict[str, Any] = {}
        for part in parts():
            started = time.monotonic()
            if progress is not None:
                progress(part.app, None)
            if made := part.load(seed=seed):  # a part skips what exists itself
                summary[part.app] = made
            if progress is not None:
                progress(part.app, time.monotonic() - started)
        if not summary:
            return None
        anchors = [part.anchor() for part in parts() if part.anchor is not None]
        if anchors:
            audit_record(
                actor=None,
                action="demo.load",
                obj=anchors[0],
                after={"seed": seed, **summary},
                note="xinsheng demo",
            )
    return summary
