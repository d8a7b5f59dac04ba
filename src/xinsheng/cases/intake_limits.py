"""Rate limits of the public pages, without identifying anyone.

A client is counted under a keyed hash of its address, held only in Django's cache for the hour
it counts; the address itself is never written to the database, a log or the cache. Counts are
per fixed hour. With several web processes, use a shared cache (``REDIS_URL``) so that they
count together.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 3600
REPLAY_SECONDS = 24 * 3600  # how long a sent form's retry gets its receipt past the limit
INTAKE = "intake"
RECEIPT = "receipt"
SIMILAR = "similar"  # look-ups of similar voices while an employee types
_RATE_SETTINGS = {
    INTAKE: "INTAKE_RATE_PER_HOUR",
    RECEIPT: "RECEIPT_RATE_PER_HOUR",
    SIMILAR: "SIMILAR_RATE_PER_HOUR",
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


def client_address(request: HttpRequest) -> str:
    """Return the client's address, read through the configured number of reverse proxies.

    Behind ``PROXY_COUNT`` proxies the address is that many entries from the right of
    X-Forwarded-For (the entries further left are written by the client and cannot be trusted).
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    if not proxies:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return forwarded[0] if forwarded else remote
    return forwarded[-proxies]


def _window() -> tuple[int, int]:
    now = int(time.time())
    return now // WINDOW_SECONDS, WINDOW_SECONDS - now % WINDOW_SECONDS


def _key(request: HttpRequest, kind: str, window: int) -> str:
    # Keyed with the installation's secret: the hash cannot be turned back into the address by
    # trying all addresses, and it changes every hour.
    digest = salted_hmac(
        "xinsheng.cases.intake_limits", f"{kind}:{window}:{client_address(request)}"
    ).hexdigest()
    return f"xinsheng:limit:{kind}:{digest[:40]}"


def _allowed(kind: str) -> int:
    return int(settings.XINSHENG[_RATE_SETTINGS[kind]])


def limit_check(request: HttpRequest, kind: str) -> Limit:
    """Return how much of the hour's allowance of ``kind`` the client has used."""
    window, retry_after = _window()
    used = cache.get(_key(request, kind, window), 0)
    return Limit(used=int(used), allowed=_allowed(kind), retry_after=retry_after)


def limit_count(request: HttpRequest, kind: str) -> Limit:
    """Count one request of ``kind`` for the client; return where it stands afterwards."""
    window, retry_after = _window()
    key = _key(request, kind, window)
    cache.add(key, 0, timeout=retry_after + 60)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=retry_after + 60)
        used = 1
    return Limit(used=int(used), allowed=_allowed(kind), retry_after=retry_after)


def _replay_key(intake_key: str) -> str:
    digest = salted_hmac("xinsheng.cases.intake_limits.replay", intake_key).hexdigest()
    return f"xinsheng:replay:{digest[:40]}"


def replay_remember(intake_key: str | None) -> None:
    """Remember that ``intake_key`` made a case, so that its retry is let past the limit.

    A retry after a lost answer is the only way to see the receipt code again; refusing it
    because the hour is used up would lose the code for good.
    """
    if intake_key:
        cache.set(_replay_key(intake_key), 1, timeout=REPLAY_SECONDS)


def replay_known(intake_key: str | None) -> bool:
    """Return whether ``intake_key`` already made a case (its retry is not a new submission)."""
    return bool(intake_key) and cache.get(_replay_key(str(intake_key))) is not None
