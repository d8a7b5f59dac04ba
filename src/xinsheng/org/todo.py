"""The staff home's list of what waits for a user: every app's ``TODO`` items, most urgent first.

Apps add their kinds of work through the ``TODO`` hook of their ``plugins`` module (see
``xinsheng.core.plugins``), so this module knows none of them; it adds the unread notifications
itself, as the bell's count.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from xinsheng.core import selectors as core_selectors
from xinsheng.core.actors import Actor
from xinsheng.core.plugins import TodoItem, TodoUrgency, contributions


def todo_items_for(*, actor: Actor) -> list[TodoItem]:
    """Return the work waiting for ``actor`` that there is some of, most urgent first."""
    items = [
        item for source in contributions("TODO") for item in source(actor=actor) if item.count > 0
    ]
    return sorted(items, key=lambda item: (-item.urgency, item.order))


def notifications_todo(*, actor: Actor) -> list[TodoItem]:
    """Return the user's unread notifications, counted as the bell counts them."""
    unread = core_selectors.notification_unread_count(actor=actor)
    return [
        TodoItem(
            _("未读通知"),
            unread,
            reverse("notifications"),
            urgency=TodoUrgency.INFO,
            area=_("通知"),
            order=900,
        )
    ]
