"""A named, verified submitter recovers lost receipt codes by employee number and a one-time code
sent to the contact they gave; the old codes stop working."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from tests.cases.test_public import INTAKE_URL, form_data, receipt_of
from tests.conftest import Tree
from tests.org.factories import PersonFactory
from xinsheng.cases import services
from xinsheng.cases.choices import SubmitterCheck
from xinsheng.cases.models import Case
from xinsheng.core import sms
from xinsheng.core.errors import NotFound

URL = "/r/recover/"
NOTICE = "如该工号有可以找回的诉求，验证码已发送至提交时留下的手机号或电子邮箱"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
CODE_PATTERN = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()
    sms.outbox.clear()


@pytest.fixture
def verified(client: Client, tree: Tree) -> tuple[Case, str]:
    """A voice of 李娜, whose number and name are in the roster, with her mobile number."""
    PersonFactory(unit=tree.team1, name="李娜", employee_no="JT0000777")
    data = form_data(identity="named", name="李娜", employee_no="JT0000777", phone="13900007777")
    response = client.post(INTAKE_URL.format(code=tree.team1.code), data)
    case = Case.objects.get(submitter_employee_no="JT0000777")
    assert case.submitter_check == SubmitterCheck.VERIFIED
    return case, receipt_of(response)


def ask(client: Client, employee_no: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.post(URL, {"employee_no": employee_no, "action": "send"})


def one_time_code() -> str:
    match = re.search(r"验证码 (\d{6})", sms.outbox[-1].text)
    assert match, sms.outbox
    return match.group(1)


def confirm(client: Client, employee_no: str, code: str) -> Any:
    return client.post(URL, {"employee_no": employee_no, "code": code, "action": "confirm"})


def test_a_verified_submitter_gets_a_fresh_code_and_the_old_one_stops(
    client: Client, verified: tuple[Case, str], django_capture_on_commit_callbacks: Any
) -> None:
    case, old_code = verified

    # When she asks with her employee number and types the code sent to her phone
    asked = ask(client, "JT0000777", django_capture_on_commit_callbacks)
    assert [m.to for m in sms.outbox] == ["13900007777"]
    recovered = confirm(client, "JT0000777", one_time_code())

    # Then she sees a fresh code for her case, which opens it; the old one no longer does
    assert NOTICE in asked.content.decode()
    assert recovered.status_code == 200
    html = recovered.content.decode()
    assert case.case_no in html
    fresh = CODE_PATTERN.findall(html)[0]
    assert fresh != old_code
    assert services.case_for_receipt(fresh) == case
    with pytest.raises(NotFound):
        services.case_for_receipt(old_code)
    # ... and the one-time code works once only
    assert confirm(client, "JT0000777", one_time_code()).status_code == 400


def test_a_wrong_one_time_code_is_refused_and_five_end_it(
    client: Client, verified: tuple[Case, str], django_capture_on_commit_callbacks: Any
) -> None:
    case, old_code = verified
    ask(client, "JT0000777", django_capture_on_commit_callbacks)
    right = one_time_code()
    wrong = "000000" if right != "000000" else "111111"

    refused = confirm(client, "JT0000777", wrong)
    for _ in range(4):
        confirm(client, "JT0000777", wrong)
    too_late = confirm(client, "JT0000777", right)

    assert refused.status_code == 400
    assert "验证码不正确或已过期" in refused.content.decode()
    assert too_late.status_code == 400
    assert services.case_for_receipt(old_code) == case  # nothing was re-issued


def test_an_unverified_or_unknown_number_gets_the_same_answer_and_no_message(
    client: Client, tree: Tree, verified: tuple[Case, str], django_capture_on_commit_callbacks: Any
) -> None:
    # Given a made-up name with a phone (未核实), and a number nobody has
    data = form_data(identity="named", name="王建国", employee_no="10086", phone="13900001008")
    client.post(INTAKE_URL.format(code=tree.team1.code), data)
    assert Case.objects.get(submitter_employee_no="10086").submitter_check != "verified"

    answers = [
        ask(client, number, django_capture_on_commit_callbacks)
        for number in ("10086", "JT9999999", "JT0000777")
    ]

    # Then all three pages say the same, but only the verified submitter gets a code
    bodies = [
        TOKEN.sub("", a.content.decode().replace(n, ""))
        for a, n in zip(answers, ("10086", "JT9999999", "JT0000777"), strict=True)
    ]
    assert {a.status_code for a in answers} == {200}
    assert bodies[0] == bodies[1] == bodies[2]
    assert [m.to for m in sms.outbox] == ["13900007777"]
    assert confirm(client, "10086", "123456").status_code == 400


def test_recovery_is_rate_limited(
    client: Client,
    verified: tuple[Case, str],
    settings: Settings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "RECOVER_RATE_PER_HOUR": 3}

    ask(client, "JT0000777", django_capture_on_commit_callbacks)
    right = one_time_code()
    confirm(client, "JT0000777", "000001")
    confirm(client, "JT0000777", "000002")
    limited = confirm(client, "JT0000777", right)

    assert limited.status_code == 429
    assert limited["Retry-After"]


def test_an_empty_number_is_asked_for(client: Client) -> None:
    response = client.post(URL, {"employee_no": "", "action": "send"})

    assert response.status_code == 400
    assert "请填写工号" in response.content.decode()
    assert client.get(URL).status_code == 200


def test_asking_again_at_once_sends_no_second_code(
    client: Client, verified: tuple[Case, str], django_capture_on_commit_callbacks: Any
) -> None:
    first = ask(client, "JT0000777", django_capture_on_commit_callbacks)
    again = ask(Client(), "JT0000777", django_capture_on_commit_callbacks)

    assert NOTICE in first.content.decode()
    assert NOTICE in again.content.decode()
    assert len(sms.outbox) == 1  # the first code still works
    assert confirm(client, "JT0000777", one_time_code()).status_code == 200
