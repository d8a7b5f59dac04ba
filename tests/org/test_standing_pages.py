"""A person's standing on the staff pages: the form, the person page and the people list."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.core.test_language import CJK, visible_text
from tests.org.factories import PersonFactory, make_staff, make_unit
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import CadreRank, Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, UnitCharge

FRAGMENT = {"HX-Request": "true", "HX-Target": "people"}


@pytest.fixture
def admin(tree: Tree) -> User:
    """An administrator of the first company."""
    return make_staff(tree.company1, Role.ADMINISTRATOR, username="c1-admin")


@pytest.fixture
def office(tree: Tree) -> OrgUnit:
    return make_unit(tree.mine1, name="机电科", kind=UnitKind.DEPARTMENT, code="M1-D01")


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def html_of(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def checked_values(html: str, name: str) -> set[str]:
    """Return the values of the ticked boxes called ``name``."""
    boxes = re.findall(rf'<input type="checkbox" name="{name}"[^>]*>', html)
    return {re.search(r'value="([^"]*)"', box)[1] for box in boxes if " checked" in box}  # type: ignore[index]


def selected_rank(html: str) -> str:
    select = re.search(r'<select name="cadre_rank".*?</select>', html, flags=re.S)
    assert select is not None
    chosen = re.search(r'<option value="([^"]*)" selected>', select[0])
    return chosen[1] if chosen else ""


def codes_in_charge(person: Person) -> list[str]:
    return sorted(UnitCharge.objects.filter(person=person).values_list("unit__code", flat=True))


# --- the form ---------------------------------------------------------------------------------


def test_the_edit_form_round_trips_rank_groups_and_units_in_charge(
    client: Client, tree: Tree, admin: User, office: OrgUnit
) -> None:
    # Given a deputy mine leader, not yet described, and their administrator on the edit form
    leader = PersonFactory(unit=tree.mine1, name="李副矿", position="副矿长")
    client = signed_in(client, admin)
    url = reverse("org:person_edit", args=[leader.employee_no])
    form = html_of(client, url)
    assert selected_rank(form) == ""
    assert checked_values(form, "groups") == set()
    assert "暂无分管单位" in form

    # When they make them a party member and manager of 矿领导 rank, in charge of the work area
    # (ticked among the suggestions) and of 机电科 (typed by its name)
    response = client.post(
        url,
        {
            "unit": "M1",
            "name": "李副矿",
            "position": "副矿长",
            "is_active": "on",
            "cadre_rank": "mine_leader",
            "groups": ["party_member", "manager"],
            "units_in_charge": ["A1"],
            "units_in_charge_add": "机电科",
        },
    )

    # Then it is saved and audited
    assert response.status_code == 302
    leader.refresh_from_db()
    assert (leader.cadre_rank, leader.is_party_member, leader.is_manager) == (
        "mine_leader",
        True,
        True,
    )
    assert codes_in_charge(leader) == ["A1", "M1-D01"]
    assert AuditEvent.objects.filter(actor=admin, action="person.units_in_charge").exists()
    # and the form shows it all again: the rank chosen, the groups and the units ticked
    again = html_of(client, url)
    assert selected_rank(again) == "mine_leader"
    assert checked_values(again, "groups") == {"party_member", "manager"}
    assert checked_values(again, "units_in_charge") == {"A1", "M1-D01"}
    assert "is_principal" in again

    # When they untick the work area and save
    client.post(
        url,
        {
            "unit": "M1",
            "name": "李副矿",
            "is_active": "on",
            "cadre_rank": "mine_leader",
            "groups": ["party_member"],
            "units_in_charge": ["M1-D01"],
        },
    )

    # Then only 机电科 is left, and the manager group is gone
    leader.refresh_from_db()
    assert codes_in_charge(leader) == ["M1-D01"]
    assert leader.is_manager is False


def test_a_unit_in_charge_that_cannot_be_found_is_said_and_nothing_is_saved(
    client: Client, tree: Tree, admin: User
) -> None:
    leader = PersonFactory(unit=tree.mine1, position="副矿长")
    make_unit(tree.mine1, name="通风科", kind=UnitKind.DEPARTMENT, code="M1-D02")
    make_unit(tree.area1, name="通风科", kind=UnitKind.DEPARTMENT, code="A1-D02")

    response = signed_in(client, admin).post(
        reverse("org:person_edit", args=[leader.employee_no]),
        {
            "unit": "M1",
            "name": leader.name,
            "position": "矿长",
            "is_active": "on",
            "cadre_rank": "mine_leader",
            "units_in_charge_add": "M2、通风科，A1",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "找不到单位“M2”，或该单位不在您的管理范围内。" in html
    assert "有多个单位名为“通风科”，请填写单位代码。" in html
    # the units found stay ticked, and what was not found stays in the box to be corrected
    assert checked_values(html, "units_in_charge") == {"A1"}
    assert 'value="M2、通风科"' in html
    leader.refresh_from_db()
    assert (leader.position, leader.cadre_rank) == ("副矿长", "")
    assert codes_in_charge(leader) == []


def test_an_unknown_rank_is_refused_on_the_form(client: Client, tree: Tree, admin: User) -> None:
    person = PersonFactory(unit=tree.team1)

    response = signed_in(client, admin).post(
        reverse("org:person_edit", args=[person.employee_no]),
        {"unit": "T1", "name": person.name, "is_active": "on", "cadre_rank": "处级"},
    )

    assert response.status_code == 400
    person.refresh_from_db()
    assert person.cadre_rank == ""


def test_a_person_is_added_with_their_standing(client: Client, tree: Tree, admin: User) -> None:
    response = signed_in(client, admin).post(
        reverse("org:person_add", args=["T1"]),
        {
            "employee_no": "KM3001",
            "name": "赵班长",
            "position": "班长",
            "is_principal": "on",
            "groups": ["team_leader", "backbone"],
        },
    )

    assert response.status_code == 302
    person = Person.objects.get(employee_no="KM3001")
    assert (person.is_principal, person.is_team_leader, person.is_backbone) == (True, True, True)
    assert (person.cadre_rank, person.is_party_member) == ("", False)


def test_the_unit_suggestions_of_the_picker_are_units_the_user_manages(
    client: Client, tree: Tree, admin: User, office: OrgUnit
) -> None:
    client = signed_in(client, admin)
    url = reverse("org:charge_options")

    html = html_of(client, url + "?units_in_charge_add=矿", **{"HX-Request": "true"})

    # 一矿 is theirs; 二矿 belongs to the other company
    assert 'name="units_in_charge" value="M1"' in html
    assert "M2" not in html
    by_code = html_of(client, url + "?units_in_charge_add=M1-D01", **{"HX-Request": "true"})
    assert 'value="M1-D01"' in by_code
    assert "一矿 /" in by_code  # the parent tells apart offices of the same name
    leader = make_staff(tree.company1, Role.LEADER)
    assert "M1" not in html_of(signed_in(Client(), leader), url + "?units_in_charge_add=矿")


# --- the person page and the list -------------------------------------------------------------


def test_the_person_page_shows_the_standing_and_the_units_in_charge(
    client: Client, tree: Tree, admin: User, office: OrgUnit
) -> None:
    person = PersonFactory(
        unit=tree.mine1,
        is_party_member=True,
        cadre_rank=CadreRank.SECTION,
        is_principal=True,
        is_team_leader=True,
    )
    UnitCharge.objects.create(person=person, unit=tree.area1)
    UnitCharge.objects.create(person=person, unit=office)

    html = html_of(signed_in(client, admin), reverse("org:person", args=[person.employee_no]))

    assert "党员 · 科级 · 主要负责人 · 班组长" in html
    text = re.sub(r"<[^>]+>", "", html)
    assert "综采一区、机电科" in text
    assert reverse("org:unit", args=["M1-D01"]) in html


def test_a_viewer_sees_only_the_units_in_charge_in_their_scope(client: Client, tree: Tree) -> None:
    person = PersonFactory(unit=tree.mine1)
    UnitCharge.objects.create(person=person, unit=tree.area1)
    UnitCharge.objects.create(person=person, unit=tree.mine2)
    viewer = make_staff(tree.company1, Role.LEADER)

    html = html_of(signed_in(client, viewer), reverse("org:person", args=[person.employee_no]))

    assert "综采一区" in html
    assert "二矿" not in html


def test_the_people_list_is_filtered_by_group_and_by_rank(
    client: Client, tree: Tree, admin: User
) -> None:
    PersonFactory(unit=tree.team1, name="党员甲", is_party_member=True)
    PersonFactory(unit=tree.team1, name="骨干乙", is_backbone=True)
    PersonFactory(unit=tree.area1, name="科长丙", cadre_rank=CadreRank.SECTION, is_principal=True)
    PersonFactory(unit=tree.area1, name="副科丁", cadre_rank=CadreRank.DEPUTY_SECTION)
    PersonFactory(unit=tree.mine2, name="外矿党员", is_party_member=True)
    client = signed_in(client, admin)
    people = reverse("org:people")

    party = html_of(client, people + "?group=party_member")
    assert "党员甲" in party
    assert "骨干乙" not in party
    assert "外矿党员" not in party  # out of scope stays out
    section = html_of(client, people + "?rank=section", **FRAGMENT)
    assert "科长丙" in section
    assert "副科丁" not in section
    assert "党员甲" not in section
    cadres = html_of(client, people + "?rank=cadre")
    assert "科长丙" in cadres
    assert "副科丁" in cadres
    assert "党员甲" not in cadres
    principals = html_of(client, people + "?group=principal&rank=section")
    assert "科长丙" in principals
    assert "副科丁" not in principals
    # the list shows each person's standing, and the filters keep their choice
    assert "科级 · 主要负责人" in principals
    assert '<option value="principal" selected>' in principals
    nobody = html_of(client, people + "?group=technical_talent")
    assert "没有符合筛选条件的人员" in nobody
    # an unknown value filters nothing out
    assert "党员甲" in html_of(client, people + "?rank=colonel")


def test_the_pages_in_english_have_no_chinese_but_the_data(
    english: Client, tree: Tree, admin: User, office: OrgUnit
) -> None:
    person = PersonFactory(
        unit=tree.mine1,
        name="李副矿",
        position="副矿长",
        is_party_member=True,
        cadre_rank=CadreRank.MINE_LEADER,
        is_technical_talent=True,
        is_backbone=True,
        is_manager=True,
    )
    UnitCharge.objects.create(person=person, unit=office)
    client = signed_in(english, admin)
    data = [
        person.name,
        person.position,
        admin.person.name,  # type: ignore[attr-defined]
        *OrgUnit.objects.values_list("name", flat=True),
    ]
    pages = {
        "person": reverse("org:person", args=[person.employee_no]),
        "edit": reverse("org:person_edit", args=[person.employee_no]),
        "add": reverse("org:person_add", args=["M1"]),
        "list": reverse("org:people") + "?group=party_member&rank=mine_leader",
        "picker": reverse("org:charge_options") + "?units_in_charge_add=M1",
    }
    for name, url in pages.items():
        text = visible_text(html_of(client, url))
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, "")
        assert not CJK.search(text), (name, CJK.findall(text))
    assert "Party member · Mine leader" in html_of(client, pages["person"])
