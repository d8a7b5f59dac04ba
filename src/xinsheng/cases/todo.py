"""What waits in the closed loop for a user, for the staff home (the ``TODO`` hook).

One counting query per role the user holds somewhere (dispatcher, handler, supervisor), made by
``cases.selectors``; each item links to the very list the inbox shows of that kind of work.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.cases import selectors
from xinsheng.core.actors import Actor
from xinsheng.core.plugins import TodoItem, TodoUrgency
from xinsheng.org import permissions


def _some_late(late: int, words: str) -> tuple[TodoUrgency, str]:
    """Return the urgency and the detail of waiting work of which ``late`` waited too long."""
    if not late:
        return TodoUrgency.WAITING, ""
    return TodoUrgency.DUE, words % {"n": late}


def dispatcher_todo(*, actor: Actor) -> list[TodoItem]:
    """Return the new, accepted and returned cases and the extension requests to decide."""
    if not permissions.may_anywhere(actor, "case.dispatch"):
        return []
    counts = selectors.dispatcher_work_counts(actor=actor, now=timezone.now())
    inbox = reverse("cases:dispatcher_inbox")
    area = _("受理派单")
    urgency, detail = _some_late(counts["new_late"], _("其中 %(n)s 件已等待超过一天"))
    return [
        TodoItem(
            _("待受理的诉求"),
            counts["new"],
            f"{inbox}#new",
            urgency=urgency,
            area=area,
            detail=detail,
            order=10,
        ),
        TodoItem(
            _("退单待重新派单"),
            counts["returned"],
            f"{inbox}#returned",
            urgency=TodoUrgency.DUE,
            area=area,
            order=11,
        ),
        TodoItem(
            _("待审批的延期申请"),
            counts["extension"],
            f"{inbox}#extension",
            urgency=TodoUrgency.DUE,
            area=area,
            order=12,
        ),
        TodoItem(_("已受理待派单"), counts["accepted"], f"{inbox}#accepted", area=area, order=13),
    ]


def handler_todo(*, actor: Actor) -> list[TodoItem]:
    """Return the cases the user's units must sign for and answer, late and due soon first."""
    if not permissions.may_anywhere(actor, "case.sign"):
        return []
    counts = selectors.handler_work_counts(actor=actor, today=timezone.localdate())
    inbox = reverse("cases:handler_inbox")
    area = _("承办事项")
    urgency, detail = _some_late(counts["to_sign_late"], _("其中 %(n)s 件已过签收时限"))
    return [
        TodoItem(
            _("已超期的诉求"),
            counts["overdue"],
            f"{inbox}?show=overdue",
            urgency=TodoUrgency.OVERDUE,
            area=area,
            order=20,
        ),
        TodoItem(
            _("今明两天到期的诉求"),
            counts["due_soon"],
            f"{inbox}?show=due_soon",
            urgency=TodoUrgency.DUE,
            area=area,
            order=21,
        ),
        TodoItem(
            _("待签收的派单"),
            counts["to_sign"],
            f"{inbox}?show=to_sign",
            urgency=urgency,
            area=area,
            detail=detail,
            order=22,
        ),
        TodoItem(
            _("办理中待答复"),
            counts["in_progress"],
            f"{inbox}?show=in_progress",
            area=area,
            order=23,
        ),
    ]


def supervisor_todo(*, actor: Actor) -> list[TodoItem]:
    """Return the overdue, reopened and escalated cases the user supervises."""
    if not permissions.may_anywhere(actor, "case.supervise"):
        return []
    counts = selectors.supervision_work_counts(actor=actor)
    page = reverse("cases:supervision")
    area = _("督办")
    return [
        TodoItem(
            _("超期未办结，待督办"),
            counts["overdue"],
            f"{page}?show=overdue",
            urgency=TodoUrgency.OVERDUE,
            area=area,
            order=30,
        ),
        TodoItem(
            _("多次不满意转督办"),
            counts["escalated"],
            f"{page}?show=escalated",
            urgency=TodoUrgency.DUE,
            area=area,
            order=31,
        ),
        TodoItem(
            _("群众不满意重办"), counts["reopened"], f"{page}?show=reopened", area=area, order=32
        ),
    ]
