"""The 三不让 pledge: a family on file not visited this quarter, a relief application past its
deadline and a student of an aided age not aided each show up, and what was missing clears it."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.care.factories import (
    make_approved_application,
    make_fund,
    make_person,
    make_programme,
)
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care import pledge
from xinsheng.care.applications.validation import child_key
from xinsheng.care.choices import (
    ApplicationStatus,
    FileStatus,
    MoneySource,
    ProgrammeKind,
    Relation,
    Tier,
)
from xinsheng.care.models import (
    Application,
    CareVisit,
    HardshipFile,
    HouseholdMember,
    Pair,
    Payment,
)
from xinsheng.care.panels import care_briefing
from xinsheng.care.scope import in_subtree
from xinsheng.core.periods import QUARTER, period_of
from xinsheng.org.choices import Role
from xinsheng.org.models import Person

pytestmark = pytest.mark.django_db


def active_family(person: Person, **fields: object) -> HardshipFile:
    return HardshipFile.objects.create(
        person=person,
        unit_path=person.unit.path,
        tier=Tier.EXTREME,
        reasons=["illness"],
        household_size=4,
        household_income=Decimal("36000"),
        status=FileStatus.ACTIVE,
        review_due=timezone.localdate() + dt.timedelta(days=300),
        **fields,
    )


def test_a_family_with_a_pair_and_no_visit_this_quarter_shows_until_visited(
    tree: Tree, client: Client
) -> None:
    today = timezone.localdate()
    family = active_family(make_person(tree.team1, name="赵长顺"))
    cadre = make_person(tree.mine1, name="钱书记")
    Pair.objects.create(file=family, cadre=cadre, starts_on=today - dt.timedelta(days=200))
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    last_quarter = CareVisit.objects.create(
        file=family, unit_path=family.unit_path, visited_on=quarter_start - dt.timedelta(days=1)
    )
    last_quarter.visitors.add(cadre)

    assert list(pledge.unvisited_families(tree.company1.path, today)) == [family]
    assert pledge.pledge_of(tree.company1, today).unvisited_families == 1
    assert pledge.pledge_of(tree.company2, today).unvisited_families == 0
    client.force_login(make_staff(tree.company1, Role.LEADER))
    html = client.get(reverse("reports:dashboard"), {"unit": "C1"}).content.decode()
    assert "本季度未走访的在档困难家庭" in html

    visit = CareVisit.objects.create(
        file=family, unit_path=family.unit_path, visited_on=today, goods="米、油"
    )
    visit.visitors.add(cadre)

    assert list(pledge.unvisited_families(tree.company1.path, today)) == []
    assert pledge.pledge_of(tree.company1, today).kept
    text, figures = care_briefing(unit=tree.company1, period=period_of(QUARTER, today))
    assert "1名领导干部与1户困难职工家庭结成帮扶对子，走访慰问1次" in text
    assert figures["families_by_tier"]["extreme"] == 1


def test_a_child_of_an_aided_age_in_a_family_on_file_counts_until_aided(tree: Tree) -> None:
    year = timezone.localdate().year
    family = active_family(make_person(tree.team1, name="孙德胜"))
    HouseholdMember.objects.create(
        file=family, name="孙小雨", relation=Relation.CHILD, birth_year=year - 18
    )
    HouseholdMember.objects.create(
        file=family, name="孙小雷", relation=Relation.CHILD, birth_year=year - 9
    )

    waiting = pledge.students_not_aided(tree.company1, year)

    assert [child.name for child in waiting] == ["孙小雨"]  # the nine-year-old is not of age
    assert pledge.students_not_aided(tree.company2, year) == []

    fund = make_fund(tree.company1)
    aid = make_programme(tree.company1, fund=fund)
    application, approval = make_approved_application(
        aid, family.person, amount="5000", subject=child_key("孙小雨")
    )
    Payment.objects.create(
        programme=aid,
        person=family.person,
        unit_path=family.unit_path,
        amount=Decimal("5000"),
        source=MoneySource.FUND,
        fund=fund,
        paid_on=timezone.localdate(),
        application=application,
        approval=approval,
    )

    assert pledge.students_not_aided(tree.company1, year) == []


def test_a_relief_application_past_its_deadline_counts_and_the_rates_show_the_pledge(
    tree: Tree,
) -> None:
    today = timezone.localdate()
    relief = make_programme(tree.company1, kind=ProgrammeKind.ILLNESS_RELIEF, title="大病救助")
    person = make_person(tree.team1, name="周大海")
    Application.objects.create(
        programme=relief,
        kind=relief.kind,
        year=relief.year,
        person=person,
        unit_path=person.unit.path,
        status=ApplicationStatus.SUBMITTED,
        decide_by=today - dt.timedelta(days=1),
    )

    assert pledge.pledge_of(tree.company1, today).relief_overdue == 1
    assert pledge.pledge_of(tree.company2, today).relief_overdue == 0
    out = StringIO()
    first = today.replace(month=1, day=1).isoformat()
    args = ["--unit", "C1", "--from", first, "--to", today.isoformat(), "--json"]
    call_command("rates", *args, stdout=out)
    care = json.loads(out.getvalue())["current"]["care"]
    assert care["pledge"]["relief_overdue"] == 1
    assert care["students_aided"] == 0


def test_a_subtree_is_bounded_as_a_range_of_paths() -> None:
    assert in_subtree("0001") == {
        "unit_path__startswith": "0001",
        "unit_path__gte": "0001",
        "unit_path__lt": "0002",
    }
    assert in_subtree("0009", "file__unit_path")["file__unit_path__lt"] == "000A"
    assert in_subtree("000Z")["unit_path__lt"] == "001"
    assert in_subtree("ZZZZ") == {"unit_path__startswith": "ZZZZ"}
