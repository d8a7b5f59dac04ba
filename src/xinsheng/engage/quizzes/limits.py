"""Rate limits of the public quiz pages and endpoints, without identifying anyone.

A client is counted under a keyed hash of its address (``core.client``), held only in Django's
cache for the hour it counts; every request counts, right or wrong (a wrong name costs as much
as a right one, so that guessing who has which employee number is slow).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from xinsheng.core.client import client_key, counter_incr

WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Limit:
    """Where a client stands in the current hour."""

    used: int
    allowed: int
    retry_after: int

    @property
    def over(self) -> bool:
        """Return whether this request is one more than the hour allows."""
        return self.used > self.allowed


def limit_count(request: HttpRequest) -> Limit:
    """Count one quiz request of the client; return where it stands with it counted."""
    now = int(time.time())
    window, retry_after = now // WINDOW_SECONDS, WINDOW_SECONDS - now % WINDOW_SECONDS
    key = client_key(
        request,
        salt="xinsheng.engage.quizzes.limits",
        scope=f"quiz:{window}",
        prefix="xinsheng:limit:quiz",
    )
    used = counter_incr(key, timeout=retry_after + 60)
    return Limit(used, int(settings.XINSHENG["QUIZ_RATE_PER_HOUR"]), retry_after)
