"""What waits in proposals for a user, for the staff home (the ``TODO`` hook): proposals to
score (待我评审), to assign, to decide, to verify and rewards to pay after their notice."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.plugins import TodoItem
from xinsheng.org import permissions
from xinsheng.proposals import selectors
from xinsheng.proposals.choices import ProposalStatus


def proposals_todo(*, actor: Actor) -> list[TodoItem]:
    """Return the proposal work waiting for ``actor``, one count query per kind."""
    area = _("合理化建议")
    items = [
        TodoItem(
            _("待我评审的合理化建议"),
            selectors.waiting_for(actor=actor).count(),
            reverse("proposals:waiting"),
            area=area,
            order=80,
        )
    ]
    url = reverse("proposals:list")
    steps = (
        ("proposal.manage", ProposalStatus.RECEIVED, _("待分配评审的合理化建议")),
        ("proposal.verify", ProposalStatus.IMPLEMENTING, _("实施中待验收的合理化建议")),
    )
    for action, status, label in steps:
        if permissions.may_anywhere(actor, action):
            mine = permissions.scope_q(actor, action, path_field="unit_path")
            count = selectors.proposal_list_for(actor=actor, status=status).filter(mine).count()
            items.append(TodoItem(label, count, f"{url}?status={status}", area=area, order=81))
    if permissions.may_anywhere(actor, "proposal.reward"):
        mine = permissions.scope_q(actor, "proposal.reward", path_field="unit_path")
        payable = (
            selectors.proposal_list_for(actor=actor, status=ProposalStatus.IMPLEMENTED)
            .filter(mine)
            .exclude(reward_tier="")
            .filter(notice_until__lt=timezone.localdate())
        )
        items.append(
            TodoItem(
                _("公示期满待发放的建议奖励"),
                payable.count(),
                f"{url}?status={ProposalStatus.IMPLEMENTED}",
                area=area,
                order=82,
            )
        )
    return items
