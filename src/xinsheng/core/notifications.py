"""In-app notifications (the bell), sent after the writing transaction commits."""

import contextlib
import threading
from collections.abc import Iterable, Iterator

from django.db import transaction

_state = threading.local()


@contextlib.contextmanager
def notifications_suppressed() -> Iterator[None]:
    """Send no notifications inside this block (bulk jobs such as loading the demo)."""
    previous = getattr(_state, "suppressed", False)
    _state.suppressed = True
    try:
        yield
    finally:
        _state.suppressed = previous


def notify(*, user_ids: Iterable[int], kind: str, text: str, url: str = "") -> None:
    """Queue a notification to each of ``user_ids`` once the current transaction commits."""
    ids = sorted(set(user_ids))
    if not ids or getattr(_state, "suppressed", False):
        return
    from xinsheng.core.tasks import notifications_send

    transaction.on_commit(
        lambda: notifications_send.enqueue(user_ids=ids, kind=kind, text=text[:300], url=url)
    )


def notify_role_holders(
    *, unit_id: int, roles: frozenset[str], kind: str, text: str, url: str = ""
) -> None:
    """Queue a notification to the holders of ``roles`` at a unit, resolved by the worker.

    Finding the recipients in the worker keeps that query out of the request that caused it.
    """
    if getattr(_state, "suppressed", False):
        return
    from xinsheng.org.tasks import notify_role_holders_task

    role_list = sorted(roles)
    transaction.on_commit(
        lambda: notify_role_holders_task.enqueue(
            unit_id=unit_id, roles=role_list, kind=kind, text=text[:300], url=url
        )
    )
