"""The figures of the bulk-written demo equal a plain recount of its raw cases, events and ratings.

The demo writes its year of cases in bulk, not through the services; the figures it shows must
still be those its rows say. The demo's own figures part folds them in, then every counter of a
few subtrees and periods is checked against ``recount``, which reads only the raw rows, every
subtree row against the unit rows it sums, and a rebuild from scratch gives the rows the load
wrote.
"""

import datetime as dt

import pytest

from tests.reports.recount import raw_rows, recount
from tests.reports.subtree_check import assert_subtree_rows_exact, stored_figure_rows
from xinsheng.cases import demo as cases_demo
from xinsheng.core.periods import CUSTOM, MONTH, QUARTER, YEAR, Period, period_of
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit
from xinsheng.reports import demo as reports_demo
from xinsheng.reports import figures, metrics
from xinsheng.reports.models import COUNTERS

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


def test_the_demo_figures_recount_equal_and_rebuild_the_same() -> None:
    org_demo.demo_load(seed=3)
    made = cases_demo.demo_load(seed=3, today=TODAY, cases=300)
    assert made["cases"] > 250
    assert reports_demo.demo_load(seed=3)["cases"] == made["cases"]
    assert_subtree_rows_exact()

    rows = raw_rows()
    group = org_demo.demo_group()
    company = OrgUnit.objects.filter(kind=UnitKind.COMPANY).order_by("path").first()
    mine = OrgUnit.objects.filter(kind=UnitKind.MINE).order_by("path").first()
    assert company is not None
    assert mine is not None
    periods = [
        Period(TODAY - dt.timedelta(days=370), TODAY, CUSTOM),
        period_of(YEAR, TODAY - dt.timedelta(days=100)),
        period_of(QUARTER, TODAY - dt.timedelta(days=120)),
        period_of(MONTH, TODAY - dt.timedelta(days=40)),
        period_of(MONTH, TODAY - dt.timedelta(days=1)),
    ]
    seen = 0
    for unit in (group, company, mine):
        for period in periods:
            expected = recount(rows, unit, period.start, period.end)
            got = metrics.figures_for(unit, period)
            for name in COUNTERS:
                assert got[name] == expected[name], (unit.code, period, name)
            seen += expected["received"]
    assert seen
    everything = metrics.figures_for(group, periods[0])
    for name in ("responded", "returned", "supervised", "reopened", "closed_unrated"):
        assert everything[name] > 0, name

    loaded = stored_figure_rows()
    figures.figures_rebuild()
    assert stored_figure_rows() == loaded
    assert_subtree_rows_exact()
