"""The briefing's content: its figures are the dashboard's, its words follow the conventions,
and its example cases carry nothing that names a submitter.

Cases go round the loop through the real services (the random scenario of the recount test);
the figures are folded in by the same refresh the task runs.
"""

import datetime as dt
import json
import random

import pytest

from tests.cases.factories import make_cast, make_category
from tests.conftest import Tree
from tests.reports.scenario import START, Clock, build_cases, make_scenario_cast
from xinsheng.cases import services
from xinsheng.cases.services import Identity
from xinsheng.core.chinese_numbers import count, percent, period_words
from xinsheng.core.periods import CUSTOM, MONTH, QUARTER, YEAR, Period, period_of
from xinsheng.core.ratings import Satisfaction
from xinsheng.reports import figures, metrics
from xinsheng.reports.briefing import build_content
from xinsheng.reports.models import Dimension

CASES = 30


@pytest.fixture
def built(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Tree:
    rng = random.Random(7)  # noqa: S311 — a seeded scenario, not cryptography
    clock = Clock(monkeypatch, START)
    cast = make_scenario_cast(tree)
    build_cases(rng, clock, cast, CASES, every=figures.figures_refresh)
    figures.figures_refresh()
    return tree


def _periods() -> list[Period]:
    first = START.date()
    return [
        period_of(MONTH, first + dt.timedelta(days=31)),
        period_of(QUARTER, first + dt.timedelta(days=40)),
        Period(first + dt.timedelta(days=5), first + dt.timedelta(days=70), CUSTOM),
    ]


def test_the_briefing_figures_equal_the_dashboards(built: Tree) -> None:
    for unit in (built.group, built.company1, built.mine1):
        for period in _periods():
            # Given the figures the dashboard shows for this scope and period
            dashboard = metrics.figures_compared(unit, period)
            # When the briefing is written
            content = build_content(unit, period)
            # Then its stored figures are those, for both periods
            assert content.figures["current"] == dashboard.current.as_dict()
            assert content.figures["previous"] == dashboard.previous.as_dict()
            assert content.figures["overdue"] == metrics.overdue_now(unit)
            # And the table shows them
            rows = {row.key: row for row in content.rows}
            for key in ("received", "dispatched", "closed", "rated", "supervised"):
                assert rows[key].current == str(dashboard.current[key])
                assert rows[key].previous == str(dashboard.previous[key])
            for key in ("response_rate", "solution_rate", "satisfaction_rate", "on_time_rate"):
                assert rows[key].current == percent(getattr(dashboard.current, key))
                assert rows[key].previous == percent(getattr(dashboard.previous, key))
            # And the text says the total received as reports write it
            received = count(dashboard.current["received"], "件")
            assert f"共收到职工诉求和意见建议{received}" in content.paragraphs[0]


def test_the_scenario_gives_the_briefing_something_to_say(built: Tree) -> None:
    period = _periods()[2]
    content = build_content(built.group, period)
    text = "\n".join(content.paragraphs)
    current = metrics.figures_for(built.group, period)
    assert current["received"] > 0
    assert current["rated"] > 0
    assert content.title == f"示范煤业集团{period_words(period)}职工诉求工作简报"
    assert f"响应率{percent(current.response_rate)}" in text
    assert f"解决率{percent(current.solution_rate)}" in text
    assert f"满意率{percent(current.satisfaction_rate)}" in text
    assert "较上期" in text  # a custom range is compared with the range before
    top = next(s for s in metrics.breakdown(built.group, period, Dimension.CATEGORY) if s.key)
    assert f"{top.label}（{count(top.cases, '件')}）" in text
    assert content.examples, "solved cases are told as examples"
    overdue = metrics.overdue_now(built.group)
    if overdue:
        assert f"仍有{count(overdue, '件')}诉求超过办理时限未办结" in text


def test_a_year_is_compared_with_the_same_period_a_year_before(built: Tree) -> None:
    content = build_content(built.group, period_of(YEAR, START.date()))
    assert content.title == "示范煤业集团2025年职工诉求工作简报"
    assert "同比" in content.paragraphs[0]


def test_an_empty_period_reads_plainly(tree: Tree) -> None:
    period = period_of(MONTH, dt.date(2020, 1, 5))
    content = build_content(tree.company2, period, today=dt.date(2020, 2, 3))
    assert content.title == "第二煤业公司2020年1月职工诉求工作简报"
    text = "\n".join(content.paragraphs)
    assert "共收到职工诉求和意见建议0件，环比持平" in text
    assert "暂不统计响应率、解决率和满意率" in text
    assert "截至2020年2月3日，第二煤业公司没有超期未办结的诉求" in text
    assert {row.key: row.current for row in content.rows}["response_rate"] == "—"


def test_no_personal_data_of_a_named_submitter_appears(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a named case whose text and answer repeat the submitter's name, number, phone and
    # e-mail
    clock = Clock(monkeypatch, START)
    cast = make_cast(tree)
    submitted = services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text="我是王强，工号JT0000001，电话13900001111，邮箱wq@example.com。"
        "井口澡堂热水不够，希望增加锅炉。",
        identity=Identity(
            anonymous=False,
            name="王强",
            employee_no="JT0000001",
            phone="13900001111",
            email="wq@example.com",
        ),
    )
    case = submitted.case
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    clock.now += dt.timedelta(hours=2)
    services.case_sign(case=case, actor=cast.handler)
    clock.now += dt.timedelta(days=1)
    services.case_answer(
        case=case,
        actor=cast.handler,
        text="王强师傅：已新增一台热水锅炉，有问题请打13900001111。",
        solved=True,
    )
    clock.now += dt.timedelta(hours=3)
    services.case_rate(
        receipt_code=submitted.receipt_code, satisfaction=Satisfaction.SATISFIED, solved=True
    )
    figures.figures_refresh()
    # When the group's briefing of the month is written
    content = build_content(tree.group, period_of(MONTH, START.date()))
    # Then the case is told as an example, without anything that names its submitter
    everything = json.dumps(
        {"title": content.title, "paragraphs": content.paragraphs, "figures": content.figures},
        ensure_ascii=False,
    )
    assert "热水不够" in everything
    assert "新增一台热水锅炉" in everything
    for secret in ("王强", "JT0000001", "13900001111", "0000001", "1390000", "wq@example"):
        assert secret not in everything
