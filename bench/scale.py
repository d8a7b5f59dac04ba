"""Benchmark: the ledger, the dashboard and the ranking at 1,000,000 cases over 5 years.

Builds a group of about 2,000 units (1 group → 8 companies → 6 mines each → 40 work areas
each), ten categories, and ``BENCH_CASES`` cases (default 1,000,000) spread over the last five
years with the events and ratings their states imply, written with COPY. Then builds the
aggregated figures with ``figures_rebuild`` (timed) and measures, as median (p50) and p95 of
server time:

- the ledger's first page with two filters (status and category), and a page deep in the
  list (a keyset cursor half way down), through ``cases.selectors.case_list_for`` and
  ``cases.ledger.page_of``, rows fetched — the work of the ledger view without the template;
- the dashboard of the whole group for one year, through Django's test client (the whole
  view: every query and the template);
- the ranking of the group's mines and of its work areas for one year (``metrics.ranking``).

    DATABASE_URL=postgres://postgres@localhost:5432/xs_scale .venv/bin/python bench/scale.py

PostgreSQL only: a throwaway database named after the one in DATABASE_URL (prefixed ``test_``)
is created and dropped afterwards. ``BENCH_CASES=100000`` for a quicker run.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CASES = int(os.environ.get("BENCH_CASES", "1000000"))
SEED = 20261101
REPS = 60
BUDGET = 20.0  # seconds per measurement at most
MIN_REPS = 10
COMPANIES, MINES, AREAS = 8, 6, 40
CATEGORIES = (
    "食堂",
    "薪酬",
    "安全",
    "住房",
    "交通",
    "医疗",
    "子女教育",
    "劳保用品",
    "文体",
    "其他",
)
CHANNELS = ("qr", "face", "hotline", "mailbox", "talk", "visit", "survey", "congress")
YEARS = 5
KEEP = os.environ.get("BENCH_KEEP") == "1"  # keep the database afterwards (for BENCH_REUSE)
REUSE = os.environ.get("BENCH_REUSE") == "1"  # time the pages of the database a run kept


def setup(workdir: Path) -> str:
    """Point Django at a throwaway PostgreSQL database and migrate it; return its name."""
    os.environ.setdefault("XINSHENG_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL server (see the docstring)")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # Serve static files without the collected manifest: the pages are timed, not their assets.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    name = str(connection.settings_dict["NAME"])
    if REUSE:  # the database a previous run kept: time the pages again without rebuilding
        connection.close()
        connection.settings_dict["NAME"] = connection.creation._get_test_db_name()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the models may have moved on since
        vacuum()
        return name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return name


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


def build_cases(areas: list[Any], rng: random.Random) -> None:
    """Write CASES cases with their events and ratings, with COPY."""
    from django.db import connection
    from django.utils import timezone

    from xinsheng.cases.models import Case, CaseEvent, Category, Rating
    from xinsheng.core.calendar import add_working_days

    categories = [
        Category.objects.create(code=f"c{i}", name=name, position=i)
        for i, name in enumerate(CATEGORIES)
    ]
    from xinsheng.org.models import OrgUnit

    mine_of = {a.pk: a.path[: 3 * OrgUnit.steplen] for a in areas}

    mine_ids = dict(OrgUnit.objects.filter(depth=3).values_list("path", "id"))
    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=365 * YEARS)
    span = int((now - start).total_seconds())
    case_cols = [
        "id", "case_no", "kind", "channel", "title", "text", "text_original", "origin_unit_id",
        "status",
        "category_id", "urgency", "responsible_unit_id", "is_anonymous", "submitter_name",
        "submitter_employee_no", "submitter_phone", "heard_place", "reject_reason",
        "accepted_at", "dispatched_at", "response_deadline", "deadline", "signed_at", "answer",
        "answered_at", "solved_by_unit", "extension_reason", "is_overdue", "reopen_count",
        "answer_count", "supervision_count", "escalated", "closed_at", "close_reason",
        "supporters", "created_at", "updated_at", "merged_into_id", "submitter_email",
        "submitter_check",
    ]  # fmt: skip
    event_cols = [
        "case_id", "kind", "from_status", "to_status", "unit_id", "note", "is_public", "data",
        "at",
    ]  # fmt: skip
    rating_cols = [
        "case_id",
        "via_case_id",
        "answer_round",
        "satisfaction",
        "solved",
        "comment",
        "at",
    ]
    workday_cache: dict[dt.date, dt.date] = {}

    def plus_workdays(day: dt.date, n: int) -> dt.date:
        key = day + dt.timedelta(days=1000 * n)
        if key not in workday_cache:
            workday_cache[key] = add_working_days(day, n, days_off=())
        return workday_cache[key]

    case_rows: list[list[object]] = []
    event_rows: list[list[object]] = []
    rating_rows: list[list[object]] = []
    tz = timezone.get_current_timezone()

    def flush() -> None:
        copy_rows(Case._meta.db_table, case_cols, case_rows)
        copy_rows(CaseEvent._meta.db_table, event_cols, event_rows)
        copy_rows(Rating._meta.db_table, rating_cols, rating_rows)
        case_rows.clear()
        event_rows.clear()
        rating_rows.clear()

    moments = sorted(rng.randrange(span) for _ in range(CASES))
    for number, offset in enumerate(moments, start=1):
        created = start + dt.timedelta(seconds=offset)
        area = rng.choice(areas)
        category = rng.choice(categories)
        roll = rng.random()
        ev: list[tuple[str, str, str, int | None, dt.datetime, str]] = [
            ("submitted", "", "", area.pk, created, "{}")
        ]
        fields: dict[str, object] = dict.fromkeys(case_cols)
        fields.update(
            id=number, case_no=f"B{number:08d}", kind="demand", channel=rng.choice(CHANNELS),
            title="井口澡堂热水不足", text="下班后澡堂热水不够用，希望增加供热时段。",
            text_original="", origin_unit_id=area.pk, urgency="normal", is_anonymous=True,
            submitter_name="", submitter_employee_no="", submitter_phone="", heard_place="",
            submitter_email="", submitter_check="",
            reject_reason="", answer="", extension_reason="", is_overdue=False, reopen_count=0,
            answer_count=0, supervision_count=0, escalated=False, close_reason="", supporters=0,
            created_at=created, updated_at=created, status="submitted",
        )  # fmt: skip
        moment = created
        if roll < 0.03:
            fields.update(status="rejected", reject_reason="不属于受理范围", closed_at=created)
            ev.append(("rejected", "submitted", "rejected", None, created, "{}"))
        elif roll < 0.05 and number > 1:
            fields.update(status="merged", merged_into_id=number - 1, closed_at=created)
            ev.append(("merged", "submitted", "merged", None, created, "{}"))
        elif roll < 0.06:
            pass  # still waiting
        else:
            moment += dt.timedelta(hours=rng.randint(1, 30))
            fields.update(status="accepted", category_id=category.pk, accepted_at=moment)
            ev.append(("accepted", "submitted", "accepted", None, moment, "{}"))
            unit = area.pk if rng.random() < 0.7 else mine_ids[mine_of[area.pk]]
            moment += dt.timedelta(hours=rng.randint(1, 30))
            day = moment.astimezone(tz).date()
            fields.update(
                status="dispatched", responsible_unit_id=unit, dispatched_at=moment,
                response_deadline=plus_workdays(day, 1), deadline=plus_workdays(day, 5),
            )  # fmt: skip
            ev.append(("dispatched", "accepted", "dispatched", unit, moment, "{}"))
            if moment < now - dt.timedelta(days=10):
                moment += dt.timedelta(hours=rng.choice((2, 6, 20, 30, 60)))
                fields.update(status="in_progress", signed_at=moment)
                ev.append(("signed", "dispatched", "in_progress", unit, moment, "{}"))
                if rng.random() < 0.05:
                    ev.append(("supervised", "", "", unit, moment, "{}"))
                    fields["supervision_count"] = 1
                moment += dt.timedelta(hours=rng.randint(4, 200))
                fields.update(
                    status="answered", answer="已处理。", answered_at=moment, answer_count=1
                )
                ev.append(("answered", "in_progress", "answered", unit, moment, "{}"))
                moment += dt.timedelta(hours=rng.randint(1, 100))
                if rng.random() < 0.8:
                    satisfaction = rng.choices(
                        ("satisfied", "basically_satisfied", "unsatisfied"), (70, 22, 8)
                    )[0]
                    solved = satisfaction != "unsatisfied" and rng.random() < 0.9
                    rating_rows.append([number, number, 1, satisfaction, solved, "", moment])
                    ev.append(("rated", "", "", None, moment, "{}"))
                    fields["close_reason"] = "rated"
                else:
                    moment += dt.timedelta(days=7)
                    fields["close_reason"] = "not_rated"
                fields.update(status="closed", closed_at=moment)
                ev.append(("closed", "answered", "closed", None, moment, "{}"))
        fields["updated_at"] = moment
        case_rows.append([fields[c] for c in case_cols])
        for kind, before, after, unit_id, at, data in ev:
            event_rows.append([number, kind, before, after, unit_id, "", True, data, at])
        if number % 50_000 == 0:
            flush()
            print(f"  {number:,} cases written", flush=True)
    flush()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM cases_case))",
            [Case._meta.db_table],
        )
        cursor.execute("ANALYZE")


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


def main() -> None:
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as workdir:
        name = setup(Path(workdir))
        try:
            if not REUSE:
                generate(rng)
            measure_pages()
        finally:
            if not (KEEP or REUSE):
                teardown(name)


def generate(rng: random.Random) -> None:
    """Write the units, cases, events and ratings, then build the figures (timed)."""
    from django.contrib.auth.models import User

    from xinsheng.cases.models import Case, CaseEvent
    from xinsheng.org.choices import Role
    from xinsheng.org.models import Person, RoleAssignment
    from xinsheng.reports.figures import figures_rebuild
    from xinsheng.reports.models import CaseFigure, UnitFigures

    started = time.perf_counter()
    group, mines, areas = build_tree()
    build_cases(areas, rng)
    generated = time.perf_counter() - started
    print(
        f"generated {len(areas) + len(mines) + COMPANIES + 1:,} units, "
        f"{Case.objects.count():,} cases, {CaseEvent.objects.count():,} events "
        f"in {generated:.0f} s"
    )
    started = time.perf_counter()
    figures_rebuild()
    vacuum()
    print(
        f"figures_rebuild: {time.perf_counter() - started:.0f} s "
        f"({CaseFigure.objects.count():,} case rows, {UnitFigures.objects.count():,} unit rows)"
    )

    user = User.objects.create_user("bench-admin", password=None)
    person = Person.objects.create(employee_no="S1", name="基准", unit=group, user=user)
    RoleAssignment.objects.create(person=person, unit=group, role=Role.ADMINISTRATOR)
    RoleAssignment.objects.create(person=person, unit=group, role=Role.LEADER)


def measure_pages() -> None:
    """Time the ledger pages, the dashboard and the rankings; print the table."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from xinsheng.cases.ledger.keyset import NEWEST, SORTS, Cursor, page_of
    from xinsheng.cases.selectors import CaseFilters, case_list_for
    from xinsheng.core.periods import YEAR, period_of
    from xinsheng.org.models import OrgUnit
    from xinsheng.reports import metrics

    user = User.objects.get(username="bench-admin")
    group = OrgUnit.objects.get(code="G")
    mines = OrgUnit.objects.filter(depth=3).count()
    areas = OrgUnit.objects.filter(depth=4).count()

    filters = CaseFilters(statuses=["closed"], category="c2")
    ledger = case_list_for(actor=user, filters=filters)
    first = page_of(ledger, sort=NEWEST, cursor=None, size=50)
    if len(first.rows) != 50:
        raise SystemExit("the ledger's first page is not full")
    middle = ledger.order_by("-created_at", "-id")[ledger.count() // 2]

    deep = Cursor(NEWEST, True, SORTS[NEWEST].key_of(middle))
    if len(page_of(ledger, sort=NEWEST, cursor=deep, size=50).rows) != 50:
        raise SystemExit("the deep page is not full")

    client = Client()
    client.force_login(user)
    year = period_of(YEAR, timezone.localdate() - dt.timedelta(days=365))
    url = f"/reports/?unit=G&period=year&date={year.start.isoformat()}"
    if client.get(url).status_code != 200:
        raise SystemExit("the dashboard does not answer 200")

    results = [
        (
            "ledger p.1, status + category (selector + keyset page)",
            50,
            measure(lambda: page_of(ledger, sort=NEWEST, cursor=None, size=50).rows),
        ),
        (
            "ledger deep page, keyset cursor (selector + keyset page)",
            50,
            measure(lambda: page_of(ledger, sort=NEWEST, cursor=deep, size=50).rows),
        ),
        ("dashboard, whole group, one year (test client)", 200, measure(lambda: client.get(url))),
        (
            f"ranking of {mines} mines, one year",
            200,
            measure(lambda: metrics.ranking(group, year, depth=3)),
        ),
        (
            f"ranking of {areas} work areas, one year",
            200,
            measure(lambda: metrics.ranking(group, year, depth=4)),
        ),
    ]
    print(f"\n{'measure':58} {'p50 ms':>8} {'p95 ms':>8} {'target':>7} {'runs':>5}")
    for label, target, (p50, p95, runs) in results:
        verdict = "ok" if p50 <= target else "SLOW"
        print(f"{label:58} {p50:8.1f} {p95:8.1f} {target:>5} {verdict:>3} {runs:>4}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    main()
