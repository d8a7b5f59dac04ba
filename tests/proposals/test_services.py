"""The rules of a proposal's way: every bad input is refused with a Chinese message and
nothing is written."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import (
    make_evaluator,
    make_window,
    make_worker,
    notice_passes,
    submit,
)
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.proposals import implementation, rewards, services
from xinsheng.proposals.choices import Decision, ProposalStatus
from xinsheng.proposals.models import CoAuthor, Proposal, RewardPayment, Score


@pytest.fixture
def setup(tree: Tree) -> dict[str, object]:
    evaluator_user, evaluator = make_evaluator(tree.mine1, "李评审")
    window = make_window(tree.mine1, [evaluator])
    return {
        "window": window,
        "evaluator_user": evaluator_user,
        "evaluator": evaluator,
        "leader": make_staff(tree.mine1, Role.LEADER),
        "manager": make_staff(tree.mine1, Role.DISPATCHER),
        "worker": make_worker(tree.team1),
    }


def test_a_proposal_by_name_gets_a_number_and_a_receipt_code_kept_as_hash(
    tree: Tree, setup: dict
) -> None:
    proposal, code = submit(tree.team1, setup["worker"])
    assert proposal.proposal_no.startswith("JY")
    assert proposal.estimated_savings == Decimal("50000.00")
    assert code not in str(Proposal.objects.values_list("receipt_hash", flat=True).first())
    assert list(proposal.co_authors.values_list("share", flat=True)) == [100]


def test_shares_that_do_not_add_to_100_are_refused_and_nothing_written(
    tree: Tree, setup: dict
) -> None:
    partner = make_worker(tree.team1, "赵师傅")
    worker = setup["worker"]
    co_authors = [
        {"employee_no": worker.employee_no, "share": 60},
        {"employee_no": partner.employee_no, "share": 30},
    ]
    with pytest.raises(InvalidInput, match="合计须为100%"):
        submit(tree.team1, worker, co_authors=co_authors)
    assert not Proposal.objects.exists()
    assert not CoAuthor.objects.exists()
    co_authors[1]["share"] = 40
    proposal, _code = submit(tree.team1, worker, co_authors=co_authors)
    assert sorted(proposal.co_authors.values_list("share", flat=True)) == [40, 60]


def test_a_wrong_name_for_the_number_is_refused(tree: Tree, setup: dict) -> None:
    worker = setup["worker"]
    worker.name = "别人"
    with pytest.raises(InvalidInput, match="姓名与工号不符"):
        submit(tree.team1, worker)


def test_scores_outside_the_rubric_are_refused(tree: Tree, setup: dict) -> None:
    proposal, _code = submit(tree.team1, setup["worker"])
    services.evaluators_assign(
        actor=setup["manager"], proposal=proposal, evaluators=[setup["evaluator"]]
    )
    evaluator = setup["evaluator_user"]
    for scores in (
        {"innovation": 31, "feasibility": 20, "benefit": 30},
        {"innovation": 20, "feasibility": 20},
        {"innovation": 20, "feasibility": 20, "benefit": 30, "beauty": 5},
    ):
        with pytest.raises(InvalidInput):
            services.proposal_score(actor=evaluator, proposal=proposal, scores=scores)
    assert not Score.objects.exists()
    with pytest.raises(Forbidden, match="没有分配给您"):
        services.proposal_score(
            actor=setup["leader"],
            proposal=proposal,
            scores={"innovation": 20, "feasibility": 20, "benefit": 30},
        )


def test_no_decision_before_the_evaluation_is_complete_unless_overridden(
    tree: Tree, setup: dict
) -> None:
    proposal, _code = submit(tree.team1, setup["worker"])
    services.evaluators_assign(
        actor=setup["manager"], proposal=proposal, evaluators=[setup["evaluator"]]
    )
    with pytest.raises(InvalidInput, match="评审尚未完成"):
        services.proposal_decide(actor=setup["leader"], proposal=proposal, decision="adopted")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EVALUATING
    assert proposal.decision == ""
    services.proposal_decide(
        actor=setup["leader"],
        proposal=proposal,
        decision=Decision.ADOPTED,
        reason="安全隐患整改急需，委员会决定提前采纳",
        override=True,
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ADOPTED
    assert proposal.decision_overridden


def test_refusing_needs_a_reason(tree: Tree, setup: dict) -> None:
    proposal, _code = submit(tree.team1, setup["worker"])
    services.evaluators_assign(
        actor=setup["manager"], proposal=proposal, evaluators=[setup["evaluator"]]
    )
    services.proposal_score(
        actor=setup["evaluator_user"],
        proposal=proposal,
        scores={"innovation": 5, "feasibility": 5, "benefit": 5},
    )
    with pytest.raises(InvalidInput, match="须写明理由"):
        services.proposal_decide(actor=setup["leader"], proposal=proposal, decision="rejected")


def test_implementing_before_adoption_and_a_reward_outside_the_tiers_are_refused(
    tree: Tree, setup: dict
) -> None:
    proposal, _code = submit(tree.team1, setup["worker"])
    head = make_staff(tree.mine1, Role.ADMINISTRATOR)
    with pytest.raises(InvalidInput, match="尚未采纳"):
        implementation.proposal_implement(
            actor=head, proposal=proposal, owner_unit=tree.area1, due_date="2099-01-01"
        )
    proposal.refresh_from_db()
    assert proposal.owner_unit is None
    assert proposal.status == ProposalStatus.RECEIVED
    services.evaluators_assign(
        actor=setup["manager"], proposal=proposal, evaluators=[setup["evaluator"]]
    )
    services.proposal_score(
        actor=setup["evaluator_user"],
        proposal=proposal,
        scores={"innovation": 25, "feasibility": 25, "benefit": 35},
    )
    services.proposal_decide(actor=setup["leader"], proposal=proposal, decision="adopted")
    implementation.proposal_implement(
        actor=head, proposal=proposal, owner_unit=tree.area1, due_date="2099-01-01"
    )
    implementation.proposal_verify(actor=setup["leader"], proposal=proposal, actual_savings="8000")
    union = make_staff(tree.mine1, Role.UNION)
    with pytest.raises(InvalidInput, match="一等奖、二等奖、三等奖"):
        rewards.reward_propose(actor=union, proposal=proposal, tier="特等奖")
    proposal.refresh_from_db()
    assert proposal.reward_tier == ""
    rewards.reward_propose(actor=union, proposal=proposal, tier="二等奖")
    with pytest.raises(InvalidInput, match="公示期满后"):
        rewards.reward_pay(actor=union, proposal=proposal)
    assert not RewardPayment.objects.exists()


def test_a_reward_is_split_by_shares_and_reversed_only_by_a_negative_entry(
    tree: Tree, setup: dict, settings: object
) -> None:
    partner = make_worker(tree.team1, "赵师傅")
    worker = setup["worker"]
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
    paid = dict(RewardPayment.objects.values_list("person__name", "amount"))
    assert paid == {"王建国": Decimal("350.00"), "赵师傅": Decimal("150.00")}
    payment = RewardPayment.objects.get(person=partner)
    with pytest.raises(InvalidInput):
        rewards.reward_reverse(actor=admin, payment=payment, reason="")
    rewards.reward_reverse(actor=admin, payment=payment, reason="工号录错")
    with pytest.raises(Conflict):
        rewards.reward_reverse(actor=admin, payment=payment, reason="再次")
    assert sum(RewardPayment.objects.values_list("amount", flat=True)) == Decimal("350.00")
    assert AuditEvent.objects.filter(action="proposal.reward.reverse").count() == 1


def test_only_the_manager_may_assign(tree: Tree, setup: dict) -> None:
    proposal, _code = submit(tree.team1, setup["worker"])
    outsider: User = make_staff(tree.mine2, Role.DISPATCHER)
    with pytest.raises(Forbidden):
        services.evaluators_assign(
            actor=outsider, proposal=proposal, evaluators=[setup["evaluator"]]
        )


def test_similar_proposals_of_a_window_are_grouped(tree: Tree, setup: dict) -> None:
    from xinsheng.proposals.grouping import proposals_group_similar

    first, _code = submit(tree.team1, setup["worker"])
    second, _code = submit(tree.team1, make_worker(tree.team1, "赵师傅"))
    other, _code = submit(
        tree.team1,
        make_worker(tree.team1, "钱师傅"),
        "职工浴室热水管道增设循环泵",
        problem="夜班下班高峰时浴室远端喷头长时间出冷水。",
        measure="在浴室热水管道末端增设小型循环泵和温控阀。",
    )
    grouped = proposals_group_similar(actor=setup["manager"], window=setup["window"])
    assert grouped == 1
    second.refresh_from_db()
    other.refresh_from_db()
    assert second.similar_to == first
    assert other.similar_to is None
