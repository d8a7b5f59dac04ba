"""Benchmark: finishing a project that answers many linked voices at once.

Builds a small tree (group → company → mine → area), a dispatcher at the company and a handler at
the area, and for each size N: N voices taken to "in progress" at the area, linked to a project,
then ``project_complete`` (one transaction answers all N). The baseline answers N other voices in
the same state one by one with the loop's own ``case_answer`` (one transaction each), which is what
the handler would do by hand. Printed: total seconds and milliseconds per voice for both, and
their ratio, measured in this one run. Background tasks are queued (the default database
backend), not run, as in a web request.

    .venv/bin/python bench/project_complete.py
    DATABASE_URL=postgres://postgres@localhost:5432/xs_project_bench \\
        .venv/bin/python bench/project_complete.py

With SQLite the database is a file in a temporary directory; with PostgreSQL a throwaway database
named after the one in DATABASE_URL (prefixed ``test_``) is created and dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "10,100,500").split(","))


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
    """Drop the throwaway PostgreSQL database (the SQLite file goes with its directory)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        connection.creation.destroy_test_db(original_name, verbosity=0)


def world() -> dict[str, Any]:
    """Create the units, the two staff accounts and a category."""
    from django.contrib.auth.models import User

    from xinsheng.cases.models import Category
    from xinsheng.org.choices import Role, UnitKind
    from xinsheng.org.models import OrgUnit, Person, RoleAssignment

    def child(parent: OrgUnit, name: str, kind: str, code: str) -> OrgUnit:
        fields = {"name": name, "kind": kind, "code": code}
        return OrgUnit.objects.add_child(parent, create_kwargs=fields)  # type: ignore[no-any-return]

    group = OrgUnit.objects.add_root(
        create_kwargs={"name": "集团", "kind": UnitKind.GROUP, "code": "G"}
    )
    company = child(group, "公司", UnitKind.COMPANY, "C")
    mine = child(company, "一矿", UnitKind.MINE, "M")
    area = child(mine, "综采一区", UnitKind.AREA, "A")
    staff = {}
    for number, (name, role, unit) in enumerate(
        [("dispatcher", Role.DISPATCHER, company), ("handler", Role.HANDLER, area)]
    ):
        user = User.objects.create_user(name)  # no password: never signs in
        person = Person.objects.create(employee_no=f"B{number}", name=name, unit=unit, user=user)
        RoleAssignment.objects.create(person=person, unit=unit, role=role)
        staff[name] = user
    category = Category.objects.create(code="parking", name="停车")
    return {**staff, "area": area, "company": company, "category": category}


def in_progress(w: dict[str, Any], n: int) -> list[Any]:
    """Return ``n`` voices taken through accept, dispatch and sign to "in progress"."""
    from xinsheng.cases import services
    from xinsheng.cases.services import Identity

    cases = []
    for i in range(n):
        case = services.case_submit(
            unit=w["area"],
            kind="demand",
            title="",
            text=f"停车位不够用，第{i}号。",
            identity=Identity(anonymous=True),
        ).case
        services.case_accept(case=case, actor=w["dispatcher"], category=w["category"])
        services.case_dispatch(case=case, actor=w["dispatcher"], unit=w["area"])
        services.case_sign(case=case, actor=w["handler"])
        cases.append(case)
    return cases


def run(w: dict[str, Any], n: int) -> tuple[float, float]:
    """Return seconds for one completion over ``n`` links, and for ``n`` single answers."""
    from django.utils import timezone

    from xinsheng.cases import services as case_services
    from xinsheng.projects import services

    project = services.project_create(
        actor=w["dispatcher"],
        data=services.ProjectData(
            title=f"增设停车位（{n}）",
            owner_unit=w["company"],
            due_date=timezone.localdate() + dt.timedelta(days=30),
        ),
    )
    services.project_link_cases(actor=w["dispatcher"], project=project, cases=in_progress(w, n))
    start = time.perf_counter()
    done = services.project_complete(actor=w["dispatcher"], project=project, answer="已增设车位。")
    together = time.perf_counter() - start
    assert len(done.answered) == n, done  # noqa: S101 - a benchmark checks its own work

    singles = in_progress(w, n)
    start = time.perf_counter()
    for case in singles:
        case_services.case_answer(case=case, actor=w["handler"], text="已增设车位。", solved=True)
    one_by_one = time.perf_counter() - start
    return together, one_by_one


def main() -> None:
    """Time each size and print the table."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory(prefix="xinsheng-bench-") as tmp:
        original_name = setup(Path(tmp))
        try:
            from django.db import connection

            w = world()
            print(f"database: {connection.vendor}")
            print(
                f"{'voices':>7}  {'complete s':>10}  {'ms/voice':>8}  {'one by one s':>12}  "
                f"{'ms/voice':>8}  {'ratio':>5}"
            )
            for n in SIZES:
                together, one_by_one = run(w, n)
                print(
                    f"{n:>7}  {together:>10.3f}  {together / n * 1000:>8.2f}  "
                    f"{one_by_one:>12.3f}  {one_by_one / n * 1000:>8.2f}  "
                    f"{one_by_one / together:>5.2f}"
                )
        finally:
            teardown(original_name)


if __name__ == "__main__":
    main()
