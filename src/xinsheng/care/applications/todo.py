"""What waits in assistance applications for a user, for the staff home (the ``TODO`` hook):
applications to review, to approve, to pay; follow-up visits due; relief past its deadline."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.applications import selectors
from xinsheng.care.choices import ApplicationStatus
from xinsheng.core.actors import Actor
from xinsheng.core.plugins import TodoItem, TodoUrgency
from xinsheng.org import permissions


def applications_todo(*, actor: Actor) -> list[TodoItem]:
    """Return the assistance work waiting for ``actor``, one count query per kind."""
    items: list[TodoItem] = []
    url = reverse("care_programmes:applications")
    area = _("困难帮扶")
    steps = (
        ("care.review", ApplicationStatus.SUBMITTED, _("待单位审核的帮扶申请")),
        ("care.approve", ApplicationStatus.REVIEWED, _("待工会审批的帮扶申请")),
        ("care.pay", ApplicationStatus.PAYABLE, _("待发放的帮扶款项")),
    )
    for action, status, label in steps:
        if permissions.may_anywhere(actor, action):
            count = selectors.waiting_count_for(actor=actor, action=action, status=status)
            items.append(TodoItem(label, count, f"{url}?status={status}", area=area, order=70))
    if permissions.may_anywhere(actor, "care.visit"):
        today = timezone.localdate()
        due = selectors.follow_ups_due_for(actor=actor, today=today)
        items.append(
            TodoItem(
                _("到期的助学跟踪走访"),
                due.count(),
                reverse("care_programmes:follow_ups"),
                urgency=TodoUrgency.DUE,
                area=area,
                order=71,
            )
        )
    if permissions.may_anywhere(actor, "care.approve"):
        items.append(
            TodoItem(
                _("超过办理时限的大病救助申请"),
                selectors.relief_overdue_for(actor=actor).count(),
                f"{url}?kind=illness_relief&overdue=on",
                urgency=TodoUrgency.OVERDUE,
                area=area,
                detail=_("“三不让”：不让一名职工因病看不起病"),
                order=69,
            )
        )
    return items
