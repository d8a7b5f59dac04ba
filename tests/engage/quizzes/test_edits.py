"""Editing campaigns and rounds: each edit is audited, and an edit that would break the attempts
already made is refused with a Chinese message, nothing written."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.models import AuditEvent
from xinsheng.engage.quizzes import leaderboards, services
from xinsheng.engage.quizzes.forms import round_initial
from xinsheng.engage.quizzes.models import Attempt, Campaign, Round
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_round(organiser: User, tree: Tree) -> Round:
    return make_round(make_campaign(tree.company1, organiser), organiser, attempts_allowed=3)


def _taken(quiz_round: Round, *, times: int = 1, unit: Any = None, tree: Tree) -> Attempt:
    person = PersonFactory(unit=unit or tree.team1, name="王芳", employee_no="A100")
    attempt = None
    for _n in range(times):
        attempt = services.attempt_start(
            quiz_round=quiz_round, employee_no=person.employee_no, name="王芳"
        )
        services.attempt_submit(key=attempt.key, answers=answers_for(attempt, 10))
    assert attempt is not None
    return attempt


def _form(quiz_round: Round, **changes: Any) -> dict[str, Any]:
    """Return the round's edit form as the page fills it, with ``changes``."""
    data: dict[str, Any] = {}
    for name, value in round_initial(quiz_round).items():
        if isinstance(value, dt.datetime):
            value = value.strftime("%Y-%m-%dT%H:%M")
        data[name] = value
    data["show_names"] = "on" if quiz_round.show_names else ""
    for name, value in changes.items():
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        data[name] = value
    return {k: v for k, v in data.items() if v not in (None, "")}


def _edit(client: Client, quiz_round: Round, **changes: Any) -> Any:
    return client.post(
        reverse("quizzes:round_edit", args=[quiz_round.pk]), _form(quiz_round, **changes)
    )


# --- campaigns ------------------------------------------------------------------------------------


def test_a_campaigns_title_and_expert_rule_are_edited_and_the_list_follows(
    tree: Tree, client: Client, quiz_round: Round
) -> None:
    _taken(quiz_round, tree=tree)
    campaign = quiz_round.campaign
    assert client.get(reverse("quizzes:campaign_edit", args=[campaign.pk])).status_code == 200
    assert not leaderboards.experts_of(campaign)  # two rounds at 90 needed, one taken
    answer = client.post(
        reverse("quizzes:campaign_edit", args=[campaign.pk]),
        {"title": "  党史云答题 ", "expert_min_score": 95, "expert_min_rounds": 1, "names": ""},
    )
    assert answer.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.title, campaign.expert_min_score, campaign.expert_min_rounds) == (
        "党史云答题",
        95,
        1,
    )
    assert [row.person.employee_no for row in leaderboards.experts_of(campaign)] == ["A100"]
    event = AuditEvent.objects.get(action="quiz.campaign.update")
    assert event.before["expert_min_rounds"] == 2
    assert event.after["expert_min_rounds"] == 1


def test_a_campaign_shows_or_hides_names_on_every_rounds_board(
    tree: Tree, client: Client, organiser: User, quiz_round: Round
) -> None:
    second = make_round(quiz_round.campaign, organiser, show_names=True)
    _taken(quiz_round, tree=tree)
    url = reverse("quizzes:campaign_edit", args=[quiz_round.campaign_id])
    data = {"title": "答题", "expert_min_score": 90, "expert_min_rounds": 2}
    client.post(url, {**data, "names": ""})
    assert [r.show_names for r in Round.objects.order_by("number")] == [False, True]
    client.post(url, {**data, "names": "show"})
    assert all(Round.objects.values_list("show_names", flat=True))
    board = Client().get(f"/api/v1/quizzes/{quiz_round.pk}/leaderboard").json()
    assert board["rows"][0]["name"] == "王芳"
    client.post(url, {**data, "names": "hide"})
    assert not any(Round.objects.values_list("show_names", flat=True))
    assert second.pk in Round.objects.values_list("pk", flat=True)
    board = Client().get(f"/api/v1/quizzes/{quiz_round.pk}/leaderboard").json()
    assert board["rows"][0]["name"] == "王*"


def test_a_bad_campaign_edit_is_refused_and_nothing_written(
    client: Client, quiz_round: Round
) -> None:
    url = reverse("quizzes:campaign_edit", args=[quiz_round.campaign_id])
    answer = client.post(url, {"title": " ", "expert_min_score": 90, "expert_min_rounds": 2})
    assert answer.status_code == 400
    answer = client.post(url, {"title": "新名称", "expert_min_score": 120, "expert_min_rounds": 2})
    assert answer.status_code == 400
    assert Campaign.objects.get().title == "企业形势任务在线答题"
    assert not AuditEvent.objects.filter(action="quiz.campaign.update").exists()


def test_only_an_organiser_edits(tree: Tree, quiz_round: Round) -> None:
    reader = Client()
    reader.force_login(make_staff(tree.company1, Role.LEADER))
    assert (
        reader.get(reverse("quizzes:campaign_edit", args=[quiz_round.campaign_id])).status_code
        == 403
    )
    assert reader.get(reverse("quizzes:round_edit", args=[quiz_round.pk])).status_code == 403


# --- rounds: allowed edits ------------------------------------------------------------------------


def test_a_round_without_attempts_changes_anything(client: Client, quiz_round: Round) -> None:
    page = client.get(reverse("quizzes:round_edit", args=[quiz_round.pk])).content.decode()
    assert 'value="安全生产"' in page
    answer = _edit(
        client,
        quiz_round,
        title="第一轮（补考）",
        time_limit_minutes=5,
        attempts_allowed=1,
        count_1=3,
        count_2=2,
        opens_at=quiz_round.opens_at + dt.timedelta(hours=2),
    )
    assert answer.status_code == 302, answer.content.decode()
    quiz_round.refresh_from_db()
    assert quiz_round.title == "第一轮（补考）"
    assert quiz_round.time_limit == 300
    assert quiz_round.attempts_allowed == 1
    assert quiz_round.question_count == 5
    event = AuditEvent.objects.get(action="quiz.round.update")
    assert event.before["time_limit"] == 600
    assert event.after["time_limit"] == 300


def test_a_round_saved_unchanged_keeps_its_times_to_the_second(
    tree: Tree, client: Client, quiz_round: Round
) -> None:
    _taken(quiz_round, tree=tree)
    before = Round.objects.get(pk=quiz_round.pk)
    assert _edit(client, quiz_round).status_code == 302
    quiz_round.refresh_from_db()
    assert (quiz_round.opens_at, quiz_round.closes_at) == (before.opens_at, before.closes_at)


def test_a_round_with_attempts_takes_the_edits_that_keep_them(
    tree: Tree, client: Client, quiz_round: Round
) -> None:
    _taken(quiz_round, times=2, tree=tree)
    closes = quiz_round.closes_at
    answer = _edit(
        client,
        quiz_round,
        title="第一轮（延长）",
        show_names="on",
        attempts_allowed=2,
        opens_at=quiz_round.opens_at - dt.timedelta(days=1),
        closes_at=closes + dt.timedelta(days=3),
    )
    assert answer.status_code == 302, answer.content.decode()
    quiz_round.refresh_from_db()
    assert quiz_round.title == "第一轮（延长）"
    assert quiz_round.show_names
    assert quiz_round.attempts_allowed == 2
    assert quiz_round.closes_at > closes + dt.timedelta(days=2)


def test_a_round_with_attempts_narrows_its_subtree_to_who_took_part(
    tree: Tree, client: Client, quiz_round: Round
) -> None:
    _taken(quiz_round, tree=tree)
    assert _edit(client, quiz_round, unit="M1").status_code == 302
    quiz_round.refresh_from_db()
    assert quiz_round.unit == tree.mine1


# --- rounds: refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count_1": 4}, "不能再更改抽题规则"),
        ({"tag_2": "安全生产"}, "不能再更改抽题规则"),
        ({"time_limit_minutes": 20}, "不能再更改答题时限"),
        ({"attempts_allowed": 1}, "已有职工答了2次，每人可答次数不能少于2次。"),
        ({"unit": "C2"}, "找不到该单位代码"),
    ],
)
def test_a_round_with_attempts_refuses_edits_that_break_them(
    tree: Tree, client: Client, quiz_round: Round, changes: dict[str, Any], message: str
) -> None:
    _taken(quiz_round, times=2, tree=tree)
    before = Round.objects.get(pk=quiz_round.pk)
    answer = _edit(client, quiz_round, title="改名", **changes)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    after = Round.objects.get(pk=quiz_round.pk)
    assert (after.title, after.draw, after.time_limit, after.attempts_allowed) == (
        before.title,
        before.draw,
        before.time_limit,
        before.attempts_allowed,
    )
    assert not AuditEvent.objects.filter(action="quiz.round.update").exists()


def test_a_round_with_attempts_keeps_them_inside_its_window(
    tree: Tree, client: Client, quiz_round: Round
) -> None:
    attempt = _taken(quiz_round, tree=tree)
    later = client.post(
        reverse("quizzes:round_edit", args=[quiz_round.pk]),
        _form(quiz_round, opens_at=attempt.started_at + dt.timedelta(minutes=5)),
    )
    assert later.status_code == 400
    assert "开始时间不能晚于此时" in later.content.decode()
    earlier = client.post(
        reverse("quizzes:round_edit", args=[quiz_round.pk]),
        _form(
            quiz_round,
            opens_at=attempt.started_at - dt.timedelta(hours=2),
            closes_at=attempt.started_at - dt.timedelta(minutes=5),
        ),
    )
    assert earlier.status_code == 400
    assert "结束时间不能早于此时" in earlier.content.decode()
    assert Round.objects.get(pk=quiz_round.pk).closes_at == quiz_round.closes_at


def test_a_round_with_attempts_keeps_who_took_part_in_its_subtree(
    tree: Tree, client: Client, organiser: User, quiz_round: Round
) -> None:
    _taken(quiz_round, tree=tree)
    answer = _edit(client, quiz_round, unit="M1")
    assert answer.status_code == 302
    person = PersonFactory(unit=tree.company1, name="李强", employee_no="B200")
    quiz_round.refresh_from_db()
    quiz_round.unit = tree.company1
    quiz_round.save()
    services.attempt_start(quiz_round=quiz_round, employee_no=person.employee_no, name="李强")
    refused = _edit(client, quiz_round, unit="M1")
    assert refused.status_code == 400
    assert "已有一矿以外的职工参加本轮，参加范围须包含他们。" in refused.content.decode()
    quiz_round.refresh_from_db()
    assert quiz_round.unit == tree.company1


def test_an_edit_checks_the_bank_for_a_new_draw(client: Client, quiz_round: Round) -> None:
    answer = _edit(client, quiz_round, count_1=90)
    assert answer.status_code == 400
    assert "不够抽90道" in answer.content.decode()
