"""Benchmark: what each staff page costs the server, measured inside one process.

For each page: the processor time of a whole request through Django's test client (middleware,
view, queries, template), its SQL time and its number of statements. Processor time counts what
the worker itself spends, so it says something even on a busy machine where the clock does not;
SQL time is the clock time spent in the database calls (on PostgreSQL the server's work, on
SQLite the library's, which is also counted in the processor time).

It reads an existing database (and writes a session to sign in):

    # cases: a database kept by bench/scale.py (BENCH_KEEP=1), named test_<name>
    DATABASE_URL=postgres://postgres@localhost:5432/test_xs_scale .venv/bin/python \
        bench/page_cost.py
    # surveys: a database kept by bench/engage_surveys.py (BENCH_KEEP=1)
    DATABASE_URL=postgres://postgres@localhost:5432/test_xs_surveys .venv/bin/python \
        bench/page_cost.py
    # or the demo's SQLite database
    .venv/bin/python bench/page_cost.py

The pages: the ledger's first page (已办结) and a page half way down the same list (keyset
cursor), a case page from the middle of that list, the dashboard of the top unit for one year,
and the results page of the survey with the most responses; those the database has no data for
are left out. ``BENCH_USER`` names the user (default: ``bench-admin``, then ``bench-union``, then
the first superuser). ``BENCH_RUNS`` (default 20) runs per page after one warm-up run; printed
are the median and the least processor time, the median clock time, the least SQL time (of a
quarter as many runs, the statements captured) and the number of statements.
``BENCH_PAGES=1,3`` times only those pages. ``BENCH_PROFILE=<page number>`` prints that page's
cProfile instead, in processor time (by own time and by cumulative time).
"""

from __future__ import annotations

import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
PROFILE = os.environ.get("BENCH_PROFILE", "")
ONLY = {int(n) for n in os.environ.get("BENCH_PAGES", "").split(",") if n.strip()}


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.conf import settings

    # The pages are timed, not their assets: no collected manifest needed.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}


def bench_user() -> Any:
    from django.contrib.auth.models import User

    wanted = os.environ.get("BENCH_USER")
    names = [wanted] if wanted else ["bench-admin", "bench-union"]
    for name in names:
        found = User.objects.filter(username=name).first()
        if found is not None:
            return found
    user = User.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise SystemExit("no user to sign in as: set BENCH_USER")
    return user


def pages() -> list[tuple[str, str]]:
    """Return the pages this database has data for, as (label, URL)."""
    from django.utils import timezone

    from xinsheng.cases.ledger.keyset import NEWEST, SORTS, Cursor, cursor_dump
    from xinsheng.cases.models import Case
    from xinsheng.core.periods import YEAR, period_of
    from xinsheng.engage.surveys.models import Survey, SurveyTally
    from xinsheng.org.models import OrgUnit

    found: list[tuple[str, str]] = []
    closed = Case.objects.filter(status="closed").order_by("-created_at", "-id")
    count = closed.count()
    if count:
        middle = closed[count // 2]
        deep = cursor_dump(Cursor(NEWEST, True, SORTS[NEWEST].key_of(middle)))
        found += [
            ("ledger, first page (已办结)", "/cases/?status=closed"),
            ("ledger, a page half way down", f"/cases/?status=closed&cursor={quote(deep)}"),
            ("case page", f"/cases/{quote(middle.case_no)}/"),
        ]
    top = OrgUnit.objects.filter(depth=1).order_by("path").first()
    if top is not None and count:
        year = period_of(YEAR, timezone.localdate() - dt.timedelta(days=365))
        found.append(
            (
                "dashboard, top unit, one year",
                f"/reports/?unit={quote(top.code)}&period=year&date={year.start.isoformat()}",
            )
        )
    tally = (
        SurveyTally.objects.filter(question_no=0, item=0, choice=0, unit_path="*")
        .order_by("-n")
        .first()
        if Survey.objects.exists()
        else None
    )
    if tally is not None:
        label = f"survey results ({tally.n:,} responses)"
        found.append((label, f"/surveys/{tally.survey_id}/results/"))
    return found


def cost(get: Callable[[], Any]) -> tuple[float, float, float, float, int]:
    """Return the median and least processor ms of ``get``, its median clock ms, its least SQL
    ms and its statements. On a busy machine the least is the steadier figure: other work
    only ever adds to it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get()  # warm-up: caches, compiled templates, the connection
    processor: list[float] = []
    clock: list[float] = []
    for _run in range(RUNS):
        began, began_clock = time.process_time(), time.perf_counter()
        get()
        processor.append((time.process_time() - began) * 1000)
        clock.append((time.perf_counter() - began_clock) * 1000)
    sql: list[float] = []
    statements = 0
    for _run in range(max(3, RUNS // 4)):
        with CaptureQueriesContext(connection) as queries:
            get()
        sql.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
        statements = len(queries.captured_queries)
    return (
        statistics.median(processor),
        min(processor),
        statistics.median(clock),
        min(sql),
        statements,
    )


def main() -> None:
    setup()
    from django.test import Client

    client = Client()
    client.force_login(bench_user())
    found = pages()
    for label, url in found:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answers {response.status_code}")
    load = os.getloadavg()
    if PROFILE:
        label, url = found[int(PROFILE) - 1]
        profile = cProfile.Profile(time.process_time)  # the worker's own time, as above
        client.get(url)
        profile.enable()
        for _run in range(RUNS):
            client.get(url)
        profile.disable()
        print(f"{label}: {url}, {RUNS} runs")
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(60)
        return
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {RUNS} runs per page, medians")
    print(f"{'page':44} {'CPU ms':>7} {'CPU min':>8} {'clock ms':>9} {'SQL min':>8} {'stmts':>6}")
    for number, (label, url) in enumerate(found, start=1):
        if ONLY and number not in ONLY:
            continue
        processor, least, clock, sql, statements = cost(lambda url=url: client.get(url))  # type: ignore[misc]
        print(
            f"{number}. {label:41} {processor:7.1f} {least:8.1f} {clock:9.1f} {sql:8.1f} "
            f"{statements:6}"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
