"""Who may do what, and where. The one place that answers both questions.

A role held at a unit covers that unit's whole subtree. ``actions()`` maps each action to the roles
that grant it (each app names its own in its ``plugins.ACTIONS``); ``may`` answers for one unit,
and ``scope_q`` returns the filter that every selector applies, so that lists and single objects
obey the same rule.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Model, Q, QuerySet

from xinsheng.core import plugins
from xinsheng.core.actors import Actor
from xinsheng.core.errors import Forbidden
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, Person, RoleAssignment

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
_SCOPES_ATTR = "_xinsheng_scope_paths"  # action → scope_paths, beside the roles it comes from


def role_paths(actor: Actor) -> list[tuple[Role, str]]:
    """Return (role, unit path) for every role ``actor`` holds, cached on the actor object."""
    if not actor.is_authenticated or not actor.is_active:
        return []
    cached: list[tuple[Role, str]] | None = getattr(actor, _CACHE_ATTR, None)
    if cached is None:
        if getattr(actor, "is_superuser", False):
            cached = [(Role.ADMINISTRATOR, root.path) for root in OrgUnit.objects.get_root_nodes()]
        else:
            cached = _held_roles(actor) if isinstance(actor, Model) else []
        setattr(actor, _CACHE_ATTR, cached)
    return cached


def _held_roles(actor: Model) -> list[tuple[Role, str]]:
    """Read ``actor``'s roles at active units while their person is active, in one statement.

    The statement brings the person along, and the actor keeps it (``actor.person``): the
    staff pages show its name, and would otherwise read it again.
    """
    held = list(
        RoleAssignment.objects.filter(person__user_id=actor.pk).select_related("person", "unit")
    )
    if held:
        user_of = Person._meta.get_field("user")
        if not user_of.remote_field.is_cached(actor):
            user_of.remote_field.set_cached_value(actor, held[0].person)
    return [
        (Role(held_role.role), held_role.unit.path)
        for held_role in held
        if held_role.person.is_active and held_role.unit.is_active
    ]


def user_with_roles(user_id: Any) -> Any:
    """Return user ``user_id`` with their person and roles, read in one statement (None: no
    such user).

    The user keeps both, as ``role_paths`` would have read them (``user.person``, the roles held
    at active units while the person is active): a signed-in page needs no other statement for
    them. A superuser's roles are the root units, read when asked, as before. The statement is
    compiled once per process (compiling it took longer than running it), and its values pass
    the converters the ORM would apply.
    """
    read = _user_read(connection.vendor)
    key = read.key.get_db_prep_value(user_id, connection, prepared=False)
    with connection.cursor() as cursor:
        cursor.execute(read.sql, [key])
        rows = [list(row) for row in cursor.fetchall()]
    if not rows:
        return None
    for row in rows:
        for index, (converters, expression) in read.converters.items():
            for converter in converters:
                row[index] = converter(row[index], expression, connection)
    db, first = DEFAULT_DB_ALIAS, rows[0]
    users_end, people_end = len(read.user_names), len(read.user_names) + len(read.person_names)
    user = read.user_model.from_db(db, read.user_names, first[:users_end])
    person = None
    user_of = Person._meta.get_field("user")
    if first[users_end] is not None:
        person = Person.from_db(db, read.person_names, first[users_end:people_end])
        user_of.set_cached_value(person, user)
    user_of.remote_field.set_cached_value(user, person)
    if not user.is_superuser:
        held = [
            (Role(row[people_end]), row[people_end + 1])
            for row in rows
            if row[people_end] is not None and row[people_end + 2]
        ]
        setattr(user, _CACHE_ATTR, held if person is not None and person.is_active else [])
    return user


@dataclass(frozen=True)
class _UserRead:
    user_model: Any
    key: Any  # the user model's primary key field
    sql: str
    user_names: list[str]  # attribute names of the user's columns, in the statement's order
    person_names: list[str]  # … and of the person's; then role, unit path, unit active
    converters: dict[int, tuple[list[Any], Any]]  # column → the ORM's converters, expression


@lru_cache(maxsize=4)
def _user_read(vendor: str) -> _UserRead:
    """Return the statement of ``user_with_roles``, compiled by the ORM for ``vendor``."""
    user_model = get_user_model()
    user_names = [f.attname for f in user_model._meta.concrete_fields]
    person_names = [f.attname for f in Person._meta.concrete_fields]
    roles = ["person__roles__role", "person__roles__unit__path", "person__roles__unit__is_active"]
    found = user_model._default_manager.filter(pk=0).values_list(
        *user_names, *(f"person__{name}" for name in person_names), *roles
    )
    compiler = found.query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    if list(params) != [0]:
        raise RuntimeError("the signed-in user's statement takes the user's key alone")
    columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
    return _UserRead(
        user_model,
        user_model._meta.pk,
        sql,
        user_names,
        person_names,
        compiler.get_converters(columns),
    )


def forget_roles(actor: Actor) -> None:
    """Drop the cached roles of ``actor`` (after its roles change)."""
    for attr in (_CACHE_ATTR, _SCOPES_ATTR):
        if hasattr(actor, attr):
            delattr(actor, attr)


def scope_paths(actor: Actor, action: str) -> list[str]:
    """Return the paths of the subtree roots where ``actor`` may do ``action``, none nested."""
    known: dict[str, list[str]] | None = getattr(actor, _SCOPES_ATTR, None)
    if known is not None and action in known:
        return known[action]
    roles = granting(action)
    paths = sorted({path for role, path in role_paths(actor) if role in roles})
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    if actor.is_authenticated and actor.is_active:  # an anonymous user has nothing to keep
        if known is None:
            known = {}
            setattr(actor, _SCOPES_ATTR, known)
        known[action] = roots
    return roots


def scope_q(actor: Actor, action: str, *, path_field: str = "path") -> Q:
    """Return a filter on ``path_field`` that keeps what ``actor`` may do ``action`` to."""
    return paths_q(scope_paths(actor, action), path_field=path_field)


def paths_q(paths: Iterable[str], *, path_field: str = "path") -> Q:
    """Return a filter on ``path_field`` that keeps the subtrees of ``paths`` (none: nothing)."""
    query = Q()
    for path in paths:
        query |= Q(**{f"{path_field}__startswith": path})
    return query if query else Q(pk__in=[])


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
