"""Template context shared by every page: the staff menu.

Each app adds its entries to the ``NAV`` hook of its ``plugins`` module; a user sees those for
which they hold a role granting the entry's action somewhere.
"""

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import NavEntry, contributions
from xinsheng.org import permissions


@functools.lru_cache(maxsize=256)
def _url(url_name: str, prefix: str, urlconf: str) -> str | None:
    """Return the address of ``url_name``, worked out once per process (None: not wired)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:  # a page not wired into the URLs (yet)
        return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the staff navigation entries this user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries: list[NavEntry] = contributions("NAV")
    items = []
    for entry in entries:
        if not permissions.may_anywhere(user, entry.action):
            continue
        url = _url(entry.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        if url is None:
            continue
        items.append({"url": url, "label": entry.label, "active": request.path == url})
    if user.is_staff:
        items.append({"url": reverse("admin:index"), "label": _("后台管理"), "active": False})
    return {"nav_items": items}
