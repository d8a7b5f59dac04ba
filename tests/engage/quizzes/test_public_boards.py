"""The public boards under /dati/: a round's and a campaign's, by person and by unit, with the
答题达人 and the reader's own place; names only where the organiser chose, never an employee
number or an answer; the campaign's board in the JSON API too."""

import datetime as dt
import re
import time

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_campaign, make_round
from tests.org.factories import PersonFactory
from xinsheng.core.public_requests import public_pattern
from xinsheng.engage.quizzes import boards, services
from xinsheng.engage.quizzes.leaderboards import experts_of
from xinsheng.engage.quizzes.models import Attempt, Campaign, Question, Round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

PEOPLE = (("王芳", "A100"), ("李强", "A101"), ("张伟", "A102"))


def _take(quiz_round: Round, name: str, number: str, right: int) -> Attempt:
    attempt = services.attempt_start(quiz_round=quiz_round, employee_no=number, name=name)
    services.attempt_submit(key=attempt.key, answers=answers_for(attempt, right))
    return Attempt.objects.get(pk=attempt.pk)


@pytest.fixture
def campaign(tree: Tree, organiser: User) -> Campaign:
    """Two rounds of a campaign whose 达人 need 90 points in both: 王芳 scores 100 and 90 (a
    达人), 李强 60 and 100, 张伟 80 in the first round only."""
    campaign = make_campaign(tree.company1, organiser, min_score=90, min_rounds=2)
    first, second = make_round(campaign, organiser), make_round(campaign, organiser)
    for name, number in PEOPLE:
        PersonFactory(unit=tree.team1, name=name, employee_no=number)
    _take(first, "王芳", "A100", 10)
    _take(first, "李强", "A101", 6)
    _take(first, "张伟", "A102", 8)
    _take(second, "王芳", "A100", 9)
    _take(second, "李强", "A101", 10)
    return campaign


def _first_round(campaign: Campaign) -> Round:
    return campaign.rounds.get(number=1)


def _names_in_order(html: str) -> list[str]:
    board = html.split('id="person-board"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<td>([^<]+)<span", board)


def _no_secrets(html: str) -> None:
    """Neither an employee number nor a question or an answer is on the page."""
    for _name, number in PEOPLE:
        assert number not in html
    assert "井下作业前应当做什么" not in html
    assert "检查顶板" not in html


def test_a_rounds_board_ranks_best_scores_and_shows_surnames_only(campaign: Campaign) -> None:
    # Given a round whose organiser did not choose to show names
    first = _first_round(campaign)

    # When anyone opens its board on a phone
    answer = Client().get(reverse("quiz_public:round_board", args=[first.pk]))

    # Then the people are ranked by score, with surnames only, and the units by participation
    assert answer.status_code == 200
    html = answer.content.decode()
    assert _names_in_order(html) == ["王*", "张*", "李*"]
    assert "王芳" not in html
    assert "按本轮设置，只显示姓氏" in html
    assert "个人排行（3 人参加）" in html
    assert "<td>一矿</td>" in html  # the unit board lists the units
    _no_secrets(html)


def test_a_rounds_board_names_people_when_the_organiser_chose_to(campaign: Campaign) -> None:
    first = _first_round(campaign)
    Round.objects.filter(pk=first.pk).update(show_names=True)

    html = Client().get(reverse("quiz_public:round_board", args=[first.pk])).content.decode()

    assert _names_in_order(html) == ["王芳", "张伟", "李强"]
    assert "只显示姓氏" not in html
    _no_secrets(html)


def test_hiding_names_takes_effect_at_once_although_boards_are_kept_a_while(
    campaign: Campaign,
) -> None:
    first = _first_round(campaign)
    url = reverse("quiz_public:round_board", args=[first.pk])
    Round.objects.filter(pk=first.pk).update(show_names=True)
    assert "王芳" in Client().get(url).content.decode()

    Round.objects.filter(pk=first.pk).update(show_names=False)

    assert "王芳" not in Client().get(url).content.decode()


def test_the_reader_who_just_took_the_round_sees_their_own_place(campaign: Campaign) -> None:
    # Given 张伟's attempt, as the result page sends it along
    first = _first_round(campaign)
    attempt = Attempt.objects.get(round=first, person__employee_no="A102")
    url = reverse("quiz_public:round_board", args=[first.pk])

    # When the board is opened from the result page
    html = Client().post(url, {"attempt": attempt.key}).content.decode()

    # Then it shows their place and marks their line, and no one else's answers
    assert 'id="board-place"' in html
    assert re.search(r'第 <strong id="board-rank">2</strong> 名', html)
    assert '<tr class="mine"><td class="num">2</td><td>张*' in html
    _no_secrets(html)

    # An unknown attempt shows the board without a place
    html = Client().post(url, {"attempt": "nope"}).content.decode()
    assert 'id="board-place"' not in html
    assert _names_in_order(html) == ["王*", "张*", "李*"]


def test_the_result_page_leads_to_the_board_with_ones_place(
    tree: Tree, organiser: User, campaign: Campaign
) -> None:
    # Given an employee who takes the second round through the pages
    second = campaign.rounds.get(number=2)
    client = Client()
    client.post(
        reverse("quiz_public:start", args=[second.pk]), {"employee_no": "A102", "name": "张伟"}
    )
    attempt = Attempt.objects.get(round=second, person__employee_no="A102")
    keys = dict(Question.objects.filter(pk__in=attempt.questions).values_list("id", "answer"))
    answers = {f"q_{pk}": list(keys[pk]) for pk in attempt.questions}
    result = client.post(
        reverse("quiz_public:submit", args=[second.pk]), {"attempt": attempt.key, **answers}
    )

    # Then the result page carries the attempt to the board (in the body, not the URL)
    html = result.content.decode()
    assert reverse("quiz_public:round_board", args=[second.pk]) in html
    assert f'name="attempt" value="{attempt.key}"' in html
    board = client.post(
        reverse("quiz_public:round_board", args=[second.pk]), {"attempt": attempt.key}
    ).content.decode()
    assert re.search(r'第 <strong id="board-rank">1</strong> 名', board)  # 100 and faster
    # and from there to the campaign's board, still with the place
    assert f'name="attempt" value="{attempt.key}"' in board
    assert reverse("quiz_public:campaign_board", args=[campaign.pk]) in board


def test_a_round_not_yet_open_and_an_unknown_one_have_no_board(
    tree: Tree, organiser: User, campaign: Campaign
) -> None:
    later = make_round(campaign, organiser, opens_at=timezone.now() + dt.timedelta(days=1))
    draft = make_campaign(tree.company1, organiser)
    make_round(draft, organiser, opens_at=timezone.now() + dt.timedelta(days=1))
    client = Client()

    assert client.get(reverse("quiz_public:round_board", args=[later.pk])).status_code == 404
    assert client.get(reverse("quiz_public:round_board", args=[99999])).status_code == 404
    assert client.get(reverse("quiz_public:campaign_board", args=[draft.pk])).status_code == 404
    assert client.get(f"/api/v1/quiz-campaigns/{draft.pk}/leaderboard").status_code == 404
    page = client.get(reverse("quiz_public:round", args=[later.pk])).content.decode()
    assert reverse("quiz_public:round_board", args=[later.pk]) not in page  # no link either


def test_the_round_page_links_both_boards(campaign: Campaign) -> None:
    first = _first_round(campaign)
    html = Client().get(reverse("quiz_public:round", args=[first.pk])).content.decode()
    assert reverse("quiz_public:round_board", args=[first.pk]) in html
    assert reverse("quiz_public:campaign_board", args=[campaign.pk]) in html


def test_a_campaigns_board_adds_the_rounds_and_lists_its_experts(campaign: Campaign) -> None:
    # Given a campaign whose organiser did not choose to show names on its board
    url = reverse("quiz_public:campaign_board", args=[campaign.pk])

    html = Client().get(url).content.decode()

    # Then people rank by the total of their best scores (李强 160, 王芳 190, 张伟 80) with
    # surnames, and the 答题达人 list, a commendation, names 王芳 (without her number)
    assert _names_in_order(html) == ["王*", "李*", "张*"]
    experts = html.split('id="experts"', 1)[1].split("</section>", 1)[0]
    assert "王芳" in experts
    assert "李强" not in html
    assert "答题达人（1 名）" in experts
    assert "按活动设置，只显示姓氏" in html
    for quiz_round in campaign.rounds.all():
        assert reverse("quiz_public:round_board", args=[quiz_round.pk]) in html
    _no_secrets(html)

    # When the organiser shows names on the campaign's board, they show
    Campaign.objects.filter(pk=campaign.pk).update(show_names=True)
    html = Client().get(url).content.decode()
    assert _names_in_order(html) == ["王芳", "李强", "张伟"]
    _no_secrets(html)


def test_the_campaigns_board_shows_the_readers_place_from_any_of_its_rounds(
    campaign: Campaign,
) -> None:
    attempt = Attempt.objects.get(round=_first_round(campaign), person__employee_no="A101")
    url = reverse("quiz_public:campaign_board", args=[campaign.pk])

    html = Client().post(url, {"attempt": attempt.key}).content.decode()

    assert re.search(r'第 <strong id="board-rank">2</strong> 名', html)
    assert "参加 2 轮，总分 160" in html


def test_the_campaign_api_shows_what_its_page_shows(campaign: Campaign) -> None:
    url = f"/api/v1/quiz-campaigns/{campaign.pk}/leaderboard"

    body = Client().get(url).json()

    assert body["campaign"] == campaign.title
    assert body["people"] == 3
    assert [(r["rank"], r["name"], r["rounds"], r["score"]) for r in body["rows"]] == [
        (1, "王*", 2, 190),
        (2, "李*", 2, 160),
        (3, "张*", 1, 80),
    ]
    assert [(e["name"], e["passed_rounds"]) for e in body["experts"]] == [("王芳", 2)]
    assert body["expert_count"] == 1
    assert body["units"][0]["people"] == 3
    text = str(body)
    for _name, number in PEOPLE:
        assert number not in text
    assert "answers" not in text

    Campaign.objects.filter(pk=campaign.pk).update(show_names=True)
    names = [r["name"] for r in Client().get(url).json()["rows"]]
    assert names == ["王芳", "李强", "张伟"]


def test_the_schema_lists_the_campaign_board() -> None:
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/quiz-campaigns/{campaign_id}/leaderboard"]["get"]
    assert operation["operationId"] == "quizzes_campaign_leaderboard"
    assert "404" in operation["responses"]


def test_the_boards_take_the_public_way_through_the_server() -> None:
    public = public_pattern().fullmatch
    assert public("/dati/12/board/")
    assert public("/dati/campaign/3/board/")
    assert public("/api/v1/quiz-campaigns/3/leaderboard")


def test_the_public_experts_are_those_the_organisers_rule_names(
    tree: Tree, organiser: User, campaign: Campaign
) -> None:
    # Given more people, some of whom reach the line in both rounds, at different times
    first, second = campaign.rounds.order_by("number")
    for n, (right_first, right_second) in enumerate(((9, 9), (10, 9), (9, 10), (8, 10))):
        name, number = f"赵{n}", f"B{n}"
        PersonFactory(unit=tree.team1, name=name, employee_no=number)
        _take(first, name, number, right_first)
        _take(second, name, number, right_second)

    body = Client().get(f"/api/v1/quiz-campaigns/{campaign.pk}/leaderboard").json()

    expected = [(row.rank, row.person.name, row.passed_rounds) for row in experts_of(campaign)]
    assert [(e["rank"], e["name"], e["passed_rounds"]) for e in body["experts"]] == expected
    assert {name for _rank, name, _rounds in expected} == {"王芳", "赵0", "赵1", "赵2"}


def test_a_new_result_shows_once_the_board_kept_is_half_a_minute_old(
    tree: Tree, campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a round's board read a moment ago by many phones
    first = _first_round(campaign)
    url = reverse("quiz_public:round_board", args=[first.pk])
    assert "个人排行（3 人参加）" in Client().get(url).content.decode()

    # When one more colleague submits, the board read right after is the one kept
    PersonFactory(unit=tree.team1, name="赵敏", employee_no="B100")
    _take(first, "赵敏", "B100", 7)
    assert "个人排行（3 人参加）" in Client().get(url).content.decode()

    # Then, once the board kept is older than its freshness, the next reader sees the new result
    later = time.time() + boards.BOARD_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert "个人排行（4 人参加）" in Client().get(url).content.decode()
