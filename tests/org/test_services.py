"""Writes of the org app: checked, validated, audited, all-or-nothing."""

import pytest

from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.models import AuditEvent
from xinsheng.org import permissions, services
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment


def test_an_administrator_adds_a_unit_under_a_unit_in_scope(tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    unit = services.unit_create(
        actor=admin, parent=tree.area1, name="综采一区二班", kind=UnitKind.TEAM, code="T2"
    )
    assert unit.path.startswith(tree.area1.path)
    assert unit.depth == tree.area1.depth + 1
    event = AuditEvent.objects.get(action="unit.create")
    assert event.actor == admin
    assert event.after == {"name": "综采一区二班", "kind": "team", "code": "T2", "is_active": True}


def test_a_unit_outside_scope_or_a_taken_code_is_refused(tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    with pytest.raises(Forbidden):
        services.unit_create(actor=admin, parent=tree.mine2, name="外单位", kind="team", code="X1")
    with pytest.raises(InvalidInput) as taken:
        services.unit_create(actor=admin, parent=tree.area1, name="重名", kind="team", code="M2")
    assert "单位代码已被使用" in str(taken.value.fields["code"][0])
    with pytest.raises(InvalidInput):
        services.unit_create(
            actor=admin, parent=tree.area1, name="坏代码", kind="team", code="有 空格"
        )
    assert not OrgUnit.objects.filter(code__in=["X1", "有 空格"]).exists()
    assert not AuditEvent.objects.exists()


def test_only_a_superuser_adds_a_root(tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    with pytest.raises(Forbidden):
        services.unit_create(actor=admin, parent=None, name="另一集团", kind="group", code="G2")


def test_people_are_added_and_moved_within_scope(tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    person = services.person_create(
        actor=admin, unit=tree.team1, employee_no="JT0001", name=" 张伟 ", phone="13912345678"
    )
    assert person.name == "张伟"
    services.person_update(
        actor=admin,
        person=person,
        unit=tree.area1,
        name="张伟",
        position="班长",
        phone="",
        is_active=True,
    )
    person.refresh_from_db()
    assert (person.unit, person.position, person.phone) == (tree.area1, "班长", "")
    update = AuditEvent.objects.get(action="person.update")
    assert update.before["phone"] == "13912345678"
    assert update.after["unit"] == tree.area1.pk
    with pytest.raises(Forbidden):
        services.person_update(
            actor=admin,
            person=person,
            unit=tree.mine2,
            name="张伟",
            position="",
            phone="",
            is_active=True,
        )


@pytest.mark.parametrize(
    ("employee_no", "name", "phone", "field"),
    [
        ("", "张伟", "", "employee_no"),
        ("JT0002", "", "", "name"),
        ("JT0002", "张伟", "12345", "phone"),
    ],
)
def test_bad_person_input_gets_a_chinese_message_and_saves_nothing(
    tree: Tree, employee_no: str, name: str, phone: str, field: str
) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    before = Person.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.person_create(
            actor=admin, unit=tree.team1, employee_no=employee_no, name=name, phone=phone
        )
    assert field in error.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(error.value.fields[field][0]))
    assert Person.objects.count() == before


def test_roles_are_assigned_once_and_revoked_with_a_record(tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    person = PersonFactory(unit=tree.area1)
    assignment = services.role_assign(
        actor=admin, person=person, unit=tree.area1, role=Role.HANDLER
    )
    with pytest.raises(Conflict):
        services.role_assign(actor=admin, person=person, unit=tree.area1, role=Role.HANDLER)
    services.role_revoke(actor=admin, assignment=assignment)
    assert not RoleAssignment.objects.filter(person=person).exists()
    revoke = AuditEvent.objects.get(action="role.revoke")
    assert revoke.before == {"person": person.employee_no, "unit": "A1", "role": "handler"}


def test_a_revoked_role_stops_granting(tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    assert permissions.may(dispatcher, "person.view_phone", tree.team1)
    assignment = RoleAssignment.objects.get(person__user=dispatcher)
    services.role_revoke(actor=admin, assignment=assignment)
    permissions.forget_roles(dispatcher)
    assert not permissions.may(dispatcher, "person.view_phone", tree.team1)
