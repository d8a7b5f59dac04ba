"""What the issue must show: 12 proposals → 5 adopted → 3 implemented → 2 rewarded; nothing is
implemented before it is adopted; the proposer's receipt page shows 已采纳 and then 已实施; the
briefing sentence has the right figures; a 建议 voice turned into a proposal tells its
submitter where it went."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import (
    make_evaluator,
    make_window,
    make_worker,
    notice_passes,
    submit,
)
from xinsheng.cases import services as case_services
from xinsheng.cases.choices import CaseKind, CaseStatus
from xinsheng.core.errors import InvalidInput
from xinsheng.core.periods import period_of
from xinsheng.org.choices import Role
from xinsheng.proposals import implementation, rewards, services
from xinsheng.proposals.choices import ProposalStatus
from xinsheng.proposals.figures import proposal_figures_of
from xinsheng.proposals.models import Proposal, RewardPayment
from xinsheng.proposals.panels import briefing_text

TITLES = [
    "降低主洗车间电耗",
    "改进皮带机清扫器",
    "井下运输斜巷增设防跑车装置",
    "浮选药剂自动添加",
    "压滤机滤布延长使用周期",
    "重介旋流器耐磨衬板改型",
    "职工浴室热水循环改造",
    "煤泥水管道防堵",
    "筛板更换工装",
    "班组交接班电子台账",
    "原煤仓防堵振打器",
    "厂区照明改用LED节能灯",
]


def receipt_page(client: Client, code: str) -> str:
    return client.post("/r/", {"code": code}).content.decode()


@pytest.mark.django_db
def test_twelve_proposals_five_adopted_three_implemented_two_rewarded(tree: Tree) -> None:
    first_user, first = make_evaluator(tree.mine1, "李工")
    second_user, second = make_evaluator(tree.mine1, "陈工")
    make_window(tree.mine1, [first, second])
    manager = make_staff(tree.mine1, Role.DISPATCHER)
    leader = make_staff(tree.mine1, Role.LEADER)
    head = make_staff(tree.mine1, Role.UNIT_HEAD)
    union = make_staff(tree.mine1, Role.UNION)
    client = Client()

    made = [
        submit(tree.team1, make_worker(tree.team1, f"职工{i}"), title)
        for i, title in enumerate(TITLES)
    ]
    proposals = [proposal for proposal, _code in made]
    codes = [code for _proposal, code in made]
    assert "已收到" in receipt_page(client, codes[0])

    for proposal in proposals:
        services.evaluators_assign(actor=manager, proposal=proposal, evaluators=[first, second])
        for user in (first_user, second_user):
            services.proposal_score(
                actor=user,
                proposal=proposal,
                scores={"innovation": 20, "feasibility": 25, "benefit": 30},
                comment="思路可行",
            )
    assert "评审中" in receipt_page(client, codes[0])

    for proposal in proposals[:5]:
        services.proposal_decide(actor=leader, proposal=proposal, decision="adopted")
    for proposal in proposals[5:9]:
        services.proposal_decide(
            actor=leader, proposal=proposal, decision="deferred", reason="待明年技改资金落实"
        )
    for proposal in proposals[9:]:
        services.proposal_decide(
            actor=leader, proposal=proposal, decision="rejected", reason="已有同类措施在实施"
        )
    page = receipt_page(client, codes[0])
    assert "已采纳" in page
    assert "已实施" not in page
    assert "已有同类措施在实施" in receipt_page(client, codes[11])

    # Not adopted: cannot be implemented, and nothing is written.
    with pytest.raises(InvalidInput, match="尚未采纳"):
        implementation.proposal_implement(
            actor=head, proposal=proposals[11], owner_unit=tree.area1, due_date="2099-06-30"
        )
    assert Proposal.objects.get(pk=proposals[11].pk).status == ProposalStatus.REJECTED

    savings = ["12000", "8000", "30500"]
    for proposal, saved in zip(proposals[:3], savings, strict=True):
        implementation.proposal_implement(
            actor=head, proposal=proposal, owner_unit=tree.area1, due_date="2099-06-30"
        )
        implementation.progress_add(actor=head, proposal=proposal, text="已完成改造，试运行一周")
        implementation.proposal_verify(actor=leader, proposal=proposal, actual_savings=saved)
    page = receipt_page(client, codes[0])
    assert "已实施" in page

    for proposal, tier in zip(proposals[:2], ["first", "third"], strict=True):
        rewards.reward_propose(actor=union, proposal=proposal, tier=tier)
    board = client.get("/gongshi/jianyi/").content.decode()
    assert TITLES[0] in board
    assert "一等奖" in board
    for proposal in proposals[:2]:
        notice_passes(proposal)
        rewards.reward_pay(actor=union, proposal=proposal)
    assert "已奖励" in receipt_page(client, codes[0])

    statuses = list(Proposal.objects.values_list("status", flat=True))
    assert statuses.count(ProposalStatus.REWARDED) == 2
    assert statuses.count(ProposalStatus.IMPLEMENTED) == 1
    assert statuses.count(ProposalStatus.ADOPTED) == 2
    assert sum(RewardPayment.objects.values_list("amount", flat=True)) == Decimal("3500.00")

    period = period_of("year", timezone.localdate())
    figures = proposal_figures_of(tree.company1, period)
    assert (figures.collected, figures.adopted, figures.implemented) == (12, 5, 3)
    assert figures.actual_savings == Decimal("50500.00")
    text = briefing_text(figures, period)
    assert "征集合理化建议12条，采纳5条，已实施3条，创效5.05万元" in text
    assert "兑现奖励3500元" in text
    assert proposal_figures_of(tree.mine2, period).collected == 0


@pytest.mark.django_db
def test_a_suggestion_voice_turned_into_a_proposal_tells_its_submitter_where_it_went(
    tree: Tree,
) -> None:
    worker = make_worker(tree.team1, "刘师傅")
    window = make_window(tree.mine1, [])
    recorder = make_staff(tree.mine1, Role.RECORDER)
    voice = case_services.case_submit_at(
        unit_code=tree.team1.code,
        kind=CaseKind.SUGGESTION,
        title="建议给井下运输大巷加装语音提示",
        text="井下运输大巷车辆多，行人经常避让不及，建议在弯道加装声光语音提示装置。",
        identity=case_services.Identity(
            anonymous=False, name=worker.name, employee_no=worker.employee_no
        ),
    )

    proposal = services.proposal_from_case(
        actor=recorder, case=voice.case, window=window, category="安全生产"
    )

    assert proposal.title == voice.case.title
    assert proposal.proposer == worker
    voice.case.refresh_from_db()
    assert voice.case.status == CaseStatus.ANSWERED
    assert proposal.proposal_no in voice.case.answer
    page = Client().post("/r/", {"code": voice.receipt_code}).content.decode()
    assert "已转为合理化建议" in page
    assert proposal.proposal_no in page
    assert "已收到" in page
    answer = Client().get(f"/api/v1/receipts/{voice.receipt_code}").json()
    assert answer["proposal"]["proposal_no"] == proposal.proposal_no
    assert answer["proposal"]["status_label"] == "已收到"


@pytest.mark.django_db
def test_an_anonymous_voice_or_a_complaint_cannot_become_a_proposal(tree: Tree) -> None:
    window = make_window(tree.mine1, [])
    recorder = make_staff(tree.mine1, Role.RECORDER)
    anonymous = case_services.case_submit_at(
        unit_code=tree.team1.code,
        kind=CaseKind.SUGGESTION,
        title="建议食堂增加夜班餐",
        text="夜班职工下班后食堂已关门，建议增加夜班餐。",
        identity=case_services.Identity(anonymous=True),
    )
    with pytest.raises(InvalidInput, match="匿名"):
        services.proposal_from_case(actor=recorder, case=anonymous.case, window=window)
    assert not Proposal.objects.exists()
