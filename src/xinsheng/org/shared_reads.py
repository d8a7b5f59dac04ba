"""What the sections of one page read alike, read once per request.

The dashboard is made of panels from several apps (the ``DASHBOARD_PANELS`` hook), each counting
the same subtree over the same period, and several of them need the same few things: the
subtree's headcount above all (the figures' cases per hundred, the proposals per hundred, the
quizzes' participation, the surveys' response rate, the talks' coverage). The reports app makes
one ``SharedReads`` per request and hands it to every panel; a panel asks it instead of asking
the database again. Nothing outlives the request, so nothing is ever stale beyond it.

``headcount(path)`` is the active people of a subtree now (``unit_subtree_headcount``);
``remember_headcounts`` lets a caller that counted several subtrees at once hand them over.
``once(key, compute)`` keeps anything else one app reads twice or several apps read alike (the
category labels), named by a key the readers agree on.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from xinsheng.core.actors import Actor
from xinsheng.core.periods import Period
from xinsheng.org.models import OrgUnit, Person, in_subtree

T = TypeVar("T")


class SharedReads:
    """The reads shared by the sections of one page about ``unit``'s subtree over ``period``."""

    def __init__(self, *, actor: Actor, unit: OrgUnit, period: Period) -> None:
        self.actor = actor
        self.unit = unit
        self.period = period
        self._headcounts: dict[str, int] = {}
        self._kept: dict[str, Any] = {}

    def headcount(self, path: str | None = None) -> int:
        """Return the active people of the subtree at ``path`` (default: the page's unit) now."""
        path = self.unit.path if path is None else path
        found = self._headcounts.get(path)
        if found is None:
            found = Person.objects.filter(**in_subtree(path, via="unit"), is_active=True).count()
            self._headcounts[path] = found
        return found

    def remember_headcounts(self, by_path: Mapping[str, int]) -> None:
        """Keep headcounts counted elsewhere on the page (whole subtrees, by unit path)."""
        self._headcounts.update(by_path)

    def once(self, key: str, compute: Callable[[], T]) -> T:
        """Return what ``compute`` returns, computed on the first call with ``key`` only."""
        if key not in self._kept:
            self._kept[key] = compute()
        value: T = self._kept[key]
        return value
