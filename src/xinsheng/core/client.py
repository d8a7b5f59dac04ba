"""Who is asking, as far as the public pages need to know: an address to count, never to keep.

Rate limits count a client under a keyed hash of its address, held only in Django's cache for
the time it counts; the address itself is never written to the database, a log or the cache.
The processes of one host count together in the default file cache; several hosts share Redis
(``REDIS_URL``).
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


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


def client_key(request: HttpRequest, *, salt: str, scope: str, prefix: str) -> str:
    """Return the cache key ``prefix:<hash>`` of the client for ``scope``.

    The hash is keyed with the installation's secret (and ``salt``): it cannot be turned back
    into the address by trying all addresses, and a ``scope`` holding a time window changes it
    with every window.
    """
    digest = salted_hmac(salt, f"{scope}:{client_address(request)}").hexdigest()
    return f"{prefix}:{digest[:40]}"


def counter_incr(key: str, *, timeout: int) -> int:
    """Add one to the counter under ``key`` (kept ``timeout`` seconds); return the new count.

    Redis adds atomically. The file cache reads and writes, so several processes adding at once
    are put in line by a lock file beside the cache; without it, a flood spread over the web
    workers would lose counts and get past the limit.
    """
    if isinstance(caches["default"], FileBasedCache):
        with _file_lock(Path(settings.CACHES["default"]["LOCATION"]) / "counters.lock"):
            return _incr(key, timeout)
    return _incr(key, timeout)


def counter_decr(key: str) -> None:
    """Take one off the counter under ``key`` (a count given back); nothing if it is gone."""
    if isinstance(caches["default"], FileBasedCache):
        with _file_lock(Path(settings.CACHES["default"]["LOCATION"]) / "counters.lock"):
            _decr(key)
    else:
        _decr(key)


def _decr(key: str) -> None:
    with suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(key)


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
