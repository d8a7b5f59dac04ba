"""The demo's programmes and applications: two 金秋助学 rounds and a year of 大病救助 with the
amounts of the source reports, written through the services."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.care.factories import make_person
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.applications import demo, selectors
from xinsheng.care.choices import ApplicationStatus, ProgrammeKind
from xinsheng.care.models import Application, FollowUp, Programme, PublicNotice
from xinsheng.care.money.selectors import programme_spent
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


def test_the_demo_round_pays_107_students_and_54_relief_cases(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    head = make_staff(tree.company1, Role.UNIT_HEAD)
    for n in range(demo.PEOPLE_NEEDED + 1):
        make_person((tree.team1, tree.area1, tree.mine1)[n % 3])
    today = dt.date(2026, 12, 3)

    counts = demo.load(union=union, reviewer=head, company=tree.company1, today=today)

    assert counts["students"] == 80 + 107
    aid_now = Programme.objects.get(kind=ProgrammeKind.STUDENT_AID, year=2026)
    aid_before = Programme.objects.get(kind=ProgrammeKind.STUDENT_AID, year=2025)
    relief = Programme.objects.get(kind=ProgrammeKind.ILLNESS_RELIEF)
    assert programme_spent(aid_now) == Decimal("256000")
    assert programme_spent(aid_before) == Decimal("200000")
    assert programme_spent(relief) == Decimal("191000")
    paid = Application.objects.filter(programme=aid_now, status=ApplicationStatus.PAID)
    assert paid.count() == 107
    assert paid.filter(details__has_key="renewal_of").count() == 50
    assert Application.objects.filter(status=ApplicationStatus.REFUSED).count() == 5
    assert PublicNotice.objects.count() == 2
    assert selectors.relief_overdue_indicator(actor=union).count == 2
    overdue = FollowUp.objects.filter(done_on__isnull=True, due_on__lt=today)
    assert overdue.count() == 6
    assert demo.load(union=union, reviewer=head, company=tree.company1, today=today) == {}
