"""What waits in projects for a user, for the staff home (the ``TODO`` hook)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.plugins import TodoItem, TodoUrgency
from xinsheng.org import permissions
from xinsheng.projects import selectors


def projects_todo(*, actor: Actor) -> list[TodoItem]:
    """Return the projects of the user's units that are behind schedule (past due, running)."""
    if not permissions.may_anywhere(actor, "project.update"):
        return []
    behind = selectors.project_behind_count_for(actor=actor, today=timezone.localdate())
    return [
        TodoItem(
            _("进度滞后的实事项目"),
            behind,
            f"{reverse('projects:list')}?overdue=on",
            urgency=TodoUrgency.OVERDUE,
            area=_("实事项目"),
            detail=_("已过完成时限仍未销号"),
            order=40,
        )
    ]
