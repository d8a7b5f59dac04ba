"""The questions the API shows are kept per process between starts; an edit of the bank shows
at the next start, and a submission is scored with the answer key as it is then."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import Tree
from tests.engage.quizzes.factories import make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.engage.quizzes import bank, edits
from xinsheng.engage.quizzes.models import Question, Round
from xinsheng.engage.quizzes.services import QuestionData
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_round(tree: Tree, organiser: User) -> Round:
    """A round drawing every question of the bank (18 of each tag)."""
    return make_round(make_campaign(tree.company1, organiser), organiser, count=36)


def started(tree: Tree, quiz_round: Round) -> dict[str, Any]:
    person = PersonFactory(unit=tree.team1)
    answer = Client().post(
        f"/api/v1/quizzes/{quiz_round.pk}/attempts",
        {"employee_no": person.employee_no, "name": person.name},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    return answer.json()  # type: ignore[no-any-return]


def shown(body: dict[str, Any], question: Question) -> dict[str, Any]:
    return next(q for q in body["questions"] if q["id"] == question.pk)


def edited(tree: Tree, question: Question, **changes: Any) -> None:
    data = QuestionData(
        text=question.text,
        kind=question.kind,
        options=list(question.options),
        answer=question.answer,
        explanation=question.explanation,
        tags=list(question.tags),
        difficulty=question.difficulty,
    )
    for name, value in changes.items():
        setattr(data, name, value)
    keeper = make_staff(tree.group, Role.UNION)  # who keeps the group's bank
    edits.question_update(actor=keeper, question=question, data=data)


def test_an_edited_question_shows_at_the_next_start(tree: Tree, quiz_round: Round) -> None:
    question = Question.objects.filter(kind="single").order_by("pk").first()
    assert question is not None
    assert shown(started(tree, quiz_round), question)["text"] == question.text
    edited(tree, question, text="井下作业前首先应当做什么？")
    assert shown(started(tree, quiz_round), question)["text"] == "井下作业前首先应当做什么？"


def test_new_options_and_answer_are_shown_and_scored(tree: Tree, quiz_round: Round) -> None:
    bank.bank_of(quiz_round.campaign.unit)  # the bank kept before the edit (nothing drawn yet)
    other = Question.objects.filter(kind="single").order_by("pk").first()
    assert other is not None
    edited(tree, other, options=["通风", "排水", "供电"], answer="C")
    body = started(tree, quiz_round)
    assert shown(body, other)["options"] == ["通风", "排水", "供电"]
    scored = Client().post(
        f"/api/v1/quiz-attempts/{body['attempt_id']}",
        {"answers": {str(other.pk): "C"}},
        content_type="application/json",
    )
    assert scored.status_code == 200
    assert scored.json()["correct"] == 1
