"""Benchmark: generating a talk cycle's pairs for a group of ~100,000 people, set by set.

Builds the tree of ``subtree_scope.py`` (1 group → 5 companies → 40 mines → areas, offices and
branches → teams) and about 100,000 people with what the tier rules ask about them: each mine has
leaders (two principals, the others in charge of a few areas and offices), each office and area a
principal head and deputies, each team a team leader; party members, managers, backbone and
technical talent are spread over everyone. Then, for a cycle over the whole group, with the three
default tiers:

- ours: ``talks.cycles.rules.implied_pairs`` (two queries per rule, slices of the sorted
  targets) and ``services.cycle_generate`` (the first generation, a generation with nothing to
  change, and one after 1% of the people moved), with the number of queries each makes;
- naive: the same pairs found with one query per host and reach (how a loop over people would
  ask), for the ratio; both must find exactly the same pairs.

    .venv/bin/python bench/talk_cycles.py
    DATABASE_URL=postgres://postgres@localhost:5432/xs_talks \\
        .venv/bin/python bench/talk_cycles.py

``BENCH_PEOPLE`` changes the number of people (default 100,000); ``BENCH_NAIVE=0`` leaves out the
naive way (minutes at 100,000 people).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from subtree_scope import build_tree, random_name, setup, teardown

if TYPE_CHECKING:
    from xinsheng.org.models import OrgUnit

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
SEED = 20261202
MOVED_SHARE = 0.01


def timed(work: Callable[[], Any]) -> tuple[Any, float, int]:
    """Run ``work`` once; return its result, the seconds it took and the queries it made.

    Queries are counted by a wrapper that only counts: capturing their SQL (as the test
    utilities do) would spell out every parameter of the large inserts and time that instead.
    """
    from django.db import connection

    count = 0

    def counting(execute: Callable[..., Any], *args: Any) -> Any:
        nonlocal count
        count += 1
        return execute(*args)

    with connection.execute_wrapper(counting):
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
    return result, seconds, count


def build_people(units: dict[str, OrgUnit], rng: random.Random) -> None:
    """Save about PEOPLE people with ranks, principals, groups and the leaders' charges."""
    from xinsheng.org.choices import CadreRank, UnitKind
    from xinsheng.org.models import Person, UnitCharge

    headed = [u for u in units.values() if u.kind in (UnitKind.DEPARTMENT, UnitKind.AREA)]
    leaves = [u for u in units.values() if u.numchild == 0 and u.kind != UnitKind.DEPARTMENT]
    mines = [u for u in units.values() if u.kind == UnitKind.MINE]
    numbers = iter(range(1, 10 * PEOPLE))
    people: list[Person] = []

    def person(unit: OrgUnit, rank: str = "", **flags: bool) -> Person:
        made = Person(
            employee_no=f"{next(numbers):07d}",
            name=random_name(rng),
            unit_id=unit.pk,
            cadre_rank=rank,
            is_party_member=flags.pop("party", rng.random() < 0.3),
            is_technical_talent=rng.random() < 0.05,
            is_backbone=rng.random() < 0.08,
            is_manager=flags.pop("manager", False),
            **flags,
        )
        people.append(made)
        return made

    leaders: list[tuple[Person, OrgUnit]] = []
    for mine in mines:
        for number in range(7):
            leaders.append((person(mine, CadreRank.MINE_LEADER, is_principal=number < 2), mine))
    for unit in headed:
        person(unit, CadreRank.SECTION, is_principal=True, party=True)
        for _deputy in range(2):
            person(unit, CadreRank.DEPUTY_SECTION)
        if unit.kind == UnitKind.DEPARTMENT:
            for _staff in range(8):
                person(unit, CadreRank.MANAGER, manager=True)
    teams = [u for u in leaves if u.kind == UnitKind.TEAM]
    for team in teams:
        person(team, is_team_leader=True)
    while len(people) < PEOPLE:
        person(rng.choice(leaves))
    Person.objects.bulk_create(people, batch_size=5000)

    by_mine: dict[str, list[OrgUnit]] = {}
    for unit in headed:
        by_mine.setdefault(unit.path[: 4 * 3], []).append(unit)
    charges = []
    for leader, mine in leaders:
        if leader.is_principal:
            continue
        for unit in rng.sample(by_mine[mine.path], k=6):
            charges.append(UnitCharge(person=leader, unit=unit))
    UnitCharge.objects.bulk_create(charges, batch_size=5000)


def naive_pairs(root: OrgUnit) -> dict[tuple[int, int], int]:
    """Return the pairs of the active rules found with one query per host and reach."""
    from xinsheng.org.models import UnitCharge
    from xinsheng.talks.choices import RuleReach
    from xinsheng.talks.cycles.rules import host_filter, people_counted, target_filter
    from xinsheng.talks.models import TierRule

    people = people_counted(root.path)
    pairs: dict[tuple[int, int], int] = {}
    for rule in TierRule.objects.filter(is_active=True).order_by("order", "id"):
        for host in people.filter(host_filter(rule)).select_related("unit"):
            if rule.reach == RuleReach.UNITS_IN_CHARGE:
                paths = list(
                    UnitCharge.objects.filter(person=host, unit__is_active=True).values_list(
                        "unit__path", flat=True
                    )
                )
            else:
                paths = [host.unit.path]
            for path in paths:
                targets = people.filter(target_filter(rule), unit__path__startswith=path)
                if rule.reach == RuleReach.UNITS_BELOW:
                    targets = targets.exclude(unit__path=path)
                for person_id in targets.exclude(pk=host.pk).values_list("id", flat=True):
                    pairs.setdefault((host.pk, person_id), rule.pk)
    return pairs


def move_people(rng: random.Random, share: float) -> int:
    """Move ``share`` of the people to another team; return how many moved."""
    from xinsheng.org.choices import UnitKind
    from xinsheng.org.models import OrgUnit, Person

    teams = list(OrgUnit.objects.filter(kind=UnitKind.TEAM).values_list("id", flat=True))
    ids = list(Person.objects.filter(unit__kind=UnitKind.TEAM).values_list("id", flat=True))
    moved = rng.sample(ids, k=int(len(ids) * share))
    for start in range(0, len(moved), 500):
        for person_id in moved[start : start + 500]:
            Person.objects.filter(pk=person_id).update(unit_id=rng.choice(teams))
    return len(moved)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="xs-talks-bench-"))
    name = setup(workdir)
    try:
        run()
    finally:
        teardown(name)


def run() -> None:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.db import connection

    from xinsheng.org.choices import Role
    from xinsheng.org.models import Person, RoleAssignment, UnitCharge
    from xinsheng.talks.cycles import services
    from xinsheng.talks.cycles.rules import implied_pairs
    from xinsheng.talks.models import TalkPair, TierRule

    rng = random.Random(SEED)
    units = build_tree()
    build_people(units, rng)
    group = units["G"]
    admin = User.objects.create_user("bench-admin", password=None)
    holder = Person.objects.create(employee_no="ADMIN", name="管理员", unit=group, user=admin)
    RoleAssignment.objects.create(person=holder, unit=group, role=Role.ADMINISTRATOR)
    print(
        f"{connection.vendor}: {len(units)} units, {Person.objects.count()} people, "
        f"{UnitCharge.objects.count()} charges, {TierRule.objects.filter(is_active=True).count()}"
        " active tier rules"
    )

    rules = list(TierRule.objects.all())
    ours, ours_s, ours_q = timed(lambda: implied_pairs(root_path=group.path, rules=rules))
    if os.environ.get("BENCH_NAIVE", "1") == "0":
        naive, naive_s, naive_q = {k: v.rule_id for k, v in ours.items()}, float("nan"), 0
    else:
        naive, naive_s, naive_q = timed(lambda: naive_pairs(group))
    same = {key: value.rule_id for key, value in ours.items()} == naive
    print(f"pairs implied: {len(ours)}; the same both ways: {same}")
    if not same:
        sys.exit("the two ways disagree")
    print(f"{'implied pairs':28} {'seconds':>9} {'queries':>8}")
    print(f"{'  ours (set by set)':28} {ours_s:9.2f} {ours_q:8d}")
    print(f"{'  naive (query per host)':28} {naive_s:9.2f} {naive_q:8d}")
    print(f"  ratio naive / ours: {naive_s / ours_s:.1f}")

    today = dt.date.today()
    cycle, first_s, first_q = timed(
        lambda: services.cycle_create(
            actor=admin,
            title="bench",
            unit=group,
            starts_on=today,
            ends_on=today + dt.timedelta(days=90),
        )
    )
    first_pairs = TalkPair.objects.count()
    again, again_s, again_q = timed(lambda: services.cycle_generate(actor=admin, cycle=cycle))
    moved = move_people(rng, MOVED_SHARE)
    after, after_s, after_q = timed(lambda: services.cycle_generate(actor=admin, cycle=cycle))
    print(f"{'generation':28} {'seconds':>9} {'queries':>8}  result")
    print(f"{'  first (create)':28} {first_s:9.2f} {first_q:8d}  {first_pairs} pairs")
    print(f"{'  again, nothing moved':28} {again_s:9.2f} {again_q:8d}  {again}")
    print(f"{f'  again, {moved} people moved':28} {after_s:9.2f} {after_q:8d}  {after}")


if __name__ == "__main__":
    main()
