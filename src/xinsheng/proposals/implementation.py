"""Writes of an adopted proposal's implementation: the owner unit (or a practical-matter
project) and due date, progress notes, and the verification with the actual savings."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.projects.models import Project
from xinsheng.proposals import validation
from xinsheng.proposals.choices import ADOPTING, EventKind, ProposalStatus
from xinsheng.proposals.models import ProgressNote, Proposal
from xinsheng.proposals.services import event_add
from xinsheng.proposals.validation import refuse

IMPLEMENT = "proposal.implement"
VERIFY = "proposal.verify"


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("window").get(pk=proposal.pk)


@transaction.atomic
def proposal_implement(
    *,
    actor: Actor,
    proposal: Proposal,
    owner_unit: OrgUnit | None = None,
    due_date: object = None,
    project: Project | None = None,
) -> Proposal:
    """Have an adopted proposal carried out by ``owner_unit`` by ``due_date``, or as part of
    the practical-matter ``project`` (whose owner unit then carries it out)."""
    proposal = _locked(proposal)
    unit = owner_unit or (project.owner_unit if project is not None else None)
    permissions.require(actor, IMPLEMENT, unit or proposal.window.unit)
    if proposal.decision not in ADOPTING or proposal.status not in {
        ProposalStatus.ADOPTED,
        ProposalStatus.PARTLY_ADOPTED,
    }:
        if proposal.status in {ProposalStatus.IMPLEMENTING, ProposalStatus.IMPLEMENTED}:
            raise Conflict(_("该建议已安排实施。"))
        raise refuse("status", _("该建议尚未采纳，不能安排实施。"))
    if unit is None:
        raise refuse("owner_unit_code", _("请选择实施单位，或关联一个实事项目。"))
    due: dt.date | None = None
    if project is None or due_date not in (None, ""):
        due = validation.date_clean("due_date", due_date, label=_("完成时限"))
        if due < timezone.localdate():
            raise refuse("due_date", _("完成时限不能早于今天。"))
    previous = proposal.status
    proposal.owner_unit = unit
    proposal.project = project
    proposal.due_date = due or (project.due_date if project is not None else None)
    proposal.implementing_since = timezone.now()
    proposal.status = ProposalStatus.IMPLEMENTING
    proposal.save()
    note = _("实施单位：%(unit)s") % {"unit": unit.name}
    if project is not None:
        note = _("纳入实事项目“%(title)s”，实施单位：%(unit)s") % {
            "title": project.title,
            "unit": unit.name,
        }
    event_add(
        proposal,
        EventKind.IMPLEMENTING,
        actor=actor,
        note=note,
        data={"due_date": str(proposal.due_date or ""), "project": project.pk if project else None},
    )
    audit_record(
        actor=actor,
        action="proposal.implement",
        obj=proposal,
        before={"status": previous},
        after={"owner_unit": unit.code, "due_date": str(proposal.due_date or "")},
    )
    return proposal


@transaction.atomic
def progress_add(*, actor: Actor, proposal: Proposal, text: str) -> ProgressNote:
    """Record how the implementation of ``proposal`` is going."""
    proposal = _locked(proposal)
    permissions.require(actor, IMPLEMENT, proposal.owner_unit or proposal.window.unit)
    if proposal.status != ProposalStatus.IMPLEMENTING:
        raise refuse("status", _("只有实施中的建议可以填报进展。"))
    text = validation.text_clean("text", text, label=_("进展"), limit=500)
    note = ProgressNote.objects.create(
        proposal=proposal, text=text, actor_id=actor.pk if actor.is_authenticated else None
    )
    event_add(proposal, EventKind.PROGRESS, actor=actor, note=text, public=False)
    audit_record(actor=actor, action="proposal.progress", obj=proposal, after={"text": text})
    return note


@transaction.atomic
def proposal_verify(*, actor: Actor, proposal: Proposal, actual_savings: object = None) -> Proposal:
    """Verify that ``proposal`` was carried out, with the savings it actually brought."""
    proposal = _locked(proposal)
    permissions.require(actor, VERIFY, proposal.window.unit)
    if proposal.status != ProposalStatus.IMPLEMENTING:
        raise refuse("status", _("只有实施中的建议可以验收。"))
    savings = validation.money_clean("actual_savings", actual_savings, label=_("实际创效"))
    proposal.actual_savings = savings
    proposal.verified_at = timezone.now()
    proposal.status = ProposalStatus.IMPLEMENTED
    proposal.save()
    event_add(
        proposal,
        EventKind.VERIFIED,
        actor=actor,
        data={"actual_savings": f"{savings:.2f}" if savings is not None else None},
    )
    audit_record(
        actor=actor,
        action="proposal.verify",
        obj=proposal,
        before={"status": ProposalStatus.IMPLEMENTING},
        after={"actual_savings": f"{savings:.2f}" if savings is not None else None},
    )
    return proposal
