"""The bell: the unread count in the top bar, the list, opening one, marking all read."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.cases.factories import make_cast, make_category, submit
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services as case_services
from xinsheng.core.models import AuditEvent, Notification
from xinsheng.core.notifications import notify
from xinsheng.org.choices import Role

BADGE = reverse("notification_badge")
LIST = reverse("notifications")


@pytest.fixture
def user(tree: Tree) -> User:
    return make_staff(tree.area1, Role.HANDLER)


def send(capture: Any, user: User, *texts: str, url: str = "/cases/") -> None:
    """Send ``texts`` to ``user`` the way services do: after their transaction commits."""
    with capture(execute=True):
        for text in texts:
            notify(user_ids=[user.pk], kind="case", text=text, url=url)


def badge(client: Client) -> str:
    response = client.get(BADGE)
    assert response.status_code == 200
    return response.content.decode().split('<span class="visually-hidden">')[0]


def test_the_bell_counts_my_unread_notifications(
    client: Client, tree: Tree, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    # given two notifications for me and one for someone else
    other = make_staff(tree.area1, Role.HANDLER)
    send(django_capture_on_commit_callbacks, user, "新派单 A", "新派单 B")
    send(django_capture_on_commit_callbacks, other, "新派单 C")
    client.force_login(user)
    # then every page carries the bell, which loads its count and polls it
    home = client.get(reverse("home")).content.decode()
    assert f'hx-get="{BADGE}"' in home
    assert "every 60s" in home
    # and the count is mine: two
    assert ">2</span>" in badge(client)
    # with none unread, the bell shows no number
    Notification.objects.filter(user=user).update(read_at="2026-01-01T00:00:00Z")
    assert badge(client).strip() == ""


def test_a_signed_out_page_stops_polling(client: Client) -> None:
    assert client.get(BADGE).status_code == 286


def test_the_list_shows_newest_first_and_marks_unread(
    client: Client, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    send(django_capture_on_commit_callbacks, user, "第一条通知", "第二条通知")
    client.force_login(user)
    text = client.get(LIST).content.decode()
    assert text.index("第二条通知") < text.index("第一条通知")
    assert text.count('class="unread"') == 2
    assert "全部标为已读" in text


def test_the_list_is_paginated(
    client: Client, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    send(django_capture_on_commit_callbacks, user, *[f"通知{n:02d}号" for n in range(35)])
    client.force_login(user)
    first = client.get(LIST).content.decode()
    assert "通知34号" in first
    assert "通知00号" not in first
    assert "第 1 / 2 页" in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "通知00号" in second
    assert "通知34号" not in second


def test_opening_one_marks_it_read_and_goes_to_its_page(
    client: Client, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    send(django_capture_on_commit_callbacks, user, "新派单 2026-000001", url="/cases/2026-000001/")
    notification = Notification.objects.get(user=user)
    client.force_login(user)
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/cases/2026-000001/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert badge(client).strip() == ""
    audit = AuditEvent.objects.get(action="notification.read")
    assert (audit.actor, audit.object_id) == (user, str(notification.pk))
    # opening it again changes nothing more
    client.post(reverse("notification_open", args=[notification.pk]))
    assert AuditEvent.objects.filter(action="notification.read").count() == 1


def test_a_link_elsewhere_is_not_followed(
    client: Client, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    send(django_capture_on_commit_callbacks, user, "可疑链接", url="https://evil.example/")
    notification = Notification.objects.get(user=user)
    client.force_login(user)
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == LIST


def test_nobody_opens_someone_elses_notification(
    client: Client, tree: Tree, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    send(django_capture_on_commit_callbacks, user, "只给我的通知")
    notification = Notification.objects.get(user=user)
    client.force_login(make_staff(tree.area1, Role.HANDLER))
    assert client.post(reverse("notification_open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert "只给我的通知" not in client.get(LIST).content.decode()


def test_mark_all_read(
    client: Client, tree: Tree, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    other = make_staff(tree.area1, Role.HANDLER)
    send(django_capture_on_commit_callbacks, user, "甲", "乙", "丙")
    send(django_capture_on_commit_callbacks, other, "丁")
    client.force_login(user)
    response = client.post(reverse("notifications_read_all"), follow=True)
    assert "已将 3 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1
    audit = AuditEvent.objects.get(action="notification.read_all")
    assert audit.after == {"count": 3}
    assert badge(client).strip() == ""


def test_a_dispatch_rings_the_units_bell(
    client: Client, tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    # given a case dispatched to area A1
    cast = make_cast(tree)
    case = submit(tree).case
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
        case_services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    # then the handler's bell shows it, and opening it leads to the case page
    client.force_login(cast.handler)
    assert ">1</span>" in badge(client)
    text = client.get(LIST).content.decode()
    assert f"新派单 {case.case_no}" in text
    notification = Notification.objects.get(user=cast.handler)
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("cases:detail", args=[case.case_no])


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", LIST),
        ("post", reverse("notifications_read_all")),
        ("post", reverse("notification_open", args=[1])),
    ],
)
def test_signed_out_users_are_sent_to_login(client: Client, method: str, url: str) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
