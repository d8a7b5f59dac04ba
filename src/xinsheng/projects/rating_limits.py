"""Limits on public ratings of projects (群众评单), without identifying anyone.

Like the intake limits of cases, a client is counted under a keyed hash of its address
(``core.client``), held only in Django's cache. A client rates a project once a day, and at most
``RATINGS_PER_HOUR`` projects an hour.
"""

import time

from django.core.cache import cache
from django.http import HttpRequest

from xinsheng.core.client import client_key, counter_get, counter_incr

RATINGS_PER_HOUR = 20
DAY_SECONDS = 24 * 3600
HOUR_SECONDS = 3600


def _key(request: HttpRequest, scope: str) -> str:
    return client_key(
        request,
        salt="xinsheng.projects.rating_limits",
        scope=scope,
        prefix="xinsheng:project-rating",
    )


def _keys(request: HttpRequest, project_id: int) -> tuple[str, str]:
    now = int(time.time())
    day, hour = now // DAY_SECONDS, now // HOUR_SECONDS
    return _key(request, f"p{project_id}:d{day}"), _key(request, f"h{hour}")


def rating_allowed(request: HttpRequest, project_id: int) -> bool:
    """Return whether the client may rate project ``project_id`` now."""
    once, hourly = _keys(request, project_id)
    return cache.get(once) is None and counter_get(hourly) < RATINGS_PER_HOUR


def rating_count(request: HttpRequest, project_id: int) -> None:
    """Count a rating of project ``project_id`` by the client."""
    once, hourly = _keys(request, project_id)
    cache.set(once, 1, timeout=DAY_SECONDS)
    counter_incr(hourly, timeout=HOUR_SECONDS + 60)
