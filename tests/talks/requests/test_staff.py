"""The staff's side of talk requests: the list in scope with overdue ones flagged, the steps on a
request's page, a request heard in person, and the figures for the coverage board."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.talks.cycles.mine import Mine, make_mine
from xinsheng.core.calendar import add_working_days
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import RequestChannel, RequestStatus
from xinsheng.talks.models import TalkRequest
from xinsheng.talks.requests import selectors, services
from xinsheng.talks.requests.services import Asker

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mine(tree: Tree) -> Mine:
    return make_mine(tree.company1)


@pytest.fixture
def recorder(mine: Mine) -> User:
    return make_staff(mine.units["A1"], Role.RECORDER)


def make_request(
    unit: OrgUnit, name: str = "韩磊", number: str = "YK0016", days_ago: int = 0
) -> TalkRequest:
    submitted = services.request_submit(
        unit=unit, asker=Asker(name=name, employee_no=number, topic="想谈谈轮岗学习的事情。")
    )
    if days_ago:
        moment = timezone.now() - dt.timedelta(days=days_ago)
        TalkRequest.objects.filter(pk=submitted.request.pk).update(created_at=moment)
    return TalkRequest.objects.get(pk=submitted.request.pk)


def test_the_list_shows_the_requests_in_scope_and_flags_those_waiting_too_long(
    mine: Mine, recorder: User
) -> None:
    fresh = make_request(mine.units["T1"], "杨勇", "YK0017")
    late = make_request(mine.units["A1"], days_ago=20)
    make_request(mine.units["A2"], "施永", "YK0025", days_ago=20)  # another work area
    client = _client(recorder)

    page = client.get("/talks/requests/").content.decode()

    assert "杨勇" in page
    assert "韩磊" in page
    assert "施永" not in page
    assert "1 件超期未安排" in page
    assert page.count('class="badge overdue">超期</span>') == 1
    overdue = client.get("/talks/requests/", {"overdue": "on"}).content.decode()
    assert "韩磊" in overdue
    assert "杨勇" not in overdue
    assert selectors.is_overdue(late, selectors.overdue_since())
    assert not selectors.is_overdue(fresh, selectors.overdue_since())
    other = TalkRequest.objects.get(name="施永")
    assert client.get(f"/talks/requests/{other.pk}/").status_code == 404


def test_overdue_counts_working_days_after_the_day_it_came_in(settings: object) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "TALK_REQUEST_WAIT_DAYS": 3}  # type: ignore[attr-defined]
    today = dt.date(2026, 3, 11)  # a Wednesday
    since = selectors.overdue_since(today)

    # came in on the Thursday before: Fri, Mon, Tue, Wed have passed, four working days
    assert timezone.localtime(since).date() == add_working_days(dt.date(2026, 3, 12), -4)
    assert timezone.localtime(since).date() == dt.date(2026, 3, 6)  # Friday: Thursday is late


def test_schedule_hold_and_decline_on_the_page(mine: Mine, recorder: User) -> None:
    talk = make_request(mine.units["A1"])
    client = _client(recorder)
    url = f"/talks/requests/{talk.pk}/"
    when = (timezone.localdate() + dt.timedelta(days=2)).isoformat()

    page = client.get(url).content.decode()
    assert "卫建军" in page  # offered as host: the head of the work area
    assert "王建国" in page  # and the mine's leaders above it

    refused = client.post(f"{url}schedule/", {"scheduled_at": f"{when}T09:30", "place": ""})
    assert refused.status_code == 400
    assert "请填写约定地点。" in refused.content.decode()
    done = client.post(
        f"{url}schedule/",
        {"scheduled_at": f"{when}T09:30", "place": "区队会议室", "host": "YK0013"},
        follow=True,
    )
    assert "约谈已安排" in done.content.decode()
    talk.refresh_from_db()
    assert (talk.status, talk.scheduled_place, talk.host) == (
        RequestStatus.SCHEDULED,
        "区队会议室",
        mine.people["卫建军"],
    )

    no_reason = client.post(f"{url}decline/", {"reason": ""})
    assert no_reason.status_code == 400
    assert "请说明未安排约谈的原因" in no_reason.content.decode()
    held = client.post(f"{url}hold/", {"held_on": timezone.localdate().isoformat()}, follow=True)
    assert "已记录约谈。" in held.content.decode()
    talk.refresh_from_db()
    assert (talk.status, talk.held_on) == (RequestStatus.HELD, timezone.localdate())

    closed = client.post(f"{url}decline/", {"reason": "重复申请"}, follow=True)
    assert "不能再这样处理" in closed.content.decode()
    talk.refresh_from_db()
    assert talk.status == RequestStatus.HELD
    actions = list(
        AuditEvent.objects.filter(object_id=str(talk.pk), action__startswith="talk.request")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["talk.request.create", "talk.request.scheduled", "talk.request.held"]


def test_a_recorder_enters_a_request_heard_in_person_and_hands_over_the_code(
    mine: Mine, recorder: User
) -> None:
    client = _client(recorder)

    answer = client.post(
        "/talks/requests/new/",
        {
            "unit": "YK-ZC1-2",
            "name": "秦海",
            "employee_no": "YK0019",
            "topic": "班组排班调整，想当面和区长谈谈。",
        },
    )

    page = answer.content.decode()
    assert answer.status_code == 200
    code = re.search(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}", page)
    assert code is not None
    talk = TalkRequest.objects.get()
    assert (talk.channel, talk.recorded_by, talk.unit) == (
        RequestChannel.RECORDER,
        recorder,
        mine.units["T2"],
    )
    assert selectors.request_for_receipt(code.group()) == talk
    outside = client.post(
        "/talks/requests/new/",
        {"unit": "YK-JJ2", "name": "施永", "employee_no": "YK0025", "topic": "想谈谈带徒弟的事。"},
    )
    assert outside.status_code == 400
    assert TalkRequest.objects.count() == 1


def test_the_phone_is_masked_for_those_who_need_not_call_back(mine: Mine, recorder: User) -> None:
    submitted = services.request_submit(
        unit=mine.units["A1"],
        asker=Asker(
            name="韩磊", employee_no="YK0016", phone="13800001111", topic="想谈谈轮岗的事情。"
        ),
    )
    head = make_staff(mine.units["A1"], Role.UNIT_HEAD)
    url = f"/talks/requests/{submitted.request.pk}/"

    assert "138****1111" in _client(recorder).get(url).content.decode()
    assert "13800001111" in _client(head).get(url).content.decode()


def test_the_counts_for_the_coverage_board_add_up(mine: Mine, recorder: User) -> None:
    held = make_request(mine.units["T1"], "杨勇", "YK0017")
    services.request_hold(actor=recorder, request=held, held_on=timezone.localdate())
    declined = make_request(mine.units["A1"])
    services.request_decline(actor=recorder, request=declined, reason="已调岗")
    make_request(mine.units["T2"], "秦海", "YK0019")
    make_request(mine.units["A2"], "施永", "YK0025")
    make_request(mine.units["A1"], "蒋文斌", "YK0014", days_ago=40)  # before the period
    today = timezone.localdate()

    counts = selectors.requests_counts(
        unit_path=mine.units["A1"].path, date_from=today - dt.timedelta(days=7), date_to=today
    )

    assert counts == selectors.RequestCounts(received=3, held=1, declined=1, waiting=1)
    whole = selectors.requests_counts(
        unit_path=mine.units["M1"].path, date_from=today - dt.timedelta(days=60), date_to=today
    )
    assert (whole.received, whole.waiting) == (5, 3)
