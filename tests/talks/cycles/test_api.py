"""The talk cycles API: create, generate, the pairs in cursor pages, held and waived; scope."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.talks.cycles.mine import Mine, make_mine
from tests.talks.cycles.test_generation import EXPECTED, pair
from xinsheng.api.services import token_issue
from xinsheng.org.choices import Role
from xinsheng.talks.choices import PairStatus
from xinsheng.talks.models import TalkCycle, TalkPair, TierRule

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def post(client: Client, url: str, body: Any = None) -> tuple[int, Any]:
    answer = client.post(url, body or {}, content_type="application/json")
    return answer.status_code, answer.json() if answer.content else None


@pytest.fixture
def mine(tree: Tree) -> Mine:
    return make_mine(tree.company1)


@pytest.fixture
def planner(tree: Tree) -> User:
    return make_staff(tree.company1, Role.LEADER)


def _create(client: Client, **extra: Any) -> tuple[int, Any]:
    today = timezone.localdate()
    body = {
        "title": "2026年第一季度双向约谈",
        "unit_code": "YK",
        "starts_on": (today - dt.timedelta(days=10)).isoformat(),
        "ends_on": (today + dt.timedelta(days=80)).isoformat(),
        **extra,
    }
    return post(client, "/api/v1/talks/cycles", body)


def test_create_list_and_follow_a_cycle_through_the_api(mine: Mine, planner: User) -> None:
    client = api(planner)

    status, cycle = _create(client)

    assert status == 201, cycle
    assert cycle["unit"] == {"code": "YK", "name": "一矿"}
    assert [(t["tier"], t["planned"]) for t in cycle["tiers"]] == [
        ("矿主要领导谈部门区队主要负责人", 8),
        ("分管领导谈分管单位副科级以上干部和技术技能人才", 10),
        ("部门区队负责人谈党员、管理人员、班组长和业务骨干", 12),
    ]
    listed = client.get("/api/v1/talks/cycles").json()
    assert [c["id"] for c in listed] == [cycle["id"]]

    pages, url = [], f"/api/v1/talks/cycles/{cycle['id']}/pairs?page_size=7"
    while url:
        body = client.get(url).json()
        pages.append(body["results"])
        url = body["next"]
    rows = [row for page in pages for row in page]
    assert len(pages) == 5
    assert {(r["host"]["name"], r["person"]["name"]) for r in rows} == {
        (host, person) for host, person, _tier in EXPECTED
    }

    third = TierRule.objects.get(order=3)
    only = client.get(
        f"/api/v1/talks/cycles/{cycle['id']}/pairs", {"tier": third.pk, "unit": "YK-ZC1"}
    ).json()["results"]
    assert {r["person"]["name"] for r in only} == {"蒋文斌", "沈丽", "韩磊", "朱明", "秦海",
                                                  "尤佳", "马丽"}  # fmt: skip


def test_held_and_waived_through_the_api(mine: Mine, planner: User) -> None:
    client = api(planner)
    _status, created = _create(client)
    cycle = TalkCycle.objects.get(pk=created["id"])
    talk, other = pair(cycle, "卫建军", "韩磊"), pair(cycle, "王建国", "何宏伟")
    today = timezone.localdate().isoformat()

    status, held = post(client, f"/api/v1/talks/pairs/{talk.pk}/held", {"date": today})
    assert status == 200, held
    assert (held["status"], held["held_on"]) == ("held", today)
    status, again = post(client, f"/api/v1/talks/pairs/{talk.pk}/held", {"date": today})
    assert (status, again["code"]) == (409, "pair_not_planned")

    status, refused = post(client, f"/api/v1/talks/pairs/{other.pk}/waived", {"reason": ""})
    assert status == 400
    assert refused["fields"] == {"reason": ["免谈须说明原因。"]}
    status, future = post(
        client,
        f"/api/v1/talks/pairs/{other.pk}/held",
        {"date": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
    )
    assert status == 400
    assert "date" in future["fields"]
    status, waived = post(client, f"/api/v1/talks/pairs/{other.pk}/waived", {"reason": "出差"})
    assert status == 200
    assert (waived["status"], waived["reason"]) == ("waived", "出差")
    status, missing = post(
        client, f"/api/v1/talks/pairs/{pair(cycle, '孙立平', '周海燕').pk}/held",
        {"date": today, "record_id": 999999},
    )  # fmt: skip
    assert status == 400
    assert "record_id" in missing["fields"]


def test_generate_through_the_api_returns_what_changed(mine: Mine, planner: User) -> None:
    client = api(planner)
    _status, created = _create(client)
    mine.move("尤佳", "A3")
    mine.move("韩磊", "T3")

    status, result = post(client, f"/api/v1/talks/cycles/{created['id']}/generate")

    assert status == 200
    assert result == {"added": 1, "retired": 2, "kept": len(EXPECTED) - 2, "updated": 0}
    assert TalkPair.objects.filter(status=PairStatus.RETIRED).count() == 2


def test_outside_the_scope_is_not_found_and_without_planning_is_forbidden(
    mine: Mine, planner: User, tree: Tree
) -> None:
    _status, created = _create(api(planner))
    cycle = TalkCycle.objects.get(pk=created["id"])
    talk = pair(cycle, "卫建军", "韩磊")
    outsider = api(make_staff(tree.mine2, Role.ADMINISTRATOR))

    assert outsider.get(f"/api/v1/talks/cycles/{cycle.pk}").status_code == 404
    assert outsider.get(f"/api/v1/talks/cycles/{cycle.pk}/pairs").status_code == 404
    assert post(outsider, f"/api/v1/talks/cycles/{cycle.pk}/generate")[0] == 404
    today = timezone.localdate().isoformat()
    assert post(outsider, f"/api/v1/talks/pairs/{talk.pk}/held", {"date": today})[0] == 404
    status, body = _create(outsider)
    assert status == 400
    assert "unit_code" in body["fields"]

    recorder = api(make_staff(mine.units["A1"], Role.RECORDER))  # sees, may not plan
    assert recorder.get(f"/api/v1/talks/cycles/{cycle.pk}").status_code == 200
    assert post(recorder, f"/api/v1/talks/cycles/{cycle.pk}/generate")[0] == 403
    assert post(recorder, f"/api/v1/talks/pairs/{talk.pk}/held", {"date": today})[0] == 403
    assert recorder.get(
        f"/api/v1/talks/cycles/{cycle.pk}/pairs", {"unit": "EK"}
    ).status_code == 404  # fmt: skip
    assert Client().get(f"/api/v1/talks/cycles/{cycle.pk}").status_code == 401


def test_bad_input_is_refused_with_the_fields(mine: Mine, planner: User) -> None:
    client = api(planner)
    today = timezone.localdate()

    status, body = _create(client, ends_on=(today - dt.timedelta(days=30)).isoformat())

    assert status == 400
    assert body["fields"] == {"ends_on": ["结束日期不能早于开始日期。"]}
    status, body = _create(client, title="", starts_on="not a date")
    assert status == 400
    assert {"title", "starts_on"} <= set(body["fields"])
    assert not TalkCycle.objects.exists()


def test_the_schema_describes_the_cycle_endpoints(db: None, tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
        "--file", str(target),
    )  # fmt: skip

    schema = json.loads(target.read_text())
    paths = schema["paths"]
    assert "post" in paths["/api/v1/talks/cycles"]
    assert "post" in paths["/api/v1/talks/cycles/{cycle_id}/generate"]
    assert "get" in paths["/api/v1/talks/cycles/{cycle_id}/pairs"]
    held = paths["/api/v1/talks/pairs/{pair_id}/held"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(held["responses"])
    assert "post" in paths["/api/v1/talks/pairs/{pair_id}/waived"]
    assert set(schema["components"]["schemas"]["PairStatusEnum"]["enum"]) == set(PairStatus.values)
