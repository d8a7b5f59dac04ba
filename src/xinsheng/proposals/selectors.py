"""Every read of proposals, scoped to what the user may see.

A proposal belongs to its proposer's unit path as written: whoever may see proposals there
(``proposal.view``) sees it; anyone else gets "not found", as for what does not exist. A window
is seen by those who may see proposals in its subtree or above it. An evaluator sees what was
assigned to them whatever their roles.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person
from xinsheng.proposals.choices import UNDECIDED, ProposalStatus
from xinsheng.proposals.models import (
    Assignment,
    Proposal,
    ProposalDocument,
    ProposalPhoto,
    RewardPayment,
    Window,
)

VIEW = "proposal.view"


def _window_q(actor: Actor) -> Q:
    """Windows whose subtree holds a unit in scope, or that lie inside the scope."""
    query = Q(pk__in=[])
    step = OrgUnit.steplen
    for path in permissions.scope_paths(actor, VIEW):
        query |= Q(unit_path__startswith=path)
        query |= Q(unit_path__in=[path[:end] for end in range(step, len(path), step)])
    return query


def window_list_for(*, actor: Actor) -> QuerySet[Window]:
    """Return the windows ``actor`` may see, the latest first."""
    return Window.objects.filter(_window_q(actor)).select_related("unit")


def window_get_for(*, actor: Actor, window_id: int) -> Window:
    """Return window ``window_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    window = window_list_for(actor=actor).filter(pk=window_id).first()
    if window is None:
        raise NotFound()
    return window


def person_of(actor: Actor) -> Person | None:
    """Return the person of the signed-in ``actor``, if any."""
    if not actor.is_authenticated:
        return None
    return Person.objects.filter(user_id=actor.pk).first()


def _evaluated_by(person: Person | None) -> Q:
    if person is None:
        return Q(pk__in=[])
    return Q(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), evaluator=person)))


def proposal_list_for(
    *,
    actor: Actor,
    window: Window | None = None,
    unit: OrgUnit | None = None,
    status: str = "",
    category: str = "",
    text: str = "",
) -> QuerySet[Proposal]:
    """Return the proposals ``actor`` may see (and those assigned to them), narrowed."""
    scope = permissions.scope_q(actor, VIEW, path_field="unit_path")
    proposals = Proposal.objects.filter(scope | _evaluated_by(person_of(actor)))
    if window is not None:
        proposals = proposals.filter(window=window)
    if unit is not None:
        proposals = proposals.filter(unit_path__startswith=unit.path)
    if status:
        proposals = proposals.filter(status=status)
    if category:
        proposals = proposals.filter(category=category)
    if text:
        proposals = proposals.filter(Q(title__icontains=text) | Q(proposal_no__iexact=text))
    return proposals.select_related("window", "unit", "proposer").order_by("-submitted_at", "-id")


def proposal_get_for(*, actor: Actor, proposal_no: str) -> Proposal:
    """Return proposal ``proposal_no`` if ``actor`` may see it; ``NotFound`` otherwise."""
    proposal = (
        proposal_list_for(actor=actor)
        .select_related("owner_unit", "project", "case", "similar_to")
        .filter(proposal_no=proposal_no)
        .first()
    )
    if proposal is None:
        raise NotFound()
    return proposal


def proposal_photo_get_for(*, actor: Actor, proposal_no: str, photo_id: int) -> ProposalPhoto:
    """Return a photo of a proposal ``actor`` may see; ``NotFound`` otherwise."""
    proposal = proposal_get_for(actor=actor, proposal_no=proposal_no)
    photo = proposal.photos.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound()
    return photo


def proposal_document_get_for(
    *, actor: Actor, proposal_no: str, document_id: int
) -> ProposalDocument:
    """Return a document of a proposal ``actor`` may see; ``NotFound`` otherwise."""
    proposal = proposal_get_for(actor=actor, proposal_no=proposal_no)
    document = proposal.documents.filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    return document


def payment_get_for(*, actor: Actor, proposal_no: str, payment_id: int) -> RewardPayment:
    """Return a reward payment of a proposal ``actor`` may see; ``NotFound`` otherwise."""
    proposal = proposal_get_for(actor=actor, proposal_no=proposal_no)
    payment = (
        RewardPayment.objects.filter(proposal=proposal, pk=payment_id)
        .select_related("person", "proposal__window__unit")
        .first()
    )
    if payment is None:
        raise NotFound()
    return payment


def waiting_for(*, actor: Actor) -> QuerySet[Assignment]:
    """Return the assignments waiting for the acting evaluator's scores (待我评审)."""
    person = person_of(actor)
    if person is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            evaluator=person, scored_at__isnull=True, proposal__status__in=UNDECIDED
        )
        .select_related("proposal", "proposal__window", "proposal__unit")
        .order_by("proposal__submitted_at", "id")
    )


def assignment_of(*, actor: Actor, proposal: Proposal) -> Assignment | None:
    """Return the acting evaluator's assignment of ``proposal``, if any."""
    person = person_of(actor)
    if person is None:
        return None
    return Assignment.objects.filter(proposal=proposal, evaluator=person).first()


def on_notice(*, day: dt.date | None = None) -> QuerySet[Proposal]:
    """Return the rewards on public notice (公示) on ``day``: nothing but what the notice shows."""
    day = day or timezone.localdate()
    return (
        Proposal.objects.filter(
            status=ProposalStatus.IMPLEMENTED,
            notice_from__lte=day,
            notice_until__gte=day,
        )
        .exclude(reward_tier="")
        .select_related("window", "unit", "proposer")
        .prefetch_related("co_authors__person")
        .order_by("window_id", "-reward_amount", "proposal_no")
    )
