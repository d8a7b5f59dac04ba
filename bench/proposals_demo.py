"""Benchmark: how long the proposals part of the demo takes to load (target ≤ 3 s).

Needs a database with the demo loaded (``xinsheng demo``). In one transaction that is rolled
back each round, it removes the proposals part and loads it again through ``demo.demo_load``
(two windows, about 120 proposals with their authors, assignments, scores, history, progress
and payments), printing wall and processor time per round (min and median of BENCH_RUNS, 5) and
the machine's load average.

    export DATABASE_URL=sqlite:///demo.sqlite3
    .venv/bin/xinsheng demo   # once
    PYTHONPATH=src .venv/bin/python bench/proposals_demo.py
"""

from __future__ import annotations

import os
import statistics
import time

import django


class _Undo(Exception):
    """Raised to roll the round back."""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    django.setup()
    from django.db import transaction

    from xinsheng.proposals import demo
    from xinsheng.proposals.models import (
        Assignment,
        CoAuthor,
        IntakeKey,
        ProgressNote,
        Proposal,
        ProposalEvent,
        RewardPayment,
        Score,
        Window,
    )

    runs = int(os.environ.get("BENCH_RUNS", "5"))
    walls, cpus = [], []
    made: dict[str, int] = {}
    for _round in range(runs):
        try:
            with transaction.atomic():
                for model in (
                    RewardPayment,
                    ProgressNote,
                    ProposalEvent,
                    Score,
                    Assignment,
                    CoAuthor,
                    IntakeKey,
                    Proposal,
                ):
                    model.objects.all()._raw_delete(model.objects.db)
                Window.committee.through.objects.all().delete()
                Window.objects.all().delete()
                wall, cpu = time.perf_counter(), time.process_time()
                made = demo.demo_load()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                raise _Undo
        except _Undo:
            pass
    if not made:
        print("The demo is not loaded (run xinsheng demo first).")
        return
    print(f"proposals demo part: {made}")
    print(
        f"wall min {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
        f"processor min {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s "
        f"(target ≤ 3 s); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
