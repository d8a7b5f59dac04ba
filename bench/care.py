"""Benchmark: assistance money at 1,000,000 payment entries.

Builds the group of ``ledger_export.py`` (about 2,400 units, 30,000 people), funds with
deposits, 5 years × 5 companies × 4 programme kinds of programmes plus one group-wide festival
programme of the latest year that pays BENCH_BIG entries (default 200,000) — and BENCH_ROWS
payment entries in all (default 1,000,000, written with COPY on PostgreSQL, bulk inserts on
SQLite), every hundredth of them reversed by a negative entry pointing to it. Then it times,
over BENCH_RUNS runs each (p50 and p95), through the real functions:

- a fund's balance (``money.selectors.fund_balance``) of the largest fund;
- a programme's figures for a year (``care.figures.programme_paid``: people and money by
  source, net of reversals) for a typical programme and for the big one;
- the figures of a company's subtree and of the whole group for a year
  (``care.figures.care_figures``, what the dashboard, briefing and API read);

and exports the big programme's ledger and a typical one's to .xlsx
(``care.applications.export.ledger_write``), each in a child process of its own, printing rows
per second and the peak memory (max RSS) of each: bounded memory shows as about the same peak
for 8,000 rows and for 200,000.

    DATABASE_URL=postgres://postgres@localhost:5432/xs_bench .venv/bin/python bench/care.py
    BENCH_ROWS=100000 BENCH_BIG=20000 .venv/bin/python bench/care.py   # SQLite, smaller

Target: p50 ≤ 50 ms for a fund's balance and a programme's figures for a year on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from ledger_export import (
    LEADER,
    PEOPLE,
    build_people,
    build_units,
    child_database_url,
    setup,
    teardown,
)

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
BIG = int(os.environ.get("BENCH_BIG", "200000"))
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # the best round's p50 is printed beside
SEED = 20261203
YEARS = 5
KINDS = ("student_aid", "illness_relief", "distribution", "hardship")
AMOUNTS = {
    "student_aid": (2000, 3000, 5000),
    "illness_relief": (3000, 8000, 15000, 20000),
    "distribution": (200, 300, 500),
    "hardship": (500, 1000, 2000),
}


def build_money(units: list[Any], rng: random.Random) -> dict[str, Any]:
    """Save the funds, programmes, one approval and the payments; return what is timed."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from xinsheng.care.models import (
        Application,
        ApplicationEvent,
        Fund,
        FundDeposit,
        Payment,
        Programme,
    )
    from xinsheng.org.models import Person

    actor = User.objects.get(username=LEADER)
    group = next(unit for unit in units if unit.depth == 1)
    companies = [unit for unit in units if unit.depth == 2]
    this_year = timezone.localdate().year
    years = list(range(this_year - YEARS + 1, this_year + 1))
    group_fund = Fund.objects.create(name="送温暖基金", unit=group, unit_path=group.path)
    funds = {
        c.pk: Fund.objects.create(name="帮扶基金", unit=c, unit_path=c.path) for c in companies
    }
    FundDeposit.objects.bulk_create(
        [
            FundDeposit(fund=fund, amount=Decimal("50000000"), received_on=dt.date(year, 1, 5))
            for fund in [group_fund, *funds.values()]
            for year in years
        ]
    )
    programmes: list[Programme] = []
    for year in years:
        for company in companies:
            for kind in KINDS:
                programmes.append(
                    Programme(
                        kind=kind,
                        title=f"{company.name}{kind}",
                        year=year,
                        unit=company,
                        unit_path=company.path,
                        fund=funds[company.pk],
                    )
                )
    big = Programme(
        kind="distribution",
        title="春节送温暖",
        year=this_year,
        unit=group,
        unit_path=group.path,
        fund=group_fund,
    )
    Programme.objects.bulk_create([*programmes, big])
    programmes = list(Programme.objects.exclude(pk__in=[big.pk]).order_by("id"))
    big = Programme.objects.get(title="春节送温暖")
    people = [
        (pk, path)
        for pk, path in Person.objects.values_list("pk", "unit__path")
        if len(path) > 2 * len(group.path)  # the group's leader is paid nothing
    ]
    anyone = people[0]
    application = Application.objects.create(
        programme=big,
        kind=big.kind,
        year=big.year,
        person_id=anyone[0],
        unit_path=anyone[1],
        status="paid",
        decide_by=timezone.localdate(),
    )
    approval = ApplicationEvent.objects.create(
        application=application, action="approve", status_from="reviewed", status_to="approved"
    )
    by_company = {c.path: c.pk for c in companies}
    company_of = {pk: by_company[path[: len(group.path) * 2]] for pk, path in people}
    by_year_company: dict[tuple[int, int], list[Programme]] = {}
    for programme in programmes:
        by_year_company.setdefault((programme.year, programme.unit_id), []).append(programme)
    now = timezone.now()

    def rows() -> Any:
        for n in range(ROWS):
            person, path = people[rng.randrange(len(people))]
            if n < BIG:
                programme, fund_id = big, group_fund.pk
                paid_on = dt.date(this_year, 1, 1) + dt.timedelta(days=rng.randrange(40))
            else:
                year = years[rng.randrange(YEARS)]
                programme = rng.choice(by_year_company[(year, company_of[person])])
                fund_id = funds[programme.unit_id].pk
                paid_on = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            personal = programme.kind == "hardship" and rng.random() < 0.3
            amount = Decimal(rng.choice(AMOUNTS[programme.kind]))
            yield (
                now,
                actor.pk,
                programme.pk,
                person,
                path,
                amount,
                "personal" if personal else "fund",
                None if personal else fund_id,
                paid_on,
                None,
                None,
                None if personal else approval.pk,
                None,
                None,
                "",
            )

    columns = (
        "at, actor_id, programme_id, person_id, unit_path, amount, source, fund_id, paid_on, "
        "application_id, visit_id, approval_id, file_approval_id, reverses_id, note"
    )
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY care_payment ({columns}) FROM STDIN") as copy,
        ):
            for row in rows():
                copy.write_row(row)
        raw.commit()
    else:
        batch: list[Payment] = []
        names = [name.strip() for name in columns.split(",")]
        for row in rows():
            batch.append(Payment(**dict(zip(names, row, strict=True))))
            if len(batch) == 5000:
                Payment.objects.bulk_create(batch)
                batch = []
        Payment.objects.bulk_create(batch)
    with connection.cursor() as cursor:  # every hundredth entry reversed, with a reason
        cursor.execute(
            f"INSERT INTO care_payment ({columns}) "  # noqa: S608 — constant column names
            "SELECT at, actor_id, programme_id, person_id, unit_path, -amount, source, fund_id, "
            "paid_on, application_id, visit_id, NULL, file_approval_id, id, '发放有误，冲销' "
            "FROM care_payment WHERE id % 100 = 0 AND reverses_id IS NULL"
        )
    # Written in bulk, past the money services: the programmes' tallies are recounted, as the
    # demo does after its own bulk writes.
    from xinsheng.care.money.tally import tallies_recount

    started = time.perf_counter()
    tallies_recount([programme.pk for programme in [*programmes, big]])
    print(f"tallies: {len(programmes) + 1} recounted in {time.perf_counter() - started:.1f} s")
    typical = max(
        (p for p in programmes if p.year == this_year),
        key=lambda p: (p.kind == "distribution", p.pk),
    )
    return {
        "group": group,
        "company": companies[0],
        "big": big,
        "typical": typical,
        "fund": group_fund,
        "year": this_year,
    }


def timed(function: Any) -> tuple[float, float, Any]:
    """Return p50 and p95 in milliseconds of RUNS calls of ``function`` (after one warm-up)."""
    result = function()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, result


def child(programme_id: str, output: str) -> None:
    """Export one programme's ledger to ``output``; print rows, seconds and peak memory."""
    import django

    django.setup()
    from django.contrib.auth.models import User

    from xinsheng.care.applications.export import ledger_write
    from xinsheng.care.models import Programme
    from xinsheng.care.money.selectors import payment_list_for

    actor = User.objects.get(username=LEADER)
    programme = Programme.objects.get(pk=int(programme_id))
    start = time.perf_counter()
    rows, total = ledger_write(
        payments=payment_list_for(actor=actor, programme=programme), target=output
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"rows": rows, "total": str(total), "seconds": seconds, "peak_kib": peak}))


def run_child(programme_id: int, output: Path) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": child_database_url()}
    done = subprocess.run(  # noqa: S603 — our own script
        [sys.executable, __file__, "--child", str(programme_id), str(output)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"export failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["size"] = output.stat().st_size
    return result


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="xinsheng-bench-") as tmp:
        workdir = Path(tmp)
        original_name = setup(workdir)
        try:
            from django.db import connection

            from xinsheng.care.figures import care_figures, programme_paid, programme_paid_counted
            from xinsheng.care.models import Payment
            from xinsheng.care.money.selectors import fund_balance

            rng = random.Random(SEED)
            start = time.perf_counter()
            units = build_units()
            build_people(units, rng)
            print(f"org: {len(units):,} units, {PEOPLE:,} people")
            made = build_money(units, rng)
            entries = Payment.objects.count()
            print(f"payments: {entries:,} entries in {time.perf_counter() - start:.0f} s")
            with connection.cursor() as cursor:  # statistics, as autovacuum would keep them
                cursor.execute("ANALYZE")
                if connection.vendor == "postgresql":
                    cursor.execute(
                        "VACUUM care_payment"
                    )  # the visibility map index-only scans need
            year = made["year"]
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            big, typical = made["big"], made["typical"]
            print(f"\n{connection.vendor}, {ROUNDS} rounds of {RUNS} runs each (after a warm-up)")
            print("load average before: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))
            print(f"{'':52}{'p50 ms':>10}{'p95 ms':>10}{'best p50':>10}")
            lines = [
                ("fund balance (largest fund)", lambda: fund_balance(made["fund"])),
                (
                    f"programme figures for a year ({typical.kind})",
                    lambda: programme_paid(typical, first, last),
                ),
                (
                    "programme figures for a year (the big one)",
                    lambda: programme_paid(big, first, last),
                ),
                (
                    "  the same, summed from the entries",
                    lambda: programme_paid_counted(big, first, last),
                ),
                (
                    "subtree figures for a year (a company)",
                    lambda: care_figures(made["company"].path, first, last),
                ),
                (
                    "subtree figures for a year (the group)",
                    lambda: care_figures(made["group"].path, first, last),
                ),
            ]
            for label, function in lines:
                p50, p95, result = timed(function)
                best = min([p50] + [timed(function)[0] for _ in range(ROUNDS - 1)])
                print(f"{label:52}{p50:>10.1f}{p95:>10.1f}{best:>10.1f}")
                if hasattr(result, "people"):
                    print(f"{'':4}→ {result.people:,} people, {result.amount} yuan")
            print("\nload average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
            connection.close()
            print("\nledger export to .xlsx (a child process each)\n")
            print(f"{'':24}{'rows':>10}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}{'file MB':>10}")
            for label, programme in (("typical programme", typical), ("big programme", big)):
                result = run_child(programme.pk, workdir / f"{programme.pk}.xlsx")
                rate = result["rows"] / result["seconds"]
                print(
                    f"{label:24}{result['rows']:>10,}{result['seconds']:>10.1f}{rate:>10,.0f}"
                    f"{result['peak_kib'] / 1024:>10.0f}{result['size'] / 1e6:>10.1f}"
                )
        finally:
            teardown(original_name)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
