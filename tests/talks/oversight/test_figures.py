"""The talk figures and the coverage board, checked against numbers worked out by hand."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from tests.org.factories import make_staff
from tests.talks.oversight.conftest import Scene
from tests.talks.oversight.factories import make_pairs, make_record, make_request
from xinsheng.core.periods import period_between
from xinsheng.org.choices import Role
from xinsheng.talks import aggregates, figures, panels

pytestmark = pytest.mark.django_db


def test_the_figures_of_a_mine_count_each_person_once_and_only_inside_it(scene: Scene) -> None:
    mine = scene.tree.mine1
    got = figures.talk_figures_of(mine, scene.period)
    # headcount: 4 + 6 people, and the recorder who sits at the mine
    assert got.reach.headcount == 11
    # reached: two in the talk, one visited twice (once), one in area 2; not the outsider, and
    # not the talk of last year
    assert got.reach.people_reached == 4
    assert got.reach.person_times == 5
    assert (got.reach.talks, got.reach.visits, got.reach.home_visits) == (1, 3, 1)
    assert got.reach.coverage == pytest.approx(4 / 11)
    assert (got.voices.raised, got.voices.solved, got.voices.by_visits) == (1, 1, 1)


def test_a_period_of_days_counts_the_same_as_the_monthly_aggregates(scene: Scene) -> None:
    months = figures.reach_of(scene.tree.mine1, scene.period)
    days = figures.reach_of(
        scene.tree.mine1, period_between(scene.period.start, scene.period.end - dt.timedelta(1))
    )
    assert months == days


def test_a_record_moved_to_another_month_and_unit_moves_its_counts(scene: Scene) -> None:
    record = make_record(scene.area2, [scene.people2[3]], scene.period.start, kind="talk")
    assert figures.reach_of(scene.area2, scene.period).people_reached == 2
    record.unit, record.unit_path = scene.tree.mine2, scene.tree.mine2.path
    record.held_on = scene.period.start - dt.timedelta(days=1)
    record.save()
    record.participants.update(held_on=record.held_on)
    aggregates.aggregates_refresh()
    assert figures.reach_of(scene.area2, scene.period).people_reached == 1
    assert figures.reach_of(scene.area2, scene.period).talks == 0


def test_the_board_flags_the_lagging_unit_and_links_to_the_records(
    scene: Scene, settings: Any
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "TALK_COVERAGE_THRESHOLD": 0.5}
    make_pairs(
        scene.area2,
        scene.people1[0],
        scene.people2[:4],
        scene.period.start,
        scene.period.end,
        held=1,
    )
    make_request(scene.area2)
    client = Client()
    client.force_login(make_staff(scene.tree.mine1, Role.SUPERVISOR))
    page = client.get(
        f"/talks/supervision/?unit=M1&from={scene.period.start}&to={scene.period.end}"
    )
    html = page.content.decode()
    assert page.status_code == 200
    rows = {row.unit.code: row for row in page.context["rows"]}
    assert page.context["total"].reach.people_reached == 4
    assert rows["A1"].reach.people_reached == 3
    assert rows["A1"].reach.headcount == 4
    assert rows["A2"].reach.people_reached == 1
    assert rows["A2"].lagging
    assert (rows["A2"].pairs_planned, rows["A2"].pairs_held, rows["A2"].requests_waiting) == (
        4,
        1,
        1,
    )
    assert not rows["A1"].lagging  # 75% covered, above the threshold of 50%
    assert f"/talks/?unit=A2&amp;from={scene.period.start}&amp;to={scene.period.end}" in html


def test_the_briefing_states_the_person_times_in_report_style(scene: Scene) -> None:
    text, data = panels.talks_briefing(unit=scene.tree.mine1, period=scene.period)
    assert "开展走访谈心5人次，覆盖职工4人、占职工总数的36.4%" in text
    assert "收集意见建议1条，已解决1条" in text
    assert data["person_times"] == 5
    assert data["people_reached"] == 4


def test_a_voice_raised_in_a_talk_and_at_a_meeting_counts_once(scene: Scene) -> None:
    from xinsheng.talks.meetings import services as meetings

    # given a meeting of area 1 in the period, which raised a new question and took up the
    # voice already raised (and solved) in the visit
    meeting = meetings.meeting_record(
        actor=scene.recorder,
        data=meetings.MeetingData(
            kind="forum",
            unit=scene.tree.area1,
            held_on=scene.period.start + dt.timedelta(days=1),
            title="综采一区恳谈会",
            attendance=20,
        ),
    )
    meetings.meeting_question(
        actor=scene.recorder, meeting=meeting, kind="suggestion", text="建议增开夜班通勤车。"
    )
    meeting.cases.add(scene.solved_case)
    # then the mine's voices count both cases once each, one of them solved
    got = figures.talk_figures_of(scene.tree.mine1, scene.period).voices
    assert (got.by_visits, got.by_meetings, got.raised, got.solved) == (1, 2, 2, 1)
    # and mine 2, which held none of it, counts nothing
    other = figures.talk_figures_of(scene.tree.mine2, scene.period).voices
    assert (other.by_meetings, other.raised, other.solved) == (0, 0, 0)
