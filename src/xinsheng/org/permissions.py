"""Who may do what, and where. The one place that answers both questions.

A role held at a unit covers that unit's whole subtree. ``ACTIONS`` maps each action to the roles
that grant it; ``may`` answers for one unit, and ``scope_q`` returns the filter that every selector
applies, so that lists and single objects obey the same rule.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from xinsheng.core.actors import Actor
from xinsheng.core.errors import Forbidden
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, RoleAssignment

ALL_ROLES = frozenset(Role)
DISPATCHING = frozenset({Role.DISPATCHER, Role.ADMINISTRATOR})
HANDLING = frozenset({Role.HANDLER, Role.UNIT_HEAD})

ACTIONS: dict[str, frozenset[Role]] = {
    # The organisation
    "unit.view": ALL_ROLES,
    "unit.manage": frozenset({Role.ADMINISTRATOR}),
    "person.view": ALL_ROLES,
    # Whole phone numbers: those who must call people back. Everyone else sees 138****1234.
    "person.view_phone": frozenset(
        {Role.ADMINISTRATOR, Role.DISPATCHER, Role.HANDLER, Role.UNIT_HEAD}
    ),
    "person.manage": frozenset({Role.ADMINISTRATOR}),
    "role.manage": frozenset({Role.ADMINISTRATOR}),
    "org.import": frozenset({Role.ADMINISTRATOR}),
    # Cases. Which unit of a case an action is checked at is said in cases/permissions.py.
    "case.view": ALL_ROLES,
    "case.view_identity": frozenset(
        {Role.ADMINISTRATOR, Role.DISPATCHER, Role.HANDLER, Role.UNIT_HEAD}
    ),
    "case.record": frozenset({Role.RECORDER, Role.DISPATCHER, Role.ADMINISTRATOR}),
    "case.accept": DISPATCHING,
    "case.reject": DISPATCHING,
    "case.merge": DISPATCHING,
    "case.dispatch": DISPATCHING,
    "case.decide_extension": DISPATCHING,
    "case.sign": HANDLING,
    "case.note": HANDLING,
    "case.answer": HANDLING,
    "case.return": HANDLING,
    "case.request_extension": HANDLING,
    "case.supervise": frozenset({Role.SUPERVISOR}),
    "intake.manage": frozenset({Role.ADMINISTRATOR, Role.DISPATCHER}),
    "category.manage": frozenset({Role.ADMINISTRATOR}),
    # Figures, exports and briefings of a subtree
    "report.view": frozenset(
        {Role.LEADER, Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.UNIT_HEAD}
    ),
    "ledger.export": ALL_ROLES,
    "ledger.import": DISPATCHING,
    "briefing.write": frozenset({Role.LEADER, Role.ADMINISTRATOR, Role.DISPATCHER}),
    # Practical-matter projects: set up by the offices, progressed by the owner unit.
    "project.view": ALL_ROLES,
    "project.manage": DISPATCHING,
    "project.update": DISPATCHING | HANDLING,
    # Text insight: keyword rules, models and hot topics.
    "insight.manage": frozenset({Role.ADMINISTRATOR}),
}

_CACHE_ATTR = "_xinsheng_role_paths"


def role_paths(actor: Actor) -> list[tuple[Role, str]]:
    """Return (role, unit path) for every role ``actor`` holds, cached on the actor object."""
    if not actor.is_authenticated or not actor.is_active:
        return []
    cached: list[tuple[Role, str]] | None = getattr(actor, _CACHE_ATTR, None)
    if cached is None:
        if getattr(actor, "is_superuser", False):
            cached = [(Role.ADMINISTRATOR, root.path) for root in OrgUnit.objects.get_root_nodes()]
        else:
            rows = RoleAssignment.objects.filter(
                person__user_id=actor.pk, person__is_active=True, unit__is_active=True
            ).values_list("role", "unit__path")
            cached = [(Role(role), path) for role, path in rows]
        setattr(actor, _CACHE_ATTR, cached)
    return cached


def forget_roles(actor: Actor) -> None:
    """Drop the cached roles of ``actor`` (after its roles change)."""
    if hasattr(actor, _CACHE_ATTR):
        delattr(actor, _CACHE_ATTR)


def scope_paths(actor: Actor, action: str) -> list[str]:
    """Return the paths of the subtree roots where ``actor`` may do ``action``, none nested."""
    granting = ACTIONS[action]
    paths = sorted({path for role, path in role_paths(actor) if role in granting})
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    return roots


def scope_q(actor: Actor, action: str, *, path_field: str = "path") -> Q:
    """Return a filter on ``path_field`` that keeps what ``actor`` may do ``action`` to."""
    paths = scope_paths(actor, action)
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{path_field}__startswith": path})
    return query


def in_scope(
    queryset: QuerySet[Any], actor: Actor, action: str, *, via: str = "unit"
) -> QuerySet[Any]:
    """Return ``queryset`` narrowed to objects whose unit (reached by ``via``) is in scope."""
    path_field = f"{via}__path" if via else "path"
    return queryset.filter(scope_q(actor, action, path_field=path_field))


def units_for(actor: Actor, action: str) -> QuerySet[OrgUnit]:
    """Return the units where ``actor`` may do ``action``."""
    return OrgUnit.objects.filter(scope_q(actor, action))


def may(actor: Actor, action: str, unit: OrgUnit) -> bool:
    """Return whether ``actor`` may do ``action`` to something that belongs to ``unit``."""
    return any(unit.path.startswith(path) for path in scope_paths(actor, action))


def may_anywhere(actor: Actor, action: str) -> bool:
    """Return whether ``actor`` may do ``action`` somewhere (to show or hide a menu entry)."""
    return bool(scope_paths(actor, action))


def require(actor: Actor, action: str, unit: OrgUnit) -> None:
    """Raise ``Forbidden`` unless ``actor`` may do ``action`` at ``unit``."""
    if not may(actor, action, unit):
        raise Forbidden()


def roles_at(actor: Actor, units: Iterable[OrgUnit]) -> set[Role]:
    """Return the roles ``actor`` holds that cover any of ``units``."""
    return {
        role for role, path in role_paths(actor) for unit in units if unit.path.startswith(path)
    }
