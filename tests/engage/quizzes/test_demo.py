"""The demo's quizzes: a bank of about 200 varied questions, three rounds, a few thousand
attempts and the 答题达人 the campaign's rule implies, built once."""

import pytest

from xinsheng.engage.quizzes import demo, leaderboards
from xinsheng.engage.quizzes.models import Attempt, Campaign, Question
from xinsheng.org import demo as org_demo

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_bank_rounds_attempts_and_experts_once() -> None:
    org_demo.demo_load(seed=5)

    made = demo.demo_load(seed=5)

    assert 190 <= made["questions"] <= 210
    texts = list(Question.objects.values_list("text", flat=True))
    assert len(set(texts)) > 0.9 * len(texts)  # varied, not copies
    assert set(Question.objects.values_list("kind", flat=True)) == {
        "single",
        "multiple",
        "true_false",
    }
    assert made["rounds"] == 3
    assert 2000 <= made["attempts"] <= 6000
    assert Attempt.objects.count() == made["attempts"]
    campaign = Campaign.objects.get()
    assert made["experts"] == len(leaderboards.experts_of(campaign)) > 0
    assert demo.demo_load(seed=5) == {}
