"""Supervision groups: set up, a notice issued and answered by the unit, inspections."""

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.core.errors import Forbidden
from xinsheng.core.models import Notification
from xinsheng.org.choices import Role
from xinsheng.talks.models import Rectification, SupervisionGroup, SupervisionNotice
from xinsheng.talks.supervision import services

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_group_member_issues_a_notice_the_unit_sees_and_answers(
    tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    supervisor = make_staff(tree.company1, Role.SUPERVISOR)
    head = make_staff(tree.area1, Role.UNIT_HEAD)
    created = _client(admin).post(
        "/talks/supervision/groups/new/",
        {
            "name": "第一督导组",
            "members": supervisor.person.employee_no,
            "units": "M1",  # type: ignore[attr-defined]
            "is_active": "on",
        },
    )
    assert created.status_code == 302
    group = SupervisionGroup.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        issued = _client(supervisor).post(
            "/talks/supervision/notices/new/",
            {"group": group.pk, "unit": "A1", "text": "本月谈心覆盖率偏低，请于月底前补齐。"},
        )
    assert issued.status_code == 302
    notice = SupervisionNotice.objects.get()
    assert Notification.objects.filter(user=head, text__contains="本月谈心覆盖率偏低").exists()
    unit_page = _client(head).get("/talks/supervision/notices/").content.decode()
    assert "本月谈心覆盖率偏低" in unit_page
    assert "本月谈心覆盖率偏低" in _client(head).get("/talks/meetings/").content.decode()
    _client(head).post(f"/talks/supervision/notices/{notice.pk}/answer/", {"answer": "已安排补谈"})
    notice.refresh_from_db()
    assert notice.answer == "已安排补谈"
    assert notice.answered_at is not None
    board = _client(supervisor).get(f"/talks/supervision/?group={group.pk}")
    assert [row.notices for row in board.context["rows"]] == [1]


def test_only_members_issue_notices_and_inspections_make_items(tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    member = make_staff(tree.company1, Role.SUPERVISOR)
    stranger = make_staff(tree.company1, Role.SUPERVISOR)
    group = services.group_create(
        actor=admin,
        data=services.GroupData(name="督导组", members=[member.person], units=[tree.mine1]),  # type: ignore[attr-defined]
    )
    with pytest.raises(Forbidden):
        services.notice_issue(actor=stranger, group=group, unit=tree.area1, text="请整改")
    inspection = services.inspection_record(
        actor=member,
        group=group,
        unit=tree.mine1,
        held_on=timezone.localdate(),
        findings="走访台账不全",
        items=[services.Finding("补齐走访台账", tree.area1, timezone.localdate())],
    )
    item = Rectification.objects.get()
    assert item.inspection == inspection
    assert item.owner_unit == tree.area1
    assert "走访台账不全" in _client(member).get("/talks/supervision/groups/").content.decode()


def test_a_unit_out_of_scope_is_not_found_on_the_board(tree: Tree) -> None:
    viewer = make_staff(tree.mine1, Role.SUPERVISOR)
    assert _client(viewer).get("/talks/supervision/?unit=M2").status_code == 404
    assert _client(viewer).get("/talks/supervision/?unit=M1").status_code == 200
