"""Benchmark: export 1,000,000 ledger rows to .xlsx, beside xlsxwriter's constant-memory mode alone.

Builds a group of about 2,400 units and 30,000 people, and BENCH_ROWS cases (default 1,000,000)
over five years, written with COPY on PostgreSQL (bulk inserts on SQLite); no events, as the
export does not read them. Then, in one run, each in a child process of its own:

- ours: the real exporter (``xinsheng.cases.ledger.export.ledger_write``) as a leader of the
  group, who may not see names (so every named row is masked) nor unmask small units (so every
  anonymous row's origin is worked out): the whole ledger, labels, masking, styles, dates;
- bare: xlsxwriter in ``constant_memory`` mode alone, writing the same rows — the very query the
  exporter runs (the scoped ledger selector read in keyset chunks as plain tuples, same columns)
  — with ``write_row``, no labels, no masking, no formats beyond a default date format.

It prints rows per second of both, their ratio (target ≥ 0.5) and the peak memory (max RSS) of
each child process (target ≤ 300 MB for ours).

    DATABASE_URL=postgres://postgres@localhost:5432/xs_bench .venv/bin/python bench/ledger_export.py
    BENCH_ROWS=100000 .venv/bin/python bench/ledger_export.py   # SQLite, smaller

With SQLite the database is a file in a temporary directory; with PostgreSQL a throwaway database
named after the one in DATABASE_URL (prefixed ``test_``) is created and dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
PEOPLE = 30_000
SEED = 20240603
COMPANIES, MINES, AREAS, TEAMS = 5, 8, 20, 2
YEARS = 5
LEADER = "bench-leader"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌海波辉鹏飞宇浩然"
WORRIES = (
    "井口食堂夜班饭菜品种少，希望增加热菜",
    "澡堂热水供应不稳定，下井回来洗不上热水澡",
    "通勤班车太挤，早班经常没有座位",
    "单身宿舍暖气不热，晚上很冷",
    "劳保鞋磨损快，希望缩短发放周期",
    "孩子暑假没人照看，希望办托管班",
    "巷道照明灯坏了好几盏，存在安全隐患",
    "希望增加职工技能培训的名额",
)
ANSWERS = ("已安排整改，下周完成。", "已协调相关部门解决。", "已纳入年度实事项目，分批实施。")


# --- set-up ---------------------------------------------------------------------------------------


def setup(workdir: Path) -> str:
    """Point Django at a throwaway database and migrate it; return the configured name."""
    os.environ.setdefault("XINSHENG_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite":
        # The migrations alone, as in production (no tables made for apps without migrations).
        test_name = connection.creation._create_test_db(verbosity=0, autoclobber=True)
        connection.close()
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = test_name
    call_command("migrate", verbosity=0)
    return name


def teardown(original_name: str) -> None:
    """Drop the throwaway PostgreSQL database (the SQLite file goes with its directory)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        connection.creation.destroy_test_db(original_name, verbosity=0)


def child_database_url() -> str:
    """Return DATABASE_URL pointing at the database the set-up made (for the child processes)."""
    from django.db import connection

    url = os.environ["DATABASE_URL"]
    if connection.vendor == "sqlite":
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + str(connection.settings_dict["NAME"])))


def path_step(position: int) -> str:
    """Return the path step of a node's ``position``-th child (from 1), as treebeard writes it."""
    from xinsheng.org.models import OrgUnit

    alphabet = OrgUnit.alphabet
    digits = ""
    while position:
        position, digit = divmod(position, len(alphabet))
        digits = alphabet[digit] + digits
    return digits.rjust(OrgUnit.steplen, alphabet[0])


def build_units() -> list[Any]:
    """Save a group of companies, mines, work areas and teams; return the units."""
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
                area = add(mine, f"{mine.code}-A{a:02d}", f"{c}-{m}矿综采{a}队", UnitKind.AREA)
                for t in range(1, TEAMS + 1):
                    add(area, f"{area.code}-T{t}", f"{c}-{m}矿综采{a}队{t}班", UnitKind.TEAM)
    OrgUnit.objects.bulk_create(units, batch_size=2000)
    return list(OrgUnit.objects.all())


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def build_people(units: list[Any], rng: random.Random) -> None:
    """Save PEOPLE people over the teams, and the leader of the group who exports."""
    from django.contrib.auth.models import User

    from xinsheng.org.choices import Role
    from xinsheng.org.models import Person, RoleAssignment

    teams = [unit.pk for unit in units if unit.numchild == 0]
    people = (
        Person(employee_no=f"{n:07d}", name=name(rng), unit_id=rng.choice(teams))
        for n in range(1, PEOPLE + 1)
    )
    Person.objects.bulk_create(people, batch_size=5000)
    group = next(unit for unit in units if unit.depth == 1)
    user = User.objects.create_user(LEADER, password=None)
    leader = Person.objects.create(employee_no="L000001", name="领导", unit=group, user=user)
    RoleAssignment.objects.create(person=leader, unit=group, role=Role.LEADER)


def case_rows(units: list[Any], categories: list[int], rng: random.Random) -> Any:
    """Yield ROWS cases as dicts of column → value, over the last YEARS years."""
    from django.utils import timezone

    from xinsheng.cases.choices import CaseStatus, Channel, CloseReason

    teams = [unit.pk for unit in units if unit.numchild == 0]
    areas = [unit.pk for unit in units if unit.depth == 4]
    statuses = [
        (CaseStatus.CLOSED, 70),
        (CaseStatus.ANSWERED, 8),
        (CaseStatus.IN_PROGRESS, 8),
        (CaseStatus.DISPATCHED, 5),
        (CaseStatus.ACCEPTED, 3),
        (CaseStatus.SUBMITTED, 3),
        (CaseStatus.REJECTED, 3),
    ]
    choices = [s for s, weight in statuses for _ in range(weight)]
    channels = list(Channel.values)
    end = timezone.now() - dt.timedelta(days=1)
    span = YEARS * 365 * 86400
    for n in range(1, ROWS + 1):
        # in the order they came in, as a real table fills
        created = end - dt.timedelta(seconds=span * (ROWS - n) // ROWS + rng.randrange(60))
        status = rng.choice(choices)
        anonymous = rng.random() < 0.3
        dispatched = status in {
            CaseStatus.DISPATCHED,
            CaseStatus.IN_PROGRESS,
            CaseStatus.ANSWERED,
            CaseStatus.CLOSED,
        }
        answered = created + dt.timedelta(days=rng.randint(1, 9))
        text = rng.choice(WORRIES) + f"（{n}）。"
        yield {
            "case_no": f"{created.year}-{n:07d}",
            "kind": "demand",
            "channel": rng.choice(channels),
            "title": text[:20],
            "text": text,
            "origin_unit_id": rng.choice(teams),
            "status": status,
            "category_id": rng.choice(categories) if status != CaseStatus.SUBMITTED else None,
            "urgency": "normal",
            "responsible_unit_id": rng.choice(areas) if dispatched else None,
            "is_anonymous": anonymous,
            "submitter_name": "" if anonymous else name(rng),
            "deadline": (created + dt.timedelta(days=7)).date() if dispatched else None,
            "answer": rng.choice(ANSWERS) if status in {"answered", "closed"} else "",
            "answered_at": answered if status in {"answered", "closed"} else None,
            "closed_at": answered + dt.timedelta(days=2) if status == "closed" else None,
            "close_reason": CloseReason.NOT_RATED if status == "closed" else "",
            "reject_reason": "不属于受理范围。" if status == "rejected" else "",
            "supervision_count": 1 if rng.random() < 0.05 else 0,
            "created_at": created,
            "updated_at": created,
        }


def build_cases(units: list[Any], rng: random.Random) -> None:
    """Save ROWS cases: COPY on PostgreSQL, bulk inserts on SQLite."""
    from django.db import connection

    from xinsheng.cases.models import Case, Category

    for code, label in (
        ("canteen", "食堂"),
        ("dorm", "宿舍"),
        ("commute", "通勤"),
        ("safety", "安全"),
    ):
        Category.objects.get_or_create(code=code, defaults={"name": label})
    fields = [f for f in Case._meta.concrete_fields if f.attname != "id"]
    defaults = {f.attname: f.get_default() for f in fields}
    columns = [f.column for f in fields]
    categories = list(Category.objects.values_list("pk", flat=True))
    rows = ({**defaults, **row} for row in case_rows(units, categories, rng))
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as cursor:
            sql = f"COPY cases_case ({', '.join(columns)}) FROM STDIN"
            with cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row([row[f.attname] for f in fields])
        raw.commit()
        return
    batch: list[Case] = []
    for row in rows:
        batch.append(Case(**row))
        if len(batch) == 5000:
            _insert(batch)
            batch = []
    _insert(batch)


def _insert(batch: list[Any]) -> None:
    from xinsheng.cases.models import Case

    created = [case.created_at for case in batch]
    Case.objects.bulk_create(batch)
    for case, at in zip(batch, created, strict=True):
        case.created_at = at
    Case.objects.bulk_update(batch, ["created_at"])


# --- the two children ---------------------------------------------------------------------------


def child(mode: str, output: str) -> None:
    """Write the ledger to ``output`` one way; print rows, seconds and peak memory as JSON."""
    import django

    django.setup()
    from django.contrib.auth.models import User

    from xinsheng.cases.ledger.export import export_cases, export_chunks, ledger_write

    actor = User.objects.get(username=LEADER)
    cases, sort = export_cases(actor=actor, params={})
    start = time.perf_counter()
    if mode == "ours":
        rows = ledger_write(actor=actor, cases=cases, sort=sort, target=output)
    else:
        import xlsxwriter  # type: ignore[import-untyped]

        book = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                "remove_timezone": True,
                "default_date_format": "yyyy-mm-dd hh:mm",
            },
        )
        sheet = book.add_worksheet()
        rows = 0
        for chunk in export_chunks(cases, sort=sort):
            for values in chunk:
                rows += 1
                sheet.write_row(rows, 0, values)
        book.close()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_kib": peak}))


def run_child(mode: str, output: Path) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": child_database_url()}
    done = subprocess.run(  # noqa: S603 — our own script
        [sys.executable, __file__, "--child", mode, str(output)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} export failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["size"] = output.stat().st_size
    result["children_peak_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return result


def main() -> None:
    """Build the data, run both exports in child processes, print the figures."""
    with tempfile.TemporaryDirectory(prefix="xinsheng-bench-") as tmp:
        workdir = Path(tmp)
        original_name = setup(workdir)
        try:
            from django.db import connection

            rng = random.Random(SEED)
            start = time.perf_counter()
            units = build_units()
            build_people(units, rng)
            print(f"org: {len(units):,} units, {PEOPLE:,} people")
            build_cases(units, rng)
            print(f"cases: {ROWS:,} generated in {time.perf_counter() - start:.0f} s")
            with connection.cursor() as cursor:  # statistics, as autovacuum would keep them
                cursor.execute("ANALYZE")
                # and warm the cache for both runs alike
                cursor.execute("SELECT count(*), max(length(text)) FROM cases_case")
            connection.close()
            ours = run_child("ours", workdir / "ours.xlsx")
            print(f"ours done (peak of children so far: {ours['children_peak_kib'] / 1024:.0f} MB)")
            bare = run_child("bare", workdir / "bare.xlsx")
            report(ours, bare, connection.vendor)
        finally:
            teardown(original_name)


def report(ours: dict[str, Any], bare: dict[str, Any], vendor: str) -> None:
    print(f"\n{ROWS:,} rows, {vendor}, one process each; the same keyset query feeds both\n")
    print(f"{'':24}{'rows':>12}{'seconds':>10}{'rows/s':>10}{'peak MB':>10}{'file MB':>10}")
    for label, result in (("ours (ledger_write)", ours), ("xlsxwriter alone", bare)):
        rate = result["rows"] / result["seconds"]
        print(
            f"{label:24}{result['rows']:>12,}{result['seconds']:>10.1f}{rate:>10,.0f}"
            f"{result['peak_kib'] / 1024:>10.0f}{result['size'] / 1e6:>10.1f}"
        )
    ratio = (ours["rows"] / ours["seconds"]) / (bare["rows"] / bare["seconds"])
    peak = ours["peak_kib"] / 1024
    print(f"\nspeed ratio ours / xlsxwriter alone: {ratio:.2f}  (target ≥ 0.5)")
    print(f"peak memory of the export: {peak:.0f} MB  (target ≤ 300 MB)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
