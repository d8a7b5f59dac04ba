"""The hourly allowance of survey responses per client, counted in the cache only.

As on the voice form, a client is counted under a keyed hash of its address (``core.client``),
never written anywhere; the count is taken before a response is tried and given back unless one
was written (or the hidden field was filled), so that a burst cannot slip past the limit.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from xinsheng.core.client import client_key, counter_decr, counter_incr

WINDOW_SECONDS = 3600


@dataclass
class Slot:
    """A response's place in the client's hour."""

    used: int
    allowed: int
    retry_after: int
    kept: bool = False

    @property
    def over(self) -> bool:
        """Return whether this response is one more than the hour allows."""
        return self.used > self.allowed

    def keep(self) -> None:
        """Let the response count."""
        self.kept = True


@contextmanager
def response_slot(request: HttpRequest) -> Iterator[Slot]:
    """Count the response tried inside; give the count back unless ``keep()`` is called."""
    now = int(time.time())
    window, retry_after = now // WINDOW_SECONDS, WINDOW_SECONDS - now % WINDOW_SECONDS
    key = client_key(
        request,
        salt="xinsheng.engage.surveys.limits",
        scope=f"survey:{window}",
        prefix="xinsheng:limit:survey",
    )
    used = counter_incr(key, timeout=retry_after + 60)
    slot = Slot(
        used=used, allowed=int(settings.XINSHENG["SURVEY_RATE_PER_HOUR"]), retry_after=retry_after
    )
    try:
        yield slot
    finally:
        if not slot.kept:
            counter_decr(key)
