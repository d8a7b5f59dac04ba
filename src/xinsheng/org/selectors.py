"""Every read of the org app, filtered to what the acting user may see."""

from django.db.models import Count, Q, QuerySet

from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person, RoleAssignment, mask_phone
from xinsheng.org.permissions import Actor


def unit_list_for(
    *, actor: Actor, search: str = "", include_inactive: bool = True
) -> QuerySet[OrgUnit]:
    """Return the units ``actor`` may see, matching ``search`` in name or code."""
    units = permissions.units_for(actor, "unit.view")
    if search := search.strip():
        units = units.filter(Q(name__icontains=search) | Q(code__iexact=search))
    if not include_inactive:
        units = units.filter(is_active=True)
    return units.order_by("path")


def unit_roots_for(*, actor: Actor) -> QuerySet[OrgUnit]:
    """Return the top units of ``actor``'s scope: where the tree page starts."""
    return OrgUnit.objects.filter(path__in=permissions.scope_paths(actor, "unit.view")).order_by(
        "path"
    )


def unit_get_for(*, actor: Actor, code: str) -> OrgUnit:
    """Return the unit with ``code`` if ``actor`` may see it; ``NotFound`` otherwise."""
    unit = unit_list_for(actor=actor).filter(code=code).first()
    if unit is None:
        raise NotFound()
    return unit


def unit_children_for(*, actor: Actor, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """Return the direct sub-units of ``unit`` that ``actor`` may see."""
    return (
        unit_list_for(actor=actor)
        .filter(path__startswith=unit.path, depth=unit.depth + 1)
        .order_by("path")
    )


def unit_ancestors_for(*, actor: Actor, unit: OrgUnit) -> list[OrgUnit]:
    """Return the ancestors of ``unit`` that ``actor`` may see, from the top down."""
    paths = [unit.path[:i] for i in range(OrgUnit.steplen, len(unit.path), OrgUnit.steplen)]
    return list(unit_list_for(actor=actor).filter(path__in=paths).order_by("depth"))


def unit_people_counts(*, units: list[OrgUnit]) -> dict[int, int]:
    """Return the number of active people directly in each of ``units``, by unit id."""
    rows = (
        Person.objects.filter(unit__in=units, is_active=True)
        .values("unit")
        .annotate(n=Count("id"))
        .values_list("unit", "n")
    )
    return dict(rows)


def unit_subtree_headcount(*, unit: OrgUnit) -> int:
    """Return the number of active people in ``unit`` and everything under it."""
    return Person.objects.filter(unit__path__startswith=unit.path, is_active=True).count()


def person_list_for(
    *, actor: Actor, search: str = "", unit: OrgUnit | None = None
) -> QuerySet[Person]:
    """Return the people ``actor`` may see, in ``unit``'s subtree and matching ``search``."""
    people = permissions.in_scope(Person.objects.all(), actor, "person.view")
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    if search := search.strip():
        people = people.filter(Q(name__contains=search) | Q(employee_no__iexact=search))
    return people.select_related("unit").order_by("unit__path", "employee_no")


def person_get_for(*, actor: Actor, employee_no: str) -> Person:
    """Return the person with ``employee_no`` if ``actor`` may see them; ``NotFound`` otherwise."""
    person = person_list_for(actor=actor).filter(employee_no=employee_no).first()
    if person is None:
        raise NotFound()
    return person


def person_phone_for(*, actor: Actor, person: Person) -> str:
    """Return ``person``'s phone number, masked unless ``actor`` needs it whole."""
    if permissions.may(actor, "person.view_phone", person.unit):
        return person.phone
    return mask_phone(person.phone)


def role_holders_for(*, actor: Actor, unit: OrgUnit) -> QuerySet[RoleAssignment]:
    """Return the roles held at ``unit`` itself, if ``actor`` may see its people."""
    if not permissions.may(actor, "person.view", unit):
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(unit=unit)
        .select_related("person", "unit")
        .order_by("role", "person__name")
    )


def role_list_of(*, actor: Actor, person: Person) -> QuerySet[RoleAssignment]:
    """Return the roles ``person`` holds, at the units ``actor`` may see."""
    return permissions.in_scope(
        RoleAssignment.objects.filter(person=person), actor, "unit.view"
    ).select_related("unit")
