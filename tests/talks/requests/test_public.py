"""An employee asks for a talk from the unit's page and follows it with the receipt code."""

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.talks.cycles.mine import Mine, make_mine
from xinsheng.cases.intake.receipts import receipt_hash
from xinsheng.core.models import Notification
from xinsheng.org.choices import Role
from xinsheng.talks.choices import RequestChannel, RequestStatus
from xinsheng.talks.models import TalkRequest
from xinsheng.talks.requests import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
CODE = re.compile(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}")
ASKING = {
    "name": "韩磊",
    "employee_no": "YK0016",
    "phone": "13800001111",
    "topic": "想和区长谈谈轮岗学习机电维修的事。",
    "wanted_host": "卫区长",
}


@pytest.fixture
def mine(tree: Tree) -> Mine:
    return make_mine(tree.company1)


@pytest.fixture
def recorder(mine: Mine) -> User:
    return make_staff(mine.units["A1"], Role.RECORDER)


def ask(client: Client, unit: str = "YK-ZC1", **changes: str) -> tuple[int, str]:
    answer = client.post(f"/talk/{unit}/", {**ASKING, **changes})
    return answer.status_code, answer.content.decode()


def follow(client: Client, code: str) -> tuple[int, str]:
    answer = client.post("/talk/r/", {"code": code})
    return answer.status_code, answer.content.decode()


def test_the_voice_form_links_to_asking_for_a_talk(client: Client, mine: Mine) -> None:
    page = client.get("/v/YK-ZC1/").content.decode()

    assert '<a href="/talk/YK-ZC1/">申请约谈</a>' in page
    form = client.get("/talk/YK-ZC1/").content.decode()
    assert "综采一区" in form
    assert 'name="topic"' in form
    assert 'name="website"' in form  # the hidden field


def test_asking_gives_a_receipt_code_that_follows_the_request_to_its_answer(
    client: Client, mine: Mine, recorder: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        status, page = ask(client)

    assert status == 200
    code = CODE.search(page)
    assert code is not None
    talk = TalkRequest.objects.get()
    assert talk.receipt_hash == receipt_hash(code.group())
    assert code.group() not in str(TalkRequest.objects.values().get())  # only the hash is kept
    assert (talk.unit, talk.channel, talk.status) == (
        mine.units["A1"],
        RequestChannel.PUBLIC,
        RequestStatus.REQUESTED,
    )
    assert talk.person == mine.people["韩磊"]
    assert Notification.objects.filter(user=recorder, kind="talk_request").exists()

    status, page = follow(client, code.group().lower().replace("-", ""))
    assert status == 200
    assert "已申请" in page
    assert "想和区长谈谈轮岗学习机电维修的事。" in page

    at = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(15, 30)))
    services.request_schedule(
        actor=recorder,
        request=talk,
        scheduled_at=at,
        place="综采一区会议室",
        host=mine.people["卫建军"],
    )
    page = follow(client, code.group())[1]
    assert "已安排" in page
    assert "综采一区会议室" in page
    assert "卫建军" in page
    assert at.strftime("%Y-%m-%d 15:30") in page

    services.request_hold(actor=recorder, request=talk, held_on=timezone.localdate())
    page = follow(client, code.group())[1]
    assert "已约谈" in page


def test_a_declined_request_shows_the_employee_the_reason(
    client: Client, mine: Mine, recorder: User
) -> None:
    code = CODE.search(ask(client)[1])
    assert code is not None
    services.request_decline(
        actor=recorder,
        request=TalkRequest.objects.get(),
        reason="所提轮岗事项已由人力资源部统一答复，请查看公告。",
    )

    page = follow(client, code.group())[1]

    assert "未安排" in page
    assert "所提轮岗事项已由人力资源部统一答复，请查看公告。" in page


def test_a_wrong_code_opens_nothing(client: Client, mine: Mine) -> None:
    ask(client)

    status, page = follow(client, "ABCD-EFGH-JKMN-PQRS-TVWX")

    assert status == 404
    assert "查询码不正确" in page


def test_bad_input_is_shown_on_the_form_and_nothing_is_kept(client: Client, mine: Mine) -> None:
    status, page = ask(client, name="", topic="谈谈", phone="123")

    assert status == 400
    assert "姓名不能为空。" in page or "此项为必填项。" in page
    assert "请至少写5个字" in page
    assert "手机号格式不正确" in page
    assert "想和区长谈谈" not in page  # the topic given was two characters
    assert not TalkRequest.objects.exists()


def test_an_unknown_or_closed_unit_has_no_form(client: Client, mine: Mine) -> None:
    assert client.get("/talk/NOPE/").status_code == 404
    mine.units["T3"].is_active = False
    mine.units["T3"].save()
    assert ask(client, unit="YK-JJ2-1")[0] == 404
    assert not TalkRequest.objects.exists()


def test_a_program_filling_the_hidden_field_is_turned_away(client: Client, mine: Mine) -> None:
    status, page = ask(client, website="http://spam.example")

    assert status == 400
    assert "提交未成功" in page
    assert not TalkRequest.objects.exists()


def test_asking_and_following_are_rate_limited(
    client: Client, mine: Mine, settings: object
) -> None:
    settings.XINSHENG = {  # type: ignore[attr-defined]
        **settings.XINSHENG,  # type: ignore[attr-defined]
        "INTAKE_RATE_PER_HOUR": 2,
        "RECEIPT_RATE_PER_HOUR": 3,
    }

    assert ask(client)[0] == 200
    assert ask(client)[0] == 200
    status, page = ask(client)
    assert status == 429
    assert "操作过于频繁" in page
    assert TalkRequest.objects.count() == 2

    for _attempt in range(3):
        assert follow(client, "ABCD-EFGH-JKMN-PQRS-TVWX")[0] == 404
    assert follow(client, "ABCD-EFGH-JKMN-PQRS-TVWX")[0] == 429
