"""Writes of the core app: marking one's own notifications read, and signing out.

A notification belongs to one user and only that user may mark it; there is no role involved, so
the check is ownership, made by loading it through the user's own notifications.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import NotFound
from xinsheng.core.models import Notification
from xinsheng.core.plugins import call_all
from xinsheng.core.selectors import notification_list_for


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification: Notification) -> Notification:
    """Mark ``notification`` read (once; reading it again changes nothing)."""
    locked = (
        notification_list_for(actor=actor).select_for_update().filter(pk=notification.pk).first()
    )
    if locked is None:
        raise NotFound()
    if locked.read_at is None:
        locked.read_at = timezone.now()
        locked.save(update_fields=["read_at"])
        audit_record(
            actor=actor,
            action="notification.read",
            obj=locked,
            after={"read_at": locked.read_at.isoformat()},
        )
    return locked


@transaction.atomic
def notifications_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notification of ``actor`` read; return how many were unread."""
    if not isinstance(actor, AbstractBaseUser):
        raise NotFound()
    count = (
        notification_list_for(actor=actor)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    if count:
        audit_record(actor=actor, action="notification.read_all", obj=actor, after={"count": count})
    return count


@transaction.atomic
def sign_out(*, actor: AbstractBaseUser) -> None:
    """End what the apps tie to ``actor``'s sign-in (the ``ON_SIGN_OUT`` hook: the API token is
    revoked), before the web session itself ends; each app audits what it ends."""
    call_all("ON_SIGN_OUT", actor=actor)
