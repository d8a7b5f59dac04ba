"""Every write of the org app: one transaction each, checked and audited."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org import permissions
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment
from xinsheng.org.validation import (
    clean_employee_no,
    clean_name,
    clean_phone,
    clean_unit_code,
    clean_unit_name,
)

UNIT_FIELDS = ["name", "kind", "code", "is_active"]
PERSON_FIELDS = ["employee_no", "name", "unit", "position", "phone", "is_active"]


@transaction.atomic
def unit_create(
    *, actor: Actor, parent: OrgUnit | None, name: str, kind: str, code: str
) -> OrgUnit:
    """Create a unit under ``parent`` (a new root when ``parent`` is None)."""
    if parent is None:
        if not getattr(actor, "is_superuser", False):
            raise Forbidden()
    else:
        permissions.require(actor, "unit.manage", parent)
    fields = {
        "name": clean_unit_name(name),
        "kind": UnitKind(kind) if kind in UnitKind.values else _bad_kind(),
        "code": clean_unit_code(code),
    }
    if OrgUnit.objects.filter(code=fields["code"]).exists():
        raise InvalidInput(fields={"code": [_("单位代码已被使用。")]})
    unit: OrgUnit = (
        OrgUnit.objects.add_root(create_kwargs=fields)
        if parent is None
        else OrgUnit.objects.add_child(parent, create_kwargs=fields)
    )
    audit_record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


def _bad_kind() -> str:
    raise InvalidInput(fields={"kind": [_("单位类型无效。")]})


@transaction.atomic
def unit_update(*, actor: Actor, unit: OrgUnit, name: str, kind: str, is_active: bool) -> OrgUnit:
    """Rename ``unit``, change its kind, or switch it on or off. Its code never changes."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    permissions.require(actor, "unit.manage", unit)
    before = snapshot(unit, UNIT_FIELDS)
    unit.name = clean_unit_name(name)
    unit.kind = UnitKind(kind) if kind in UnitKind.values else _bad_kind()
    unit.is_active = is_active
    unit.save(update_fields=["name", "kind", "is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="unit.update",
        obj=unit,
        before=before,
        after=snapshot(unit, UNIT_FIELDS),
    )
    return unit


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    employee_no: str,
    name: str,
    position: str = "",
    phone: str = "",
) -> Person:
    """Add a person to ``unit``."""
    permissions.require(actor, "person.manage", unit)
    employee_no = clean_employee_no(employee_no)
    if Person.objects.filter(employee_no=employee_no).exists():
        raise InvalidInput(fields={"employee_no": [_("工号已存在。")]})
    person = Person.objects.create(
        unit=unit,
        employee_no=employee_no,
        name=clean_name(name),
        position=position.strip()[:100],
        phone=clean_phone(phone),
    )
    audit_record(
        actor=actor, action="person.create", obj=person, after=snapshot(person, PERSON_FIELDS)
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: Actor,
    person: Person,
    unit: OrgUnit,
    name: str,
    position: str,
    phone: str,
    is_active: bool,
) -> Person:
    """Change a person's details or move them to ``unit``; both units must be in scope."""
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    permissions.require(actor, "person.manage", person.unit)
    permissions.require(actor, "person.manage", unit)
    before = snapshot(person, PERSON_FIELDS)
    person.unit = unit
    person.name = clean_name(name)
    person.position = position.strip()[:100]
    person.phone = clean_phone(phone)
    person.is_active = is_active
    person.save()
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        before=before,
        after=snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def role_assign(*, actor: Actor, person: Person, unit: OrgUnit, role: str) -> RoleAssignment:
    """Give ``person`` the ``role`` at ``unit`` (covering its subtree)."""
    permissions.require(actor, "role.manage", unit)
    if role not in Role.values:
        raise InvalidInput(fields={"role": [_("角色无效。")]})
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(person=person, unit=unit, role=role)
    except IntegrityError as exc:
        raise Conflict(_("该人员已在此单位担任此角色。")) from exc
    audit_record(
        actor=actor,
        action="role.assign",
        obj=assignment,
        after={"person": person.employee_no, "unit": unit.code, "role": role},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment) -> None:
    """Take a role away. The audit record keeps who held it."""
    permissions.require(actor, "role.manage", assignment.unit)
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=assignment,
        before={
            "person": assignment.person.employee_no,
            "unit": assignment.unit.code,
            "role": assignment.role,
        },
    )
    assignment.delete()
