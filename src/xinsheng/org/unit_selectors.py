"""Finding units as people name them: by name, code or path (一矿 › 综采一队), for the pickers.

Names repeat across the tree (every mine has a 综采一队), so a unit is shown with its path and
found by it: ``一矿 综采一队``, ``一矿/综采一队`` or ``一矿 › 综采一队`` is the 综采一队 under
a unit named 一矿, at any depth. Every read is filtered to the units the acting user may see
(``unit.view``), like every other read of the org app.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from xinsheng.core.actors import Actor
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.org.selectors import unit_ancestors_for, unit_ancestors_map_for, unit_list_for

TRAIL_SEPARATOR = " › "
# What people type between the steps of a path: ›, >, / or \ (half or full width), or a space.
_ANY_STEP = re.compile(r"\s*[›»>＞/／\\]\s*|\s+")
ANCESTOR_LIMIT = 50  # units a step of a path may name before the search gives up on it


@dataclass(frozen=True)
class FoundUnit:
    """A unit as a picker offers it: with its place in the tree, for telling equal names apart."""

    unit: OrgUnit
    above: str  # the ancestors shown before its name: 一矿 (or "" at the top)

    @property
    def code(self) -> str:
        return str(self.unit.code)

    @property
    def name(self) -> str:
        return str(self.unit.name)

    @property
    def trail(self) -> str:
        """Return the unit's place and name: 一矿 › 综采一队."""
        return f"{self.above}{TRAIL_SEPARATOR}{self.name}" if self.above else self.name


@dataclass(frozen=True)
class Resolved:
    """What a picker's text and choice come to: one unit, or the units to choose among."""

    unit: OrgUnit | None
    candidates: list[FoundUnit]
    ambiguous: bool = False  # several units bear exactly the name typed


def path_steps(text: str) -> list[str]:
    """Return the steps of a path as typed (``一矿 › 综采一队`` → ``["一矿", "综采一队"]``)."""
    return [step for step in _ANY_STEP.split(text.strip()) if step]


def _matching(units: QuerySet[OrgUnit], step: str) -> QuerySet[OrgUnit]:
    return units.filter(Q(name__icontains=step) | Q(code__iexact=step))


def _under(paths: Sequence[str]) -> Q:
    """Return the filter keeping the units strictly below any of ``paths``."""
    below = Q(pk__in=[])
    for path in paths:
        below |= Q(path__startswith=path) & ~Q(path=path)
    return below


def _ranked(units: QuerySet[OrgUnit], last: str) -> QuerySet[OrgUnit]:
    """Order ``units``: the exact code, then the exact name, then names starting with ``last``."""
    rank = Case(
        When(code__iexact=last, then=Value(0)),
        When(name=last, then=Value(1)),
        When(name__startswith=last, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return units.annotate(rank=rank).order_by("rank", "path")


def _search(units: QuerySet[OrgUnit], steps: list[str], limit: int) -> list[OrgUnit]:
    """Return up to ``limit`` of ``units`` named by the last step, under units named by the
    others in order (one query per step)."""
    *above, last = steps
    paths: list[str] = []
    for step in above:
        named = _matching(units, step)
        if paths:
            named = named.filter(_under(paths))
        paths = list(named.order_by("path").values_list("path", flat=True)[:ANCESTOR_LIMIT])
        if not paths:
            return []
    found = _matching(units, last)
    if paths:
        found = found.filter(_under(paths))
    return list(_ranked(found, last)[:limit])


def unit_find_for(
    *, actor: Actor, text: str, limit: int, active_only: bool = True
) -> list[FoundUnit]:
    """Return up to ``limit`` units ``actor`` may see that ``text`` names, each with its trail.

    ``text`` is a code, a name or part of one, or a path; the exact code comes first, then the
    exact name, then names that start with it. A name with a space in it is found as typed when
    reading the space as a step of a path finds nothing.
    """
    text = text.strip()
    if not text:
        return []
    units = unit_list_for(actor=actor, include_inactive=not active_only)
    found: list[OrgUnit] = []
    for steps in _readings(text):
        found = _search(units, steps, limit)
        if found:
            break
    return unit_trails_for(actor=actor, units=found)


def _readings(text: str) -> list[list[str]]:
    """Return the ways to read ``text`` as steps, most likely first: split at every separator;
    at the › the pickers show only (a name may hold a slash); as one name (or a space)."""
    readings = [path_steps(text), [s for s in re.split(r"\s*›\s*", text) if s], [text]]
    return [steps for i, steps in enumerate(readings) if steps not in readings[:i]]


def unit_trails_for(*, actor: Actor, units: Sequence[OrgUnit]) -> list[FoundUnit]:
    """Return ``units`` with their trails: the ancestors ``actor`` may see, and the unit.

    When the whole scope of ``actor`` is one subtree, its top is left out of every trail (a
    dispatcher of one company reads 一矿 › 综采一队, not the company's name before each).
    """
    ancestors = unit_ancestors_map_for(actor=actor, units=units)
    tops = permissions.scope_paths(actor, "unit.view")
    shared = tops[0] if len(tops) == 1 else None
    return [
        FoundUnit(
            unit, TRAIL_SEPARATOR.join(a.name for a in ancestors[unit.pk] if a.path != shared)
        )
        for unit in units
    ]


def unit_resolve_for(*, actor: Actor, text: str, choice: str = "", limit: int) -> Resolved:
    """Return the unit a picker names: the one chosen in its list, else the one typed.

    The choice (a code) stands while the text still names it. Typed, an exact code names its
    unit (active or not: the caller says why it will not do), and an exact name or a path ending
    in one names the one unit that bears it; several bear it, and they are the candidates to
    choose among. Anything else gives the units the text finds, to choose from, and no unit.
    """
    text = text.strip()
    if choice:
        chosen = unit_list_for(actor=actor, include_inactive=False).filter(code=choice).first()
        if chosen is not None and unit_named_by(actor=actor, unit=chosen, text=text):
            return Resolved(chosen, [])
    if not text:
        return Resolved(None, [])
    by_code = unit_list_for(actor=actor).filter(code__iexact=text).first()
    if by_code is not None:
        return Resolved(by_code, [])
    found = unit_find_for(actor=actor, text=text, limit=limit)
    last_names = {text, path_steps(text)[-1], re.split(r"\s*›\s*", text)[-1]}
    exact = [f for f in found if f.name in last_names]
    if len(exact) == 1:
        return Resolved(exact[0].unit, [])
    if exact:
        return Resolved(None, exact, ambiguous=True)
    return Resolved(None, found)


def _names(step: str, unit: OrgUnit) -> bool:
    return step in unit.name or step.casefold() == unit.code.casefold()


def unit_named_by(*, actor: Actor, unit: OrgUnit, text: str) -> bool:
    """Return whether ``text`` names ``unit``: its code, its name (or part), or a path to it.

    A choice made in a picker is taken only while the text beside it still names it, so that a
    choice left over from before does not overrule what was typed since.
    """
    text = text.strip()
    if not text or _names(text, unit):
        return True
    if text.endswith(unit.name):  # the name as a whole, whatever it holds, after the path
        above = path_steps(text[: -len(unit.name)])
    else:
        *above, last = path_steps(text)
        if not _names(last, unit):
            return False
    ancestors = unit_ancestors_for(actor=actor, unit=unit)
    for step in above:  # each step names an ancestor, top down, levels may be skipped
        while ancestors and not _names(step, ancestors[0]):
            ancestors.pop(0)
        if not ancestors:
            return False
        ancestors.pop(0)
    return True
