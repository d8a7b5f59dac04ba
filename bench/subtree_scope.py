"""Benchmark: scope queries on an organisation tree of ~10,000 units and 100,000 people.

Builds a group (1 group → 5 companies → 40 mines → areas, offices and party branches → teams,
depth 5), gives four users a role at different levels, and times, for each of them, what every
staff page asks: how many units they may see, whether they may act at one unit, and the first page
of the people list (plain and with a name search). Each is timed three ways in the same run:

- ours: ``xinsheng.org.permissions`` / ``selectors``, a prefix match on the indexed ``path``;
  "cold" forgets the actor's cached roles before every run, "warm" keeps them;
- CTE: a recursive query over parent links (a table of unit → parent computed from the paths);
- walk: treebeard's ``get_children`` node by node, level by level (``get_parent`` upwards); only
  for the unit count and the check, as a people page would walk the same way and then do more.

    .venv/bin/python bench/subtree_scope.py
    DATABASE_URL=postgres://postgres@localhost:5432/xs_subtree_bench \\
        .venv/bin/python bench/subtree_scope.py

With SQLite the database is a file in a temporary directory; with PostgreSQL a throwaway database
named after the one in DATABASE_URL (prefixed ``test_``) is created and dropped afterwards.

The ratios in the last table divide a naive median by ours cold: both start from nothing but the
user. Before timing, every way must give the same answer.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from xinsheng.org.models import OrgUnit, Person

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
SEED = 20240602
REPS = 200  # runs per figure ...
BUDGET = 2.0  # ... unless they would take longer than this many seconds,
MIN_REPS = 5  # ... but never fewer than this
PAGE = 50

COMPANIES = 5
MINES_PER_COMPANY = 8
AREAS_PER_MINE = 20
TEAMS_PER_AREA = 11
BRANCHES_PER_MINE = 4
GROUP_OFFICES = ("党群工作部", "工会", "人力资源部", "安全监察部", "后勤服务中心")
COMPANY_OFFICES = ("综合办公室", "生产技术部", "安全环保部", "调度中心")
MINE_OFFICES = ("安全科", "调度室", "地测科", "机电科", "通风科", "财务科")
AREA_TRADES = ("综采", "综掘", "机电", "运输", "通风")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌海波辉鹏飞宇浩然"
POSITIONS = ("采煤工", "掘进工", "机电工", "运输工", "通风工", "安全员", "班组长", "技术员")

# Parent links for the naive queries, filled from the paths once the tree is built.
PARENT_TABLE_SQL = "CREATE TABLE bench_unit_parent (id bigint PRIMARY KEY, parent_id bigint)"
PARENT_INDEX_SQL = "CREATE INDEX bench_unit_parent_parent ON bench_unit_parent (parent_id)"
PARENT_FILL_SQL = """
    INSERT INTO bench_unit_parent (id, parent_id)
    SELECT child.id, parent.id
    FROM org_orgunit child
    JOIN org_orgunit parent ON parent.path = substr(child.path, 1, length(child.path) - %s)
"""
# The units under the units where a user holds a role (every role grants unit.view and
# person.view, so the role itself is not looked at).
SUBTREE_SQL = """
    WITH RECURSIVE subtree(id) AS (
        SELECT held.unit_id
        FROM org_roleassignment held
        JOIN org_person holder ON holder.id = held.person_id
        JOIN org_orgunit unit ON unit.id = held.unit_id
        WHERE holder.user_id = %s AND holder.is_active AND unit.is_active
        UNION
        SELECT link.id FROM bench_unit_parent link JOIN subtree ON link.parent_id = subtree.id
    )
    SELECT id FROM subtree
"""
# Whether a user holds a role at a unit or at one of its ancestors.
MAY_SQL = """
    WITH RECURSIVE upward(id) AS (
        SELECT CAST(%s AS bigint)
        UNION
        SELECT link.parent_id FROM bench_unit_parent link JOIN upward ON link.id = upward.id
    )
    SELECT EXISTS (
        SELECT 1
        FROM org_roleassignment held
        JOIN org_person holder ON holder.id = held.person_id
        JOIN org_orgunit unit ON unit.id = held.unit_id
        WHERE holder.user_id = %s AND holder.is_active AND unit.is_active
          AND held.unit_id IN (SELECT id FROM upward)
    )
"""
METHODS = ("ours cold", "ours warm", "CTE", "walk")


@dataclass(frozen=True)
class Timing:
    """Milliseconds per run of one query done one way."""

    median: float
    p95: float
    runs: int

    def __str__(self) -> str:
        return f"{milliseconds(self.median)}/{milliseconds(self.p95)}"


def milliseconds(value: float) -> str:
    """Return ``value`` with three significant digits, or as a whole number from 100 on."""
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


@dataclass(frozen=True)
class Staff:
    """A user holding one role at one unit; their scope is that unit's subtree."""

    label: str
    user: User
    unit: OrgUnit


@dataclass(frozen=True)
class Query:
    """One question a page asks, answered our way and the two naive ways."""

    label: str
    ours: Callable[[], object]
    cte: Callable[[], object]
    walk: Callable[[], object] | None = None


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


def path_step(position: int) -> str:
    """Return the path step of a node's ``position``-th child (from 1), as treebeard writes it."""
    from xinsheng.org.models import OrgUnit

    alphabet = OrgUnit.alphabet
    digits = ""
    while position:
        position, digit = divmod(position, len(alphabet))
        digits = alphabet[digit] + digits
    return digits.rjust(OrgUnit.steplen, alphabet[0])


class TreeDraft:
    """Units not yet saved, with paths and child counts kept the way treebeard keeps them."""

    def __init__(self) -> None:
        self.units: dict[str, OrgUnit] = {}

    def add(self, parent: OrgUnit | None, code: str, name: str, kind: str) -> OrgUnit:
        """Add a unit as the last child of ``parent`` (a root when None) and return it."""
        from xinsheng.org.models import OrgUnit

        if parent is None:
            path = path_step(1)
        else:
            parent.numchild += 1
            path = parent.path + path_step(parent.numchild)
        unit = OrgUnit(path=path, depth=len(path) // OrgUnit.steplen, numchild=0)
        unit.code, unit.name, unit.kind = code, name, kind
        self.units[code] = unit
        return unit


def draft_tree() -> TreeDraft:
    """Return the units of a group shaped like a real one, about 10,000 of them."""
    from xinsheng.org.choices import UnitKind

    tree = TreeDraft()
    group = tree.add(None, "G", "基准能源集团", UnitKind.GROUP)
    for o, office in enumerate(GROUP_OFFICES, 1):
        tree.add(group, f"G-D{o}", office, UnitKind.DEPARTMENT)
    for c in range(1, COMPANIES + 1):
        company = tree.add(group, f"C{c}", f"第{c}煤业公司", UnitKind.COMPANY)
        for o, office in enumerate(COMPANY_OFFICES, 1):
            tree.add(company, f"C{c}-D{o}", office, UnitKind.DEPARTMENT)
        for m in range(1, MINES_PER_COMPANY + 1):
            mine = tree.add(company, f"C{c}-M{m}", f"{c}公司{m}号矿", UnitKind.MINE)
            for a in range(1, AREAS_PER_MINE + 1):
                trade = AREA_TRADES[(a - 1) % len(AREA_TRADES)]
                number = (a - 1) // len(AREA_TRADES) + 1
                area = tree.add(mine, f"{mine.code}-A{a:02d}", f"{trade}{number}队", UnitKind.AREA)
                for t in range(1, TEAMS_PER_AREA + 1):
                    tree.add(
                        area, f"{area.code}-T{t:02d}", f"{trade}{number}队{t}班", UnitKind.TEAM
                    )
            for o, office in enumerate(MINE_OFFICES, 1):
                tree.add(mine, f"{mine.code}-D{o}", office, UnitKind.DEPARTMENT)
            for b in range(1, BRANCHES_PER_MINE + 1):
                tree.add(mine, f"{mine.code}-P{b}", f"第{b}党支部", UnitKind.BRANCH)
    return tree


def build_tree() -> dict[str, OrgUnit]:
    """Save the drafted tree, check it with treebeard, link children to parents; return by code."""
    from django.db import connection

    from xinsheng.org.models import OrgUnit

    OrgUnit.objects.bulk_create(draft_tree().units.values(), batch_size=2000)
    problems = OrgUnit.objects.find_problems()
    expect(not any(problems), f"treebeard finds problems in the tree: {problems}")
    with connection.cursor() as cursor:
        cursor.execute(PARENT_TABLE_SQL)
        cursor.execute(PARENT_FILL_SQL, [OrgUnit.steplen])
        cursor.execute(PARENT_INDEX_SQL)
    return {unit.code: unit for unit in OrgUnit.objects.all()}


def random_name(rng: random.Random) -> str:
    """Return a plausible Chinese name."""
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def build_people(units: dict[str, OrgUnit], rng: random.Random) -> None:
    """Save PEOPLE people spread evenly over the units that have no sub-units."""
    from xinsheng.org.models import Person

    leaves = [unit.pk for unit in units.values() if unit.numchild == 0]
    people = (
        Person(
            employee_no=f"{number:07d}",
            name=random_name(rng),
            unit_id=rng.choice(leaves),
            position=rng.choice(POSITIONS),
            phone="1" + rng.choice("3589") + "".join(rng.choices("0123456789", k=9)),
        )
        for number in range(1, PEOPLE + 1)
    )
    Person.objects.bulk_create(people, batch_size=5000)


def build_staff(units: dict[str, OrgUnit], rng: random.Random) -> list[Staff]:
    """Create users holding a role at the group, a company, a mine and a work area."""
    from django.contrib.auth.models import User

    from xinsheng.org.choices import Role
    from xinsheng.org.models import Person, RoleAssignment

    posts = (
        ("group administrator", "G", Role.ADMINISTRATOR),
        ("company dispatcher", "C1", Role.DISPATCHER),
        ("mine leader", "C1-M1", Role.LEADER),
        ("area handler", "C1-M1-A01", Role.HANDLER),
    )
    staff = []
    for number, (label, code, role) in enumerate(posts, 1):
        user = User.objects.create_user(f"bench{number}", password=None)
        person = Person.objects.create(
            employee_no=f"S{number:06d}", name=random_name(rng), unit=units[code], user=user
        )
        RoleAssignment.objects.create(person=person, unit=units[code], role=role)
        staff.append(Staff(label, user, units[code]))
    return staff


def measure(work: Callable[[], object], before: Callable[[], None] | None = None) -> Timing:
    """Time ``work`` REPS times (fewer past BUDGET seconds), after one run to warm up."""
    work()
    samples: list[float] = []
    deadline = time.perf_counter() + BUDGET
    while len(samples) < REPS and (len(samples) < MIN_REPS or time.perf_counter() < deadline):
        if before is not None:
            before()
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[math.ceil(0.95 * len(samples)) - 1]
    return Timing(statistics.median(samples), p95, len(samples))


def walk_subtree(user: User) -> list[int]:
    """Return the ids of the units in ``user``'s scope, found child by child from the roles."""
    from xinsheng.org.models import OrgUnit

    level = list(
        OrgUnit.objects.filter(
            role_holders__person__user=user, role_holders__person__is_active=True, is_active=True
        ).distinct()
    )
    found: list[int] = []
    while level:
        found.extend(unit.pk for unit in level)
        level = [child for unit in level for child in OrgUnit.objects.get_children(unit)]
    return found


def walk_may(user: User, unit: OrgUnit) -> bool:
    """Return whether ``user`` holds a role at ``unit`` or above, going up parent by parent."""
    from xinsheng.org.models import OrgUnit, RoleAssignment

    held = set(
        RoleAssignment.objects.filter(
            person__user=user, person__is_active=True, unit__is_active=True
        ).values_list("unit_id", flat=True)
    )
    node: OrgUnit | None = unit
    while node is not None:
        if node.pk in held:
            return True
        node = OrgUnit.objects.get_parent(node, update=True)
    return False


def cte_may(user: User, unit: OrgUnit) -> bool:
    """Return whether ``user`` holds a role at ``unit`` or above, by one recursive query."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(MAY_SQL, [unit.pk, user.pk])
        return bool(cursor.fetchone()[0])


def first_page(people: QuerySet[Person], search: str) -> list[Person]:
    """Return the first page of ``people`` filtered and ordered as ``person_list_for`` does."""
    from django.db.models import Q

    if search:
        people = people.filter(Q(name__contains=search) | Q(employee_no__iexact=search))
    return list(people.select_related("unit").order_by("unit__path", "employee_no")[:PAGE])


def queries_for(staff: Staff, team: OrgUnit, search: str) -> list[Query]:
    """Return the questions to time for ``staff``: unit count, one check, two people pages."""
    from django.db.models.expressions import RawSQL

    from xinsheng.org import permissions, selectors
    from xinsheng.org.models import OrgUnit, Person

    user = staff.user

    def in_cte() -> RawSQL:
        return RawSQL(SUBTREE_SQL, [user.pk])  # noqa: S611 -- constant SQL, bound parameter

    def page_ours(text: str) -> Callable[[], object]:
        return lambda: list(selectors.person_list_for(actor=user, search=text)[:PAGE])

    def page_cte(text: str) -> Callable[[], object]:
        return lambda: first_page(Person.objects.filter(unit_id__in=in_cte()), text)

    return [
        Query(
            "units count",
            lambda: permissions.units_for(user, "unit.view").count(),
            lambda: OrgUnit.objects.filter(pk__in=in_cte()).count(),
            lambda: len(walk_subtree(user)),
        ),
        Query(
            "may (a team)",
            lambda: permissions.may(user, "unit.view", team),
            lambda: cte_may(user, team),
            lambda: walk_may(user, team),
        ),
        Query("people p.1", page_ours(""), page_cte("")),
        Query("people search p.1", page_ours(search), page_cte(search)),
    ]


def run_query(staff: Staff, query: Query) -> dict[str, Timing]:
    """Check that every way gives the same answer, then time each; return timings by method."""
    from xinsheng.org import permissions

    def forget() -> None:
        permissions.forget_roles(staff.user)

    ways: dict[str, tuple[Callable[[], object], Callable[[], None] | None]] = {
        "ours cold": (query.ours, forget),
        "ours warm": (query.ours, None),
        "CTE": (query.cte, None),
    }
    if query.walk is not None:
        ways["walk"] = (query.walk, None)
    answers = {method: work() for method, (work, _) in ways.items()}
    expect(len(set(map(repr, answers.values()))) == 1, f"{staff.label}, {query.label}: {answers}")
    timings = {method: measure(work, before) for method, (work, before) in ways.items()}
    runs = "  ".join(
        f"{method} {timing} ({timing.runs} runs)" for method, timing in timings.items()
    )
    print(f"  {staff.label:<20} {query.label:<17} {runs}")
    return timings


def path_indexes() -> list[str]:
    """Return the names of the indexes on ``org_orgunit.path``, the unique one included.

    SQLite's index behind the unique constraint has no name Django can report; it is left out.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "org_orgunit")
    return sorted(
        name
        for name, info in constraints.items()
        if info["columns"] == ["path"]
        and (info["index"] or info["unique"])
        and not name.startswith("__unnamed")
    )


def index_use(plan: str, indexes: list[str]) -> str:
    """Return how ``plan`` finds units by path: a range of an index, all of one, or no index."""
    used = ", ".join(name for name in indexes if name in plan)
    if not used:
        return "no path index (reads the whole table)"
    # PostgreSQL turns LIKE 'prefix%' into ~>=~ and ~<~ bounds; SQLite prints path>? AND path<?.
    if "~>=~" in plan or "path>?" in plan:
        return f"range search on {used}"
    return f"scans {used} in path order, filtering (no range)"


def explain(staff: list[Staff], search: str) -> None:
    """Print which path index the scope queries use, and the mine leader's plans in full."""
    from django.db import connection

    from xinsheng.org import permissions, selectors

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    indexes = path_indexes()
    print(f"\nindexes on org_orgunit.path: {', '.join(indexes)}")
    for member in staff:
        plans = {
            "units": permissions.units_for(member.user, "unit.view").explain(),
            "people p.1": selectors.person_list_for(actor=member.user)[:PAGE].explain(),
            "search": selectors.person_list_for(actor=member.user, search=search)[:PAGE].explain(),
        }
        for label, plan in plans.items():
            print(f"  {member.label:<20} {label:<10} {index_use(plan, indexes)}")
            if member.label == "mine leader":
                print("    " + plan.replace("\n", "\n    "))


def engine_version() -> str:
    """Return the database engine and its version."""
    from django.db import connection

    sql = "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def print_table(rows: list[tuple[Staff, str, dict[str, Timing]]]) -> None:
    """Print median/p95 per method and how many times slower the naive ways are than ours cold."""
    print(f"\n{'actor':<20} {'query':<17}" + "".join(f"{m:>16}" for m in METHODS), end="")
    print(f"{'CTE÷cold':>10}{'walk÷cold':>10}")
    for member, label, timings in rows:
        cold = timings["ours cold"].median
        cells = "".join(f"{timings.get(m, '-')!s:>16}" for m in METHODS)
        ratios = "".join(
            f"{timings[m].median / cold:>10.1f}" if m in timings else f"{'-':>10}"
            for m in ("CTE", "walk")
        )
        print(f"{member.label:<20} {label:<17}{cells}{ratios}")


def expect(condition: bool, detail: object) -> None:
    """Stop the benchmark when a result is not what it should be."""
    if not condition:
        raise SystemExit(f"unexpected result: {detail}")


def pick_team_and_search(area: OrgUnit) -> tuple[OrgUnit, str]:
    """Return the last team of ``area`` (to ask ``may`` about) and a name found in the area."""
    from xinsheng.org.models import OrgUnit, Person

    team = OrgUnit.objects.get(path=area.path + path_step(TEAMS_PER_AREA))
    people = Person.objects.filter(unit__path__startswith=area.path).exclude(user__isnull=False)
    return team, people.order_by("employee_no").values_list("name", flat=True)[0]


def print_environment(staff: list[Staff]) -> None:
    """Print the engine, the size of the tree and how much of it each user sees."""
    from xinsheng.org import selectors
    from xinsheng.org.models import OrgUnit, Person

    print(
        f"\n{engine_version()}; python {sys.version.split()[0]}; "
        f"{OrgUnit.objects.count():,} units; {Person.objects.count():,} people"
    )
    for member in staff:
        units_seen = selectors.unit_list_for(actor=member.user).count()
        people_seen = selectors.person_list_for(actor=member.user).count()
        print(
            f"  {member.label:<20} at {member.unit.code:<10} sees {units_seen:>6,} units, "
            f"{people_seen:>7,} people"
        )


def main() -> None:
    """Build the tree and its people, explain the scope queries, time them, print the table."""
    with tempfile.TemporaryDirectory(prefix="xinsheng-bench-") as tmp:
        original_name = setup(Path(tmp))
        try:
            rng = random.Random(SEED)
            start = time.perf_counter()
            units = build_tree()
            seconds = time.perf_counter() - start
            print(f"tree: {len(units):,} units built and checked in {seconds:.1f} s")
            start = time.perf_counter()
            build_people(units, rng)
            staff = build_staff(units, rng)
            print(f"people: {PEOPLE:,} saved in {time.perf_counter() - start:.1f} s")
            team, search = pick_team_and_search(staff[-1].unit)
            explain(staff, search)

            print(
                f"\ntimes in ms, median/p95 over up to {REPS} runs ({BUDGET:.0f} s at most, "
                f"at least {MIN_REPS}); 'may' asks about {team.code}; the search is for {search}"
            )
            rows: list[tuple[Staff, str, dict[str, Timing]]] = []
            for member in staff:
                for query in queries_for(member, team, search):
                    rows.append((member, query.label, run_query(member, query)))
            print_environment(staff)
            print_table(rows)
        finally:
            teardown(original_name)


if __name__ == "__main__":
    main()
