"""Distribution lists: the rule builds the right list, a delivery is confirmed once and
counted, and the belief behind a 开斋节 list is shown to the privacy role alone."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.care.factories import make_person, make_programme
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import Handover, ProgrammeKind, SensitiveKind
from xinsheng.care.lists import distribution_services as services
from xinsheng.care.models import DistributionRecipient, Programme, SensitiveRecord
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def festival(tree: Tree, title: str = "春节送温暖", **rules: object) -> Programme:
    return make_programme(
        tree.company1,
        kind=ProgrammeKind.DISTRIBUTION,
        title=title,
        rules={"item": "米面油", "value": "300", **rules},
    )


def test_the_rule_lists_the_people_of_the_unit_with_the_attributes(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    leader = make_person(tree.team1, name="张班长", is_team_leader=True)
    make_person(tree.team1, name="李工", is_team_leader=False)
    make_person(tree.mine2, name="王班长", is_team_leader=True)  # another company
    make_person(tree.area1, name="退休班长", is_team_leader=True, is_active=False)
    programme = festival(tree, unit="M1", attributes=["is_team_leader"])

    assert services.recipients_build(actor=union, programme=programme) == 1
    rows = list(programme.recipients.all())
    assert [row.person for row in rows] == [leader]
    assert (rows[0].item, str(rows[0].value), rows[0].unit_path) == (
        "米面油",
        "300.00",
        tree.team1.path,
    )
    # building again adds nobody twice
    assert services.recipients_build(actor=union, programme=programme) == 0
    assert AuditEvent.objects.filter(action="care.distribution.build").count() == 2


def test_a_bad_rule_or_a_user_without_the_role_writes_nothing(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    make_person(tree.team1)
    with pytest.raises(InvalidInput, match="单位"):
        services.recipients_build(actor=union, programme=festival(tree, unit="M2"))
    with pytest.raises(InvalidInput, match="人员条件"):
        services.recipients_build(
            actor=union, programme=festival(tree, "中秋送温暖", attributes=["salary"])
        )
    head = make_staff(tree.mine1, Role.UNIT_HEAD)
    with pytest.raises(Forbidden):
        services.recipients_build(actor=head, programme=festival(tree, "元宵送温暖", unit="M1"))
    assert not DistributionRecipient.objects.exists()


def eid(tree: Tree) -> tuple[Programme, list]:
    muslims = [make_person(tree.team1, name=f"马{n}") for n in "一二"]
    for person in muslims:
        SensitiveRecord.objects.create(
            person=person,
            kind=SensitiveKind.RELIGION,
            value="伊斯兰教",
            consent_on=dt.date(2024, 3, 1),
            consent_note="本人书面同意",
        )
    make_person(tree.team1, name="刘三")
    programme = make_programme(
        tree.company1,
        kind=ProgrammeKind.DISTRIBUTION,
        title="开斋节慰问",
        rules={"religion": "伊斯兰教", "item": "牛羊肉", "value": "400"},
    )
    return programme, muslims


def test_the_eid_list_takes_those_with_a_consented_belief(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    programme, muslims = eid(tree)
    assert services.recipients_build(actor=union, programme=programme) == 2
    assert {row.person for row in programme.recipients.all()} == set(muslims)


def test_belief_is_never_shown_without_the_privacy_role(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    head = make_staff(tree.mine1, Role.UNIT_HEAD, Role.RECORDER)
    privacy = make_staff(tree.company1, Role.PRIVACY)
    programme, _muslims = eid(tree)
    services.recipients_build(actor=union, programme=programme)
    url = reverse("care_lists:distribution", args=[programme.pk])

    for user in (union, head):
        page = signed_in(user).get(url).content.decode()
        assert "马一" in page
        assert "牛羊肉" in page
        assert "伊斯兰" not in page
        assert "宗教" not in page
        assert "入选依据" not in page
    assert not AuditEvent.objects.filter(action="care.sensitive.view").exists()

    page = signed_in(privacy).get(url).content.decode()
    assert "入选依据" in page
    assert "伊斯兰教（2024-03-01）" in page
    assert AuditEvent.objects.filter(action="care.sensitive.view", actor_id=privacy.pk).exists()


def test_a_delivery_is_confirmed_once_and_counted(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    recorder = make_staff(tree.mine1, Role.RECORDER)
    outsider = make_staff(tree.company2, Role.UNION)
    first, second = make_person(tree.team1, name="甲"), make_person(tree.team1, name="乙")
    programme = festival(tree, unit="T1")
    services.recipients_build(actor=union, programme=programme)
    row = programme.recipients.get(person=first)

    response = signed_in(recorder).post(
        reverse("care_lists:deliver", args=[row.pk]), {"handover": Handover.SIGNED}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.delivered_on is not None
    assert row.handover == Handover.SIGNED
    assert row.delivered_by == recorder
    assert AuditEvent.objects.filter(
        action="care.distribution.deliver", actor_id=recorder.pk
    ).exists()

    with pytest.raises(Conflict):
        services.delivery_confirm(actor=union, recipient=row, handover=Handover.DELIVERER)
    pending = programme.recipients.get(person=second)
    with pytest.raises(InvalidInput):
        services.delivery_confirm(actor=union, recipient=pending, handover="phone")
    # another company's union may not even find the row
    assert (
        signed_in(outsider)
        .post(reverse("care_lists:deliver", args=[pending.pk]), {"handover": Handover.SIGNED})
        .status_code
        == 404
    )
    pending.refresh_from_db()
    assert pending.delivered_on is None

    page = signed_in(recorder).get(reverse("care_lists:distribution", args=[programme.pk]))
    text = page.content.decode()
    assert "已送达1人" in text
    assert "待送达1人" in text
    listing = signed_in(recorder).get(reverse("care_lists:distributions")).content.decode()
    assert "春节送温暖" in listing
    assert (
        signed_in(outsider).get(reverse("care_lists:distribution", args=[programme.pk])).status_code
        == 404
    )


def test_a_birthday_list_has_the_people_born_in_its_month(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    may = make_person(tree.team1, name="五月生", birth_date=dt.date(1985, 5, 20))
    make_person(tree.team1, name="六月生", birth_date=dt.date(1985, 6, 1))
    make_person(tree.team1, name="未填生日")
    programme = festival(tree, "五月生日祝福", birth_month=5, item="生日蛋糕券", value="100")

    assert services.recipients_build(actor=union, programme=programme) == 1
    assert [row.person for row in programme.recipients.all()] == [may]
    page = signed_in(union).get(reverse("care_lists:distribution", args=[programme.pk]))
    assert "5月生日" in page.content.decode()
    with pytest.raises(InvalidInput, match="生日月份"):
        services.recipients_build(actor=union, programme=festival(tree, "坏规则", birth_month=13))
