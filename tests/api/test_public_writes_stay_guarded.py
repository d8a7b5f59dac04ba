"""The public writes, made cheaper, still send the security headers and still refuse what they
refused: a form without its CSRF token, a NUL character, a client over its hourly limit."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.cases.test_public import form_data
from tests.conftest import Tree
from tests.engage.quizzes.factories import make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.cases.models import Case
from xinsheng.engage.quizzes.models import Attempt
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db

HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def guarded(response: Any) -> bool:
    return all(value in response.get(name, "") for name, value in HEADERS.items())


def test_every_public_write_sends_the_security_headers(tree: Tree) -> None:
    cache.clear()
    organiser = make_staff(tree.company1, Role.UNION)
    make_bank(tree.group)
    quiz_round = make_round(make_campaign(tree.company1, organiser), organiser)
    PersonFactory(unit=tree.team1, name="王芳", employee_no="H100")
    client = Client()

    voice = {
        "kind": "demand",
        "text": "井口澡堂夜班热水不够用，希望延长供应时间。",
        "anonymous": True,
    }
    api = client.post(
        f"/api/v1/units/{tree.team1.code}/cases", voice, content_type="application/json"
    )
    form = client.post(f"/v/{tree.team1.code}/", form_data())
    started = client.post(
        f"/api/v1/quizzes/{quiz_round.pk}/attempts",
        {"employee_no": "H100", "name": "王芳"},
        content_type="application/json",
    )
    submitted = client.post(
        f"/api/v1/quiz-attempts/{started.json()['attempt_id']}",
        {"answers": {}},
        content_type="application/json",
    )
    answers = [api, form, started, submitted]
    assert [a.status_code for a in answers] == [201, 200, 201, 200]
    assert all(guarded(answer) for answer in answers)
    assert all("no-store" in answer["Cache-Control"] for answer in (api, started, submitted))


def test_the_form_without_its_csrf_token_is_refused_and_writes_nothing(tree: Tree) -> None:
    client = Client(enforce_csrf_checks=True)
    answer = client.post(f"/v/{tree.team1.code}/", form_data())
    assert answer.status_code == 403
    assert guarded(answer)
    assert not Case.objects.exists()


def test_a_nul_character_and_a_client_over_its_limit_are_refused(tree: Tree, settings: Any) -> None:
    cache.clear()
    client = Client()
    nul = client.post(
        "/api/v1/quiz-attempts/a%00b", {"answers": {}}, content_type="application/json"
    )
    assert nul.status_code == 404
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 1}
    codes = [client.post(f"/v/{tree.team1.code}/", form_data()).status_code for _ in range(2)]
    assert codes == [200, 429]
    assert Case.objects.count() == 1
    assert not Attempt.objects.exists()
