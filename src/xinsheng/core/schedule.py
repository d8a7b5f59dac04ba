"""One round of periodic tasks per interval, however many schedulers run.

Each server of an installation may run ``xinsheng scheduler``; before a round, a scheduler claims
it here, and only the one whose claim lands enqueues. The claim is one conditional UPDATE
(``until`` in the past → now + most of the interval), atomic on PostgreSQL and SQLite alike.
"""

import datetime as dt
import os
import socket

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinsheng.core.models import PeriodicRound

PERIODIC = "periodic"
# A round holds for most of the interval, so that the same scheduler's next round finds it free
# even when its clock runs a little early.
HOLD_SHARE = 0.9


def scheduler_name() -> str:
    """Return a name for this scheduler process: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def round_claim(*, holder: str, interval: float, now: dt.datetime | None = None) -> bool:
    """Claim the round of periodic tasks for ``interval`` seconds; False if another holds it."""
    now = now or timezone.now()
    if not PeriodicRound.objects.filter(name=PERIODIC).exists():
        try:
            with transaction.atomic():
                PeriodicRound.objects.create(name=PERIODIC, until=now - dt.timedelta(seconds=1))
        except IntegrityError:
            pass  # another scheduler made it first
    taken = PeriodicRound.objects.filter(name=PERIODIC, until__lte=now).update(
        holder=holder, taken_at=now, until=now + dt.timedelta(seconds=interval * HOLD_SHARE)
    )
    return taken == 1
