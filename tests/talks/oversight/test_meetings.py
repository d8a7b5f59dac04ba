"""Meetings: recorded on the form, findings followed to done, questions turned into cases."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases.choices import Channel
from xinsheng.core.errors import InvalidInput
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.talks.meetings import services
from xinsheng.talks.models import Meeting, Rectification

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_meeting_is_recorded_its_findings_followed_and_questions_become_cases(tree: Tree) -> None:
    recorder = make_staff(tree.mine1, Role.RECORDER, Role.UNIT_HEAD)
    client = _client(recorder)
    today = timezone.localdate()
    created = client.post(
        "/talks/meetings/new/",
        {
            "kind": "lecture",
            "unit": "A1",
            "held_on": today.isoformat(),
            "title": "形势任务宣讲面对面",
            "attendance": "36",
            "topics": "安全生产；薪酬调整",
            "hot_topics": "食堂饭菜，通勤班车",
        },
    )
    meeting = Meeting.objects.get()
    assert created.status_code == 302
    assert meeting.hot_topics == ["食堂饭菜", "通勤班车"]
    assert AuditEvent.objects.filter(action="meeting.record", object_id=str(meeting.pk)).exists()

    yesterday = (today - dt.timedelta(days=1)).isoformat()
    client.post(
        f"/talks/meetings/{meeting.pk}/items/",
        {"text": "班前会安全讲评流于形式", "owner_unit": "A1", "due_on": yesterday},
    )
    client.post(
        f"/talks/meetings/{meeting.pk}/items/",
        {"text": "更衣室柜子不够", "owner_unit": "T1", "due_on": today.isoformat()},
    )
    late = Rectification.objects.get(text="班前会安全讲评流于形式")
    page = client.get("/talks/meetings/rectifications/?overdue=on").content.decode()
    assert "班前会安全讲评流于形式" in page
    assert "更衣室柜子不够" not in page

    client.post(f"/talks/meetings/rectifications/{late.pk}/done/", {"note": "已制定讲评清单"})
    late.refresh_from_db()
    assert late.done_on == today
    assert late.done_note == "已制定讲评清单"
    detail = client.get(f"/talks/meetings/{meeting.pk}/").content.decode()
    assert "已完成1项，共2项" in detail

    client.post(
        f"/talks/meetings/{meeting.pk}/questions/",
        {"kind": "suggestion", "text": "建议增开夜班通勤车。", "name": "", "employee_no": ""},
    )
    case = meeting.cases.get()
    assert case.channel == Channel.TALK
    assert case.origin_unit == tree.area1
    assert case.heard_on == today
    assert case.case_no in client.get(f"/talks/meetings/{meeting.pk}/").content.decode()


def test_a_meeting_cannot_be_dated_in_the_future_nor_outside_scope(tree: Tree) -> None:
    recorder = make_staff(tree.mine1, Role.RECORDER)
    data = services.MeetingData(
        kind="forum",
        unit=tree.area1,
        held_on=timezone.localdate() + dt.timedelta(days=1),
        title="党员恳谈会",
        attendance=12,
    )
    with pytest.raises(InvalidInput) as error:
        services.meeting_record(actor=recorder, data=data)
    assert "held_on" in error.value.fields
    other = make_staff(tree.mine2, Role.RECORDER)
    meeting = services.meeting_record(
        actor=recorder,
        data=services.MeetingData(
            kind="forum",
            unit=tree.area1,
            held_on=timezone.localdate(),
            title="二号井口恳谈",
            attendance=9,
        ),
    )
    assert _client(other).get(f"/talks/meetings/{meeting.pk}/").status_code == 404
    assert "二号井口恳谈" not in _client(other).get("/talks/meetings/").content.decode()
