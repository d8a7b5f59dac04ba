"""The pairs the tier rules imply for a subtree, computed set by set (see the package docstring).

Each rule costs two queries whatever the size of the subtree: where its hosts' reach starts (their
units, or for ``units_in_charge`` the units they are in charge of) and its targets, sorted by unit
path. A host's reach is a path prefix, so its targets are one contiguous slice of the sorted
targets, found by bisection: no query per person, and the work grows with the pairs written, not
with hosts × people (``bench/talk_cycles.py``).
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xinsheng.org.choices import PersonGroup
from xinsheng.org.models import Person, UnitCharge, in_subtree
from xinsheng.talks.choices import RuleReach
from xinsheng.talks.models import TierRule

# The flag of ``Person`` that says a person belongs to each group a rule may name.
GROUP_FIELDS: dict[str, str] = {
    PersonGroup.PARTY_MEMBER: "is_party_member",
    PersonGroup.TECHNICAL_TALENT: "is_technical_talent",
    PersonGroup.TEAM_LEADER: "is_team_leader",
    PersonGroup.BACKBONE: "is_backbone",
    PersonGroup.MANAGER: "is_manager",
}
_PATH_END = "\U0010ffff"  # sorts after every character a unit path is made of

Key = tuple[int, int]  # (host id, person id)


@dataclass(frozen=True)
class Implied:
    """Why a host talks with a person: the rule, and the person's unit path now."""

    rule_id: int
    unit_path: str


def people_counted(root_path: str) -> QuerySet[Person]:
    """Return the people a cycle at ``root_path`` may pair: active, in active units, inside."""
    return Person.objects.filter(
        is_active=True, unit__is_active=True, **in_subtree(root_path, via="unit")
    )


def host_filter(rule: TierRule) -> Q:
    """Return the filter keeping the people who host talks under ``rule``."""
    query = Q()
    if rule.host_unit_kinds:
        query &= Q(unit__kind__in=list(rule.host_unit_kinds))
    if rule.host_ranks:
        query &= Q(cadre_rank__in=list(rule.host_ranks))
    if rule.host_principal:
        query &= Q(is_principal=True)
    return query


def target_filter(rule: TierRule) -> Q:
    """Return the filter keeping the people ``rule``'s hosts talk with, wherever they are."""
    query = Q()
    if rule.target_unit_kinds:
        query &= Q(unit__kind__in=list(rule.target_unit_kinds))
    if rule.target_principal:
        query &= Q(is_principal=True)
    if rule.target_ranks or rule.target_groups:
        either = Q(cadre_rank__in=list(rule.target_ranks)) if rule.target_ranks else Q(pk__in=[])
        for group in rule.target_groups:
            either |= Q(**{GROUP_FIELDS[group]: True})
        query &= either
    return query


def _reach_roots(rule: TierRule, hosts: QuerySet[Person]) -> dict[int, list[str]]:
    """Return, by host id, the unit paths whose subtrees the host's reach starts from."""
    if rule.reach == RuleReach.UNITS_IN_CHARGE:
        roots: dict[int, list[str]] = {}
        charges = UnitCharge.objects.filter(
            person__in=hosts.values("id"), unit__is_active=True
        ).values_list("person_id", "unit__path")
        for host_id, path in charges:
            roots.setdefault(host_id, []).append(path)
        return roots
    return {host_id: [path] for host_id, path in hosts.values_list("id", "unit__path")}


def rule_pairs(rule: TierRule, root_path: str) -> Iterator[tuple[int, int, str]]:
    """Yield (host id, person id, person's unit path) for every pair ``rule`` implies."""
    people = people_counted(root_path)
    hosts = people.filter(host_filter(rule))
    roots = _reach_roots(rule, hosts)
    if not roots:
        return
    targets = sorted(people.filter(target_filter(rule)).values_list("unit__path", "id"))
    paths = [path for path, _person in targets]
    own_excluded = rule.reach == RuleReach.UNITS_BELOW
    for host_id, host_roots in roots.items():
        for root in host_roots:
            start = bisect_right(paths, root) if own_excluded else bisect_left(paths, root)
            end = bisect_left(paths, root + _PATH_END)
            for path, person_id in targets[start:end]:
                if person_id != host_id:
                    yield host_id, person_id, path


def implied_pairs(*, root_path: str, rules: Iterable[TierRule]) -> dict[Key, Implied]:
    """Return every pair the active ``rules`` imply in the subtree at ``root_path``.

    A host and person implied by several rules are listed once, under the first rule by order.
    """
    ordered: Sequence[TierRule] = sorted(
        (rule for rule in rules if rule.is_active), key=lambda rule: (rule.order, rule.pk)
    )
    implied: dict[Key, Implied] = {}
    for rule in ordered:
        for host_id, person_id, path in rule_pairs(rule, root_path):
            implied.setdefault((host_id, person_id), Implied(rule.pk, path))
    return implied
