"""A campaign's board across rounds and each round's board show names only where the organiser
chose to, on their pages and in their exports; the 答题达人 list always names them, and each
round's public board keeps the round's own setting."""

import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.models import AuditEvent
from xinsheng.engage.quizzes import services
from xinsheng.engage.quizzes.models import Campaign, Round
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_round(tree: Tree, organiser: User) -> Round:
    """A round of a campaign whose 达人 need 90 points once, taken by 王芳 (100, a 达人) and
    李强 (60, not)."""
    campaign = make_campaign(tree.company1, organiser, min_score=90, min_rounds=1)
    quiz_round = make_round(campaign, organiser)
    for name, number, right in (("王芳", "A100", 10), ("李强", "A101", 6)):
        PersonFactory(unit=tree.team1, name=name, employee_no=number)
        attempt = services.attempt_start(quiz_round=quiz_round, employee_no=number, name=name)
        services.attempt_submit(key=attempt.key, answers=answers_for(attempt, right))
    return quiz_round


def _board_section(client: Client, campaign_id: int) -> str:
    html = client.get(reverse("quizzes:campaign", args=[campaign_id])).content.decode()
    return html.split("个人排行", 1)[1]


def _sheets(client: Client, campaign_id: int) -> dict[str, list[tuple[object, ...]]]:
    export = client.get(reverse("quizzes:campaign_export", args=[campaign_id]))
    book = load_workbook(io.BytesIO(export.content))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def _edit(client: Client, campaign: Campaign, **changes: str) -> int:
    data = {"title": campaign.title, "expert_min_score": "90", "expert_min_rounds": "1"}
    answer = client.post(reverse("quizzes:campaign_edit", args=[campaign.pk]), data | changes)
    return answer.status_code


def test_a_campaign_hides_names_on_its_board_unless_the_organiser_shows_them(
    client: Client, quiz_round: Round
) -> None:
    campaign = quiz_round.campaign
    assert not campaign.show_names  # hidden unless chosen

    board = _board_section(client, campaign.pk)
    assert "李*" in board
    assert "李强" not in board
    assert "按活动设置，个人排行只显示姓氏" in board
    sheets = _sheets(client, campaign.pk)
    assert sheets["个人排行"][0][:3] == ("名次", "姓名", "单位")  # no employee numbers either
    assert [row[1] for row in sheets["个人排行"][1:]] == ["王*", "李*"]
    assert "A101" not in str(sheets["个人排行"])
    assert [row[1:3] for row in sheets["答题达人"][1:]] == [("A100", "王芳")]  # a commendation

    assert _edit(client, campaign, show_names="on") == 302
    board = _board_section(client, campaign.pk)
    assert "李强" in board
    assert "按活动设置" not in board
    sheets = _sheets(client, campaign.pk)
    assert sheets["个人排行"][0][:4] == ("名次", "工号", "姓名", "单位")
    assert [row[1:3] for row in sheets["个人排行"][1:]] == [("A100", "王芳"), ("A101", "李强")]

    event = AuditEvent.objects.get(action="quiz.campaign.update")
    assert (event.before["show_names"], event.after["show_names"]) == (False, True)

    assert _edit(client, campaign) == 302  # the box left unticked hides them again
    assert "李强" not in _board_section(client, campaign.pk)


def test_each_rounds_public_board_keeps_its_own_setting(client: Client, quiz_round: Round) -> None:
    campaign = quiz_round.campaign
    assert _edit(client, campaign, show_names="on") == 302
    url = f"/api/v1/quizzes/{quiz_round.pk}/leaderboard"
    assert [row["name"] for row in Client().get(url).json()["rows"]] == ["王*", "李*"]
    assert "李强" in _board_section(client, campaign.pk)

    assert _edit(client, campaign, show_names="on", names="show") == 302  # every round too
    assert [row["name"] for row in Client().get(url).json()["rows"]] == ["王芳", "李强"]
    assert _edit(client, campaign, show_names="on", names="hide") == 302  # no round; campaign does
    assert [row["name"] for row in Client().get(url).json()["rows"]] == ["王*", "李*"]
    assert Campaign.objects.get(pk=campaign.pk).show_names


def test_a_campaign_started_with_names_shown_shows_them(tree: Tree, client: Client) -> None:
    answer = client.post(
        reverse("quizzes:campaigns"),
        {
            "title": "党史云答题",
            "unit": "C1",
            "expert_min_score": "90",
            "expert_min_rounds": "2",
            "show_names": "on",
        },
    )
    assert answer.status_code == 302
    campaign = Campaign.objects.get(title="党史云答题")
    assert campaign.show_names
    event = AuditEvent.objects.get(action="quiz.campaign.create")
    assert event.after["show_names"] is True


def test_a_reader_sees_the_board_as_the_organiser_chose(tree: Tree, quiz_round: Round) -> None:
    reader = Client()
    reader.force_login(make_staff(tree.company1, Role.LEADER))
    board = _board_section(reader, quiz_round.campaign_id)
    assert "李*" in board
    assert "李强" not in board


def test_a_rounds_board_and_export_follow_the_rounds_own_setting(
    client: Client, quiz_round: Round
) -> None:
    page = reverse("quizzes:round", args=[quiz_round.pk])
    export = reverse("quizzes:round_export", args=[quiz_round.pk])
    html = client.get(page).content.decode()
    assert "李*" in html
    assert "李强" not in html
    rows = list(load_workbook(io.BytesIO(client.get(export).content))["个人排行"].values)
    assert [row[:3] for row in rows] == [
        ("名次", "姓名", "单位"),
        (1, "王*", "综采一区一班"),
        (2, "李*", "综采一区一班"),
    ]

    Round.objects.filter(pk=quiz_round.pk).update(show_names=True)
    assert "李强" in client.get(page).content.decode()
    rows = list(load_workbook(io.BytesIO(client.get(export).content))["个人排行"].values)
    assert [row[1:3] for row in rows[1:]] == [("A100", "王芳"), ("A101", "李强")]


def test_the_round_api_shows_the_organiser_what_the_round_page_shows(
    client: Client, quiz_round: Round
) -> None:
    # Given a round whose names are hidden, read by its signed-in organiser
    url = f"/api/v1/quizzes/{quiz_round.pk}/leaderboard"
    assert [row["name"] for row in client.get(url).json()["rows"]] == ["王*", "李*"]

    # When the organiser chooses to show them, everyone reads them
    Round.objects.filter(pk=quiz_round.pk).update(show_names=True)
    assert [row["name"] for row in client.get(url).json()["rows"]] == ["王芳", "李强"]
    assert [row["name"] for row in Client().get(url).json()["rows"]] == ["王芳", "李强"]
