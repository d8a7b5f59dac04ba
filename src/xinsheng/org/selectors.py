"""Every read of the org app, filtered to what the acting user may see."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.attributes import GROUP_FIELDS, PRINCIPAL
from xinsheng.org.choices import CadreRank, PersonGroup
from xinsheng.org.models import OrgUnit, Person, RoleAssignment, in_subtree, mask_phone

CADRE = "cadre"  # the people list's filter value for every cadre, whatever their rank


def account_in_service(user: AbstractBaseUser) -> bool:
    """Return False when ``user`` is the login of a person marked as left (不在职)."""
    return not Person.objects.filter(user_id=user.pk, is_active=False).exists()


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
        .filter(**in_subtree(unit.path), depth=unit.depth + 1)
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
    return Person.objects.filter(**in_subtree(unit.path, via="unit"), is_active=True).count()


def person_list_for(
    *,
    actor: Actor,
    search: str = "",
    unit: OrgUnit | None = None,
    group: str = "",
    rank: str = "",
) -> QuerySet[Person]:
    """Return the people ``actor`` may see, in ``unit``'s subtree and matching ``search``.

    ``group`` keeps the members of a ``PersonGroup`` (or the principals, ``"principal"``);
    ``rank`` keeps the cadres of a ``CadreRank`` (or every cadre, ``"cadre"``). An unknown
    value of either keeps everyone, as an empty one does.
    """
    people = permissions.in_scope(Person.objects.all(), actor, "person.view")
    if unit is not None:
        people = people.filter(**in_subtree(unit.path, via="unit"))
    if search := search.strip():
        people = people.filter(Q(name__contains=search) | Q(employee_no__iexact=search))
    if group == PRINCIPAL:
        people = people.filter(is_principal=True)
    elif group in PersonGroup.values:
        people = people.filter(**{GROUP_FIELDS[PersonGroup(group)]: True})
    if rank == CADRE:
        people = people.exclude(cadre_rank="")
    elif rank in CadreRank.values:
        people = people.filter(cadre_rank=rank)
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


def person_units_in_charge_for(*, actor: Actor, person: Person) -> QuerySet[OrgUnit]:
    """Return the units ``person`` is in charge of (分管) that ``actor`` may see."""
    return unit_list_for(actor=actor).filter(charges__person=person).order_by("path")


def unit_by_reference_for(*, actor: Actor, reference: str, action: str) -> list[OrgUnit]:
    """Return the units a typed ``reference`` names among those where ``actor`` may ``action``.

    The unit with that code if there is one; otherwise those of exactly that name, at most two
    (more than one means the name does not say which, and the caller asks for the code).
    """
    units = permissions.units_for(actor, action)
    by_code = list(units.filter(code=reference)[:1])
    return by_code or list(units.filter(name=reference).order_by("path")[:2])


def unit_choice_search_for(*, actor: Actor, search: str, action: str, limit: int) -> list[OrgUnit]:
    """Return up to ``limit`` units where ``actor`` may ``action``, matching ``search``.

    An exact code comes first, then names containing ``search`` in tree order.
    """
    units = permissions.units_for(actor, action)
    search = search.strip()
    exact = list(units.filter(code__iexact=search)[:1])
    rest = units.filter(name__icontains=search).exclude(pk__in=[unit.pk for unit in exact])
    return exact + list(rest.order_by("path")[: max(limit - len(exact), 0)])


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


def _group_by_path_length(units: Iterable[OrgUnit]) -> dict[int, dict[str, int]]:
    """Return {path length: {path: unit id}} so each depth is counted with one query."""
    groups: dict[int, dict[str, int]] = defaultdict(dict)
    for unit in units:
        groups[len(unit.path)][unit.path] = unit.pk
    return groups


def _common_path(paths: Iterable[str]) -> str:
    """Return the longest whole-step path that every one of ``paths`` starts with."""
    first, *rest = paths
    prefix = first
    for path in rest:
        while not path.startswith(prefix):
            prefix = prefix[: -OrgUnit.steplen]
    return prefix


def unit_headcounts(*, units: Sequence[OrgUnit]) -> dict[int, int]:
    """Return the number of active people in each of ``units`` and its subtree, by unit id.

    One grouped query per depth, so a page of sibling units costs one query, not one each.
    """
    counts = dict.fromkeys((unit.pk for unit in units), 0)
    for length, by_path in _group_by_path_length(units).items():
        rows = (
            Person.objects.filter(**in_subtree(_common_path(by_path), via="unit"), is_active=True)
            .annotate(prefix=Substr("unit__path", 1, length))
            .filter(prefix__in=list(by_path))
            .order_by()
            .values("prefix")
            .annotate(n=Count("id"))
            .values_list("prefix", "n")
        )
        for prefix, n in rows:
            counts[by_path[prefix]] = n
    return counts


def unit_descendant_counts(*, units: Sequence[OrgUnit]) -> dict[int, int]:
    """Return the number of units below each of ``units`` (its whole subtree), by unit id."""
    counts = dict.fromkeys((unit.pk for unit in units), 0)
    for length, by_path in _group_by_path_length(units).items():
        rows = (
            OrgUnit.objects.filter(**in_subtree(_common_path(by_path)))
            .filter(depth__gt=length // OrgUnit.steplen)
            .annotate(prefix=Substr("path", 1, length))
            .filter(prefix__in=list(by_path))
            .order_by()
            .values("prefix")
            .annotate(n=Count("id"))
            .values_list("prefix", "n")
        )
        for prefix, n in rows:
            counts[by_path[prefix]] = n
    return counts


def unit_ancestors_map_for(*, actor: Actor, units: Sequence[OrgUnit]) -> dict[int, list[OrgUnit]]:
    """Return, by unit id, the ancestors of each of ``units`` that ``actor`` may see, top down.

    One query for all of them, for lists such as search results that show each unit's path.
    """
    step = OrgUnit.steplen
    wanted = {unit.pk: [unit.path[:i] for i in range(step, len(unit.path), step)] for unit in units}
    paths = {path for unit_paths in wanted.values() for path in unit_paths}
    found = {unit.path: unit for unit in unit_list_for(actor=actor).filter(path__in=paths)}
    return {
        pk: [found[path] for path in unit_paths if path in found]
        for pk, unit_paths in wanted.items()
    }


def person_numbers_visible_to(*, actor: Actor, employee_nos: Iterable[str]) -> set[str]:
    """Return those of ``employee_nos`` whose person ``actor`` may see (to link to them)."""
    return set(
        person_list_for(actor=actor)
        .filter(employee_no__in=list(employee_nos))
        .values_list("employee_no", flat=True)
    )


def role_assignment_get_for(
    *, actor: Actor, unit: OrgUnit, employee_no: str, role: str
) -> RoleAssignment:
    """Return the ``role`` held by ``employee_no`` at ``unit``; ``NotFound`` when there is none."""
    assignment = (
        role_holders_for(actor=actor, unit=unit)
        .filter(person__employee_no=employee_no, role=role)
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment


def unit_search_for(*, actor: Actor, search: str, limit: int) -> list[OrgUnit]:
    """Return up to ``limit`` units ``actor`` may see matching ``search``; an exact code first."""
    units = unit_list_for(actor=actor, search=search)
    exact = list(units.filter(code__iexact=search.strip())[:1])
    rest = units.exclude(pk__in=[unit.pk for unit in exact])[: max(limit - len(exact), 0)]
    return exact + list(rest)


def role_holder_user_ids(*, unit: OrgUnit, roles: frozenset[str]) -> list[int]:
    """Return the accounts holding any of ``roles`` at ``unit``, else at its nearest ancestor.

    Used to decide who is told about a case; it is not a permission check.
    """
    paths = [unit.path[:i] for i in range(len(unit.path), 0, -OrgUnit.steplen)]
    rows = RoleAssignment.objects.filter(
        unit__path__in=paths,
        role__in=roles,
        person__is_active=True,
        person__user__isnull=False,
        person__user__is_active=True,
    ).values_list("unit__path", "person__user_id")
    by_path: dict[str, list[int]] = {}
    for path, user_id in rows:
        by_path.setdefault(path, []).append(user_id)
    for path in paths:
        if path in by_path:
            return sorted(set(by_path[path]))
    return []
