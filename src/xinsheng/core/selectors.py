"""Reads of the core app: a user's own notifications (the bell)."""

from django.db.models import QuerySet

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.models import Notification

UNREAD_SHOWN_MAX = 99  # the bell says "99+" beyond this; no need to count further


def notification_list_for(*, actor: Actor) -> QuerySet[Notification]:
    """Return ``actor``'s own notifications, newest first; nobody sees another's."""
    if not actor.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user_id=actor.pk).order_by("-created_at", "-id")


def notification_unread_count(*, actor: Actor, limit: int = UNREAD_SHOWN_MAX + 1) -> int:
    """Return how many of ``actor``'s notifications are unread, counting at most ``limit``."""
    unread = notification_list_for(actor=actor).filter(read_at__isnull=True)
    return unread.order_by()[:limit].count()


def notification_get_for(*, actor: Actor, pk: int) -> Notification:
    """Return ``actor``'s notification ``pk``; ``NotFound`` when missing or someone else's."""
    notification = notification_list_for(actor=actor).filter(pk=pk).first()
    if notification is None:
        raise NotFound()
    return notification
