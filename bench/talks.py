"""Benchmark: the coverage board and the talk figures at 100,000 people and 1,000,000 records.

Builds a group of about 2,000 units (1 group → 8 companies → 6 mines each → 40 work areas each),
``BENCH_PEOPLE`` people (default 100,000) spread over the work areas, and ``BENCH_RECORDS``
talk and visit records (default 1,000,000) over the last two years, each with one to three
people of its work area, written with COPY; then a cycle of pairs in two tiers, talk requests,
meetings with rectification items, and a supervision group assigned the 48 mines; then builds
the figures' aggregates (timed). Checks that the figures of the boards' units (from the
aggregates) equal a raw recount of the people and the records, for this year, quarter and month
and a run of months. Then measures, as median (p50) and p95:

- the coverage board for this calendar year (the board's default), through Django's test client
  (the whole view: every query and the template), picked as the group unit (its companies as
  rows), as the supervision group (its 48 mines as rows) and as one mine (its 40 work areas);
- the records list's first page for the group and the year: the scoped query of 50 records,
  newest first, with their units (the ledger's own view lives with the records' pages);
- every talk figure of the group for the year (``talk_figures_of``, the briefing's source);

then the same three boards the way a user waits for them: through gunicorn (the project's
settings, ``SERVER_WORKERS`` sync workers, default 2) with a signed-in session cookie, by ``wrk``
when installed (a small Python client otherwise), one connection and then ``SERVER_CONNECTIONS``
(default 4) for ``SERVER_SECONDS`` (default 10) each, giving p50, p95 and requests per second.
It prints the figures of the year last.

    DATABASE_URL=postgres://postgres@localhost:5432/xs_talks .venv/bin/python bench/talks.py

PostgreSQL only: a throwaway database named after the one in DATABASE_URL (prefixed ``test_``)
is created and dropped afterwards. ``BENCH_KEEP=1`` keeps it; ``BENCH_REUSE=1`` measures a kept
one again without generating anything (migrating it first, and catching its aggregates up, or
building them when a migration reset them). ``BENCH_SERVER=0`` skips the run through gunicorn.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "1000000"))
SEED = 20261115
REPS = 60
BUDGET = 20.0  # seconds per measurement at most
MIN_REPS = 10
COMPANIES, MINES, AREAS = 8, 6, 40
DAYS = 730
KEEP = os.environ.get("BENCH_KEEP") == "1"
REUSE = os.environ.get("BENCH_REUSE") == "1"
SERVER = os.environ.get("BENCH_SERVER", "1") == "1"
SERVER_WORKERS = int(os.environ.get("SERVER_WORKERS", "2"))
SERVER_CONNECTIONS = int(os.environ.get("SERVER_CONNECTIONS", "4"))
SERVER_SECONDS = int(os.environ.get("SERVER_SECONDS", "10"))


def setup(workdir: Path) -> str:
    """Point Django at a throwaway PostgreSQL database and migrate it; return its name."""
    os.environ.setdefault("XINSHENG_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # the server's too
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL server (see the docstring)")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    name = str(connection.settings_dict["NAME"])
    if REUSE:
        connection.close()
        connection.settings_dict["NAME"] = connection.creation._get_test_db_name()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        build_aggregates()
        return name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return name


def build_aggregates() -> None:
    """Catch the figures' aggregates up (build them if new or reset), timed, and vacuum."""
    from xinsheng.talks import aggregates

    started = time.perf_counter()
    counted = aggregates.aggregates_refresh(margin=True)
    print(f"aggregates caught up ({counted:,} records) in {time.perf_counter() - started:.0f} s")
    vacuum()


def vacuum() -> None:
    """Vacuum and analyse, as autovacuum does after bulk writes (index-only scans need it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def teardown(original_name: str) -> None:
    from django.db import connection

    connection.creation.destroy_test_db(original_name, verbosity=0)


def path_step(position: int) -> str:
    from xinsheng.org.models import OrgUnit

    alphabet, digits = OrgUnit.alphabet, ""
    while position:
        position, digit = divmod(position, len(alphabet))
        digits = alphabet[digit] + digits
    return digits.rjust(OrgUnit.steplen, alphabet[0])


def build_tree() -> tuple[Any, list[Any], list[Any]]:
    """Save the units; return the group, the mines and the work areas."""
    from xinsheng.org.choices import UnitKind
    from xinsheng.org.models import OrgUnit

    units: list[OrgUnit] = []

    def add(parent: OrgUnit | None, code: str, name: str, kind: str) -> OrgUnit:
        if parent is None:
            path = path_step(1)
        else:
            parent.numchild += 1
            path = parent.path + path_step(parent.numchild)
        unit = OrgUnit(path=path, depth=len(path) // OrgUnit.steplen, numchild=0)
        unit.code, unit.name, unit.kind = code, name, kind
        units.append(unit)
        return unit

    group = add(None, "G", "基准能源集团", UnitKind.GROUP)
    for c in range(1, COMPANIES + 1):
        company = add(group, f"C{c}", f"第{c}煤业公司", UnitKind.COMPANY)
        for m in range(1, MINES + 1):
            mine = add(company, f"C{c}-M{m}", f"{c}公司{m}号矿", UnitKind.MINE)
            for a in range(1, AREAS + 1):
                add(mine, f"{mine.code}-A{a:02d}", f"{c}公司{m}号矿{a}区队", UnitKind.AREA)
    OrgUnit.objects.bulk_create(units, batch_size=2000)
    saved = {unit.code: unit for unit in OrgUnit.objects.all()}
    mines = [u for u in saved.values() if u.kind == UnitKind.MINE]
    areas = [u for u in saved.values() if u.kind == UnitKind.AREA]
    return saved["G"], mines, areas


def copy_rows(table: str, columns: list[str], rows: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def reset_sequence(model: Any) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:  # the table is a model's, never input
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",  # noqa: S608
            [table],
        )


def build_people(areas: list[Any]) -> dict[int, list[int]]:
    """Write PEOPLE people over the work areas; return their ids by work area id."""
    from django.utils import timezone

    from xinsheng.org.models import Person

    now = timezone.now()
    by_area: dict[int, list[int]] = {area.pk: [] for area in areas}

    def rows() -> Any:
        for number in range(1, PEOPLE + 1):
            area = areas[number % len(areas)]
            by_area[area.pk].append(number)
            yield (number, f"P{number:07d}", f"职工{number}", area.pk, True, now, now)

    columns = ["id", "employee_no", "name", "unit_id", "is_active", "created_at", "updated_at"]
    flags = ["position", "phone", "cadre_rank"]
    booleans = ["is_principal", "is_party_member", "is_technical_talent", "is_team_leader"]
    booleans += ["is_backbone", "is_manager"]
    copy_rows(
        Person._meta.db_table,
        [*columns, *flags, *booleans],
        ((*row, "", "", "", *([False] * len(booleans))) for row in rows()),
    )
    reset_sequence(Person)
    return by_area


def build_records(areas: list[Any], by_area: dict[int, list[int]], rng: random.Random) -> None:
    """Write RECORDS records with their people (1–3 of the work area) and hosts, with COPY."""
    from django.utils import timezone

    from xinsheng.talks.models import TalkHost, TalkParticipant, TalkRecord

    now = timezone.now()
    today = timezone.localdate()
    kinds = ["talk"] * 6 + ["visit"] * 3 + ["home_visit"]
    places = ["office", "underground", "workshop", "canteen", "dormitory", "home", "other"]
    participants: list[tuple[Any, ...]] = []
    hosts: list[tuple[Any, ...]] = []

    def records() -> Any:
        for number in range(1, RECORDS + 1):
            area = areas[rng.randrange(len(areas))]
            held = today - dt.timedelta(days=rng.randrange(DAYS))
            people = rng.sample(by_area[area.pk], rng.choice((1, 1, 1, 2, 3)))
            for person in people:
                participants.append((number, person, held, area.path))
            hosts.append((number, by_area[area.pk][0]))
            kind = kinds[number % len(kinds)]
            place = "home" if kind == "home_visit" else places[number % 6]
            written = now - dt.timedelta(days=(today - held).days, seconds=number % 3600)
            yield (
                number,
                written,
                written,
                kind,
                area.pk,
                area.path,
                held,
                place,
                "",
                "initiated",
                "",
            )

    record_cols = [
        "id", "created_at", "updated_at", "kind", "unit_id", "unit_path", "held_on", "place",
        "place_note", "direction", "summary",
    ]  # fmt: skip
    copy_rows(
        TalkRecord._meta.db_table,
        [*record_cols, "tags", "sensitive_note"],
        ((*row, "[]", "") for row in records()),
    )
    copy_rows(
        TalkParticipant._meta.db_table,
        ["record_id", "person_id", "held_on", "unit_path"],
        participants,
    )
    copy_rows(TalkHost._meta.db_table, ["record_id", "person_id"], hosts)
    reset_sequence(TalkRecord)


def build_oversight(group: Any, mines: list[Any], areas: list[Any], rng: random.Random) -> Any:
    """Write a cycle of pairs, requests, meetings and rectifications; return the group."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from xinsheng.org.models import Person
    from xinsheng.talks.models import (
        Meeting,
        Rectification,
        SupervisionGroup,
        TalkCycle,
        TalkPair,
        TalkRequest,
        TierRule,
    )

    today = timezone.localdate()
    user = User.objects.get(username="bench-admin")
    cycle = TalkCycle.objects.create(
        title="年度双向约谈",
        unit=group,
        starts_on=today - dt.timedelta(days=300),
        ends_on=today + dt.timedelta(days=60),
    )
    rules = [
        TierRule.objects.create(name="矿领导谈区队长", order=1, reach="units_below"),
        TierRule.objects.create(name="区队长谈职工", order=2, reach="own_unit"),
    ]
    people = dict(Person.objects.exclude(employee_no="S1").values_list("id", "unit__path"))
    ids = sorted(people)
    pairs = []
    for number, person in enumerate(ids[:: max(1, len(ids) // 20000)]):
        held = number % 3 != 0
        host = ids[(number * 7 + 1) % len(ids)]
        pairs.append(
            TalkPair(
                cycle=cycle,
                rule=rules[number % 2],
                host_id=host if host != person else ids[-1],
                person_id=person,
                unit_path=people[person],
                status="held" if held else "planned",
                held_on=today - dt.timedelta(days=number % 200) if held else None,
            )
        )
    TalkPair.objects.bulk_create(pairs, batch_size=5000, ignore_conflicts=True)
    requests = []
    for number in range(5000):
        area = areas[number % len(areas)]
        requests.append(
            TalkRequest(
                unit=area,
                unit_path=area.path,
                name=f"申请人{number}",
                topic="想谈谈工资",
                channel="public",
                status=("requested", "scheduled", "held", "held")[number % 4],
                receipt_hash=f"{number:064d}",
                scheduled_at=timezone.now() if number % 4 == 1 else None,
                held_on=today - dt.timedelta(days=number % 90) if number % 4 >= 2 else None,
            )
        )
    TalkRequest.objects.bulk_create(requests, batch_size=5000)
    meetings = [
        Meeting(
            kind=("life_meeting", "forum", "lecture")[number % 3],
            title=f"专题组织生活会{number}",
            unit=areas[number % len(areas)],
            unit_path=areas[number % len(areas)].path,
            held_on=today - dt.timedelta(days=rng.randrange(DAYS)),
            attendance=20 + number % 30,
            recorded_by=user,
        )
        for number in range(2000)
    ]
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    items = [
        Rectification(
            meeting=meeting,
            text="班前会制度落实不到位",
            owner_unit_id=meeting.unit_id,
            unit_path=meeting.unit_path,
            due_on=meeting.held_on + dt.timedelta(days=30),
            done_on=meeting.held_on + dt.timedelta(days=20) if number % 4 else None,
        )
        for number, meeting in enumerate(Meeting.objects.all())
        for _ in range(3)
    ]
    Rectification.objects.bulk_create(items, batch_size=5000)
    supervision = SupervisionGroup.objects.create(name="第一督导组")
    supervision.units.set(mines)
    return supervision


def measure(work: Callable[[], object]) -> tuple[float, float, int]:
    """Return the median and p95 milliseconds of ``work`` (after one warm-up run), and runs."""
    work()
    samples: list[float] = []
    deadline = time.perf_counter() + BUDGET
    while len(samples) < REPS and (len(samples) < MIN_REPS or time.perf_counter() < deadline):
        begin = time.perf_counter()
        work()
        samples.append((time.perf_counter() - begin) * 1000)
    samples.sort()
    return statistics.median(samples), samples[math.ceil(0.95 * len(samples)) - 1], len(samples)


def generate(rng: random.Random) -> None:
    """Write the units, people, records and the rest (timed)."""
    from django.contrib.auth.models import User

    from xinsheng.org.choices import Role
    from xinsheng.org.models import Person, RoleAssignment
    from xinsheng.talks.models import TalkParticipant, TalkRecord

    started = time.perf_counter()
    group, mines, areas = build_tree()
    by_area = build_people(areas)
    build_records(areas, by_area, rng)
    user = User.objects.create_user("bench-admin", password=None)
    person = Person.objects.create(employee_no="S1", name="基准", unit=group, user=user)
    RoleAssignment.objects.create(person=person, unit=group, role=Role.ADMINISTRATOR)
    RoleAssignment.objects.create(person=person, unit=group, role=Role.LEADER)
    build_oversight(group, mines, areas, rng)
    print(
        f"generated {len(areas) + len(mines) + COMPANIES + 1:,} units, "
        f"{Person.objects.count():,} people, {TalkRecord.objects.count():,} records, "
        f"{TalkParticipant.objects.count():,} people reached (rows) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    build_aggregates()


def record_page_for(*, actor: Any, unit: Any, period: Any) -> list[Any]:
    """Return the first 50 records of ``unit``'s subtree in ``period`` that ``actor`` may see.

    The query the records ledger runs for its first page (scoped, newest first, with units).
    """
    from xinsheng.org.permissions import in_scope
    from xinsheng.talks.models import TalkRecord

    records = in_scope(TalkRecord.objects.all(), actor, "talk.view").filter(
        unit_path__startswith=unit.path, held_on__gte=period.start, held_on__lte=period.end
    )
    return list(records.select_related("unit").order_by("-held_on", "-id")[:50])


def check_recount() -> None:
    """Stop unless the boards' figures from the aggregates equal a raw recount."""
    from django.utils import timezone

    from xinsheng.core.periods import MONTH, QUARTER, YEAR, period_between, period_of
    from xinsheng.org import selectors as org_selectors
    from xinsheng.org.models import OrgUnit
    from xinsheng.talks import figures

    started = time.perf_counter()
    today = timezone.localdate()
    group = OrgUnit.objects.get(code="G")
    boards = {
        "group": [group, *OrgUnit.objects.filter(depth=2)],
        "mines": list(OrgUnit.objects.filter(depth=3)),
    }
    periods = [
        period_of(YEAR, today),
        period_of(QUARTER, today),
        period_of(MONTH, today),
        period_between(dt.date(today.year, 1, 1), period_of(MONTH, today).start - dt.timedelta(1))
        if today.month > 1
        else period_of(MONTH, today),
    ]
    for name, units in boards.items():
        headcounts = figures.headcounts(units)
        if headcounts != org_selectors.unit_headcounts(units=units):
            raise SystemExit(f"the headcounts of the {name} board differ from a recount")
        for period in periods:
            fast = figures.counted_by_unit(units, period)
            raw = figures.counted_raw(units, period)
            if fast != raw:
                raise SystemExit(f"the {name} board of {period} differs from a raw recount")
    print(
        f"the boards' figures equal a raw recount ({len(periods)} periods, "
        f"{sum(len(units) for units in boards.values())} units) "
        f"in {time.perf_counter() - started:.0f} s"
    )


def board_urls() -> dict[str, str]:
    """Return the boards measured, by label: the group, the supervision group and one mine."""
    from django.utils import timezone

    from xinsheng.core.periods import YEAR, period_of
    from xinsheng.talks.models import SupervisionGroup

    year = period_of(YEAR, timezone.localdate())  # the board's default: this calendar year
    dates = f"from={year.start.isoformat()}&to={year.end.isoformat()}"
    supervision = SupervisionGroup.objects.get()
    return {
        "group unit (8 companies)": f"/talks/supervision/?unit=G&{dates}",
        "supervision group (48 mines)": f"/talks/supervision/?group={supervision.pk}&{dates}",
        "one mine (40 work areas)": f"/talks/supervision/?unit=C1-M1&{dates}",
    }


def measure_pages() -> None:
    """Time the boards, the records' first page and the figures; print them."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from xinsheng.core.periods import YEAR, period_of
    from xinsheng.org.models import OrgUnit
    from xinsheng.talks import figures

    user = User.objects.get(username="bench-admin")
    group = OrgUnit.objects.get(code="G")
    year = period_of(YEAR, timezone.localdate())
    client = Client()
    client.force_login(user)
    urls = board_urls()
    for url in urls.values():
        if client.get(url).status_code != 200:
            raise SystemExit(f"{url} does not answer 200")
    if len(record_page_for(actor=user, unit=group, period=year)) != 50:
        raise SystemExit("the records' first page is not full")

    timed = [
        (f"board, {label}, one year (test client)", 200, measure(lambda url=url: client.get(url)))
        for label, url in urls.items()
    ]
    timed.append(
        (
            "records list p.1, group, one year (scoped query, 50 rows)",
            50,
            measure(lambda: record_page_for(actor=user, unit=group, period=year)),
        )
    )
    timed.append(
        (
            "every talk figure of the group, one year",
            1000,
            measure(lambda: figures.talk_figures_of(group, year)),
        )
    )
    print(f"\n{'measure':62} {'p50 ms':>8} {'p95 ms':>8} {'target':>7} {'runs':>5}")
    for label, target, (p50, p95, runs) in timed:
        verdict = "ok" if p50 <= target else "SLOW"
        print(f"{label:62} {p50:8.1f} {p95:8.1f} {target:>5} {verdict:>3} {runs:>4}")


# --- through the server ---------------------------------------------------------------------------

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("BENCH %d %d %d %d %d\\n", latency:percentile(50),
    latency:percentile(95), summary.requests, errors, summary.duration))
end
"""


def server_environment(workdir: Path) -> dict[str, str]:
    """Return the server's environment: the project's settings on the benchmark's database."""
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "xinsheng.settings",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src"),
        "XINSHENG_VAR_DIR": str(workdir),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "DEBUG": "",
        "HTTPS": "",
    }


def serve(environment: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """Collect the static files and start gunicorn; return it and its port once it answers."""
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"],
        env=environment,
        check=True,
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "xinsheng.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(SERVER_WORKERS),
            "--worker-class",
            "sync",
            "--no-control-socket",
        ],
        env=environment,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
        except urllib.error.HTTPError:
            return server, port  # any answer: the server is up
        except OSError:
            time.sleep(0.2)
        else:
            return server, port
    server.terminate()
    raise SystemExit("gunicorn did not start")


def session_cookie() -> str:
    """Return the Cookie header of a session signed in as the benchmark's administrator."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username="bench-admin"))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def by_wrk(url: str, cookie: str, connections: int) -> tuple[float, float, float, int]:
    """Return p50 and p95 milliseconds, requests per second and failures, measured by wrk."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_REPORT)
        script.flush()
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [
                shutil.which("wrk") or "wrk",
                f"-t{min(connections, 2)}",
                f"-c{connections}",
                f"-d{SERVER_SECONDS}s",
                "--timeout",
                "30s",
                "-H",
                f"Cookie: {cookie}",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    p50, p95, requests, errors, duration = (int(word) for word in line.split()[1:])
    return p50 / 1000, p95 / 1000, requests / (duration / 1e6), errors


def by_python(url: str, cookie: str, connections: int) -> tuple[float, float, float, int]:
    """Return what ``by_wrk`` does, measured by threads of keep-alive connections."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = f"{parts.path}?{parts.query}"
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    until = time.monotonic() + SERVER_SECONDS

    def run() -> None:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        while time.monotonic() < until:
            begin = time.perf_counter()
            connection.request("GET", target, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            with lock:
                samples.append((time.perf_counter() - begin) * 1000)
                errors[0] += response.status != 200
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples.sort()
    p95 = samples[math.ceil(0.95 * len(samples)) - 1]
    return statistics.median(samples), p95, len(samples) / (time.monotonic() - started), errors[0]


def measure_server(workdir: Path) -> None:
    """Time the boards through gunicorn, signed in, as a user waits for them; print them."""
    cookie = session_cookie()
    server, port = serve(server_environment(workdir))
    tool, client = ("wrk", by_wrk) if shutil.which("wrk") else ("python client", by_python)
    rows = []
    try:
        for label, path in board_urls().items():
            url = f"http://127.0.0.1:{port}{path}"
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                if answer.status != 200 or "coverage-board" not in answer.read().decode():
                    raise SystemExit(f"{url} does not show the board to the signed-in user")
            for connections in sorted({1, SERVER_CONNECTIONS}):
                rows.append((label, connections, *client(url, cookie, connections)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"\nthrough gunicorn ({SERVER_WORKERS} sync workers, {tool}, {SERVER_SECONDS} s each, "
        "signed in):"
    )
    print(
        f"{'board, one year':40} {'conn':>5} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} {'errors':>6}"
    )
    for label, connections, p50, p95, rate, errors in rows:
        print(f"{label:40} {connections:5} {p50:8.1f} {p95:8.1f} {rate:7.1f} {errors:6}")


def print_figures() -> None:
    from django.utils import timezone

    from xinsheng.core.periods import YEAR, period_of
    from xinsheng.org.models import OrgUnit
    from xinsheng.talks import figures

    year = period_of(YEAR, timezone.localdate())
    group = OrgUnit.objects.get(code="G")
    print("\nfigures of the group, one year:")
    print(json.dumps(figures.talk_figures_of(group, year).as_dict(), ensure_ascii=False, indent=1))


def main() -> None:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as workdir:
        name = setup(Path(workdir))
        try:
            if not REUSE:
                generate(rng)
            check_recount()
            measure_pages()
            if SERVER:
                measure_server(Path(workdir))
            print_figures()
        finally:
            if not (KEEP or REUSE):
                teardown(name)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
