"""Every read of talk cycles, filtered to what the acting user may see; and the figures by tier.

Who sees what. A pair belongs to the person's unit (``unit_path``, kept when generated): whoever
may view talks there (``talk.view``, held at that unit or above) sees it, and a host always sees
the pairs they host. A cycle is listed to those who see all of it (its unit is in their scope),
to those whose scope lies inside it (they see their part), and to its hosts. Anything else is
"not found", exactly like what does not exist.

``pairs_by_tier`` is the plain figure the coverage board calls for a subtree it has already
checked; it takes no actor.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.models import AuditEvent
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import PairStatus
from xinsheng.talks.models import TalkCycle, TalkPair, TalkRecord, TierRule

SHOWN_STATUSES = (PairStatus.PLANNED, PairStatus.HELD, PairStatus.WAIVED)
CHANGES_SHOWN = 20  # pairs named under "what the last generation changed"


def _person_id(actor: Actor) -> int | None:
    person = getattr(actor, "person", None) if actor.is_authenticated else None
    return person.pk if person is not None else None


def _pairs_seen_q(actor: Actor) -> Q:
    """Return the filter keeping the pairs ``actor`` may see (in scope, or their own to host)."""
    query = permissions.scope_q(actor, "talk.view", path_field="unit_path")
    if (person_id := _person_id(actor)) is not None:
        query |= Q(host_id=person_id)
    return query


def _ancestor_paths(path: str) -> list[str]:
    step = OrgUnit.steplen
    return [path[:end] for end in range(step, len(path), step)]


# --- cycles ---------------------------------------------------------------------------------------


def cycle_list_for(*, actor: Actor) -> QuerySet[TalkCycle]:
    """Return the cycles ``actor`` sees all or part of, newest first."""
    query = Q(pk__in=[])
    for path in permissions.scope_paths(actor, "talk.view"):
        query |= Q(unit__path__startswith=path) | Q(unit__path__in=_ancestor_paths(path))
    if (person_id := _person_id(actor)) is not None:
        query |= Q(pk__in=TalkPair.objects.filter(host_id=person_id).values("cycle_id"))
    return TalkCycle.objects.filter(query).select_related("unit").order_by("-starts_on", "-id")


def cycle_list_counts(*, actor: Actor, cycles: list[TalkCycle]) -> dict[int, "TierCount"]:
    """Return, by cycle id, the planned, held and waived pairs ``actor`` sees of each cycle."""
    rows = (
        TalkPair.objects.filter(_pairs_seen_q(actor), cycle__in=cycles)
        .values_list("cycle_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {cycle.pk: TierCount(label=cycle.title, key=cycle.pk) for cycle in cycles}
    for cycle_id, status, n in rows:
        counts[cycle_id].add(status, n)
    return counts


def cycle_get_for(*, actor: Actor, cycle_id: int) -> TalkCycle:
    """Return cycle ``cycle_id`` if ``actor`` sees any of it; ``NotFound`` otherwise."""
    cycle = cycle_list_for(actor=actor).filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound()
    return cycle


def cycle_may_plan(*, actor: Actor, cycle: TalkCycle) -> bool:
    """Return whether ``actor`` may generate ``cycle``'s pairs again."""
    return permissions.may(actor, "talk.plan", cycle.unit)


def cycle_seen_whole(*, actor: Actor, cycle: TalkCycle) -> bool:
    """Return whether ``actor`` sees every pair of ``cycle`` (else only their part)."""
    return permissions.may(actor, "talk.view", cycle.unit)


# --- pairs ----------------------------------------------------------------------------------------


@dataclass
class PairFilters:
    """What the pairs list is narrowed by; every field optional."""

    rule: TierRule | None = None
    unit: OrgUnit | None = None  # the person's unit within this subtree
    host: str = ""  # the host's name (contains) or employee number (exact)
    status: str = ""  # empty: every status but retired
    text: str = ""  # the person's name (contains) or employee number (exact)


def pair_list_for(
    *, actor: Actor, cycle: TalkCycle, filters: PairFilters | None = None
) -> QuerySet[TalkPair]:
    """Return the pairs of ``cycle`` that ``actor`` sees, narrowed, by tier, host and unit."""
    f = filters or PairFilters()
    pairs = cycle.pairs.filter(_pairs_seen_q(actor))
    pairs = pairs.filter(status=f.status) if f.status else pairs.filter(status__in=SHOWN_STATUSES)
    if f.rule is not None:
        pairs = pairs.filter(rule=f.rule)
    if f.unit is not None:
        pairs = pairs.filter(unit_path__startswith=f.unit.path)
    if host := f.host.strip():
        pairs = pairs.filter(Q(host__name__contains=host) | Q(host__employee_no=host))
    if text := f.text.strip():
        pairs = pairs.filter(Q(person__name__contains=text) | Q(person__employee_no=text))
    return pairs.select_related("rule", "host__unit", "person__unit", "cycle__unit").order_by(
        "rule__order", "rule_id", "host__unit__path", "host__name", "host_id",
        "person__unit__path", "person__name", "id",
    )  # fmt: skip


def pair_get_for(*, actor: Actor, pair_id: int) -> TalkPair:
    """Return pair ``pair_id`` if ``actor`` sees it; ``NotFound`` otherwise (the same)."""
    pair = (
        TalkPair.objects.filter(_pairs_seen_q(actor), pk=pair_id)
        .select_related("rule", "host__unit", "person__unit", "cycle__unit")
        .first()
    )
    if pair is None:
        raise NotFound()
    return pair


def record_get_for(*, actor: Actor, record_id: int) -> TalkRecord:
    """Return the talk record ``record_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    record: TalkRecord | None = (
        permissions.in_scope(TalkRecord.objects.all(), actor, "talk.view")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise NotFound()
    return record


def pair_actions_for(*, actor: Actor, pairs: list[TalkPair]) -> dict[int, bool]:
    """Return, by pair id, whether ``actor`` may mark each planned pair held or waived."""
    person_id = _person_id(actor)
    plan_paths = permissions.scope_paths(actor, "talk.plan")
    return {
        pair.pk: pair.status == PairStatus.PLANNED
        and (
            pair.host_id == person_id or any(pair.unit_path.startswith(path) for path in plan_paths)
        )
        for pair in pairs
    }


# --- counts ---------------------------------------------------------------------------------------


@dataclass
class TierCount:
    """Planned, held and waived talks of one tier (or one unit)."""

    label: str
    planned: int = 0
    held: int = 0
    waived: int = 0
    key: Any = None  # the rule id, or the unit

    @property
    def total(self) -> int:
        return self.planned + self.held + self.waived

    @property
    def held_percent(self) -> int | None:
        """Return the share of the talks due that were held: waived ones are not due."""
        due = self.planned + self.held
        return round(100 * self.held / due) if due else None

    def add(self, status: str, n: int) -> None:
        if status in SHOWN_STATUSES:
            setattr(self, str(status), getattr(self, str(status)) + n)


def _by_tier(pairs: QuerySet[TalkPair]) -> list[TierCount]:
    rows = (
        pairs.filter(status__in=SHOWN_STATUSES)
        .values_list("rule_id", "rule__name", "rule__order", "status")
        .annotate(n=Count("id"))
        .order_by("rule__order", "rule_id")
    )
    tiers: dict[int, TierCount] = {}
    for rule_id, name, _order, status, n in rows:
        tiers.setdefault(rule_id, TierCount(label=name, key=rule_id)).add(status, n)
    return list(tiers.values())


def cycle_tier_counts(*, actor: Actor, cycle: TalkCycle) -> list[TierCount]:
    """Return the planned, held and waived talks ``actor`` sees of ``cycle``, by tier."""
    return _by_tier(cycle.pairs.filter(_pairs_seen_q(actor)))


def cycle_unit_counts(*, actor: Actor, cycle: TalkCycle) -> list[TierCount]:
    """Return the same by unit: the units right under the cycle's, with their subtrees."""
    root = cycle.unit.path
    length = len(root) + OrgUnit.steplen
    rows = (
        cycle.pairs.filter(_pairs_seen_q(actor), status__in=SHOWN_STATUSES)
        .annotate(branch=Substr("unit_path", 1, length))
        .values_list("branch", "status")
        .annotate(n=Count("id"))
        .order_by("branch")
    )
    counts: dict[str, TierCount] = {}
    for branch, status, n in rows:
        counts.setdefault(branch, TierCount(label="")).add(status, n)
    units = {unit.path: unit for unit in OrgUnit.objects.filter(path__in=list(counts))}
    result = []
    for path, count in counts.items():
        unit = units.get(path)
        count.key, count.label = unit, unit.name if unit is not None else path
        result.append(count)
    return result


def pairs_by_tier(
    *,
    unit_path: str,
    cycle: TalkCycle | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> list[TierCount]:
    """Return planned, held and waived talks by tier for the people under ``unit_path``.

    Either of one ``cycle``, or of every cycle whose dates meet ``period`` (first and last day).
    For the coverage board, which has checked the reader's scope: no actor here.
    """
    pairs = TalkPair.objects.filter(unit_path__startswith=unit_path)
    if cycle is not None:
        pairs = pairs.filter(cycle=cycle)
    elif period is not None:
        first, last = period
        pairs = pairs.filter(cycle__starts_on__lte=last, cycle__ends_on__gte=first)
    else:
        raise ValueError("pairs_by_tier needs a cycle or a period")
    return _by_tier(pairs)


# --- what the last generation changed ------------------------------------------------------------


@dataclass
class LastGeneration:
    """The counts of a cycle's last generation and some of the pairs it added and retired."""

    at: dt.datetime
    added: int
    retired: int
    kept: int
    updated: int
    added_pairs: list[TalkPair] = field(default_factory=list)
    retired_pairs: list[TalkPair] = field(default_factory=list)


def cycle_last_generation(*, actor: Actor, cycle: TalkCycle) -> LastGeneration | None:
    """Return what the last generation of ``cycle`` changed, from its audit record."""
    event = (
        AuditEvent.objects.filter(
            action="talk.cycle.generate",
            object_type=TalkCycle._meta.label_lower,
            object_id=str(cycle.pk),
        )
        .order_by("-at", "-id")
        .first()
    )
    if event is None or not isinstance(event.after, dict):
        return None
    data = event.after
    seen = cycle.pairs.filter(_pairs_seen_q(actor)).select_related("host", "person", "rule")

    def named(ids: list[int]) -> list[TalkPair]:
        return list(seen.filter(pk__in=ids[:CHANGES_SHOWN]).order_by("rule__order", "id"))

    return LastGeneration(
        at=event.at,
        added=int(data.get("added", 0)),
        retired=int(data.get("retired", 0)),
        kept=int(data.get("kept", 0)),
        updated=int(data.get("updated", 0)),
        added_pairs=named(list(data.get("added_ids", []))),
        retired_pairs=named(list(data.get("retired_ids", []))),
    )


# --- tier rules -----------------------------------------------------------------------------------


def rule_list_for(*, actor: Actor) -> QuerySet[TierRule]:
    """Return every tier rule, active first in order; rules apply everywhere, so all may read."""
    return TierRule.objects.order_by("-is_active", "order", "id")


def rule_get_for(*, actor: Actor, rule_id: int) -> TierRule:
    """Return rule ``rule_id``; ``NotFound`` when there is none."""
    rule = TierRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound()
    return rule


def rules_may_edit(*, actor: Actor) -> bool:
    """Return whether ``actor`` may edit the tier rules (``talk.rules`` at the top of the tree)."""
    roots = list(OrgUnit.objects.get_root_nodes())
    return bool(roots) and all(permissions.may(actor, "talk.rules", root) for root in roots)
