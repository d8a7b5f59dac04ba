"""What talks, visits, meetings and supervision add to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import NavEntry, UrlMount
from xinsheng.talks import permissions

ACTIONS = permissions.TALK_ACTIONS

# Each part of the app adds its menu entry here once its page exists.
NAV: tuple[NavEntry, ...] = (
    NavEntry("talk_cycles:list", _("双向约谈"), "talk.view", order=61),
    NavEntry("talk_requests:list", _("约谈申请"), "talk.request.handle", order=62),
)
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
