"""Rate limits of the public pages of cases, without identifying anyone.

A client is counted under a keyed hash of its address (``core.client``), held only in Django's
cache for the hour it counts. Counts are per fixed hour.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from xinsheng.cases.intake import idempotency
from xinsheng.cases.models import Case
from xinsheng.core.client import client_key, counter_decr, counter_get, counter_incr

WINDOW_SECONDS = 3600
INTAKE = "intake"
RECEIPT = "receipt"
SIMILAR = "similar"  # look-ups of similar voices while an employee types
RECOVER = "recover"  # recoveries of receipt codes: asking for a one-time code, and each try
_RATE_SETTINGS = {
    INTAKE: "INTAKE_RATE_PER_HOUR",
    RECEIPT: "RECEIPT_RATE_PER_HOUR",
    SIMILAR: "SIMILAR_RATE_PER_HOUR",
    RECOVER: "RECOVER_RATE_PER_HOUR",
}


@dataclass(frozen=True)
class Limit:
    """Where a client stands in the current hour for one kind of request."""

    used: int
    allowed: int
    retry_after: int  # seconds until the hour turns

    @property
    def exceeded(self) -> bool:
        """Return whether the client has used up the hour."""
        return self.used >= self.allowed


def _window() -> tuple[int, int]:
    now = int(time.time())
    return now // WINDOW_SECONDS, WINDOW_SECONDS - now % WINDOW_SECONDS


def _key(request: HttpRequest, kind: str, window: int) -> str:
    return client_key(
        request,
        salt="xinsheng.cases.intake.limits",
        scope=f"{kind}:{window}",
        prefix=f"xinsheng:limit:{kind}",
    )


def _allowed(kind: str) -> int:
    return int(settings.XINSHENG[_RATE_SETTINGS[kind]])


def limit_check(request: HttpRequest, kind: str) -> Limit:
    """Return how much of the hour's allowance of ``kind`` the client has used."""
    window, retry_after = _window()
    used = counter_get(_key(request, kind, window))
    return Limit(used=int(used), allowed=_allowed(kind), retry_after=retry_after)


def limit_count(request: HttpRequest, kind: str) -> Limit:
    """Count one request of ``kind`` for the client; return where it stands afterwards."""
    window, retry_after = _window()
    used = counter_incr(_key(request, kind, window), timeout=retry_after + 60)
    return Limit(used=int(used), allowed=_allowed(kind), retry_after=retry_after)


@dataclass
class Slot:
    """One of a client's submissions of the hour, taken before the submission is tried."""

    limit: Limit  # where the client stands with this submission counted
    kept: bool = False

    @property
    def over(self) -> bool:
        """Return whether this submission is one more than the hour allows."""
        return self.limit.used > self.limit.allowed

    def keep(self) -> None:
        """Let the submission count (a voice was taken, or photos were decoded)."""
        self.kept = True


@contextmanager
def limit_slot(request: HttpRequest, kind: str) -> Iterator[Slot]:
    """Count the submission tried inside at once; give the count back unless ``keep()`` is called.

    Counting first, with one atomic addition to the shared counter, is what makes the limit hold
    for a burst: submissions sent all at once, to one server or several, would all pass a check
    made before any of them was counted.
    """
    window, retry_after = _window()
    key = _key(request, kind, window)
    used = counter_incr(key, timeout=retry_after + 60)
    slot = Slot(Limit(used=used, allowed=_allowed(kind), retry_after=retry_after))
    try:
        yield slot
    finally:
        if not slot.kept:
            counter_decr(key)


def replay_known(unit_code: str, intake_key: str | None) -> bool:
    """Return whether ``intake_key`` already made a case at the unit ``unit_code``, so that its
    retry is let past the limit.

    A retry after a lost answer is the only way to see the receipt code again; refusing it
    because the hour is used up would lose the code for good. The retry is not a new
    submission (it writes nothing; the same key with another voice is refused and writes
    nothing). The key counts at its unit only (as in ``idempotency``): elsewhere it would make a
    new case, which the limit must count. Asked only of a client over its limit: one look-up by
    the stored key hash.
    """
    key = idempotency.key_clean(str(intake_key or ""))
    if not key:
        return False
    return Case.objects.filter(intake_key_hash=idempotency.key_hash(unit_code, key)).exists()
