"""Who may do what, and where. The one place that answers both questions.

A role held at a unit covers that unit's whole subtree. ``actions()`` maps each action to the roles
that grant it (each app names its own in its ``plugins.ACTIONS``); ``may`` answers for one unit,
and ``scope_q`` returns the filter that every selector applies, so that lists and single objects
obey the same rule.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from xinsheng.core import plugins
from xinsheng.core.actors import Actor
from xinsheng.core.errors import Forbidden
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, RoleAssignment

ALL_ROLES = frozenset(Role)
DISPATCHING = frozenset({Role.DISPATCHER, Role.ADMINISTRATOR})
HANDLING = frozenset({Role.HANDLER, Role.UNIT_HEAD})

# The organisation's own actions. Every app adds its own through its ``plugins.ACTIONS``
# (``xinsheng.core.plugins``); ``actions()`` is the whole table.
ORG_ACTIONS: dict[str, frozenset[Role]] = {
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
}


class UnknownAction(LookupError):
    """An action no installed app defines: a mistake in the code, never the user's."""


def actions() -> dict[str, frozenset[Role]]:
    """Return every action of the installed apps with the roles that grant it.

    Read when asked, never at import: the apps' plug-in modules import this one for the role sets.
    """
    return plugins.merged("ACTIONS")


def granting(action: str) -> frozenset[Role]:
    """Return the roles that grant ``action``; ``UnknownAction`` if no installed app defines it."""
    try:
        roles: frozenset[Role] = actions()[action]
    except KeyError:
        raise UnknownAction(
            f"{action!r} is not an action of any installed app (see their plugins.ACTIONS)"
        ) from None
    return roles


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
    roles = granting(action)
    paths = sorted({path for role, path in role_paths(actor) if role in roles})
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
