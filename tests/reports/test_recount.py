"""Every figure equals a plain recount of the raw cases, events and ratings.

Random cases go round the loop through the real services (submitted or recorded, rejected,
merged, dispatched, returned, signed late or on time, supervised, extended, answered, rated,
reopened, escalated, closed unrated …) on days spread over three months. The figures are folded
in as they go, by the same refresh the task runs; then every counter and rate of several
subtrees and periods is checked against ``recount``, which reads only the raw rows.
"""

import datetime as dt
import random

import pytest
from django.db.models import Count
from django.utils import timezone

from tests.conftest import Tree
from tests.reports.recount import raw_rows, recount
from tests.reports.scenario import START, Clock, build_cases, make_scenario_cast
from tests.reports.subtree_check import assert_subtree_rows_exact, stored_figure_rows
from xinsheng.cases.models import Case, CaseEvent, Rating
from xinsheng.core.periods import CUSTOM, MONTH, QUARTER, WEEK, YEAR, Period, period_of
from xinsheng.reports import figures, metrics
from xinsheng.reports.models import COUNTERS

CASES = 40


def build(tree: Tree, monkeypatch: pytest.MonkeyPatch, seed: int) -> Tree:
    """Build the random cases of ``seed``, folding the figures in as they go; return the tree."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible test data
    clock = Clock(monkeypatch, START)
    cast = make_scenario_cast(tree)
    build_cases(rng, clock, cast, CASES, every=figures.figures_refresh)
    figures.figures_refresh()
    return tree


@pytest.fixture
def built(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Tree:
    return build(tree, monkeypatch, 11)


def periods() -> list[Period]:
    first = START.date()
    return [
        Period(first - dt.timedelta(days=10), first + dt.timedelta(days=160), CUSTOM),
        period_of(MONTH, first),
        period_of(MONTH, first + dt.timedelta(days=40)),
        period_of(QUARTER, first + dt.timedelta(days=40)),
        period_of(WEEK, first + dt.timedelta(days=20)),
        period_of(YEAR, first),
        Period(first + dt.timedelta(days=13), first + dt.timedelta(days=71), CUSTOM),
    ]


def test_the_scenario_reaches_every_corner_of_the_loop(built: Tree) -> None:
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"rejected", "merged", "closed", "dispatched"} <= statuses
    assert Rating.objects.filter(satisfaction="unsatisfied").exists()
    assert Case.objects.filter(reopen_count__gt=0).exists()
    assert Case.objects.filter(close_reason="not_rated").exists()
    everything = metrics.figures_for(built.group, periods()[0])
    assert 0 < everything["responded"] < everything["response_due"]
    assert everything["returned"]
    assert everything["supervised"]
    assert everything["reopened"]


@pytest.mark.parametrize("seed", [11, 2024, 7])
def test_every_counter_equals_the_recount(
    tree: Tree, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    build(tree, monkeypatch, seed)
    assert_subtree_rows_exact()  # the subtrees' sums followed every case as it moved
    rows = raw_rows()
    for unit in (tree.group, tree.company1, tree.mine1, tree.area1, tree.company2):
        for period in periods():
            expected = recount(rows, unit, period.start, period.end)
            got = metrics.figures_for(unit, period)
            for name in COUNTERS:
                assert got[name] == expected[name], (unit.code, period, name)


def test_every_rate_equals_the_recount(built: Tree) -> None:
    period = periods()[0]
    rows = raw_rows()
    for unit in (built.group, built.company1, built.company2):
        raw = recount(rows, unit, period.start, period.end)
        got = metrics.figures_for(unit, period)
        assert got.response_rate == pytest.approx(raw["responded"] / raw["response_due"])
        assert got.solution_rate == pytest.approx(raw["solved"] / raw["rated"])
        satisfied = raw["satisfied"] + raw["basically_satisfied"]
        assert got.satisfaction_rate == pytest.approx(satisfied / raw["rated"])
        assert got.on_time_rate == pytest.approx(raw["closed_on_time"] / raw["closed"])
        assert got.reopen_rate == pytest.approx(raw["reopened"] / raw["rated"])
        assert got.return_rate == pytest.approx(raw["returned"] / raw["dispatched"])
        assert got.average_handling_days == pytest.approx(raw["handling_days"] / raw["handled"])
        response = raw["responded"] / raw["response_due"]
        score = 30 * response + 35 * raw["solved"] / raw["rated"] + 35 * satisfied / raw["rated"]
        assert got.score == pytest.approx(score)


def test_a_rebuild_gives_the_same_rows_as_the_refreshes(built: Tree) -> None:
    before = stored_figure_rows()
    figures.figures_rebuild()
    assert stored_figure_rows() == before
    assert_subtree_rows_exact()


def test_a_backlog_is_folded_in_by_batches_to_the_rows_of_a_rebuild(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(11)  # noqa: S311 -- reproducible test data
    clock = Clock(monkeypatch, START)
    build_cases(rng, clock, make_scenario_cast(tree), CASES, every=lambda: None)
    monkeypatch.setattr(figures, "REFRESH_BATCH", 7)
    events = CaseEvent.objects.count()

    recounted = figures.figures_refresh()

    assert figures.figures_state().watermark == CaseEvent.objects.latest("id").pk
    assert recounted >= Case.objects.count()
    assert events > 7 * 10  # many batches
    folded = stored_figure_rows()
    figures.figures_rebuild()
    assert folded == stored_figure_rows()


def test_children_add_up_to_their_parent(built: Tree) -> None:
    period = periods()[0]
    by_child = metrics.figures_by_child(built.group, period)
    total = metrics.sum_counts([*by_child.children, by_child.own])
    assert total == dict(metrics.figures_for(built.group, period).counts)


def test_each_number_lists_exactly_the_cases_it_counts(built: Tree) -> None:
    period = periods()[0]
    unit = built.company1
    got = metrics.figures_for(unit, period)
    for figure in ("received", "rejected", "merged", "closed", "closed_unrated"):
        listed = metrics.counted_cases(metrics.CaseSelection(unit, period, figure))
        assert listed.count() == got[figure], figure  # one per case: the list is the number
    rated = metrics.counted_cases(metrics.CaseSelection(unit, period, "rated"))
    ratings = Rating.objects.filter(case__in=rated)
    assert ratings.count() >= got["rated"] >= rated.count() > 0


def test_breakdowns_add_up_to_the_cases_received(built: Tree) -> None:
    period = periods()[0]
    received = metrics.figures_for(built.group, period)["received"]
    channels = metrics.breakdown(built.group, period, "channel")
    categories = metrics.breakdown(built.group, period, "category")
    assert sum(share.cases for share in channels) == received
    assert sum(share.cases for share in categories) == received
    by_channel = dict(Case.objects.values_list("channel").annotate(n=Count("id")))
    assert {share.key: share.cases for share in channels} == by_channel


def test_the_trend_adds_up_to_the_period(built: Tree) -> None:
    for period in (periods()[1], periods()[3], period_of(YEAR, START.date())):
        points = metrics.trend(built.group, period)
        total = metrics.sum_counts(point.figures for point in points)
        assert total == dict(metrics.figures_for(built.group, period).counts)
        assert points[0].start == period.start
        assert points[-1].end == period.end
    month = metrics.trend(built.group, periods()[1])
    assert len(month) == periods()[1].days  # one point a day
    for point in month[:5]:
        day = Period(point.start, point.end)
        assert dict(point.figures.counts) == dict(metrics.figures_for(built.group, day).counts)


def test_the_growing_categories_are_counted_from_the_cases(built: Tree) -> None:
    def received(period: Period) -> dict[str, int]:
        counts: dict[str, int] = {}
        for case in Case.objects.all():
            if period.start <= timezone.localtime(case.created_at).date() <= period.end:
                key = str(case.category_id or "")
                counts[key] = counts.get(key, 0) + 1
        return counts

    found = 0
    for offset in (0, 31, 61, 92):
        month = period_of(MONTH, START.date() + dt.timedelta(days=offset))
        now, before = received(month), received(month.previous())
        expected = sorted(
            ((key, n - before.get(key, 0)) for key, n in now.items() if n > before.get(key, 0)),
            key=lambda item: (-item[1], item[0]),
        )[:5]
        got = metrics.growing_categories(built.group, month)
        assert [(row.key, row.change) for row in got] == expected
        found += len(got)
    assert found  # the scenario has growth to find
