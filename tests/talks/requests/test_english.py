"""The talk request pages in English, staff and public, show no Chinese but the data."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.talks.cycles.mine import make_mine
from tests.talks.cycles.test_english import chinese_left
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.models import TalkRequest
from xinsheng.talks.requests import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
TOPIC = "想和区长谈谈轮岗学习机电维修的事。"
REASON = "区长外出学习，请改约。"


def data_shown() -> list[str]:
    return [
        *OrgUnit.objects.values_list("name", flat=True),
        *Person.objects.values_list("name", flat=True),
        TOPIC,
        REASON,
        "卫区长",
        "区队会议室",
    ]


def test_the_request_pages_in_english_have_no_chinese_but_data(tree: Tree) -> None:
    mine = make_mine(tree.company1)
    public = Client()
    public.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form = public.get("/talk/YK-ZC1/").content.decode()
    assert "Ask for a talk" in form
    assert not chinese_left(form, *data_shown())
    voice_form = public.get("/v/YK-ZC1/").content.decode()
    assert ">Ask for a talk</a>" in voice_form

    done = public.post(
        "/talk/YK-ZC1/",
        {"name": "韩磊", "employee_no": "YK0016", "topic": TOPIC, "wanted_host": "卫区长"},
    ).content.decode()
    assert "Request sent" in done
    assert not chinese_left(done, *data_shown())
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", done)
    assert code is not None
    refused = public.post("/talk/YK-ZC1/", {"name": "", "topic": "谈"}).content.decode()
    assert not chinese_left(refused, *data_shown(), "谈")

    talk = TalkRequest.objects.get()
    handler = make_staff(mine.units["A1"], Role.UNIT_HEAD)
    services.request_schedule(
        actor=handler,
        request=talk,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        place="区队会议室",
        host=mine.people["卫建军"],
    )
    status = public.post("/talk/r/", {"code": code.group()}).content.decode()
    assert "Scheduled" in status
    assert not chinese_left(status, *data_shown())
    services.request_decline(actor=handler, request=talk, reason=REASON)
    status = public.post("/talk/r/", {"code": code.group()}).content.decode()
    assert "Why no talk was arranged" in status
    assert not chinese_left(status, *data_shown())
    lookup = public.get("/talk/r/").content.decode()
    assert not chinese_left(lookup, *data_shown())

    staff = Client()
    staff.force_login(handler)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    services.request_submit(
        unit=mine.units["A1"],
        asker=services.Asker(name="秦海", employee_no="YK0019", topic=TOPIC),
    )
    for url in ("/talks/requests/", f"/talks/requests/{TalkRequest.objects.last().pk}/",  # type: ignore[union-attr]
                f"/talks/requests/{talk.pk}/", "/talks/requests/new/"):  # fmt: skip
        html = staff.get(url).content.decode()
        assert not chinese_left(html, *data_shown()), (url, chinese_left(html, *data_shown()))
