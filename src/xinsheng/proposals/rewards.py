"""Writes of rewards: a tier of the window proposed and put on public notice (公示), then paid
to the co-authors by their shares once the notice is over. Payments are appended, never
edited or deleted; ``reward_reverse`` appends the negative entry that cancels one."""

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict
from xinsheng.org import permissions
from xinsheng.org.models import Person
from xinsheng.proposals import validation
from xinsheng.proposals.choices import EventKind, ProposalStatus
from xinsheng.proposals.models import Proposal, RewardPayment
from xinsheng.proposals.services import event_add
from xinsheng.proposals.validation import refuse

REWARD = "proposal.reward"
FEN = Decimal("0.01")


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("window").get(pk=proposal.pk)


def tier_of(proposal: Proposal, code: str) -> dict[str, str] | None:
    """Return the window's tier ``code`` (by code or name), or None."""
    for tier in proposal.window.tiers:
        if code in {tier["code"], tier["name"]}:
            return {str(key): str(value) for key, value in tier.items()}
    return None


def shares_split(amount: Decimal, shares: list[tuple[Person, int]]) -> list[tuple[Person, Decimal]]:
    """Split ``amount`` by ``shares`` (percent) to the fen; what rounding leaves goes to the
    first (the proposer), so that the parts add up to the amount."""
    parts = [
        (person, (amount * share / 100).quantize(FEN, rounding=ROUND_DOWN))
        for person, share in shares
    ]
    rest = amount - sum(part for _person, part in parts)
    if parts and rest:
        parts[0] = (parts[0][0], parts[0][1] + rest)
    return [(person, part) for person, part in parts if part > 0]


@transaction.atomic
def reward_propose(*, actor: Actor, proposal: Proposal, tier: str) -> Proposal:
    """Propose the reward tier of an implemented proposal and put it on public notice."""
    proposal = _locked(proposal)
    permissions.require(actor, REWARD, proposal.window.unit)
    if proposal.status != ProposalStatus.IMPLEMENTED:
        raise refuse("status", _("只有已实施并验收的建议可以评定奖励。"))
    found = tier_of(proposal, str(tier or "").strip())
    if found is None:
        names = "、".join(row["name"] for row in proposal.window.tiers) or _("（未设定）")
        raise refuse("tier", _("奖励等级须为本活动设定的等级之一：%(names)s。") % {"names": names})
    today = timezone.localdate()
    proposal.reward_tier = found["code"]
    proposal.reward_amount = Decimal(found["amount"])
    proposal.notice_from = today
    proposal.notice_until = today + dt.timedelta(days=proposal.window.notice_days)
    proposal.save()
    event_add(
        proposal,
        EventKind.NOTICE,
        actor=actor,
        note=_("拟评%(tier)s，公示至%(until)s")
        % {"tier": found["name"], "until": proposal.notice_until},
        data={"tier": found["code"], "amount": found["amount"]},
    )
    audit_record(
        actor=actor,
        action="proposal.reward.propose",
        obj=proposal,
        after={"tier": found["code"], "amount": found["amount"]},
    )
    return proposal


@transaction.atomic
def reward_pay(*, actor: Actor, proposal: Proposal, paid_on: dt.date | None = None) -> Proposal:
    """Pay the reward on notice to the co-authors by their shares, once the notice is over."""
    proposal = _locked(proposal)
    permissions.require(actor, REWARD, proposal.window.unit)
    today = timezone.localdate()
    if proposal.status == ProposalStatus.REWARDED:
        raise Conflict(_("该建议的奖励已发放。"))
    if proposal.status != ProposalStatus.IMPLEMENTED or not proposal.reward_tier:
        raise refuse("status", _("请先评定奖励等级并公示。"))
    if proposal.notice_until is None or proposal.notice_until >= today:
        raise refuse(
            "status",
            _("奖励公示至%(until)s，公示期满后方可发放。") % {"until": proposal.notice_until},
        )
    day = paid_on or today
    if day > today:
        raise refuse("paid_on", _("发放日期不能晚于今天。"))
    amount = proposal.reward_amount or Decimal("0")
    shares = [(row.person, row.share) for row in proposal.co_authors.select_related("person")]
    actor_id = actor.pk if actor.is_authenticated else None
    for person, part in shares_split(amount, shares):
        RewardPayment.objects.create(
            proposal=proposal,
            person=person,
            unit_path=proposal.unit_path,
            tier=proposal.reward_tier,
            amount=part,
            paid_on=day,
            actor_id=actor_id,
        )
    proposal.status = ProposalStatus.REWARDED
    proposal.rewarded_at = timezone.now()
    proposal.save()
    tier = tier_of(proposal, proposal.reward_tier)
    event_add(
        proposal,
        EventKind.REWARDED,
        actor=actor,
        note=tier["name"] if tier else proposal.reward_tier,
        data={"amount": f"{amount:.2f}"},
    )
    audit_record(
        actor=actor,
        action="proposal.reward.pay",
        obj=proposal,
        after={"amount": f"{amount:.2f}", "paid_on": day.isoformat()},
    )
    return proposal


@transaction.atomic
def reward_reverse(*, actor: Actor, payment: RewardPayment, reason: str) -> RewardPayment:
    """Cancel ``payment`` with a negative entry and ``reason``; a payment is reversed once."""
    payment = (
        RewardPayment.objects.select_for_update()
        .select_related("proposal__window__unit", "person")
        .get(pk=payment.pk)
    )
    permissions.require(actor, REWARD, payment.proposal.window.unit)
    reason = validation.text_clean("reason", reason, label=_("冲销原因"), limit=300)
    if payment.reverses_id is not None or RewardPayment.objects.filter(reverses=payment).exists():
        raise Conflict(_("该笔发放已冲销，或本身是冲销记录。"))
    reversal = RewardPayment.objects.create(
        proposal=payment.proposal,
        person=payment.person,
        unit_path=payment.unit_path,
        tier=payment.tier,
        amount=-payment.amount,
        paid_on=timezone.localdate(),
        reverses=payment,
        note=reason,
        actor_id=actor.pk if actor.is_authenticated else None,
    )
    event_add(
        payment.proposal,
        EventKind.REVERSED,
        actor=actor,
        note=reason,
        public=False,
        data={"payment": payment.pk, "amount": f"{reversal.amount:.2f}"},
    )
    audit_record(
        actor=actor,
        action="proposal.reward.reverse",
        obj=payment.proposal,
        after={
            "payment": payment.pk,
            "person": payment.person.employee_no,
            "amount": f"{reversal.amount:.2f}",
            "reason": reason,
        },
    )
    return reversal
