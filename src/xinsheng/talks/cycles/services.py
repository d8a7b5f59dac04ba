"""Every write of talk cycles: the tier rules, the cycles and their pairs. One transaction each.

Rules are the whole installation's, so editing them takes ``talk.rules`` at the top of the tree.
A cycle is set up and generated with ``talk.plan`` at its unit. A pair is marked held or waived
by its host, or by whoever may plan talks at the person's unit. Each write is audited.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.core.errors import Conflict, Forbidden
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import PairStatus
from xinsheng.talks.cycles import validation
from xinsheng.talks.cycles.rules import Implied, Key, implied_pairs
from xinsheng.talks.models import TalkCycle, TalkPair, TalkRecord, TierRule

# Written into a retired pair, in the installation's language (it is data, shown as written).
RETIRED_REASON = gettext_lazy("人员变动，不再属于约谈范围")
BATCH = 500  # ids per statement that updates pairs by id (SQLite's limit on parameters)
INSERT_BATCH = 2000  # new pairs per INSERT (Django lowers it where the database needs)
AUDIT_IDS_MAX = 200  # ids of added and retired pairs kept in the generation's audit record
RULE_FIELDS = [
    "name",
    "order",
    "is_active",
    "host_unit_kinds",
    "host_ranks",
    "host_principal",
    "reach",
    "target_unit_kinds",
    "target_principal",
    "target_ranks",
    "target_groups",
]


# --- tier rules -----------------------------------------------------------------------------------


@dataclass
class RuleData:
    """What the administrator enters about a tier rule."""

    name: str
    reach: str
    order: int = 1
    is_active: bool = True
    host_unit_kinds: list[str] = field(default_factory=list)
    host_ranks: list[str] = field(default_factory=list)
    host_principal: bool = False
    target_unit_kinds: list[str] = field(default_factory=list)
    target_principal: bool = False
    target_ranks: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)


def _require_rules(actor: Actor) -> None:
    """Refuse unless ``actor`` may edit the rules over the whole tree (they apply everywhere)."""
    roots = list(OrgUnit.objects.get_root_nodes())
    if not roots:
        raise Forbidden()
    for root in roots:
        permissions.require(actor, "talk.rules", root)


def _rule_fields(data: RuleData) -> dict[str, Any]:
    host_ranks = validation.ranks("host_ranks", data.host_ranks)
    validation.require_narrow_hosts(host_ranks, bool(data.host_principal))
    return {
        "name": validation.clean_line(
            "name", data.name, limit=validation.NAME_MAX, label=_("层级名称")
        ),
        "order": validation.clean_order(data.order),
        "is_active": bool(data.is_active),
        "host_unit_kinds": validation.unit_kinds("host_unit_kinds", data.host_unit_kinds),
        "host_ranks": host_ranks,
        "host_principal": bool(data.host_principal),
        "reach": validation.clean_reach(data.reach),
        "target_unit_kinds": validation.unit_kinds("target_unit_kinds", data.target_unit_kinds),
        "target_principal": bool(data.target_principal),
        "target_ranks": validation.ranks("target_ranks", data.target_ranks),
        "target_groups": validation.groups("target_groups", data.target_groups),
    }


@transaction.atomic
def tier_rule_create(*, actor: Actor, data: RuleData) -> TierRule:
    """Add a tier rule; the next generation of every cycle applies it."""
    _require_rules(actor)
    rule = TierRule.objects.create(**_rule_fields(data))
    audit_record(
        actor=actor, action="talk.rule.create", obj=rule, after=snapshot(rule, RULE_FIELDS)
    )
    return rule


@transaction.atomic
def tier_rule_update(*, actor: Actor, rule: TierRule, data: RuleData) -> TierRule:
    """Change a tier rule; pairs already generated change at the next generation only."""
    _require_rules(actor)
    rule = TierRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, RULE_FIELDS)
    for name, value in _rule_fields(data).items():
        setattr(rule, name, value)
    rule.save()
    audit_record(
        actor=actor,
        action="talk.rule.update",
        obj=rule,
        before=before,
        after=snapshot(rule, RULE_FIELDS),
    )
    return rule


@transaction.atomic
def tier_rule_set_active(*, actor: Actor, rule: TierRule, active: bool) -> TierRule:
    """Switch a rule on or off; a rule is never deleted, its pairs keep naming it."""
    _require_rules(actor)
    rule = TierRule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_active == active:
        return rule
    rule.is_active = active
    rule.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="talk.rule.activate" if active else "talk.rule.deactivate",
        obj=rule,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return rule


# --- cycles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generation:
    """What generating a cycle's pairs changed."""

    added: int = 0  # new pairs, or retired ones implied again
    retired: int = 0  # planned pairs the rules no longer imply
    kept: int = 0  # pairs that stay: held, waived, or planned and still implied
    updated: int = 0  # of those kept, planned pairs now under another rule or unit


@transaction.atomic
def cycle_create(
    *,
    actor: Actor,
    title: str,
    unit: OrgUnit,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    generate: bool = True,
) -> TalkCycle:
    """Set up a round of talks for ``unit``'s subtree, and generate its pairs unless told not to."""
    permissions.require(actor, "talk.plan", unit)
    if not unit.is_active:
        raise validation.invalid("unit", _("该单位已停用。"))
    title = validation.clean_line("title", title, limit=validation.TITLE_MAX, label=_("名称"))
    starts_on, ends_on = validation.clean_dates(starts_on, ends_on)
    cycle = TalkCycle.objects.create(
        title=title,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by_id=actor.pk if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action="talk.cycle.create",
        obj=cycle,
        after=snapshot(cycle, ["title", "unit", "starts_on", "ends_on"]),
    )
    if generate:
        cycle_generate(actor=actor, cycle=cycle)
    return cycle


@transaction.atomic
def cycle_generate(*, actor: Actor, cycle: TalkCycle) -> Generation:
    """Bring the cycle's pairs in line with the active rules and where people are now.

    Held and waived pairs are left exactly as they are (and cover their two people); planned
    pairs no longer implied are retired with a reason; newly implied pairs are added (a retired
    pair implied again is planned again).
    """
    cycle = TalkCycle.objects.select_for_update().select_related("unit").get(pk=cycle.pk)
    permissions.require(actor, "talk.plan", cycle.unit)
    implied = implied_pairs(root_path=cycle.unit.path, rules=TierRule.objects.all())
    rows = cycle.pairs.values_list("id", "rule_id", "host_id", "person_id", "status", "unit_path")
    current: dict[Key, tuple[int, int, str, str]] = {}
    retired: dict[Key, list[tuple[int, int]]] = defaultdict(list)
    for pair_id, rule_id, host_id, person_id, status, path in rows:
        key = (host_id, person_id)
        if status == PairStatus.RETIRED:
            retired[key].append((pair_id, rule_id))
        else:
            current[key] = (pair_id, rule_id, status, path)

    kept = updated = 0
    retiring: list[int] = []
    changed: list[TalkPair] = []
    for key, (pair_id, rule_id, status, path) in current.items():
        wanted = implied.get(key)
        if status != PairStatus.PLANNED:
            kept += 1
        elif wanted is None:
            retiring.append(pair_id)
        else:
            kept += 1
            if (wanted.rule_id, wanted.unit_path) != (rule_id, path):
                updated += 1
                changed.append(_planned(pair_id, wanted))

    new_pairs: list[TalkPair] = []
    revived: list[int] = []
    for key, wanted in implied.items():
        if key in current:
            continue
        earlier = retired.get(key)
        if earlier:
            pair_id = next((pk for pk, rule in earlier if rule == wanted.rule_id), earlier[0][0])
            changed.append(_planned(pair_id, wanted))
            revived.append(pair_id)
        else:
            host_id, person_id = key
            new_pairs.append(
                TalkPair(
                    cycle=cycle,
                    rule_id=wanted.rule_id,
                    host_id=host_id,
                    person_id=person_id,
                    unit_path=wanted.unit_path,
                )
            )

    now = timezone.now()
    with translation.override(None):
        reason = str(RETIRED_REASON)
    for chunk in _chunks(retiring):
        TalkPair.objects.filter(pk__in=chunk, status=PairStatus.PLANNED).update(
            status=PairStatus.RETIRED, reason=reason, updated_at=now
        )
    for pair in changed:
        pair.updated_at = now
    TalkPair.objects.bulk_update(
        changed, ["rule", "unit_path", "status", "reason", "updated_at"], batch_size=BATCH
    )
    created = TalkPair.objects.bulk_create(new_pairs, batch_size=INSERT_BATCH)

    result = Generation(
        added=len(created) + len(revived), retired=len(retiring), kept=kept, updated=updated
    )
    cycle.generated_at = now
    cycle.save(update_fields=["generated_at", "updated_at"])
    added_ids = [pair.pk for pair in created] + revived
    audit_record(
        actor=actor,
        action="talk.cycle.generate",
        obj=cycle,
        after={
            **asdict(result),
            "added_ids": added_ids[:AUDIT_IDS_MAX],
            "retired_ids": retiring[:AUDIT_IDS_MAX],
        },
    )
    return result


def _planned(pair_id: int, wanted: Implied) -> TalkPair:
    """Return the planned state of pair ``pair_id`` under ``wanted``, for a bulk update."""
    return TalkPair(
        pk=pair_id,
        rule_id=wanted.rule_id,
        unit_path=wanted.unit_path,
        status=PairStatus.PLANNED,
        reason="",
    )


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


# --- pairs ----------------------------------------------------------------------------------------


def pair_unit(pair: TalkPair) -> OrgUnit:
    """Return the unit a pair answers to: the person's unit when it was generated."""
    unit = OrgUnit.objects.filter(path=pair.unit_path).first()
    return unit if unit is not None else pair.cycle.unit


def pair_may_act(actor: Actor, pair: TalkPair) -> bool:
    """Return whether ``actor`` may mark ``pair`` held or waived: its host, or a planner there."""
    person_id = getattr(getattr(actor, "person", None), "pk", None)
    if person_id is not None and person_id == pair.host_id:
        return True
    return permissions.may(actor, "talk.plan", pair_unit(pair))


def _locked_pair(pair: TalkPair, actor: Actor) -> TalkPair:
    """Lock the pair's cycle (generation reads every pair under that lock), then the pair."""
    TalkCycle.objects.select_for_update().filter(pk=pair.cycle_id).first()
    pair = TalkPair.objects.select_for_update().select_related("cycle__unit").get(pk=pair.pk)
    if not pair_may_act(actor, pair):
        raise Forbidden()
    if pair.status != PairStatus.PLANNED:
        raise Conflict(
            _("该约谈已是“%(status)s”状态，不能再更改。") % {"status": pair.get_status_display()},
            code="pair_not_planned",
        )
    return pair


@transaction.atomic
def pair_hold(
    *, actor: Actor, pair: TalkPair, held_on: dt.date | None, record: TalkRecord | None = None
) -> TalkPair:
    """Mark a planned talk as held on ``held_on``, with the talk record that tells of it."""
    pair = _locked_pair(pair, actor)
    pair.held_on = validation.clean_held_on(held_on, starts_on=pair.cycle.starts_on)
    pair.record = record
    pair.status = PairStatus.HELD
    pair.save(update_fields=["status", "held_on", "record", "updated_at"])
    audit_record(
        actor=actor,
        action="talk.pair.held",
        obj=pair,
        before={"status": PairStatus.PLANNED},
        after={
            "status": PairStatus.HELD,
            "held_on": pair.held_on.isoformat(),
            "record": record.pk if record is not None else None,
        },
    )
    return pair


@transaction.atomic
def pair_waive(*, actor: Actor, pair: TalkPair, reason: str) -> TalkPair:
    """Waive a planned talk (on leave, left, talked elsewhere); the reason is required."""
    pair = _locked_pair(pair, actor)
    pair.reason = validation.clean_reason(reason)
    pair.status = PairStatus.WAIVED
    pair.save(update_fields=["status", "reason", "updated_at"])
    audit_record(
        actor=actor,
        action="talk.pair.waived",
        obj=pair,
        before={"status": PairStatus.PLANNED},
        after={"status": PairStatus.WAIVED, "reason": pair.reason},
        note=pair.reason,
    )
    return pair
