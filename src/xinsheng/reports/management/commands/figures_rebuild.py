"""Recompute every aggregated figure from the raw cases: ``xinsheng figures_rebuild``."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from xinsheng.reports.figures import figures_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the aggregated figures (per unit and day, and per month) from every case, "
        "event and rating. Needed after units move in the tree or data is changed by hand."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: int) -> None:
            if done % 100_000 < 2000:
                self.stdout.write(f"{done} cases counted …")

        count = figures_rebuild(progress=progress if options["verbosity"] > 1 else None)
        self.stdout.write(f"{count} cases counted in {time.monotonic() - started:.1f} s.")
