"""Benchmark: import 100,000 people over ~2,000 units from one .xlsx file.

Prints the time of parsing the file, of the dry run, of applying it (which reads and checks the
file again inside its transaction before writing), and of importing the same file a second time
(a dry run that must find nothing to do), each with rows per second.

    .venv/bin/python bench/import_people.py
    DATABASE_URL=postgres://postgres@localhost:5432/xs_bench .venv/bin/python bench/import_people.py

With SQLite the database is a file in a temporary directory; with PostgreSQL a throwaway database
named after the one in DATABASE_URL (prefixed ``test_``) is created and dropped afterwards.
"""

import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
SEED = 20240601
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌海波辉鹏飞宇浩然"
T = TypeVar("T")
POSITIONS = ["采煤工", "掘进工", "机电工", "运输工", "通风工", "安全员", "班组长", "技术员"]


def setup(workdir: Path) -> str:
    """Point Django at a throwaway database and migrate it; return the configured name."""
    os.environ.setdefault("XINSHENG_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return name


def teardown(original_name: str) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        connection.creation.destroy_test_db(original_name, verbosity=0)


def build_file(rng: random.Random) -> tuple[bytes, int]:
    """Return an .xlsx of ~2,000 units under the group BENCH and PEOPLE people in them."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    units = book.create_sheet("单位")
    units.append(["单位代码", "单位名称", "单位类型", "上级单位代码", "是否启用"])
    leaves: list[str] = []
    count = 0
    for c in range(1, 5):
        company = f"B-C{c}"
        units.append([company, f"第{c}煤业公司", "公司", "BENCH", "是"])
        count += 1
        for m in range(1, 5):
            mine = f"{company}-M{m}"
            units.append([mine, f"{c}公司{m}矿", "矿/厂", company, "是"])
            count += 1
            for a in range(1, 12):
                area = f"{mine}-A{a:02d}"
                units.append([area, f"{c}公司{m}矿综采{a}区", "区队", mine, "是"])
                leaves.append(area)
                count += 1
                for t in range(1, 11):
                    team = f"{area}-T{t:02d}"
                    units.append([team, f"综采{a}区{t}班", "班组", area, "是"])
                    leaves.append(team)
                    count += 1
    people = book.create_sheet("人员")
    people.append(["工号", "姓名", "所在单位代码", "职务/岗位", "手机号", "是否在职"])
    for number in range(1, PEOPLE + 1):
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        phone = "1" + rng.choice("3589") + "".join(rng.choices("0123456789", k=9))
        people.append(
            [f"{number:07d}", name, rng.choice(leaves), rng.choice(POSITIONS), phone, "是"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def timed(label: str, rows: int, work: Callable[[], T]) -> T:
    """Run ``work``, print how long it took and how many rows a second that makes."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds:8.2f} s  {rows / seconds:>10,.0f} rows/s")
    return result


def expect(condition: bool, detail: object) -> None:
    """Stop the benchmark when a result is not what the import promises."""
    if not condition:
        raise SystemExit(f"unexpected result: {detail}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="xinsheng-bench-") as tmp:
        original_name = setup(Path(tmp))
        from django.contrib.auth.models import User
        from django.db import connection

        from xinsheng.core.sheets import runner
        from xinsheng.core.sheets.table import Upload
        from xinsheng.org.import_check import check_import
        from xinsheng.org.import_read import read_import
        from xinsheng.org.models import OrgUnit, Person

        try:
            OrgUnit.objects.add_root(
                create_kwargs={"code": "BENCH", "name": "基准集团", "kind": "group"}
            )
            actor = User.objects.create_superuser("bench", password=None)
            rng = random.Random(SEED)

            start = time.perf_counter()
            content, unit_count = build_file(rng)
            rows = unit_count + PEOPLE
            print(f"database: {connection.vendor}; python {sys.version.split()[0]}")
            print(
                f"file: {PEOPLE:,} people, {unit_count:,} units, {len(content) / 1e6:.1f} MB "
                f"(generated in {time.perf_counter() - start:.1f} s)"
            )
            data = timed(
                "parse (.xlsx → rows)", rows, lambda: read_import(Upload(content, "b.xlsx"))
            )
            timed("check only (no parse)", rows, lambda: check_import(data, actor=actor))

            job = runner.job_create(
                "org", actor=actor, file_name="bench.xlsx", content=content, background=False
            )
            job = timed("dry run (parse + check)", rows, lambda: runner.job_check(job_id=job.pk))
            expect(job.report["created"] == rows, job.report)
            job = runner.job_request_apply(actor=actor, job=job, background=False)
            job = timed(
                "apply (parse + check + write)",
                rows,
                lambda: runner.job_apply(job_id=job.pk),
            )
            expect(job.status == "applied", job.message)
            expect(Person.objects.count() == PEOPLE, "people missing")
            expect(OrgUnit.objects.count() == unit_count + 1, "units missing")

            again = runner.job_create(
                "org", actor=actor, file_name="bench.xlsx", content=content, background=False
            )
            again = timed(
                "second import (dry run, no-op)",
                rows,
                lambda: runner.job_check(job_id=again.pk),
            )
            expect((again.report["created"], again.report["changed"]) == (0, 0), again.report)
            print("second import: 0 created, 0 changed")
        finally:
            teardown(original_name)


if __name__ == "__main__":
    main()
