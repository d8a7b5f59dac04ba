"""The quiz API reads a plain JSON body directly, and any other through DRF's parser and
serializer: both ways give the same answer to the same body, errors and language included.

A body sent as ``application/json`` may be read directly; the same body sent with a charset
parameter always takes DRF's way, so comparing the two answers compares the two ways.
"""

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_campaign, make_round
from tests.org.factories import PersonFactory
from xinsheng.engage.quizzes.models import Attempt, Round

pytestmark = pytest.mark.django_db

DIRECT = "application/json"
THROUGH_DRF = "application/json; charset=utf-8"


@pytest.fixture
def quiz_round(tree: Tree, organiser: User) -> Round:
    PersonFactory(unit=tree.team1, name="王芳", employee_no="A100")
    return make_round(make_campaign(tree.company1, organiser), organiser, attempts_allowed=1)


def sent(path: str, body: str, content_type: str, language: str = "zh-hans") -> tuple[int, Any]:
    answer = Client().post(path, body, content_type=content_type, HTTP_ACCEPT_LANGUAGE=language)
    return answer.status_code, answer.json()


START_BODIES = [
    {"employee_no": "A100", "name": "王芳" + "长" * 49},
    {"employee_no": "A100"},
    {"employee_no": "", "name": "王芳"},
    {"employee_no": "   ", "name": "王芳"},
    {"employee_no": "A" * 33, "name": "王芳"},
    {"employee_no": None, "name": "王芳"},
    {"employee_no": ["A100"], "name": "王芳"},
    {"employee_no": True, "name": "王芳"},
    {"employee_no": 100, "name": "王芳"},
    {"employee_no": "A100", "name": "王\x00芳"},
    ["A100", "王芳"],
    "A100",
]


@pytest.mark.parametrize("body", [json.dumps(b, ensure_ascii=False) for b in START_BODIES])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_refused_start_reads_the_same_both_ways(
    quiz_round: Round, body: str, language: str
) -> None:
    path = f"/api/v1/quizzes/{quiz_round.pk}/attempts"
    direct = sent(path, body, DIRECT, language)
    assert direct[0] == 400
    assert direct == sent(path, body, THROUGH_DRF, language)
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    "body", ["", "{", '{"employee_no": NaN, "name": "王芳"}', "\ufeff{}", "[1, 2"]
)
def test_a_body_that_is_not_json_is_refused_the_same_both_ways(
    quiz_round: Round, body: str
) -> None:
    path = f"/api/v1/quizzes/{quiz_round.pk}/attempts"
    direct = sent(path, body, DIRECT)
    assert direct[0] == 400
    assert direct == sent(path, body, THROUGH_DRF)


def test_a_plain_start_trims_the_fields_and_a_second_start_is_refused(quiz_round: Round) -> None:
    path = f"/api/v1/quizzes/{quiz_round.pk}/attempts"
    status, started = sent(path, json.dumps({"employee_no": " A100 ", "name": " 王芳\t"}), DIRECT)
    assert status == 201, started
    attempt = Attempt.objects.get(key=started["attempt_id"])
    status, scored = sent(
        f"/api/v1/quiz-attempts/{attempt.key}",
        json.dumps({"answers": answers_for(attempt, 10)}),
        DIRECT,
    )
    assert (status, scored["score"]) == (200, 100)
    status, refused = sent(path, json.dumps({"employee_no": "A100", "name": "王芳"}), DIRECT)
    assert status == 400
    assert refused["message"] == "您已答过1次，本轮每人可答1次。"
    assert Attempt.objects.count() == 1


SUBMIT_BODIES = [
    {},
    {"answers": None},
    {"answers": ["A"]},
    {"answers": "A"},
    {"answers": {"0": "A"}},
    ["A"],
]


@pytest.mark.parametrize("body", [json.dumps(b) for b in SUBMIT_BODIES])
def test_a_refused_submission_reads_the_same_both_ways(quiz_round: Round, body: str) -> None:
    status, started = sent(
        f"/api/v1/quizzes/{quiz_round.pk}/attempts",
        json.dumps({"employee_no": "A100", "name": "王芳"}),
        DIRECT,
    )
    assert status == 201
    path = f"/api/v1/quiz-attempts/{started['attempt_id']}"
    direct = sent(path, body, DIRECT)
    assert direct[0] == 400
    assert direct == sent(path, body, THROUGH_DRF)
    assert not Attempt.objects.filter(submitted_at__isnull=False).exists()
