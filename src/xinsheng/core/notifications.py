"""In-app notifications (the bell), sent after the writing transaction commits."""

from collections.abc import Iterable

from django.db import transaction


def notify(*, user_ids: Iterable[int], kind: str, text: str, url: str = "") -> None:
    """Queue a notification to each of ``user_ids`` once the current transaction commits."""
    ids = sorted(set(user_ids))
    if not ids:
        return
    from xinsheng.core.tasks import notifications_send

    transaction.on_commit(
        lambda: notifications_send.enqueue(user_ids=ids, kind=kind, text=text[:300], url=url)
    )
