"""The dashboard, the cases behind each number, the rankings and the ``rates`` command."""

import datetime as dt
import json
import random
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import answered, make_cast
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.reports.scenario import START, Clock, build_cases, make_scenario_cast
from xinsheng.api.services import token_issue
from xinsheng.cases import services
from xinsheng.core.periods import CUSTOM, Period
from xinsheng.org.choices import Role
from xinsheng.reports import figures, metrics

PERIOD = Period(START.date() - dt.timedelta(days=10), START.date() + dt.timedelta(days=160), CUSTOM)
QUERY = {"period": "custom", "from": PERIOD.start.isoformat(), "to": PERIOD.end.isoformat()}


@pytest.fixture
def built(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Tree:
    rng = random.Random(5)  # noqa: S311 -- reproducible test data
    clock = Clock(monkeypatch, START)
    build_cases(rng, clock, make_scenario_cast(tree), 25, every=figures.figures_refresh)
    monkeypatch.undo()  # the pages run on today's clock
    figures.figures_refresh()
    return tree


def signed_in(client: Client, unit: Any, role: Role = Role.LEADER) -> Client:
    client.force_login(make_staff(unit, role))
    return client


def numbers(html: str) -> list[str]:
    return re.findall(r'class="stat-value[^"]*"[^>]*>([^<]+)<', html)


def test_the_group_dashboard_shows_the_figures_of_the_whole_group(
    client: Client, built: Tree
) -> None:
    signed_in(client, built.group)
    response = client.get(reverse("reports:dashboard"), {"unit": "GRP", **QUERY})
    assert response.status_code == 200
    html = response.content.decode()
    expected = metrics.figures_for(built.group, PERIOD)
    assert numbers(html)[0] == f"{expected['received']:,}"
    assert expected.satisfaction_rate is not None
    assert f"{expected.satisfaction_rate * 100:.1f}%" in html
    assert "第一煤业公司" in html
    assert "第二煤业公司" in html
    assert "红榜" in html
    assert "黑榜" in html
    assert 'data-chart="trend"' in html
    assert 'id="trend-chart"' in html


def test_every_number_links_to_the_cases_it_counts(client: Client, built: Tree) -> None:
    signed_in(client, built.group)
    html = client.get(reverse("reports:dashboard"), {"unit": "C1", **QUERY}).content.decode()
    link = re.search(r'href="(/reports/cases/\?figure=received[^"]+)"', html)
    assert link is not None
    listing = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    expected = metrics.figures_for(built.company1, PERIOD)["received"]
    assert f"共 {expected} 件诉求" in listing
    assert listing.count('<td><a href="/cases/') == min(expected, 50)


def test_a_leader_cannot_see_another_companys_figures(client: Client, built: Tree) -> None:
    signed_in(client, built.company1)
    assert client.get(reverse("reports:dashboard"), {"unit": "C1", **QUERY}).status_code == 200
    assert client.get(reverse("reports:dashboard"), {"unit": "C2", **QUERY}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"unit": "GRP", **QUERY}).status_code == 404
    listing = {"figure": "received", "unit": "C2", "from": QUERY["from"], "to": QUERY["to"]}
    assert client.get(reverse("reports:cases"), listing).status_code == 404
    # Without a unit, the dashboard opens at the top of the leader's own scope.
    html = client.get(reverse("reports:dashboard"), QUERY).content.decode()
    assert "第一煤业公司" in html
    assert "第二煤业公司" not in html


def test_a_handler_has_no_dashboard(client: Client, built: Tree) -> None:
    signed_in(client, built.area1, Role.HANDLER)
    assert client.get(reverse("reports:dashboard")).status_code == 404


def test_units_with_too_few_ratings_are_listed_but_not_ranked(built: Tree, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "RANK_MIN_RATED": 1, "RANK_LIST_SIZE": 1}
    ranking = metrics.ranking(built.group, PERIOD)
    assert {row.unit.code for row in ranking.rows} == {"C1", "C2"}
    ranked = [row for row in ranking.rows if row.rank is not None]
    assert [row.rank for row in ranked] == list(range(1, len(ranked) + 1))
    assert ranked
    assert ranking.red == ranked[:1]
    scores = [row.figures.score or 0.0 for row in ranked]
    assert scores == sorted(scores, reverse=True)
    settings.XINSHENG = {**settings.XINSHENG, "RANK_MIN_RATED": 10_000}
    ranking = metrics.ranking(built.group, PERIOD)
    assert {row.unit.code for row in ranking.rows} == {"C1", "C2"}
    assert all(row.rank is None for row in ranking.rows)
    assert ranking.red == []
    assert ranking.black == []


def test_the_weights_change_the_score_and_satisfaction(built: Tree, settings: Any) -> None:
    plain = metrics.figures_for(built.group, PERIOD)
    settings.XINSHENG = {
        **settings.XINSHENG,
        "SATISFACTION_BASIC_WEIGHT": 0.5,
        "SCORE_WEIGHTS": (0, 0, 1),
    }
    weighted = metrics.figures_for(built.group, PERIOD)
    counts = weighted.counts
    expected = (counts["satisfied"] + 0.5 * counts["basically_satisfied"]) / counts["rated"]
    assert weighted.satisfaction_rate == pytest.approx(expected)
    assert weighted.satisfaction_rate < plain.satisfaction_rate  # type: ignore[operator]
    assert weighted.score == pytest.approx(100 * expected)


def test_the_rates_command_prints_the_figures(built: Tree) -> None:
    out = StringIO()
    call_command("rates", "--unit", "GRP", "--from", QUERY["from"], "--to", QUERY["to"], stdout=out)
    text = out.getvalue()
    figures_now = metrics.figures_for(built.group, PERIOD)
    assert "响应率" in text
    assert "满意率" in text
    assert "综合得分" in text
    assert f"{figures_now.response_rate * 100:.1f}%" in text  # type: ignore[operator]

    out = StringIO()
    args = ["--unit", "C2", "--from", QUERY["from"], "--to", QUERY["to"], "--json"]
    call_command("rates", *args, stdout=out)
    data = json.loads(out.getvalue())
    assert data["current"]["counts"] == dict(metrics.figures_for(built.company2, PERIOD).counts)
    assert data["previous"]["to"] == (PERIOD.start - dt.timedelta(days=1)).isoformat()


def test_a_rating_reaches_the_figures_as_soon_as_it_is_committed(
    tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    cast = make_cast(tree)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = answered(tree, cast)
    now = timezone.localdate()
    today = Period(now - dt.timedelta(days=1), now + dt.timedelta(days=3))
    before = metrics.figures_for(tree.area1, today)
    assert before["received"] == before["dispatched"] == 1
    assert before["rated"] == 0
    assert metrics.figures_for(tree.team1, today)["received"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.case_rate(
            receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True
        )

    after = metrics.figures_for(tree.area1, today)
    assert after["rated"] == after["solved"] == after["satisfied"] == after["closed"] == 1
    assert after.satisfaction_rate == 1.0


def test_the_api_gives_the_dashboards_figures_within_scope(built: Tree) -> None:
    leader = make_staff(built.company1, Role.LEADER)
    client = Client(headers={"Authorization": f"Token {token_issue(actor=leader).key}"})
    query = {"unit": "C1", "from": QUERY["from"], "to": QUERY["to"]}
    body = client.get("/api/v1/reports/rates", query).json()
    expected = metrics.figures_for(built.company1, PERIOD)
    assert body["current"]["counts"] == dict(expected.counts)
    assert body["current"]["satisfaction_rate"] == pytest.approx(expected.satisfaction_rate)
    assert client.get("/api/v1/reports/rates", {**query, "unit": "C2"}).status_code == 404
    assert client.get("/api/v1/reports/rates", {**query, "to": "someday"}).status_code == 400


@pytest.mark.parametrize("period", ["day", "week", "month", "quarter", "year"])
def test_the_dashboard_drills_down_to_a_team_for_any_period(
    client: Client, built: Tree, period: str
) -> None:
    signed_in(client, built.group)
    query = {"unit": "T1", "period": period, "date": (START + dt.timedelta(days=30)).date()}
    html = client.get(reverse("reports:dashboard"), query).content.decode()
    assert "综采一区一班" in html
    assert '<a href="?unit=A1&amp;' in html  # the way back up, through the breadcrumbs


def test_empty_red_and_black_lists_say_why(client: Client, tree: Tree) -> None:
    signed_in(client, tree.group)
    html = client.get(reverse("reports:dashboard"), {"unit": "GRP"}).content.decode()
    assert "本期没有评价满10件的单位，暂不排红榜。" in html
    assert "本期没有评价满10件的单位，暂不排黑榜。" in html
    assert "暂无</li>" not in html  # no list numbering an empty item
