"""Sanatorium batches: capacity and unit quotas hold, someone who went within the programme's
years is refused unless a reason is given, and nominations move nominated → confirmed →
attended."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.care.factories import make_person, make_programme
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import BatchKind, NominationStatus, ProgrammeKind
from xinsheng.care.lists import sanatorium_services as services
from xinsheng.care.models import Nomination, Programme, SanatoriumBatch
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


def programme_of(tree: Tree, **rules: object) -> Programme:
    return make_programme(
        tree.company1, kind=ProgrammeKind.SANATORIUM, title="职工疗休养", rules=rules
    )


def batch_of(
    tree: Tree,
    union: User,
    programme: Programme,
    *,
    capacity: int = 3,
    quotas: dict | None = None,
    days: int = 30,
    title: str = "北戴河第一批",
) -> SanatoriumBatch:
    start = timezone.localdate() + dt.timedelta(days=days)
    return services.batch_create(
        actor=union,
        programme=programme,
        kind=BatchKind.HONOUR,
        title=title,
        starts_on=start,
        ends_on=start + dt.timedelta(days=6),
        place="北戴河疗养院",
        capacity=capacity,
        quotas=quotas,
    )


def test_capacity_and_the_unit_quota_are_enforced(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    head = make_staff(tree.mine1, Role.UNIT_HEAD)
    batch = batch_of(tree, union, programme_of(tree), capacity=3, quotas={tree.mine1: 2})
    miners = [make_person(tree.team1) for _ in range(3)]
    services.nominate(actor=head, batch=batch, person=miners[0])
    services.nominate(actor=head, batch=batch, person=miners[1])
    with pytest.raises(InvalidInput, match="一矿在本批次的2个名额已用完"):
        services.nominate(actor=head, batch=batch, person=miners[2])
    # a unit without a quota has no place
    with pytest.raises(InvalidInput, match="没有名额"):
        services.nominate(actor=union, batch=batch, person=make_person(tree.company1))
    # a withdrawn nomination frees its place
    first = Nomination.objects.get(person=miners[0])
    services.nomination_withdraw(actor=head, nomination=first)
    services.nominate(actor=head, batch=batch, person=miners[2])
    with pytest.raises(Conflict):
        services.nominate(actor=head, batch=batch, person=miners[2])
    assert Nomination.objects.filter(batch=batch).exclude(status="withdrawn").count() == 2


def test_a_batch_is_never_filled_beyond_its_capacity(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    batch = batch_of(tree, union, programme_of(tree), capacity=1)
    services.nominate(actor=union, batch=batch, person=make_person(tree.team1))
    with pytest.raises(InvalidInput, match="1个名额已满"):
        services.nominate(actor=union, batch=batch, person=make_person(tree.team1))
    with pytest.raises(InvalidInput, match="名额之和"):
        batch_of(tree, union, batch.programme, capacity=2, quotas={tree.mine1: 3}, title="二")


def went(tree: Tree, union: User, programme: Programme, person, *, years_ago: int) -> None:
    start = timezone.localdate().replace(year=timezone.localdate().year - years_ago, day=1)
    old = SanatoriumBatch.objects.create(
        programme=programme,
        kind=BatchKind.ILLNESS,
        title=f"{start.year}年病疗",
        starts_on=start,
        ends_on=start + dt.timedelta(days=5),
        place="兴城",
        capacity=10,
    )
    Nomination.objects.create(
        batch=old, person=person, unit_path=person.unit.path, status=NominationStatus.ATTENDED
    )


def test_someone_who_went_within_the_years_needs_a_reason(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    programme = programme_of(tree)  # three years by default
    batch = batch_of(tree, union, programme, capacity=5)
    recent, long_ago = make_person(tree.team1), make_person(tree.team1)
    went(tree, union, programme, recent, years_ago=2)
    went(tree, union, programme, long_ago, years_ago=4)

    with pytest.raises(InvalidInput, match="3年内已参加过疗休养"):
        services.nominate(actor=union, batch=batch, person=recent)
    assert not Nomination.objects.filter(batch=batch).exists()
    services.nominate(actor=union, batch=batch, person=long_ago)
    again = services.nominate(
        actor=union, batch=batch, person=recent, override_reason="全国劳模，集团特批"
    )
    assert again.override_reason == "全国劳模，集团特批"
    assert AuditEvent.objects.filter(action="care.sanatorium.nominate").count() == 2


def test_the_programme_sets_the_years(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    programme = programme_of(tree, years=5)
    batch = batch_of(tree, union, programme)
    person = make_person(tree.team1)
    went(tree, union, programme, person, years_ago=4)
    with pytest.raises(InvalidInput, match="5年内"):
        services.nominate(actor=union, batch=batch, person=person)


def test_nominated_then_confirmed_then_attended(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    head = make_staff(tree.mine1, Role.UNIT_HEAD)
    outsider = make_staff(tree.company2, Role.UNIT_HEAD)
    batch = batch_of(tree, union, programme_of(tree), days=0)
    person = make_person(tree.team1, name="劳模张")
    with pytest.raises(Forbidden):
        services.nominate(actor=outsider, batch=batch, person=person)
    nomination = services.nominate(actor=head, batch=batch, person=person)
    with pytest.raises(Forbidden):
        services.nomination_confirm(actor=head, nomination=nomination)
    with pytest.raises(Conflict):
        services.nomination_attend(actor=union, nomination=nomination)

    client = Client()
    client.force_login(union)
    url = reverse("care_lists:nomination_step", args=[nomination.pk, "confirm"])
    assert client.post(url).status_code == 302
    client.post(reverse("care_lists:nomination_step", args=[nomination.pk, "attend"]))
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.ATTENDED
    page = client.get(reverse("care_lists:batch", args=[batch.pk])).content.decode()
    assert "劳模张" in page
    assert "已参加" in page
    assert "北戴河第一批" in client.get(reverse("care_lists:batches")).content.decode()
    other = Client()
    other.force_login(outsider)
    assert other.get(reverse("care_lists:batch", args=[batch.pk])).status_code == 404


def test_the_union_sets_up_a_batch_with_unit_quotas_from_the_page(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    programme = programme_of(tree)
    client = Client()
    client.force_login(union)
    start = timezone.localdate() + dt.timedelta(days=10)
    form = {
        "programme": programme.pk,
        "kind": BatchKind.OCCUPATIONAL,
        "title": "职业健康疗养第一批",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=6)).isoformat(),
        "place": "兴城疗养院",
        "capacity": "20",
        "quotas": "M1 12\nA1 5",
    }
    response = client.post(reverse("care_lists:batch_new"), form)
    assert response.status_code == 302
    batch = SanatoriumBatch.objects.get()
    assert {(q.unit.code, q.places) for q in batch.quotas.all()} == {("M1", 12), ("A1", 5)}
    # too many places for the units: refused, nothing written
    page = client.post(reverse("care_lists:batch_new"), {**form, "quotas": "M1 30"})
    assert "各单位名额之和不能超过批次名额" in page.content.decode()
    assert SanatoriumBatch.objects.count() == 1
    head = make_staff(tree.mine1, Role.UNIT_HEAD)
    client.force_login(head)
    assert client.get(reverse("care_lists:batch_new")).status_code == 403
