"""Must show: 50 simulated attempts over three rounds give exactly the 答题达人 list the rule
implies, computed here plainly from what each person was made to score."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.engage.quizzes import leaderboards, services
from xinsheng.engage.quizzes.models import Attempt
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db

QUESTIONS = 10  # each attempt draws ten, so a score is ten times the right answers


def test_fifty_attempts_over_three_rounds_give_exactly_the_experts_the_rule_implies(
    tree: Tree,
) -> None:
    organiser = make_staff(tree.company1, Role.UNION)
    make_bank(tree.group)
    campaign = make_campaign(tree.company1, organiser, min_score=90, min_rounds=2)
    start = timezone.now() - dt.timedelta(days=30)
    rounds = [
        make_round(campaign, organiser, opens_at=start + dt.timedelta(days=7 * i), days=5)
        for i in range(3)
    ]
    people = [
        PersonFactory(unit=tree.team1 if i % 2 else tree.mine1, name=f"答题人{i}")
        for i in range(20)
    ]
    rng = random.Random(16)  # noqa: S311 - a repeatable simulation
    made: list[tuple[int, int, int]] = []  # person index, round index, score intended
    while len(made) < 50:
        who, which = rng.randrange(20), rng.randrange(3)
        if sum(1 for p, r, _s in made if (p, r) == (who, which)) >= 2:
            continue  # two attempts allowed per round
        right = rng.choice([6, 8, 9, 10, 10])
        quiz_round = rounds[which]
        at = quiz_round.opens_at + dt.timedelta(hours=1 + len(made))
        attempt = services.attempt_start(
            quiz_round=quiz_round,
            employee_no=people[who].employee_no,
            name=people[who].name,
            now=at,
        )
        scored = services.attempt_submit(
            key=attempt.key,
            answers=answers_for(attempt, right),
            now=at + dt.timedelta(seconds=100 + who),
        )
        assert scored.score == right * 10
        made.append((who, which, right * 10))

    # The rule, plainly: a person's best score per round; 90 or more in at least two rounds.
    best: dict[tuple[int, int], int] = {}
    for who, which, score in made:
        best[who, which] = max(best.get((who, which), 0), score)
    expected = set()
    for who in range(20):
        passed = [which for which in range(3) if best.get((who, which), 0) >= 90]
        if len(passed) >= 2:
            expected.add(people[who].employee_no)

    experts = leaderboards.experts_of(campaign)
    assert Attempt.objects.filter(submitted_at__isnull=False).count() == 50
    assert {row.person.employee_no for row in experts} == expected
    assert expected, "the seed should give some experts"
    assert len(expected) < 20, "and leave some out"
    # Most rounds passed first.
    passed = [row.passed_rounds for row in experts]
    assert passed == sorted(passed, reverse=True)
