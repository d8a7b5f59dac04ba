"""Results a user reads: counts and shares per option (never combinations), scale averages, the
change against the previous round, and the per-unit guard on its own."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.surveys.factories import full_answers, make_survey, questions_of, union_of
from xinsheng.engage.surveys import services
from xinsheng.engage.surveys.results import guarded_rows, results_of

pytestmark = pytest.mark.django_db


def test_counts_shares_and_averages(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    for score in (5, 4, 4, 3):
        services.response_submit(survey=survey, answers=full_answers(survey, score=score))
    answers = full_answers(survey, score=2)
    answers[questions_of(survey)[1].pk] = [2]
    services.response_submit(survey=survey, answers=answers)

    results = results_of(survey)
    single, multiple, scale, matrix = results.questions[:4]
    assert results.responses == 5
    assert [(o.label, o.n, o.share) for o in single.options] == [
        ("井下", 5, 1.0),
        ("地面", 0, 0.0),
        ("机关", 0, 0.0),
    ]
    # A multiple choice: each option counted alone, shares of those who answered
    assert [(o.n, o.share) for o in multiple.options] == [(4, 0.8), (1, 0.2), (4, 0.8)]
    assert scale.items[0].counts == [0, 1, 1, 2, 1]
    assert scale.items[0].average == 3.6
    assert [row.average for row in matrix.items] == [3.6, 3.0, 5.0]


def test_a_yearly_survey_shows_the_change_against_the_previous_round(tree: Tree) -> None:
    actor = union_of(tree.company1)
    today = timezone.localdate()
    first = make_survey(
        tree.company1,
        actor=actor,
        series="职工满意度调查",
        opens_on=today - dt.timedelta(days=400),
        closes_on=today - dt.timedelta(days=370),
    )
    second = make_survey(tree.company1, actor=actor, series="职工满意度调查")
    assert (first.round, second.round) == (1, 2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_today", lambda: today - dt.timedelta(days=380))
        services.response_submit(survey=first, answers=full_answers(first, score=3))
    services.response_submit(survey=second, answers=full_answers(second, score=4))

    results = results_of(second)
    scale = results.questions[2].items[0]
    assert (scale.average, scale.previous, scale.change) == (4.0, 3.0, 1.0)
    assert results.previous == first
    assert results.satisfaction is not None
    assert results.previous_satisfaction is not None
    assert results.satisfaction > results.previous_satisfaction


def test_the_guard_rolls_small_units_up_and_leaves_no_remainder_under_k() -> None:
    root = "0001"
    own = {"00010001": 2, "000100010001": 6, "00010002": 5, "0001": 1}
    placed = guarded_rows(root, own, 5)
    # The team with 6 stands alone; the area with 2 has no rows of its own below K, so it rolls
    # into the root; the root (1 + 2 = 3) is under K, so it takes the smallest row (5)
    assert placed == {
        "000100010001": "000100010001",
        "00010001": "0001",
        "00010002": "0001",
        "0001": "0001",
    }
