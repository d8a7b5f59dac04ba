"""The leader's dashboard: its ECharts charts are really drawn, not left as empty boxes."""

import contextlib
import datetime as dt
import random

import pytest
from django.db import transaction
from django.urls import reverse
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import sign_in
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.reports.scenario import START, Clock, build_cases, make_scenario_cast
from xinsheng.org.choices import Role
from xinsheng.reports import figures

pytestmark = pytest.mark.browser

CHARTS = ["trend", "rates", "bar", "pie"]
# Per chart: how many of its canvas pixels are painted, and how many in the first colour of the
# palette (#b71c1c), which only the data (bars, lines, slices) are drawn in.
PAINTED = """
() => Array.from(document.querySelectorAll("[data-chart]")).map((element) => {
  let painted = 0, data = 0;
  element.querySelectorAll("canvas").forEach((canvas) => {
    if (!canvas.width || !canvas.height) { return; }
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] === 0) { continue; }
      painted += 1;
      if (pixels[i] === 0xb7 && pixels[i + 1] === 0x1c && pixels[i + 2] === 0x1c) { data += 1; }
    }
  });
  return {chart: element.dataset.chart, painted: painted, data: data};
})
"""
# A function, not an expression: Playwright polls an expression with eval(), which the CSP refuses.
DRAWN = f"() => ({PAINTED})().every((c) => c.painted > 1000 && c.data > 50)"


@pytest.fixture
def built(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Tree:
    """A dozen cases of spring 2025 through the services, and their figures.

    Built in one transaction, so that what the services leave for after the commit (refreshing
    the figures, notifying people) runs once rather than after every step.
    """
    rng = random.Random(7)  # noqa: S311 -- reproducible test data
    clock = Clock(monkeypatch, START)
    with transaction.atomic():
        build_cases(rng, clock, make_scenario_cast(tree), 12, every=lambda: None)
    monkeypatch.undo()  # the pages run on today's clock
    figures.figures_refresh()
    return tree


def test_the_dashboard_draws_its_charts(page: Page, built: Tree) -> None:
    sign_in(page, make_staff(built.group, Role.LEADER))
    period = {"from": START.date() - dt.timedelta(days=10), "to": START.date().replace(month=8)}
    page.goto(
        f"{reverse('reports:dashboard')}?unit=GRP&period=custom"
        f"&from={period['from'].isoformat()}&to={period['to'].isoformat()}"
    )
    expect(page.locator("[data-chart]")).to_have_count(len(CHARTS))
    for chart in page.locator("[data-chart]").all():
        expect(chart.locator("canvas").first).to_be_visible()

    with contextlib.suppress(PlaywrightTimeout):  # the assertions below say what is missing
        page.wait_for_function(DRAWN, timeout=5_000)
    drawn = page.evaluate(PAINTED)
    assert [chart["chart"] for chart in drawn] == CHARTS
    for chart in drawn:
        assert chart["painted"] > 1000, chart
        assert chart["data"] > 50, chart
