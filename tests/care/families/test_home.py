"""The staff home lists the hardship work waiting for a user; the menu has 帮扶, whose pages
are tabs; the privacy role sees a child's name, and each such view is logged; no one else sees a
file out of scope."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.care.families.factories import make_carers, make_file
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import FileStatus
from xinsheng.care.families import pairing
from xinsheng.care.models import HardshipFile
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


def test_the_home_lists_files_to_approve_and_pairs_overdue_and_the_menu_has_the_app(
    tree: Tree,
) -> None:
    carers = make_carers(tree)
    make_file(tree, carers, status=FileStatus.REVIEWED, name="李建军")
    late = make_file(tree, carers, status=FileStatus.APPROVED, name="孙红")
    pairing.pair_create(
        actor=carers.union,
        file=late,
        cadres=[carers.cadre],
        starts_on=timezone.localdate() - dt.timedelta(days=200),
    )
    client = Client()
    client.force_login(carers.union)

    html = client.get(reverse("home")).content.decode()

    assert "待工会审批的困难档案" in html
    assert "超期未走访的帮扶对子" in html
    assert reverse("care_families:list") in html
    assert "困难帮扶" in html
    overdue = client.get(reverse("care_families:pairs_overdue")).content.decode()
    assert "孙红" in overdue


def test_the_privacy_role_sees_a_childs_name_and_the_view_is_logged(tree: Tree) -> None:
    carers = make_carers(tree)
    file = make_file(tree, carers, status=FileStatus.PROPOSED)
    file.members.update(relation="child", name="王小雨")
    privacy = make_staff(tree.company1, Role.PRIVACY)
    client = Client()

    client.force_login(carers.union)
    assert (
        "王小雨" not in client.get(reverse("care_families:detail", args=[file.pk])).content.decode()
    )
    assert not AuditEvent.objects.filter(action="care.sensitive.view").exists()

    client.force_login(privacy)
    assert "王小雨" in client.get(reverse("care_families:detail", args=[file.pk])).content.decode()
    assert AuditEvent.objects.filter(
        action="care.sensitive.view", actor=privacy, object_id=str(file.pk)
    ).exists()


def test_pages_of_a_file_out_of_scope_are_not_found(tree: Tree) -> None:
    carers = make_carers(tree)
    file = make_file(tree, carers)
    outsider = make_staff(tree.mine2, Role.UNION, Role.LEADER, Role.UNIT_HEAD)
    client = Client()
    client.force_login(outsider)
    pair = file.pairs.get()
    assert client.get(reverse("care_families:visit", args=[file.pk])).status_code == 404
    assert client.get(reverse("care_families:yearly", args=[file.pk])).status_code == 404
    step = reverse("care_families:step", args=[file.pk, "close"])
    assert client.post(step, {"reason": "x"}).status_code == 404
    assert client.post(reverse("care_families:pair_end", args=[pair.pk])).status_code == 404
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE
    assert HardshipFile.objects.count() == 1


def test_a_file_past_its_yearly_review_is_flagged(tree: Tree) -> None:
    carers = make_carers(tree)
    file = make_file(tree, carers)
    HardshipFile.objects.filter(pk=file.pk).update(
        review_due=timezone.localdate() - dt.timedelta(days=1)
    )
    client = Client()
    client.force_login(carers.head)
    listed = client.get(reverse("care_families:list"), {"review_overdue": "on"}).content.decode()
    assert file.person.name in listed
    assert "复核超期" in listed
