"""The proposals API: the public intake by name with its Idempotency-Key, the scoped list, each
step, the receipt API for a proposal's code, and the OpenAPI schema."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_evaluator, make_window, make_worker
from xinsheng.api.services import token_issue
from xinsheng.org.choices import Role
from xinsheng.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def post(client: Client, url: str, body: Any = None, **headers: str) -> tuple[int, Any]:
    answer = client.post(url, body or {}, content_type="application/json", headers=headers)
    return answer.status_code, answer.json() if answer.content else None


def test_a_proposal_goes_through_the_api(tree: Tree) -> None:
    evaluator_user, evaluator = make_evaluator(tree.mine1, "李工")
    make_window(tree.mine1, [evaluator])
    worker = make_worker(tree.team1, "孙志刚")
    partner = make_worker(tree.team1, "周强")
    body = {
        "title": "降低主洗车间电耗",
        "problem": "主洗车间循环水泵长期满负荷运行，电耗高。",
        "measure": "对循环水泵加装变频器，按煤量调节。",
        "estimated_savings": "120000",
        "name": worker.name,
        "employee_no": worker.employee_no,
        "co_authors": [
            {"employee_no": worker.employee_no, "share": 60},
            {"employee_no": partner.employee_no, "share": 40},
        ],
    }
    public = Client()
    url = f"/api/v1/units/{tree.team1.code}/proposals"
    status, submitted = post(public, url, body, **{"Idempotency-Key": "k-1"})
    assert status == 201
    assert set(submitted) == {"proposal_no", "receipt_code"}
    status, again = post(public, url, body, **{"Idempotency-Key": "k-1"})
    assert status == 200
    assert again == submitted
    status, refused = post(public, url, {**body, "title": "另一条"}, **{"Idempotency-Key": "k-1"})
    assert status == 422
    assert Proposal.objects.count() == 1
    status, bad = post(public, url, {**body, "co_authors": body["co_authors"][:1]})
    assert status == 400
    assert "100" in bad["message"]

    no = submitted["proposal_no"]
    manager = api(make_staff(tree.mine1, Role.DISPATCHER))
    status, row = post(
        manager,
        f"/api/v1/proposals/{no}/assign",
        {"evaluator_employee_nos": [evaluator.employee_no]},
    )
    assert status == 200
    assert row["status"] == "evaluating"
    leader = api(make_staff(tree.mine1, Role.LEADER))
    status, refused = post(leader, f"/api/v1/proposals/{no}/decide", {"decision": "adopted"})
    assert status == 400
    assert "评审尚未完成" in refused["message"]
    status, refused = post(
        api(evaluator_user), f"/api/v1/proposals/{no}/score", {"scores": {"innovation": 99}}
    )
    assert status == 400
    status, row = post(
        api(evaluator_user),
        f"/api/v1/proposals/{no}/score",
        {"scores": {"innovation": 25, "feasibility": 28, "benefit": 36}, "comment": "效益明显"},
    )
    assert row["assessments"][0]["total"] == 89
    status, refused = post(
        leader,
        f"/api/v1/proposals/{no}/implement",
        {"owner_unit_code": tree.area1.code, "due_date": "2099-01-01"},
    )
    assert status == 400  # a leader does not arrange the implementation
    assert "不能为其安排实施" in refused["message"]
    head = api(make_staff(tree.mine1, Role.UNIT_HEAD))
    status, refused = post(
        head,
        f"/api/v1/proposals/{no}/implement",
        {"owner_unit_code": tree.area1.code, "due_date": "2099-01-01"},
    )
    assert status == 400
    assert "尚未采纳" in refused["message"]
    status, row = post(leader, f"/api/v1/proposals/{no}/decide", {"decision": "adopted"})
    assert row["status"] == "adopted"
    status, row = post(
        head,
        f"/api/v1/proposals/{no}/implement",
        {"owner_unit_code": tree.area1.code, "due_date": "2099-01-01"},
    )
    assert row["status"] == "implementing"
    status, row = post(leader, f"/api/v1/proposals/{no}/verify", {"actual_savings": "98000.50"})
    assert row["actual_savings"] == "98000.50"
    union = api(make_staff(tree.mine1, Role.UNION))
    status, refused = post(union, f"/api/v1/proposals/{no}/reward", {"tier": "特等奖"})
    assert status == 400
    status, row = post(union, f"/api/v1/proposals/{no}/reward", {"tier": "一等奖"})
    assert row["reward_amount"] == "3000.00"

    receipt = public.get(f"/api/v1/receipts/{submitted['receipt_code']}").json()
    assert receipt["proposal_no"] == no
    assert receipt["status_label"] == "已实施"
    assert [step["step"] for step in receipt["timeline"]][:3] == ["已收到", "进入评审", "采纳"]

    listed = manager.get("/api/v1/proposals", {"status": "implemented"}).json()
    assert [row["proposal_no"] for row in listed] == [no]
    outsider = api(make_staff(tree.mine2, Role.DISPATCHER))
    assert outsider.get("/api/v1/proposals").json() == []
    assert outsider.get(f"/api/v1/proposals/{no}").status_code == 404


def test_the_proposal_endpoints_are_in_the_schema(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/units/{unit_code}/proposals",
        "/api/v1/proposals",
        "/api/v1/proposals/{proposal_no}",
        "/api/v1/proposals/{proposal_no}/assign",
        "/api/v1/proposals/{proposal_no}/score",
        "/api/v1/proposals/{proposal_no}/decide",
        "/api/v1/proposals/{proposal_no}/implement",
        "/api/v1/proposals/{proposal_no}/verify",
        "/api/v1/proposals/{proposal_no}/reward",
    ):
        assert path in schema["paths"], path
    assert "ProposalReceipt" in schema["components"]["schemas"]
