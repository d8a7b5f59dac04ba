"""The period the dashboard opens on, and periods not over yet compared with equal lengths.

On the 2nd of a month the dashboard shows the last complete month, and says so; from the
``REPORT_MONTH_MIN_DAYS``-th day it shows the month so far, set against as many first days of
the month before. A week, month, quarter or year still running is counted to today only.
"""

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from tests.cases.factories import submit
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.reports.scenario import TZ, Clock
from xinsheng.core.periods import MONTH, QUARTER, WEEK, Period, period_of, period_to_date
from xinsheng.org.choices import Role
from xinsheng.reports import figures

# Voices received, by day: a busy March, a quiet start of April.
RECEIVED = {
    dt.date(2025, 3, 1): 2,
    dt.date(2025, 3, 10): 3,
    dt.date(2025, 3, 20): 4,
    dt.date(2025, 4, 1): 1,
    dt.date(2025, 4, 2): 1,
    dt.date(2025, 4, 12): 2,
}


@pytest.fixture
def spring(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Tree:
    """The voices of ``RECEIVED``, sent on their days, and their figures."""
    clock = Clock(monkeypatch, dt.datetime(2025, 3, 1, 9, tzinfo=TZ))
    for day, count in RECEIVED.items():
        clock.now = dt.datetime.combine(day, dt.time(9), tzinfo=TZ)
        for _ in range(count):
            submit(tree)
    figures.figures_refresh()
    return tree


def on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Let the pages run as if it were ``day``."""
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=TZ)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def dashboard(client: Client, tree: Tree, **query: Any) -> str:
    client.force_login(make_staff(tree.group, Role.LEADER))
    response = client.get(reverse("reports:dashboard"), {"unit": "GRP", **query})
    assert response.status_code == 200
    return response.content.decode()


def heading(html: str) -> str:
    match = re.search(r"<h1>([^<]+)</h1>", html)
    assert match
    return match[1]


def received_now_and_before(html: str) -> tuple[str, str]:
    """Return 收到诉求 this period and the period before, from the figures table."""
    match = re.search(
        r'<th scope="row">收到诉求</th>\s*<td class="num">([^<]*)</td>\s*'
        r'<td class="num muted">([^<]*)</td>',
        html,
    )
    assert match, "no 收到诉求 row"
    return match[1], match[2]


def trend_days(html: str) -> list[str]:
    match = re.search(r'<script id="trend-chart" type="application/json">(.+?)</script>', html)
    assert match
    labels: list[str] = json.loads(match[1])["labels"]
    return labels


def test_on_the_2nd_the_dashboard_shows_last_month_and_says_why(
    client: Client, spring: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, dt.date(2025, 4, 2))

    html = dashboard(client, spring)

    assert heading(html) == "示范煤业集团 · 2025年3月"
    assert "本月才过去 2 天" in html
    assert "默认显示上一个完整月份 2025年3月，与 2025年2月 比较" in html
    # the whole of March against the whole of February, not two days against a month
    assert received_now_and_before(html) == ("9", "0")
    # and the trend has a bar for every day of March
    assert len(trend_days(html)) == 31
    assert trend_days(html)[0] == "03-01"


def test_later_in_the_month_it_shows_the_month_so_far_against_as_many_days(
    client: Client, spring: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, dt.date(2025, 4, 15))

    html = dashboard(client, spring)

    assert heading(html) == "示范煤业集团 · 2025年4月（截至4月15日）"
    assert "统计到今天为止，共 15 天" in html
    assert "2025-03-01 至 2025-03-15" in html
    # April 1–15 (4 voices) against March 1–15 (5), not against the whole of March (9)
    assert received_now_and_before(html) == ("4", "5")
    # the trend stops at today: no empty days to come
    assert trend_days(html)[-1] == "04-15"
    # and categories grow month on month: the last whole month
    assert "增长最快的诉求类别（2025年3月比上月）" in html


def test_the_threshold_is_a_setting(
    client: Client, spring: Tree, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "REPORT_MONTH_MIN_DAYS": 1}
    on(monkeypatch, dt.date(2025, 4, 2))

    html = dashboard(client, spring)

    assert heading(html) == "示范煤业集团 · 2025年4月（截至4月2日）"
    assert received_now_and_before(html) == ("2", "2")  # April 1–2 against March 1–2


def test_a_month_chosen_while_it_runs_is_counted_to_today(
    client: Client, spring: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, dt.date(2025, 4, 2))

    html = dashboard(client, spring, period="month", date="2025-04-01")

    assert heading(html) == "示范煤业集团 · 2025年4月（截至4月2日）"
    assert "本月才过去" not in html  # it was chosen: nothing to explain
    assert received_now_and_before(html) == ("2", "2")


def test_a_past_month_chosen_is_compared_with_the_whole_month_before(
    client: Client, spring: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, dt.date(2025, 4, 15))

    html = dashboard(client, spring, period="month", date="2025-03-01")

    assert heading(html) == "示范煤业集团 · 2025年3月"
    assert 'class="period-note"' not in html
    assert received_now_and_before(html) == ("9", "0")


def test_a_period_to_date_is_compared_with_the_same_first_days_before() -> None:
    today = dt.date(2026, 3, 15)
    month = period_to_date(period_of(MONTH, today), today)
    assert (month.start, month.end, month.to_date) == (dt.date(2026, 3, 1), today, True)
    assert month.previous() == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 15), MONTH, True)
    assert month.label() == "2026年3月（截至3月15日）"

    # March 1–30 against the whole of a shorter February
    late = period_to_date(period_of(MONTH, dt.date(2026, 3, 30)), dt.date(2026, 3, 30))
    assert late.previous() == Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28), MONTH)

    # a quarter and a week to date
    quarter = period_to_date(period_of(QUARTER, dt.date(2026, 5, 10)), dt.date(2026, 5, 10))
    assert quarter.previous() == Period(dt.date(2026, 1, 1), dt.date(2026, 2, 9), QUARTER, True)
    week = period_to_date(period_of(WEEK, dt.date(2026, 3, 11)), dt.date(2026, 3, 11))
    assert (week.start, week.end) == (dt.date(2026, 3, 9), dt.date(2026, 3, 11))
    assert (week.previous().start, week.previous().end) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 4),
    )

    # a period over, or still to come, is left whole
    past = period_of(MONTH, dt.date(2026, 2, 10))
    assert period_to_date(past, today) == past
    assert period_to_date(period_of(MONTH, dt.date(2026, 4, 1)), today).to_date is False
