"""Limits on public ratings of projects (群众评单), without identifying anyone.

Like the intake limits of cases, a client is counted under a keyed hash of its address, held
only in Django's cache; the address is never written to the database, a log or the cache. A
client rates a project once a day, and at most ``RATINGS_PER_HOUR`` projects an hour.
"""

import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from xinsheng.cases.intake_limits import client_address

RATINGS_PER_HOUR = 20
DAY_SECONDS = 24 * 3600
HOUR_SECONDS = 3600


def _key(request: HttpRequest, scope: str) -> str:
    digest = salted_hmac(
        "xinsheng.projects.rating_limits", f"{scope}:{client_address(request)}"
    ).hexdigest()
    return f"xinsheng:project-rating:{digest[:40]}"


def _keys(request: HttpRequest, project_id: int) -> tuple[str, str]:
    now = int(time.time())
    day, hour = now // DAY_SECONDS, now // HOUR_SECONDS
    return _key(request, f"p{project_id}:d{day}"), _key(request, f"h{hour}")


def rating_allowed(request: HttpRequest, project_id: int) -> bool:
    """Return whether the client may rate project ``project_id`` now."""
    once, hourly = _keys(request, project_id)
    return cache.get(once) is None and int(cache.get(hourly, 0)) < RATINGS_PER_HOUR


def rating_count(request: HttpRequest, project_id: int) -> None:
    """Count a rating of project ``project_id`` by the client."""
    once, hourly = _keys(request, project_id)
    cache.set(once, 1, timeout=DAY_SECONDS)
    cache.add(hourly, 0, timeout=HOUR_SECONDS + 60)
    try:
        cache.incr(hourly)
    except ValueError:  # expired between add and incr
        cache.set(hourly, 1, timeout=HOUR_SECONDS + 60)
