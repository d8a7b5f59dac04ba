"""Load the demo enterprise: ``xinsheng demo [--seed N]``.

Each installed app that has demo data contributes a ``DemoPart`` to the ``DEMO`` hook of its
``plugins`` module; the parts run in their order, in one transaction, and the whole load is one
audit event, recorded against the object the first part names. Once loaded, the demo is left as it
is: every part skips what exists.
"""

import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from xinsheng.core.audit import audit_record
from xinsheng.core.errors import XinshengError
from xinsheng.core.plugins import DemoPart, contributions

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

    def handle(self, *args: Any, **options: Any) -> None:
        seed: int = options["seed"]

        def progress(app: str, seconds: float | None) -> None:
            if seconds is None:
                self.stdout.write(f"Loading the demo: {app} …", ending="")
            else:
                self.stdout.write(f" {seconds:.1f} s")
            self.stdout.flush()

        try:
            summary = load(seed=seed, progress=progress)
        except XinshengError as error:
            raise CommandError(str(error.message)) from error
        for part in parts():
            if part.report is not None and (text := part.report(summary=summary, seed=seed)):
                self.stdout.write(text)


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
