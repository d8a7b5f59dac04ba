"""Who is asking, as far as the public pages need to know: an address to count, never to keep.

Rate limits count a client under a keyed hash of its address, held only in Django's cache for
the time it counts; the address itself is never written to the database, a log or the cache.
The processes of one host count together in the default file cache; several hosts share Redis
(``REDIS_URL``).
"""

from contextlib import suppress
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest

from xinsheng.core import file_counters
from xinsheng.core.keyed_hashes import salted_hmac


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


def _counter_directory() -> Path | None:
    """Return where the file cache keeps counters, or None for another cache (Redis, memory)."""
    if isinstance(caches["default"], FileBasedCache):
        return Path(settings.CACHES["default"]["LOCATION"]) / "counters"
    return None


def counter_incr(key: str, *, timeout: int) -> int:
    """Add one to the counter under ``key`` (kept ``timeout`` seconds); return the new count.

    Redis adds atomically. Without it (the file cache) the counters are small files of their
    own, which the processes of the host add to in line (``core.file_counters``); a flood
    spread over the web workers loses no count.
    """
    directory = _counter_directory()
    if directory is not None:
        return file_counters.counter_incr(directory, key, timeout=timeout)
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def counter_decr(key: str) -> None:
    """Take one off the counter under ``key`` (a count given back); nothing if it is gone."""
    directory = _counter_directory()
    if directory is not None:
        file_counters.counter_decr(directory, key)
        return
    with suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(key)


def counter_get(key: str) -> int:
    """Return the counter under ``key`` (0 when nothing was counted, or it expired)."""
    directory = _counter_directory()
    if directory is not None:
        return file_counters.counter_get(directory, key)
    return int(cache.get(key, 0))
