"""A person's standing through the services: cadre rank, principal, groups and units in charge."""

import pytest

from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff, make_unit
from xinsheng.core.errors import Forbidden, InvalidInput
from xinsheng.core.models import AuditEvent
from xinsheng.org import services
from xinsheng.org.choices import CadreRank, PersonGroup, Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, UnitCharge


def charge_codes(person: Person) -> list[str]:
    return sorted(UnitCharge.objects.filter(person=person).values_list("unit__code", flat=True))


@pytest.fixture
def office(tree: Tree) -> OrgUnit:
    """机电科, an office of mine 1 beside its work area 综采一区."""
    return make_unit(tree.mine1, name="机电科", kind=UnitKind.DEPARTMENT, code="M1-D01")


def test_a_person_is_added_with_rank_groups_and_units_in_charge(
    tree: Tree, office: OrgUnit
) -> None:
    # Given an administrator of company 1
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)

    # When they add a deputy mine leader in charge of the work area and the office
    person = services.person_create(
        actor=admin,
        unit=tree.mine1,
        employee_no="JT0100",
        name="李明",
        position="副矿长",
        cadre_rank=CadreRank.MINE_LEADER,
        groups=[PersonGroup.PARTY_MEMBER, PersonGroup.MANAGER],
        units_in_charge=[tree.area1, office],
    )

    # Then the person holds that standing
    person.refresh_from_db()
    assert person.cadre_rank == "mine_leader"
    assert (person.is_party_member, person.is_manager) == (True, True)
    assert not any((person.is_principal, person.is_team_leader, person.is_backbone))
    assert charge_codes(person) == ["A1", "M1-D01"]
    # and the audit trail says so: the new person's standing, then the units in charge by code
    created = AuditEvent.objects.get(action="person.create")
    assert created.after is not None
    assert created.after["cadre_rank"] == "mine_leader"
    assert created.after["is_party_member"] is True
    assert created.after["is_principal"] is False
    charges = AuditEvent.objects.get(action="person.units_in_charge")
    assert charges.before == {"units_in_charge": []}
    assert charges.after == {"units_in_charge": ["A1", "M1-D01"]}
    assert charges.actor == admin


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"cadre_rank": "处级"}, "cadre_rank", "干部级别无效"),
        ({"groups": ["party_member", "retired"]}, "groups", "人员群体“retired”无效"),
    ],
)
def test_an_unknown_rank_or_group_is_refused_and_nothing_is_written(
    tree: Tree, fields: dict[str, object], field: str, message: str
) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)

    with pytest.raises(InvalidInput) as refused:
        services.person_create(
            actor=admin,
            unit=tree.team1,
            employee_no="JT0101",
            name="王强",
            units_in_charge=[tree.area1],
            **fields,  # type: ignore[arg-type]
        )

    assert message in str(refused.value.fields[field][0])
    assert not Person.objects.filter(employee_no="JT0101").exists()
    assert not UnitCharge.objects.exists()
    assert not AuditEvent.objects.exists()


def test_units_in_charge_outside_the_actors_scope_are_refused(tree: Tree) -> None:
    # Given an administrator of company 1 and a leader of mine 1
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    leader = PersonFactory(unit=tree.mine1, cadre_rank=CadreRank.MINE_LEADER)

    # When they put the leader in charge of mine 2, which belongs to company 2
    with pytest.raises(InvalidInput) as refused:
        services.person_units_in_charge_set(actor=admin, person=leader, units=[tree.mine2])

    # Then it is refused by name, and nothing is written
    assert refused.value.fields["units_in_charge"] == ["分管单位“二矿”不在您的管理范围内。"]
    assert charge_codes(leader) == []
    assert not AuditEvent.objects.exists()


def test_a_person_is_not_in_charge_of_their_own_unit(tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    head = PersonFactory(unit=tree.area1)

    with pytest.raises(InvalidInput) as refused:
        services.person_units_in_charge_set(actor=admin, person=head, units=[tree.area1])

    assert "不能是本人所在单位" in str(refused.value.fields["units_in_charge"][0])
    assert charge_codes(head) == []


def test_the_people_of_another_company_are_forbidden(tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    stranger = PersonFactory(unit=tree.mine2)

    with pytest.raises(Forbidden):
        services.person_units_in_charge_set(actor=admin, person=stranger, units=[])
    with pytest.raises(Forbidden):
        services.person_update(
            actor=admin,
            person=stranger,
            unit=tree.mine2,
            name=stranger.name,
            position="",
            phone="",
            is_active=True,
            cadre_rank=CadreRank.SECTION,
        )
    stranger.refresh_from_db()
    assert stranger.cadre_rank == ""


def test_setting_units_in_charge_again_replaces_them_and_audits_before_and_after(
    tree: Tree, office: OrgUnit
) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    leader = PersonFactory(unit=tree.mine1)
    services.person_units_in_charge_set(actor=admin, person=leader, units=[tree.area1])

    services.person_units_in_charge_set(actor=admin, person=leader, units=[office, office])

    assert charge_codes(leader) == ["M1-D01"]
    last = AuditEvent.objects.filter(action="person.units_in_charge").latest("id")
    assert last.before == {"units_in_charge": ["A1"]}
    assert last.after == {"units_in_charge": ["M1-D01"]}
    # and setting the same units once more writes nothing
    services.person_units_in_charge_set(actor=admin, person=leader, units=[office])
    assert AuditEvent.objects.filter(action="person.units_in_charge").count() == 2


def test_units_in_charge_set_from_above_stay_when_a_lower_administrator_edits(
    tree: Tree, office: OrgUnit
) -> None:
    # Given a group administrator who put a mine-1 leader in charge of mine 2 as well
    group_admin = make_staff(tree.group, Role.ADMINISTRATOR)
    leader = PersonFactory(unit=tree.mine1)
    services.person_units_in_charge_set(
        actor=group_admin, person=leader, units=[tree.mine2, tree.area1]
    )

    # When an administrator of company 1 sets the leader's units in charge to the office
    company_admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    held = services.person_units_in_charge_set(actor=company_admin, person=leader, units=[office])

    # Then the area (theirs to change) is replaced and mine 2 (not theirs) stays
    assert charge_codes(leader) == ["M1-D01", "M2"]
    assert [unit.code for unit in held] == ["M1-D01", "M2"]


def test_an_update_changes_the_standing_given_and_leaves_the_rest(tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    person = PersonFactory(
        unit=tree.team1, is_party_member=True, is_backbone=True, cadre_rank=CadreRank.MANAGER
    )

    # An update without the standing (as before this existed) leaves it alone
    services.person_update(
        actor=admin,
        person=person,
        unit=tree.team1,
        name=person.name,
        position="班长",
        phone="",
        is_active=True,
    )
    person.refresh_from_db()
    assert (person.cadre_rank, person.is_party_member, person.is_backbone) == (
        "manager",
        True,
        True,
    )

    # An update with it replaces the groups and the rank
    services.person_update(
        actor=admin,
        person=person,
        unit=tree.team1,
        name=person.name,
        position="班长",
        phone="",
        is_active=True,
        cadre_rank="",
        is_principal=True,
        groups=[PersonGroup.TEAM_LEADER, PersonGroup.PARTY_MEMBER],
    )
    person.refresh_from_db()
    assert person.cadre_rank == ""
    assert (person.is_principal, person.is_team_leader, person.is_party_member) == (
        True,
        True,
        True,
    )
    assert person.is_backbone is False
    event = AuditEvent.objects.filter(action="person.update").latest("id")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["cadre_rank"], event.after["cadre_rank"]) == ("manager", "")
    assert (event.before["is_team_leader"], event.after["is_team_leader"]) == (False, True)
    assert (event.before["is_backbone"], event.after["is_backbone"]) == (True, False)


def test_a_bad_unit_in_charge_leaves_the_rest_of_an_update_unwritten(tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    person = PersonFactory(unit=tree.mine1, position="副矿长")

    with pytest.raises(InvalidInput):
        services.person_update(
            actor=admin,
            person=person,
            unit=tree.mine1,
            name=person.name,
            position="矿长",
            phone="",
            is_active=True,
            cadre_rank=CadreRank.MINE_LEADER,
            units_in_charge=[tree.mine2],
        )

    person.refresh_from_db()
    assert (person.position, person.cadre_rank) == ("副矿长", "")
    assert not AuditEvent.objects.exists()
