"""Must hold: a board costs the same few statements however many people took part, and shows
each person once, with their best attempt."""

import datetime as dt
from collections.abc import Sequence

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.engage.quizzes import leaderboards, services
from xinsheng.engage.quizzes.models import Campaign, Round
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def _take(quiz_round: Round, units: Sequence[OrgUnit], people: int, *, first: int) -> None:
    """Have ``people`` new people take ``quiz_round`` twice each (the second time better)."""
    for n in range(first, first + people):
        person = PersonFactory(name=f"答题人{n}", unit=units[n % len(units)])
        for right in (5, 8):
            at = quiz_round.opens_at + dt.timedelta(minutes=n * 10 + right)
            attempt = services.attempt_start(
                quiz_round=quiz_round, employee_no=person.employee_no, name=person.name, now=at
            )
            services.attempt_submit(
                key=attempt.key,
                answers=answers_for(attempt, right),
                now=at + dt.timedelta(seconds=60 + n),
            )


def _statements(quiz_round: Round, campaign: Campaign) -> tuple[int, int]:
    """Build every board of the round and campaign; return the people and the statements."""
    units = leaderboards.board_units(campaign.unit)
    with CaptureQueriesContext(connection) as queries:
        people = len(leaderboards.round_board(quiz_round))
        leaderboards.campaign_board(campaign)
        leaderboards.experts_of(campaign)
        leaderboards.unit_board([quiz_round.pk], units)
    return people, len(queries.captured_queries)


def test_a_boards_statements_do_not_grow_with_its_people(tree: Tree) -> None:
    organiser = make_staff(tree.group, Role.UNION)
    make_bank(tree.group)
    campaign = make_campaign(tree.group, organiser, min_score=80, min_rounds=1)
    quiz_round = make_round(campaign, organiser, opens_at=timezone.now() - dt.timedelta(days=1))
    _take(quiz_round, [tree.team1, tree.mine1], 2, first=0)
    few = _statements(quiz_round, campaign)
    _take(quiz_round, [tree.team1, tree.mine1], 6, first=2)
    many = _statements(quiz_round, campaign)
    assert (few[0], many[0]) == (2, 8)
    assert many[1] == few[1]


def test_a_board_shows_each_person_once_with_the_best_attempt(tree: Tree) -> None:
    organiser = make_staff(tree.group, Role.UNION)
    make_bank(tree.group)
    campaign = make_campaign(tree.group, organiser, min_score=80, min_rounds=1)
    quiz_round = make_round(campaign, organiser, opens_at=timezone.now() - dt.timedelta(days=1))
    _take(quiz_round, [tree.team1, tree.mine1], 3, first=0)
    board = leaderboards.round_board(quiz_round)
    # The same score: the shorter time ranks first.
    assert [(row.rank, row.score, row.attempts) for row in board] == [
        (1, 80, 2),
        (2, 80, 2),
        (3, 80, 2),
    ]
    assert [row.person.name for row in board] == ["答题人0", "答题人1", "答题人2"]
    assert [row.passed_rounds for row in leaderboards.experts_of(campaign)] == [1, 1, 1]
