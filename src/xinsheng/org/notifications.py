"""Notifications to whoever holds a role at a unit (resolved by the worker, after commit)."""

from django.db import transaction
from django_tasks import task

from xinsheng.core.notifications import notifications_are_suppressed
from xinsheng.core.tasks import notifications_send
from xinsheng.org.models import OrgUnit
from xinsheng.org.selectors import role_holder_user_ids


def notify_role_holders(
    *, unit_id: int, roles: frozenset[str], kind: str, text: str, url: str = ""
) -> None:
    """Queue a notification to the holders of ``roles`` at a unit, resolved by the worker.

    Finding the recipients in the worker keeps that query out of the request that caused it.
    """
    if notifications_are_suppressed():
        return
    role_list = sorted(roles)
    transaction.on_commit(
        lambda: notify_role_holders_task.enqueue(
            unit_id=unit_id, roles=role_list, kind=kind, text=text[:300], url=url
        )
    )


@task()
def notify_role_holders_task(
    *, unit_id: int, roles: list[str], kind: str, text: str, url: str
) -> int:
    """Notify the holders of ``roles`` at a unit (or its nearest ancestor holding them)."""
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        return 0
    user_ids = role_holder_user_ids(unit=unit, roles=frozenset(roles))
    return notifications_send.call(user_ids=user_ids, kind=kind, text=text, url=url)
