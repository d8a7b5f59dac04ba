"""Every write of the org app: one transaction each, checked and audited."""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org import permissions
from xinsheng.org.attributes import ATTRIBUTE_FIELDS, group_values
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment, UnitCharge
from xinsheng.org.validation import (
    MAX_UNITS_IN_CHARGE,
    clean_birth_date,
    clean_cadre_rank,
    clean_employee_no,
    clean_groups,
    clean_name,
    clean_phone,
    clean_unit_code,
    clean_unit_name,
)

UNIT_FIELDS = ["name", "kind", "code", "is_active"]


class Unchanged:
    """What a keyword argument of ``person_update`` defaults to when it is not to change."""


UNCHANGED = Unchanged()

PERSON_FIELDS = [
    "employee_no",
    "name",
    "unit",
    "position",
    "phone",
    "birth_date",
    "is_active",
    *ATTRIBUTE_FIELDS,
]


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
    birth_date: dt.date | None = None,
    cadre_rank: str = "",
    is_principal: bool = False,
    groups: Iterable[str] = (),
    units_in_charge: Iterable[OrgUnit] = (),
) -> Person:
    """Add a person to ``unit``, with their rank, groups and the units they are in charge of."""
    permissions.require(actor, "person.manage", unit)
    employee_no = clean_employee_no(employee_no)
    if Person.objects.filter(employee_no=employee_no).exists():
        raise InvalidInput(fields={"employee_no": [_("工号已存在。")]})
    person = Person(
        unit=unit,
        employee_no=employee_no,
        name=clean_name(name),
        position=position.strip()[:100],
        phone=clean_phone(phone),
        birth_date=clean_birth_date(birth_date),
        cadre_rank=clean_cadre_rank(cadre_rank),
        is_principal=is_principal,
        **group_values(clean_groups(groups)),
    )
    charges = _clean_charges(actor=actor, own_unit=unit, units=units_in_charge)
    person.save()
    audit_record(
        actor=actor, action="person.create", obj=person, after=snapshot(person, PERSON_FIELDS)
    )
    if charges:
        person_units_in_charge_set(actor=actor, person=person, units=charges)
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
    birth_date: dt.date | Unchanged | None = UNCHANGED,
    cadre_rank: str | None = None,
    is_principal: bool | None = None,
    groups: Iterable[str] | None = None,
    units_in_charge: Iterable[OrgUnit] | None = None,
) -> Person:
    """Change a person's details or move them to ``unit``; both units must be in scope.

    The birth date, rank, principal flag, groups and units in charge are left as they are when
    not given.
    """
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    permissions.require(actor, "person.manage", person.unit)
    permissions.require(actor, "person.manage", unit)
    before = snapshot(person, PERSON_FIELDS)
    person.unit = unit
    person.name = clean_name(name)
    person.position = position.strip()[:100]
    person.phone = clean_phone(phone)
    person.is_active = is_active
    if not isinstance(birth_date, Unchanged):
        person.birth_date = clean_birth_date(birth_date)
    if cadre_rank is not None:
        person.cadre_rank = clean_cadre_rank(cadre_rank)
    if is_principal is not None:
        person.is_principal = is_principal
    if groups is not None:
        for field, value in group_values(clean_groups(groups)).items():
            setattr(person, field, value)
    charges = (
        None
        if units_in_charge is None
        else _clean_charges(actor=actor, own_unit=unit, units=units_in_charge)
    )
    person.save()
    audit_record(
        actor=actor,
        action="person.update",
        obj=person,
        before=before,
        after=snapshot(person, PERSON_FIELDS),
    )
    if charges is not None:
        person_units_in_charge_set(actor=actor, person=person, units=charges)
    return person


@transaction.atomic
def person_units_in_charge_set(
    *, actor: Actor, person: Person, units: Iterable[OrgUnit]
) -> list[OrgUnit]:
    """Make ``units`` the units ``person`` is in charge of (分管); return them all.

    Every unit given must be in ``actor``'s scope. Charges at units outside that scope were set
    by someone above the actor; they stay as they are, since the actor can neither see nor
    judge them. The audit record names the units in charge before and after, by code.
    """
    person = Person.objects.select_for_update().select_related("unit").get(pk=person.pk)
    permissions.require(actor, "person.manage", person.unit)
    wanted = _clean_charges(actor=actor, own_unit=person.unit, units=units)
    current = list(OrgUnit.objects.filter(charges__person=person).order_by("path"))
    kept = [unit for unit in current if not permissions.may(actor, "person.manage", unit)]
    final = {unit.pk: unit for unit in [*kept, *wanted]}
    before = sorted(unit.code for unit in current)
    after = sorted(unit.code for unit in final.values())
    if before != after:
        UnitCharge.objects.filter(person=person).exclude(unit_id__in=list(final)).delete()
        held = {unit.pk for unit in current}
        UnitCharge.objects.bulk_create(
            UnitCharge(person=person, unit=unit) for pk, unit in final.items() if pk not in held
        )
        audit_record(
            actor=actor,
            action="person.units_in_charge",
            obj=person,
            before={"units_in_charge": before},
            after={"units_in_charge": after},
        )
    return sorted(final.values(), key=lambda unit: unit.path)


def _clean_charges(*, actor: Actor, own_unit: OrgUnit, units: Iterable[OrgUnit]) -> list[OrgUnit]:
    """Return ``units`` once each, if each may be a unit in charge of someone in ``own_unit``."""
    chosen = list({unit.pk: unit for unit in units}.values())
    problem = None
    if len(chosen) > MAX_UNITS_IN_CHARGE:
        problem = _("分管单位最多%(max)d个。") % {"max": MAX_UNITS_IN_CHARGE}
    elif own_unit.pk in {unit.pk for unit in chosen}:
        problem = _("分管单位不能是本人所在单位“%(name)s”。") % {"name": own_unit.name}
    else:
        outside = [u for u in chosen if not permissions.may(actor, "person.manage", u)]
        if outside:
            problem = _("分管单位“%(name)s”不在您的管理范围内。") % {"name": outside[0].name}
    if problem is not None:
        raise InvalidInput(problem, fields={"units_in_charge": [problem]})
    return chosen


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
