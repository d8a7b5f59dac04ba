"""Similar proposals grouped (同类建议), with the near-duplicate index of ``insight``.

Within a window, each proposal whose text (title, problem and measure) resembles an earlier one
is marked as similar to the first of its group, so that evaluators and the committee see
proposals on the same matter together.
"""

from django.db import transaction

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.org import permissions
from xinsheng.proposals.models import Proposal, Window

THRESHOLD = 0.5  # the estimated Jaccard similarity from which two proposals are alike


def _text(proposal: Proposal) -> str:
    return f"{proposal.title}\n{proposal.problem}\n{proposal.measure}"


@transaction.atomic
def proposals_group_similar(*, actor: Actor, window: Window) -> int:
    """Mark the window's proposals that resemble an earlier one; return how many are grouped."""
    from xinsheng.insight.nlp.similar import SimilarIndex  # numpy: only when grouping

    permissions.require(actor, "proposal.manage", window.unit)
    proposals = list(window.proposals.order_by("submitted_at", "id"))
    index = SimilarIndex()
    root: dict[int, int] = {}
    changed: list[Proposal] = []
    for proposal in proposals:
        matches = index.query(_text(proposal), k=1, threshold=THRESHOLD)
        first = root.get(matches[0].key, matches[0].key) if matches else None
        if first is not None:
            root[proposal.pk] = first
        if proposal.similar_to_id != first:
            proposal.similar_to_id = first
            changed.append(proposal)
        index.add(proposal.pk, _text(proposal))
    Proposal.objects.bulk_update(changed, ["similar_to"])
    grouped = sum(1 for proposal in proposals if proposal.pk in root)
    audit_record(actor=actor, action="proposal.group", obj=window, after={"grouped": grouped})
    return grouped
