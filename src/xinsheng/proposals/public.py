"""What the proposer sees: the follow-up of a proposal by its receipt code (on ``/r/`` beside
the voices, through the ``RECEIPT_LOOKUPS`` hook), and the proposal of a voice turned into one
(a ``RECEIPT_SECTIONS`` part of that voice's page). No staff member is ever named."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from xinsheng.cases.intake import receipts
from xinsheng.cases.models import Case
from xinsheng.proposals.choices import Decision, EventKind, ProposalStatus
from xinsheng.proposals.models import Proposal, ProposalEvent

ADOPTED = {Decision.ADOPTED, Decision.PARTLY_ADOPTED}


@dataclass(frozen=True)
class Step:
    at: Any
    label: str
    detail: str = ""


def proposal_for_receipt(code: str) -> Proposal | None:
    """Return the proposal of receipt ``code``, or None."""
    digest = receipts.receipt_hash(code)
    if digest is None:
        return None
    return (
        Proposal.objects.select_related("window", "owner_unit").filter(receipt_hash=digest).first()
    )


def _step(event: ProposalEvent) -> Step:
    kind, data = event.kind, event.data or {}
    if kind == EventKind.SUBMITTED:
        return Step(event.at, _("已收到"))
    if kind == EventKind.ASSIGNED:
        return Step(event.at, _("进入评审"))
    if kind == EventKind.DECIDED:
        label = str(Decision(data.get("decision", Decision.ADOPTED)).label)
        return Step(event.at, label, event.note if data.get("decision") not in ADOPTED else "")
    if kind == EventKind.IMPLEMENTING:
        return Step(event.at, _("安排实施"), event.note)
    if kind == EventKind.VERIFIED:
        return Step(event.at, _("已实施"))
    if kind == EventKind.NOTICE:
        return Step(event.at, _("奖励公示"), event.note)
    if kind == EventKind.REWARDED:
        return Step(event.at, _("已奖励"), event.note)
    return Step(event.at, str(event.get_kind_display()))


def next_step(proposal: Proposal) -> str:
    """Return, in a sentence, where the proposal stands and what happens next."""
    status = proposal.status
    if status == ProposalStatus.RECEIVED:
        return _("已收到，等待安排评审。")
    if status == ProposalStatus.EVALUATING:
        return _("评审委员会正在评审。")
    if status in {ProposalStatus.ADOPTED, ProposalStatus.PARTLY_ADOPTED}:
        return _("建议已被采纳，正在安排实施。")
    if status == ProposalStatus.DEFERRED:
        return _("建议暂缓采纳，原因见下方。")
    if status == ProposalStatus.REJECTED:
        return _("建议未被采纳，原因见下方。")
    if status == ProposalStatus.IMPLEMENTING:
        return _("建议正在实施。")
    if status == ProposalStatus.IMPLEMENTED and proposal.reward_tier:
        return _("建议已实施，奖励正在公示，至%(until)s。") % {"until": proposal.notice_until}
    if status == ProposalStatus.IMPLEMENTED:
        return _("建议已实施并验收，等待评定奖励。")
    return _("建议已实施，奖励已发放。感谢您的建议！")


def public_data(proposal: Proposal) -> dict[str, Any]:
    """Return what the proposer sees of ``proposal``."""
    events = proposal.events.filter(public=True).order_by("at", "id")
    refused = proposal.status in {ProposalStatus.DEFERRED, ProposalStatus.REJECTED}
    tier = next((row for row in proposal.window.tiers if row["code"] == proposal.reward_tier), None)
    return {
        "proposal_no": proposal.proposal_no,
        "window_title": proposal.window.title,
        "title": proposal.title,
        "status": proposal.status,
        "status_label": str(proposal.get_status_display()),
        "next_step": next_step(proposal),
        "submitted_at": proposal.submitted_at,
        "reason": proposal.decision_reason if refused else "",
        "owner_unit_name": proposal.owner_unit.name if proposal.owner_unit else None,
        "due_date": proposal.due_date,
        "reward_tier_name": tier["name"] if tier else None,
        "notice_until": proposal.notice_until,
        "timeline": [
            {"at": step.at, "step": step.label, "detail": step.detail}
            for step in map(_step, events)
        ],
    }


class StepSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    step = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)


class ProposalReceiptSerializer(serializers.Serializer[Any]):
    """What the holder of a proposal's receipt code sees."""

    proposal_no = serializers.CharField(help_text=gettext_lazy("合理化建议编号。"))
    window_title = serializers.CharField(help_text=gettext_lazy("征集活动。"))
    title = serializers.CharField()
    status = serializers.ChoiceField(ProposalStatus.choices)
    status_label = serializers.CharField()
    next_step = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    reason = serializers.CharField(
        allow_blank=True, help_text=gettext_lazy("暂缓或不予采纳的理由。")
    )
    owner_unit_name = serializers.CharField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    reward_tier_name = serializers.CharField(allow_null=True)
    notice_until = serializers.DateField(allow_null=True)
    timeline = StepSerializer(many=True)


# --- the hooks ------------------------------------------------------------------------------------


def receipt_page(*, request: HttpRequest, code: str) -> HttpResponse | None:
    """Return the follow-up page of the proposal of ``code``, or None."""
    proposal = proposal_for_receipt(code)
    if proposal is None:
        return None
    return render(request, "proposals/public/receipt.html", {"data": public_data(proposal)})


def receipt_answer(*, code: str) -> dict[str, Any] | None:
    """Return the receipt API's body for the proposal of ``code``, or None."""
    proposal = proposal_for_receipt(code)
    if proposal is None:
        return None
    return dict(ProposalReceiptSerializer(public_data(proposal)).data)


def receipt_serializer() -> type[ProposalReceiptSerializer]:
    return ProposalReceiptSerializer


def proposal_of_case(*, case: Case) -> dict[str, Any] | None:
    """Return what the page of a voice turned into a proposal shows of that proposal."""
    proposal = Proposal.objects.select_related("window", "owner_unit").filter(case=case).first()
    return public_data(proposal) if proposal is not None else None


def proposal_field() -> serializers.Field[Any, Any, Any, Any]:
    """Return how the receipt API describes the proposal a voice was turned into."""
    return ProposalReceiptSerializer(
        allow_null=True, help_text=gettext_lazy("该建议已转为合理化建议时，其评审和实施情况。")
    )
