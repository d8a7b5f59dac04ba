"""The stored sums of each subtree: exact as cases move, after a rebuild and after units move,
and the figures read from them are those of the unit rows they sum."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.org.test_import import apply, dry_run, xlsx_file
from tests.reports.scenario import START, Clock, build_cases, make_scenario_cast
from tests.reports.subtree_check import assert_subtree_rows_exact
from xinsheng.core.periods import CUSTOM, MONTH, QUARTER, YEAR, Period, period_of
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit
from xinsheng.reports import figures, metrics
from xinsheng.reports.metrics import _period_q
from xinsheng.reports.models import COUNTERS, UnitBreakdown, UnitFigures


def build(tree: Tree, monkeypatch: pytest.MonkeyPatch, seed: int, cases: int = 30) -> None:
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data
    clock = Clock(monkeypatch, START)
    build_cases(rng, clock, make_scenario_cast(tree), cases, every=figures.figures_refresh)
    figures.figures_refresh()


def unit_row_sums(unit: OrgUnit, period: Period) -> dict[str, int]:
    """The counters of ``unit``'s subtree over ``period``, summed from every unit row under it."""
    rows = UnitFigures.objects.filter(_period_q(period), path__startswith=unit.path)
    sums = rows.aggregate(**{name: Sum(name) for name in COUNTERS})
    return {name: sums[name] or 0 for name in COUNTERS}


def unit_row_shares(unit: OrgUnit, period: Period, dimension: str) -> Counter[str]:
    rows = UnitBreakdown.objects.filter(
        _period_q(period), path__startswith=unit.path, dimension=dimension
    )
    shares: Counter[str] = Counter()
    for key, cases in rows.values_list("key", "cases"):
        shares[key] += cases
    return shares


def periods() -> list[Period]:
    first = START.date()
    return [
        Period(first - dt.timedelta(days=10), first + dt.timedelta(days=160), CUSTOM),
        Period(first + dt.timedelta(days=13), first + dt.timedelta(days=71), CUSTOM),
        period_of(MONTH, first + dt.timedelta(days=40)),
        period_of(QUARTER, first + dt.timedelta(days=40)),
        period_of(YEAR, first),
    ]


@pytest.mark.django_db
def test_the_figures_read_from_subtree_rows_are_those_of_the_unit_rows(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given random cases taken through the services, folded in as they go
    build(tree, monkeypatch, seed=5)
    assert_subtree_rows_exact()
    # Then every figure a page shows is the sum of the unit rows of the subtree
    for unit in (tree.group, tree.company1, tree.mine1, tree.company2):
        for period in periods():
            assert dict(metrics.figures_for(unit, period).counts) == unit_row_sums(unit, period)
            shares = metrics.breakdowns(unit, period)
            for dimension, found in shares.items():
                expected = unit_row_shares(unit, period, dimension)
                assert {share.key: share.cases for share in found} == +expected
            points = metrics.trend(unit, period)
            for point in points:
                bucket = Period(point.start, point.end, CUSTOM)
                assert dict(point.figures.counts) == unit_row_sums(unit, bucket)
            by_child = metrics.figures_by_child(unit, period)
            for child in by_child.children:
                assert dict(child.counts) == unit_row_sums(child.unit, period)
            assert metrics.sum_counts([*by_child.children, by_child.own]) == unit_row_sums(
                unit, period
            )
    assert metrics.figures_for(tree.group, periods()[0])["received"] > 0


@pytest.mark.django_db
def test_a_moved_unit_counts_under_its_new_ancestors_after_a_rebuild(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given cases in every unit, the work area A1 (and its team) under M1 → C1
    build(tree, monkeypatch, seed=8, cases=40)
    period = periods()[0]
    area_figures = metrics.figures_for(tree.area1, period)
    assert area_figures["received"] > 0
    before = {
        unit.code: metrics.figures_for(unit, period)["received"]
        for unit in (tree.mine1, tree.company1, tree.mine2, tree.company2, tree.group)
    }

    # When an import moves A1 under M2 → C2 and the figures are rebuilt, as after every move
    admin: User = make_staff(tree.group, Role.ADMINISTRATOR, username="group-admin")
    job = dry_run(admin, xlsx_file(units=[["A1", "综采一区", "区队", "M2", "是"]]))
    apply(admin, job)
    figures.figures_rebuild()

    # Then the old ancestors lost its cases and the new ones gained them, the group kept them
    assert_subtree_rows_exact()
    moved = area_figures["received"]
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    after = {code: metrics.figures_for(units[code], period)["received"] for code in before}
    assert after == {
        "M1": before["M1"] - moved,
        "C1": before["C1"] - moved,
        "M2": before["M2"] + moved,
        "C2": before["C2"] + moved,
        "GRP": before["GRP"],
    }
    assert metrics.figures_for(units["A1"], period)["received"] == moved
    assert dict(metrics.figures_for(units["M2"], period).counts) == unit_row_sums(
        units["M2"], period
    )
