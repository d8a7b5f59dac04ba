"""What talks, visits, meetings and supervision add to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import NavEntry, UrlMount
from xinsheng.talks import permissions
from xinsheng.talks.records.imports import TALK_IMPORT

ACTIONS = permissions.TALK_ACTIONS

# Each part of the app adds its menu entry here once its page exists.
NAV: tuple[NavEntry, ...] = (NavEntry("talks:records", _("谈心走访"), "talk.view", order=60),)
URLS = (
    UrlMount("talks/", "xinsheng.talks.records_urls", order=50),
    UrlMount("talks/cycles/", "xinsheng.talks.cycles_urls", order=51),
    UrlMount("talks/requests/", "xinsheng.talks.requests_urls", order=52),
    UrlMount("talks/meetings/", "xinsheng.talks.meetings_urls", order=53),
    UrlMount("talks/supervision/", "xinsheng.talks.supervision_urls", order=54),
    UrlMount("talk/", "xinsheng.talks.public_urls", order=7),
)
API_URLS = (
    "xinsheng.talks.api.records.v1_urls",
    "xinsheng.talks.api.cycles.v1_urls",
    "xinsheng.talks.api.requests.v1_urls",
    "xinsheng.talks.api.coverage.v1_urls",
)
SHEET_IMPORTS = (TALK_IMPORT,)
