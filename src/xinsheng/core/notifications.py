"""In-app notifications (the bell), sent after the writing transaction commits."""

import contextlib
import threading
from collections.abc import Iterable, Iterator

from django.db import transaction

from xinsheng.core.tasks import notifications_send

_state = threading.local()


def notifications_are_suppressed() -> bool:
    """Return whether notifications are suppressed in this thread (see below)."""
    return bool(getattr(_state, "suppressed", False))


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
    transaction.on_commit(
        lambda: notifications_send.enqueue(user_ids=ids, kind=kind, text=text[:300], url=url)
    )
