"""The meetings and supervision pages in English: no Chinese but the data people typed or named."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.core.test_language import CJK, visible_text
from tests.org.factories import make_staff
from tests.talks.oversight.conftest import Scene
from tests.talks.oversight.factories import make_pairs
from xinsheng.org.choices import Role
from xinsheng.talks.models import Meeting, SupervisionGroup, SupervisionNotice

pytestmark = pytest.mark.django_db

MEETING = {"title": "形势任务宣讲面对面", "topics": "安全生产", "hot_topics": "食堂饭菜"}
ITEM = "班前会安全讲评流于形式"
GROUP = "第一督导组"
NOTICE = "本月谈心覆盖率偏低，请于月底前补齐。"
ANSWER = "已安排补谈"
FINDINGS = "区队谈心记录不全"
TIER = "区队长谈职工"


def _english(client: Client, path: str, data: list[str]) -> str:
    """Return what a reader sees of ``path`` in English, less ``data``; fail on any error."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.get(path)
    assert answer.status_code == 200, path
    text = visible_text(answer.content.decode())
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def test_the_meeting_and_supervision_pages_in_english_show_chinese_only_in_data(
    scene: Scene,
) -> None:
    tree = scene.tree
    today = timezone.localdate()
    staff = make_staff(
        tree.group, Role.ADMINISTRATOR, Role.SUPERVISOR, Role.RECORDER, Role.UNIT_HEAD
    )
    client = Client()
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # its messages are in English too
    make_pairs(scene.area2, scene.people1[0], scene.people2[:2], today, today, held=1)
    posted = [
        client.post(
            "/talks/meetings/new/",
            {"kind": "lecture", "unit": "A1", "held_on": today.isoformat(), "attendance": "36"}
            | MEETING,
        ),
        client.post(
            "/talks/supervision/groups/new/",
            {
                "name": GROUP,
                "members": staff.person.employee_no,  # type: ignore[attr-defined]
                "units": "M1 A2",
                "is_active": "on",
            },
        ),
    ]
    meeting = Meeting.objects.get()
    group = SupervisionGroup.objects.get()
    late = (today - dt.timedelta(days=1)).isoformat()
    posted += [
        client.post(
            f"/talks/meetings/{meeting.pk}/items/",
            {"text": ITEM, "owner_unit": "A1", "due_on": late},
        ),
        client.post(
            "/talks/supervision/notices/new/", {"group": group.pk, "unit": "A2", "text": NOTICE}
        ),
        client.post(
            "/talks/supervision/inspections/new/",
            {"group": group.pk, "unit": "A1", "held_on": today.isoformat(), "findings": FINDINGS},
        ),
    ]
    assert [answer.status_code for answer in posted] == [302] * 5
    notice = SupervisionNotice.objects.get()
    client.post(f"/talks/supervision/notices/{notice.pk}/answer/", {"answer": ANSWER})
    client.post(
        "/talks/supervision/notices/new/", {"group": group.pk, "unit": "A1", "text": NOTICE}
    )

    data = [
        *(unit.name for unit in (tree.group, tree.company1, tree.mine1, tree.area1, tree.team1)),
        *(unit.name for unit in (tree.company2, tree.mine2, scene.area2)),
        staff.person.name,  # type: ignore[attr-defined]
        *(person.name for person in [*scene.people1, *scene.people2]),
        *MEETING.values(),
        ITEM,
        GROUP,
        NOTICE,
        ANSWER,
        FINDINGS,
        TIER,
    ]
    dates = f"from={scene.period.start}&to={scene.period.end}"
    pages = [
        "/talks/meetings/",
        "/talks/meetings/new/",
        f"/talks/meetings/{meeting.pk}/",
        "/talks/meetings/rectifications/",
        "/talks/meetings/rectifications/?overdue=on",
        "/talks/supervision/",
        f"/talks/supervision/?unit=M1&{dates}",
        f"/talks/supervision/?group={group.pk}&{dates}",
        "/talks/supervision/groups/",
        "/talks/supervision/groups/new/",
        f"/talks/supervision/groups/{group.pk}/edit/",
        "/talks/supervision/notices/",
        "/talks/supervision/notices/new/?unit=A2",
        "/talks/supervision/inspections/new/",
    ]
    left = {path: "".join(CJK.findall(_english(client, path, data))) for path in pages}
    assert {path: chinese for path, chinese in left.items() if chinese} == {}
    board = _english(client, f"/talks/supervision/?unit=M1&{dates}", data)
    assert "Lagging" in board or "lagging" in board
