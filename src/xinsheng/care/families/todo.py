"""What waits in hardship files for a user, for the staff home (the ``TODO`` hook)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xinsheng.care.families import selectors
from xinsheng.core.actors import Actor
from xinsheng.core.plugins import TodoItem, TodoUrgency
from xinsheng.org import permissions


def families_todo(*, actor: Actor) -> list[TodoItem]:
    """Return the files waiting for the user's review or approval, and the pairs overdue a visit."""
    if not permissions.may_anywhere(actor, "care.view"):
        return []
    items = []
    waiting = selectors.waiting_counts(actor)
    files = reverse("care_families:list")
    area = _("困难帮扶")
    if waiting["review"]:
        items.append(
            TodoItem(
                _("待单位审核的困难档案"),
                waiting["review"],
                f"{files}?waiting=review",
                area=area,
                order=70,
            )
        )
    if waiting["approve"]:
        items.append(
            TodoItem(
                _("待工会审批的困难档案"),
                waiting["approve"],
                f"{files}?waiting=approve",
                area=area,
                order=71,
            )
        )
    if permissions.may_anywhere(actor, "care.visit"):
        overdue = selectors.pairs_overdue_for(actor=actor).count()
        if overdue:
            items.append(
                TodoItem(
                    _("超期未走访的帮扶对子"),
                    overdue,
                    reverse("care_families:pairs_overdue"),
                    urgency=TodoUrgency.OVERDUE,
                    area=area,
                    detail=_("超过%(n)s个月没有走访") % {"n": selectors.visit_months()},
                    order=72,
                )
            )
    return items
