"""The union reverses a reward payment from the proposal's page (a confirmation page with a
reason) or through the API's ``reverse`` action: a negative entry is appended and audited."""

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_window, make_worker, notice_passes, submit
from xinsheng.api.services import token_issue
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.proposals import implementation, rewards, services
from xinsheng.proposals.models import Proposal, ProposalEvent, RewardPayment

pytestmark = pytest.mark.django_db


def rewarded(tree: Tree) -> Proposal:
    """Return a proposal whose third-tier reward (500 yuan) was paid 70/30 to two authors."""
    make_window(tree.mine1, [])
    worker = make_worker(tree.team1, "王建国")
    partner = make_worker(tree.team1, "赵师傅")
    proposal, _code = submit(
        tree.team1,
        worker,
        co_authors=[
            {"employee_no": worker.employee_no, "share": 70},
            {"employee_no": partner.employee_no, "share": 30},
        ],
    )
    admin = make_staff(tree.mine1, Role.ADMINISTRATOR)
    services.proposal_decide(
        actor=admin, proposal=proposal, decision="adopted", reason="委员会决定", override=True
    )
    implementation.proposal_implement(
        actor=admin, proposal=proposal, owner_unit=tree.area1, due_date="2099-01-01"
    )
    implementation.proposal_verify(actor=admin, proposal=proposal)
    rewards.reward_propose(actor=admin, proposal=proposal, tier="third")
    notice_passes(proposal)
    rewards.reward_pay(actor=admin, proposal=proposal)
    return proposal


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def test_the_union_reverses_a_payment_from_the_proposal_page(tree: Tree) -> None:
    proposal = rewarded(tree)
    payment = RewardPayment.objects.get(person__name="赵师傅")
    union = signed_in(make_staff(tree.mine1, Role.UNION))
    detail = reverse("proposals:detail", args=[proposal.proposal_no])
    page = reverse("proposals:reverse", args=[proposal.proposal_no, payment.pk])
    assert page in union.get(detail).content.decode()

    confirm = union.get(page).content.decode()
    assert "冲销将追加一笔 -150.00 元的记录" in confirm
    assert "赵师傅" in confirm
    missing = union.post(page, {"reason": "  "})
    assert "请填写冲销原因。" in missing.content.decode()
    assert RewardPayment.objects.count() == 2

    done = union.post(page, {"reason": "工号录错，应发给另一位职工"}, follow=True)
    html = done.content.decode()
    assert "已冲销赵师傅的奖励150.00元。" in html
    assert "已冲销" in html
    reversal = RewardPayment.objects.get(reverses=payment)
    assert reversal.amount == Decimal("-150.00")
    assert reversal.note == "工号录错，应发给另一位职工"
    audit = AuditEvent.objects.get(action="proposal.reward.reverse")
    assert audit.after["reason"] == "工号录错，应发给另一位职工"
    assert ProposalEvent.objects.filter(proposal=proposal, kind="reversed", public=False).exists()
    # Reversed once: the page says so, and posting again appends nothing.
    assert "该笔发放已冲销" in union.get(page).content.decode()
    again = union.post(page, {"reason": "再次"})
    assert "该笔发放已冲销" in again.content.decode()
    assert RewardPayment.objects.count() == 3


def test_only_who_pays_rewards_may_reverse_and_only_in_scope(tree: Tree) -> None:
    proposal = rewarded(tree)
    payment = RewardPayment.objects.get(person__name="赵师傅")
    page = reverse("proposals:reverse", args=[proposal.proposal_no, payment.pk])
    detail = reverse("proposals:detail", args=[proposal.proposal_no])
    leader = signed_in(make_staff(tree.mine1, Role.LEADER))
    assert page not in leader.get(detail).content.decode()
    assert leader.get(page).status_code == 403
    assert leader.post(page, {"reason": "想冲"}).status_code == 403
    outsider = signed_in(make_staff(tree.mine2, Role.UNION))
    assert outsider.post(page, {"reason": "想冲"}).status_code == 404
    assert RewardPayment.objects.count() == 2


def test_the_api_reverses_a_payment_by_its_number(tree: Tree) -> None:
    proposal = rewarded(tree)
    union = api(make_staff(tree.mine1, Role.UNION))
    url = f"/api/v1/proposals/{proposal.proposal_no}/reverse"
    read = union.get(f"/api/v1/proposals/{proposal.proposal_no}").json()
    paid = {row["name"]: row for row in read["payments"]}
    assert paid["赵师傅"]["amount"] == "150.00"
    target = paid["赵师傅"]["id"]

    def post(body: Any) -> Any:
        return union.post(url, body, content_type="application/json")

    assert post({"payment_id": target, "reason": ""}).status_code == 400
    other = post({"payment_id": 999999, "reason": "工号录错"})
    assert other.status_code == 400
    assert "该建议没有这笔奖励发放记录。" in other.content.decode()
    assert RewardPayment.objects.count() == 2

    done = post({"payment_id": target, "reason": "工号录错"})
    assert done.status_code == 200
    rows = done.json()["payments"]
    assert [row["reverses"] for row in rows if row["amount"] == "-150.00"] == [target]
    assert post({"payment_id": target, "reason": "再次"}).status_code == 409
    handler = api(make_staff(tree.mine1, Role.HANDLER))
    assert (
        handler.post(
            url,
            {"payment_id": paid["王建国"]["id"], "reason": "想冲"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert RewardPayment.objects.count() == 3
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/proposals/{proposal_no}/reverse" in schema["paths"]
