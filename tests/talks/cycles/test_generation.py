"""Generating a cycle's pairs from the tier rules, and generating again after people move."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import UserFactory, make_staff
from tests.talks.cycles.mine import Mine, make_mine
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.talks.choices import PairStatus
from xinsheng.talks.cycles import selectors, services
from xinsheng.talks.models import TalkCycle, TalkPair, TierRule

pytestmark = pytest.mark.django_db

T1 = "矿主要领导谈部门区队主要负责人"
T2 = "分管领导谈分管单位副科级以上干部和技术技能人才"
T3 = "部门区队负责人谈党员、管理人员、班组长和业务骨干"

# What the three default tiers imply for 一矿, worked out by hand from mine.py: (host, person,
# tier). 王建国 is in charge of 安全科, but talks with its head 孙立平 once, under tier 1.
EXPECTED: set[tuple[str, str, int]] = {
    # 1. the mine's principals with the principal heads of its offices and work areas
    ("王建国", "孙立平", 1),
    ("王建国", "冯国栋", 1),
    ("王建国", "卫建军", 1),
    ("王建国", "何宏伟", 1),
    ("李红旗", "孙立平", 1),
    ("李红旗", "冯国栋", 1),
    ("李红旗", "卫建军", 1),
    ("李红旗", "何宏伟", 1),
    # 2. leaders in charge with the 副科级 and above and the technical talent of their units
    ("王建国", "周海燕", 2),
    ("王建国", "吴振华", 2),
    ("张志强", "卫建军", 2),
    ("张志强", "蒋文斌", 2),
    ("张志强", "沈丽", 2),
    ("张志强", "朱明", 2),  # technical talent in a team of 综采一区
    ("赵永刚", "冯国栋", 2),
    ("赵永刚", "陈静", 2),
    ("赵永刚", "何宏伟", 2),
    ("赵永刚", "吕建平", 2),
    # 3. heads of offices and work areas with the party members, managers, team leaders and
    # backbone of their unit and of the teams and branch under it (never themselves)
    ("孙立平", "周海燕", 3),
    ("孙立平", "吴振华", 3),
    ("孙立平", "郑晓明", 3),
    ("冯国栋", "褚卫东", 3),
    ("卫建军", "蒋文斌", 3),
    ("卫建军", "沈丽", 3),
    ("卫建军", "韩磊", 3),
    ("卫建军", "朱明", 3),
    ("卫建军", "秦海", 3),
    ("卫建军", "尤佳", 3),
    ("卫建军", "马丽", 3),
    ("何宏伟", "施永", 3),
}


def plan(cycle: TalkCycle, *statuses: str) -> set[tuple[str, str, int]]:
    """Return the pairs of ``cycle`` in ``statuses`` (all but retired by default) as the table."""
    wanted = statuses or (PairStatus.PLANNED, PairStatus.HELD, PairStatus.WAIVED)
    pairs = TalkPair.objects.filter(cycle=cycle, status__in=wanted).select_related(
        "host", "person", "rule"
    )
    return {(p.host.name, p.person.name, p.rule.order) for p in pairs}


def pair(cycle: TalkCycle, host: str, person: str) -> TalkPair:
    return TalkPair.objects.exclude(status=PairStatus.RETIRED).get(
        cycle=cycle, host__name=host, person__name=person
    )


@pytest.fixture
def mine(tree: Tree) -> Mine:
    return make_mine(tree.company1)


@pytest.fixture
def planner(tree: Tree) -> User:
    return make_staff(tree.company1, Role.LEADER)


def new_cycle(planner: User, mine: Mine, *, unit: str = "M1") -> TalkCycle:
    today = timezone.localdate()
    return services.cycle_create(
        actor=planner,
        title="2026年第一季度双向约谈",
        unit=mine.units[unit],
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
    )


def test_the_default_rules_are_the_three_tiers_of_the_source_document(db: None) -> None:
    rules = list(TierRule.objects.order_by("order"))
    assert [(r.order, r.name, r.is_active) for r in rules] == [
        (1, T1, True),
        (2, T2, True),
        (3, T3, True),
    ]
    assert [r.reach for r in rules] == ["units_below", "units_in_charge", "own_unit"]


def test_a_new_cycle_plans_exactly_the_pairs_the_tier_rules_imply(
    mine: Mine, planner: User
) -> None:
    cycle = new_cycle(planner, mine)

    assert plan(cycle) == EXPECTED
    assert TalkPair.objects.filter(cycle=cycle).count() == len(EXPECTED)
    assert set(TalkPair.objects.values_list("status", flat=True)) == {PairStatus.PLANNED}
    # the person's unit is kept beside each pair, for the figures of a subtree
    assert pair(cycle, "卫建军", "韩磊").unit_path == mine.units["T1"].path
    cycle.refresh_from_db()
    assert cycle.generated_at is not None


def test_a_cycle_of_one_work_area_pairs_only_the_people_inside_it(
    mine: Mine, planner: User
) -> None:
    cycle = new_cycle(planner, mine, unit="A1")

    assert plan(cycle) == {row for row in EXPECTED if row[0] == "卫建军" and row[2] == 3}


def test_generating_again_after_people_move_keeps_held_retires_the_gone_and_adds_the_new(
    mine: Mine, planner: User
) -> None:
    cycle = new_cycle(planner, mine)
    today = timezone.localdate()
    held = services.pair_hold(actor=planner, pair=pair(cycle, "卫建军", "韩磊"), held_on=today)
    services.pair_waive(actor=planner, pair=pair(cycle, "王建国", "何宏伟"), reason="出差")

    mine.move("韩磊", "T3")  # to 掘进二区: his held talk with 卫建军 stands
    mine.move("尤佳", "A3")  # to the other mine, outside the cycle
    mine.move("朱明", "T3")  # backbone and technical talent, now in 掘进二区
    result = services.cycle_generate(actor=planner, cycle=cycle)

    assert result == services.Generation(added=3, retired=3, kept=len(EXPECTED) - 3, updated=0)
    gone = {("卫建军", "尤佳", 3), ("张志强", "朱明", 2), ("卫建军", "朱明", 3)}
    new = {("何宏伟", "韩磊", 3), ("赵永刚", "朱明", 2), ("何宏伟", "朱明", 3)}
    assert plan(cycle) == (EXPECTED - gone) | new
    assert plan(cycle, PairStatus.RETIRED) == gone
    retired = TalkPair.objects.filter(cycle=cycle, status=PairStatus.RETIRED)
    assert {p.reason for p in retired} == {"人员变动，不再属于约谈范围"}
    kept = TalkPair.objects.get(pk=held.pk)
    assert (kept.status, kept.held_on, kept.unit_path) == (
        PairStatus.HELD,
        today,
        mine.units["T1"].path,
    )
    waived = pair(cycle, "王建国", "何宏伟")
    assert (waived.status, waived.reason) == (PairStatus.WAIVED, "出差")

    # back again: the retired pair is planned again rather than written twice
    mine.move("尤佳", "T2")
    again = services.cycle_generate(actor=planner, cycle=cycle)
    assert (again.added, again.retired) == (1, 0)
    assert pair(cycle, "卫建军", "尤佳").status == PairStatus.PLANNED
    rows = TalkPair.objects.filter(cycle=cycle, host__name="卫建军", person__name="尤佳")
    assert rows.count() == 1


def test_a_held_talk_covers_its_two_people_even_when_the_rules_now_see_them_under_another_tier(
    mine: Mine, planner: User, tree: Tree
) -> None:
    cycle = new_cycle(planner, mine)
    services.pair_hold(
        actor=planner, pair=pair(cycle, "王建国", "孙立平"), held_on=timezone.localdate()
    )
    first = TierRule.objects.get(order=1)
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    services.tier_rule_set_active(actor=admin, rule=first, active=False)

    services.cycle_generate(actor=planner, cycle=cycle)

    # 王建国 is in charge of 安全科, so tier 2 would pair him with 孙立平: the held talk stands
    talks = TalkPair.objects.filter(cycle=cycle, host__name="王建国", person__name="孙立平")
    assert [(p.rule.order, p.status) for p in talks] == [(1, PairStatus.HELD)]
    # the other tier-1 talks were planned and are retired
    assert ("李红旗", "孙立平", 1) in plan(cycle, PairStatus.RETIRED)


def test_editing_a_rule_changes_the_next_generation(mine: Mine, planner: User, tree: Tree) -> None:
    cycle = new_cycle(planner, mine)
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    third = TierRule.objects.get(order=3)
    data = services.RuleData(
        name=third.name,
        reach=third.reach,
        order=third.order,
        host_unit_kinds=third.host_unit_kinds,
        host_principal=True,
        target_groups=["party_member", "team_leader", "backbone"],  # managers no longer
    )

    services.tier_rule_update(actor=admin, rule=third, data=data)
    assert plan(cycle) == EXPECTED  # nothing changes until the cycle is generated again
    result = services.cycle_generate(actor=planner, cycle=cycle)

    gone = {("孙立平", "吴振华", 3), ("孙立平", "郑晓明", 3), ("卫建军", "沈丽", 3)}
    assert (result.retired, result.added) == (3, 0)
    assert plan(cycle) == EXPECTED - gone
    event = AuditEvent.objects.get(action="talk.rule.update")
    assert "manager" in event.before["target_groups"]
    assert "manager" not in event.after["target_groups"]


def test_a_talk_is_held_on_a_date_or_waived_with_a_reason_and_then_stays(
    mine: Mine, planner: User
) -> None:
    cycle = new_cycle(planner, mine)
    talk = pair(cycle, "孙立平", "周海燕")

    with pytest.raises(InvalidInput) as no_reason:
        services.pair_waive(actor=planner, pair=talk, reason="  ")
    assert no_reason.value.fields == {"reason": ["免谈须说明原因。"]}
    with pytest.raises(InvalidInput) as tomorrow:
        services.pair_hold(
            actor=planner, pair=talk, held_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert "held_on" in tomorrow.value.fields
    assert TalkPair.objects.get(pk=talk.pk).status == PairStatus.PLANNED

    services.pair_waive(actor=planner, pair=talk, reason="休产假")
    with pytest.raises(Conflict):
        services.pair_hold(actor=planner, pair=talk, held_on=timezone.localdate())
    assert AuditEvent.objects.filter(action="talk.pair.waived", object_id=str(talk.pk)).exists()


def test_the_host_marks_their_own_talk_but_not_another_hosts(mine: Mine, planner: User) -> None:
    cycle = new_cycle(planner, mine)
    host = UserFactory()  # an account with no role at all
    person = mine.people["卫建军"]
    person.user = host
    person.save()

    services.pair_hold(actor=host, pair=pair(cycle, "卫建军", "韩磊"), held_on=timezone.localdate())
    assert pair(cycle, "卫建军", "韩磊").status == PairStatus.HELD

    with pytest.raises(Forbidden):
        services.pair_hold(
            actor=host, pair=pair(cycle, "何宏伟", "施永"), held_on=timezone.localdate()
        )


def test_a_rule_that_makes_everybody_a_host_is_refused(tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    data = services.RuleData(name="全员互谈", reach="own_unit")

    with pytest.raises(InvalidInput) as refused:
        services.tier_rule_create(actor=admin, data=data)

    assert "host_ranks" in refused.value.fields
    assert TierRule.objects.count() == 3


def test_the_figures_by_tier_for_the_coverage_board(mine: Mine, planner: User) -> None:
    cycle = new_cycle(planner, mine)
    today = timezone.localdate()
    services.pair_hold(actor=planner, pair=pair(cycle, "卫建军", "韩磊"), held_on=today)
    services.pair_waive(actor=planner, pair=pair(cycle, "张志强", "朱明"), reason="长期病假")
    mine.move("尤佳", "A3")
    services.cycle_generate(actor=planner, cycle=cycle)  # 卫建军 → 尤佳 retired: not counted

    area = selectors.pairs_by_tier(unit_path=mine.units["A1"].path, cycle=cycle)

    assert [(t.label, t.planned, t.held, t.waived) for t in area] == [
        (T1, 2, 0, 0),  # 王建国 and 李红旗 with 卫建军
        (T2, 3, 0, 1),  # 张志强 with 卫建军, 蒋文斌, 沈丽; 朱明 waived
        (T3, 5, 1, 0),  # 卫建军 with his people, 韩磊 held
    ]
    assert [t.held_percent for t in area] == [0, 0, 17]
    in_period = selectors.pairs_by_tier(
        unit_path=mine.units["A1"].path, period=(today, today + dt.timedelta(days=7))
    )
    assert in_period == area
    before = selectors.pairs_by_tier(
        unit_path=mine.units["A1"].path,
        period=(today - dt.timedelta(days=400), today - dt.timedelta(days=300)),
    )
    assert before == []
