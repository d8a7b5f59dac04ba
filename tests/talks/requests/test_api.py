"""The talk requests API: ask and follow in public, the staff's list and steps; scope, schema."""

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
from xinsheng.api.services import token_issue
from xinsheng.org.choices import Role
from xinsheng.talks.choices import RequestChannel, RequestStatus
from xinsheng.talks.models import TalkRequest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
ASKING = {
    "unit_code": "YK-ZC1",
    "name": "韩磊",
    "employee_no": "YK0016",
    "topic": "想和区长谈谈轮岗学习机电维修的事。",
}


@pytest.fixture
def mine(tree: Tree) -> Mine:
    return make_mine(tree.company1)


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def post(client: Client, url: str, body: Any = None) -> tuple[int, Any]:
    answer = client.post(url, body or {}, content_type="application/json")
    return answer.status_code, answer.json() if answer.content else None


def test_ask_and_follow_without_credentials(mine: Mine) -> None:
    public = Client()

    status, asked = post(public, "/api/v1/talks/requests", {**ASKING, "wanted_host": "卫区长"})

    assert status == 201, asked
    assert asked["status"] == "requested"
    talk = TalkRequest.objects.get()
    assert (talk.channel, talk.person) == (RequestChannel.API, mine.people["韩磊"])
    answer = public.get(f"/api/v1/talks/requests/receipt/{asked['receipt_code']}")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    body = answer.json()
    assert (body["status"], body["unit_name"], body["wanted_host"]) == (
        "requested",
        "综采一区",
        "卫区长",
    )
    assert body["scheduled_at"] is None
    missing = public.get("/api/v1/talks/requests/receipt/ABCD-EFGH-JKMN-PQRS-TVWX")
    assert (missing.status_code, missing.json()["code"]) == (404, "receipt_not_found")


def test_asking_with_bad_input_or_an_unknown_unit_is_refused(mine: Mine) -> None:
    public = Client()

    status, body = post(public, "/api/v1/talks/requests", {**ASKING, "name": "", "topic": "谈"})
    assert status == 400
    assert set(body["fields"]) == {"name", "topic"}
    status, body = post(public, "/api/v1/talks/requests", {**ASKING, "unit_code": "NOPE"})
    assert (status, body["code"]) == (404, "unit_not_found")
    assert not TalkRequest.objects.exists()


def test_asking_is_rate_limited(mine: Mine, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 1}
    public = Client()

    assert post(public, "/api/v1/talks/requests", ASKING)[0] == 201
    status, body = post(public, "/api/v1/talks/requests", ASKING)

    assert (status, body["code"]) == (429, "throttled")
    assert TalkRequest.objects.count() == 1


def test_the_staff_list_and_steps_through_the_api(mine: Mine) -> None:
    _status, asked = post(Client(), "/api/v1/talks/requests", ASKING)
    talk = TalkRequest.objects.get()
    handler = api(make_staff(mine.units["A1"], Role.UNIT_HEAD))
    when = timezone.now() + dt.timedelta(days=1)

    listed = handler.get("/api/v1/talks/requests").json()
    assert [r["name"] for r in listed["results"]] == ["韩磊"]
    assert listed["results"][0]["is_overdue"] is False

    status, body = post(
        handler,
        f"/api/v1/talks/requests/{talk.pk}/schedule",
        {"scheduled_at": when.isoformat(), "place": "区队会议室", "host_employee_no": "YK0013"},
    )
    assert status == 200, body
    assert (body["status"], body["host_name"], body["scheduled_place"]) == (
        "scheduled",
        "卫建军",
        "区队会议室",
    )
    status, body = post(
        handler,
        f"/api/v1/talks/requests/{talk.pk}/schedule",
        {"scheduled_at": when.isoformat(), "place": "区队会议室", "host_employee_no": "YK0028"},
    )  # 曹宇 heads a work area of the other mine
    assert status == 400
    assert "host_employee_no" in body["fields"]

    status, body = post(handler, f"/api/v1/talks/requests/{talk.pk}/decline", {"reason": ""})
    assert status == 400
    assert "reason" in body["fields"]
    status, body = post(
        handler, f"/api/v1/talks/requests/{talk.pk}/decline", {"reason": "区长外出学习，请改约。"}
    )
    assert status == 200
    status, body = post(
        handler,
        f"/api/v1/talks/requests/{talk.pk}/hold",
        {"date": timezone.localdate().isoformat()},
    )
    assert (status, body["code"]) == (409, "request_closed")
    receipt = Client().get(f"/api/v1/talks/requests/receipt/{asked['receipt_code']}").json()
    assert (receipt["status"], receipt["decline_reason"]) == ("declined", "区长外出学习，请改约。")
    assert TalkRequest.objects.get().status == RequestStatus.DECLINED


def test_outside_the_scope_is_not_found(mine: Mine, tree: Tree) -> None:
    post(Client(), "/api/v1/talks/requests", ASKING)
    talk = TalkRequest.objects.get()
    other = api(make_staff(mine.units["A2"], Role.RECORDER))

    assert other.get("/api/v1/talks/requests").json()["results"] == []
    assert (
        post(other, f"/api/v1/talks/requests/{talk.pk}/decline", {"reason": "不归我管"})[0] == 404
    )
    assert other.get("/api/v1/talks/requests", {"unit": "YK-ZC1"}).status_code == 404
    assert Client().get("/api/v1/talks/requests").status_code == 401
    leader = api(make_staff(tree.group, Role.LEADER))  # sees figures, does not handle requests
    assert leader.get("/api/v1/talks/requests").json()["results"] == []
    assert TalkRequest.objects.get().status == RequestStatus.REQUESTED


def test_the_schema_describes_the_request_endpoints(db: None, tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
        "--file", str(target),
    )  # fmt: skip

    paths = json.loads(target.read_text())["paths"]
    requests = paths["/api/v1/talks/requests"]
    assert requests["post"].get("security", [{}]) == [{}]  # asking needs no credentials
    assert "201" in requests["post"]["responses"]
    assert requests["get"]["security"] != [{}]
    assert paths["/api/v1/talks/requests/receipt/{code}"]["get"].get("security", [{}]) == [{}]
    for step in ("schedule", "hold", "decline"):
        operation = paths[f"/api/v1/talks/requests/{{request_id}}/{step}"]["post"]
        assert {"200", "400", "404", "409"} <= set(operation["responses"])
