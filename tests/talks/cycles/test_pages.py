"""The staff pages of talk cycles: create, the cycle's page, filters, actions, export, rules."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.talks.cycles.mine import Mine, make_mine
from tests.talks.cycles.test_generation import EXPECTED, new_cycle, pair
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.talks.choices import PairStatus
from xinsheng.talks.cycles import services
from xinsheng.talks.models import TalkCycle, TalkPair, TierRule

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mine(tree: Tree) -> Mine:
    return make_mine(tree.company1)


@pytest.fixture
def planner(tree: Tree) -> User:
    return make_staff(tree.company1, Role.LEADER)


def test_a_leader_creates_a_cycle_on_the_page_and_sees_its_plan(mine: Mine, planner: User) -> None:
    client = _client(planner)
    today = timezone.localdate()

    created = client.post(
        "/talks/cycles/new/",
        {
            "title": "2026年第一季度双向约谈",
            "unit": "YK",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=90)).isoformat(),
        },
    )

    cycle = TalkCycle.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/talks/cycles/{cycle.pk}/"
    page = client.get(created["Location"]).content.decode()
    assert "2026年第一季度双向约谈" in page
    assert "共 30 对" in page
    assert "矿主要领导谈部门区队主要负责人" in page
    assert "新增 30 对，撤销 0 对，保留 0 对。" in page
    for unit in ("安全科", "调度室", "综采一区", "掘进二区"):
        assert unit in page
    listing = client.get("/talks/cycles/").content.decode()
    assert "2026年第一季度双向约谈" in listing


def test_a_cycle_with_the_end_before_the_start_is_refused_on_the_form(
    mine: Mine, planner: User
) -> None:
    today = timezone.localdate()
    answer = _client(planner).post(
        "/talks/cycles/new/",
        {
            "title": "倒序的周期",
            "unit": "YK",
            "starts_on": today.isoformat(),
            "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert answer.status_code == 400
    assert "结束日期不能早于开始日期。" in answer.content.decode()
    assert not TalkCycle.objects.exists()


def test_the_pairs_list_filters_by_tier_status_unit_host_and_person(
    mine: Mine, planner: User
) -> None:
    cycle = new_cycle(planner, mine)
    services.pair_hold(
        actor=planner, pair=pair(cycle, "卫建军", "韩磊"), held_on=timezone.localdate()
    )
    client = _client(planner)
    url = f"/talks/cycles/{cycle.pk}/"
    third = TierRule.objects.get(order=3)

    assert "共 12 对" in client.get(url, {"tier": third.pk}).content.decode()
    held = client.get(url, {"status": "held"}).content.decode()
    assert "共 1 对" in held
    assert "韩磊" in held
    assert "共 3 对" in client.get(url, {"unit": "YK-ZC1-1"}).content.decode()  # 韩磊, 朱明 ×2
    by_host = client.get(url, {"host": "赵永刚"}).content.decode()
    assert "共 4 对" in by_host
    assert "共 3 对" in client.get(url, {"q": "卫建军"}).content.decode()  # as a person
    bad = client.get(url, {"unit": "NOPE"}).content.decode()
    assert "找不到单位代码" in bad


def test_the_host_marks_held_and_a_waive_without_reason_is_refused_on_the_page(
    mine: Mine, planner: User
) -> None:
    cycle = new_cycle(planner, mine)
    client = _client(planner)
    talk = pair(cycle, "孙立平", "周海燕")
    back = f"/talks/cycles/{cycle.pk}/?tier={talk.rule_id}"

    refused = client.post(
        f"/talks/cycles/pairs/{talk.pk}/waived/", {"reason": "", "next": back}, follow=True
    )
    assert "免谈须说明原因。" in refused.content.decode()
    assert TalkPair.objects.get(pk=talk.pk).status == PairStatus.PLANNED

    done = client.post(
        f"/talks/cycles/pairs/{talk.pk}/held/",
        {"held_on": timezone.localdate().isoformat(), "next": back},
    )
    assert done.status_code == 302
    assert done["Location"] == back
    assert TalkPair.objects.get(pk=talk.pk).status == PairStatus.HELD
    again = client.post(f"/talks/cycles/pairs/{talk.pk}/waived/", {"reason": "出差"}, follow=True)
    assert "不能再更改" in again.content.decode()


def test_generating_again_on_the_page_says_what_changed(mine: Mine, planner: User) -> None:
    cycle = new_cycle(planner, mine)
    mine.move("尤佳", "A3")
    client = _client(planner)

    answer = client.post(f"/talks/cycles/{cycle.pk}/generate/", follow=True)

    page = answer.content.decode()
    assert "已重新生成：新增0对，撤销1对，保留29对。" in page
    assert "新增 0 对，撤销 1 对，保留 29 对。" in page
    assert "卫建军 → 尤佳" in page
    retired = client.get(f"/talks/cycles/{cycle.pk}/", {"status": "retired"}).content.decode()
    assert "人员变动，不再属于约谈范围" in retired


def test_the_excel_export_lists_the_filtered_pairs(mine: Mine, planner: User) -> None:
    cycle = new_cycle(planner, mine)
    today = timezone.localdate()
    services.pair_hold(actor=planner, pair=pair(cycle, "卫建军", "韩磊"), held_on=today)
    services.pair_waive(actor=planner, pair=pair(cycle, "王建国", "何宏伟"), reason="出差")

    response = _client(planner).get(f"/talks/cycles/{cycle.pk}/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active  # type: ignore[attr-defined]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "层级",
        "谈话人",
        "谈话人单位",
        "谈话对象",
        "对象单位",
        "状态",
        "谈话日期",
        "原因",
    )
    assert len(rows) == 1 + len(EXPECTED)
    held = next(row for row in rows if row[1] == "卫建军" and row[3] == "韩磊")
    assert held[0] == "部门区队负责人谈党员、管理人员、班组长和业务骨干"
    assert (held[2], held[4], held[5]) == ("综采一区", "综采一区一班", "已谈")
    assert held[6].date() == today
    waived = next(row for row in rows if row[1] == "王建国" and row[3] == "何宏伟")
    assert (waived[5], waived[7]) == ("免谈", "出差")

    only_held = _client(planner).get(f"/talks/cycles/{cycle.pk}/export.xlsx?status=held")
    sheet = load_workbook(io.BytesIO(b"".join(only_held.streaming_content))).active  # type: ignore[attr-defined]
    assert len(list(sheet.iter_rows(values_only=True))) == 2


def test_an_area_head_sees_the_mine_cycle_only_for_their_area(
    mine: Mine, planner: User, tree: Tree
) -> None:
    cycle = new_cycle(planner, mine)
    head = make_staff(mine.units["A2"], Role.UNIT_HEAD)
    client = _client(head)

    page = client.get(f"/talks/cycles/{cycle.pk}/").content.decode()

    # 何宏伟 (tier 1 ×2, tier 2) and 吕建平 (tier 2) and 施永 (tier 3)
    assert "共 5 对" in page
    assert "卫建军" not in page
    other = pair(cycle, "卫建军", "韩磊")
    assert client.get(f"/talks/cycles/pairs/{other.pk}/").status_code == 404
    refused = client.post(
        f"/talks/cycles/pairs/{other.pk}/held/", {"held_on": timezone.localdate().isoformat()}
    )
    assert refused.status_code == 404
    outsider = make_staff(tree.mine2, Role.LEADER)
    assert _client(outsider).get(f"/talks/cycles/{cycle.pk}/").status_code == 404


def test_an_administrator_edits_orders_and_deactivates_rules_on_the_page(tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    client = _client(admin)
    rule = TierRule.objects.get(order=2)

    page = client.get("/talks/cycles/rules/").content.decode()
    assert "分管领导谈分管单位副科级以上干部和技术技能人才" in page
    assert "干部级别：科级、副科级，或群体：技术技能人才" in page

    changed = client.post(
        f"/talks/cycles/rules/{rule.pk}/",
        {
            "name": "分管领导谈分管单位干部",
            "order": "5",
            "is_active": "on",
            "host_ranks": ["mine_leader"],
            "reach": "units_in_charge",
            "target_ranks": ["section", "deputy_section"],
        },
    )
    assert changed.status_code == 302
    rule.refresh_from_db()
    assert (rule.name, rule.order, rule.target_groups) == ("分管领导谈分管单位干部", 5, [])

    client.post(f"/talks/cycles/rules/{rule.pk}/active/", {"active": "0"})
    rule.refresh_from_db()
    assert not rule.is_active
    assert "已停用" in client.get("/talks/cycles/rules/").content.decode()
    actions = list(
        AuditEvent.objects.filter(object_id=str(rule.pk), action__startswith="talk.rule")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["talk.rule.update", "talk.rule.deactivate"]


def test_only_the_administrator_may_edit_rules(tree: Tree) -> None:
    leader = make_staff(tree.group, Role.LEADER)
    client = _client(leader)
    rule = TierRule.objects.get(order=1)

    assert client.get("/talks/cycles/rules/").status_code == 200
    assert client.get("/talks/cycles/rules/new/").status_code == 403
    assert client.post(f"/talks/cycles/rules/{rule.pk}/active/", {"active": "0"}).status_code == 403
    rule.refresh_from_db()
    assert rule.is_active


def test_an_administrator_adds_a_rule_and_the_next_generation_applies_it(
    mine: Mine, planner: User, tree: Tree
) -> None:
    cycle = new_cycle(planner, mine)
    client = _client(make_staff(tree.group, Role.ADMINISTRATOR))
    rule_form = {
        "name": "矿主要领导谈班组长",
        "order": "4",
        "is_active": "on",
        "host_unit_kinds": ["mine"],
        "host_ranks": ["mine_leader"],
        "host_principal": "on",
        "reach": "units_below",
        "target_groups": ["team_leader"],
    }

    added = client.post("/talks/cycles/rules/new/", rule_form)

    assert added.status_code == 302
    rule = TierRule.objects.get(order=4)
    assert AuditEvent.objects.filter(action="talk.rule.create", object_id=str(rule.pk)).exists()
    assert services.cycle_generate(actor=planner, cycle=cycle).added == 6
    assert {(p.host.name, p.person.name) for p in TalkPair.objects.filter(rule=rule)} == {
        (host, person) for host in ("王建国", "李红旗") for person in ("韩磊", "秦海", "施永")
    }

    client.post(f"/talks/cycles/rules/{rule.pk}/", {**rule_form, "is_active": ""})
    assert services.cycle_generate(actor=planner, cycle=cycle).retired == 6

    refused = client.post("/talks/cycles/rules/new/", {"name": "", "order": "0", "reach": "x"})
    assert refused.status_code == 400
    assert TierRule.objects.count() == 4
