"""What talks, visits, meetings and supervision add to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import (
    BriefingSection,
    DemoPart,
    FigureSource,
    NavEntry,
    Panel,
    UrlMount,
)
from xinsheng.talks import demo, panels, permissions, tasks
from xinsheng.talks.records.imports import TALK_IMPORT

ACTIONS = permissions.TALK_ACTIONS

NAV = (
    NavEntry("talks:records", _("谈心走访"), "talk.view", order=60),
    NavEntry("talk_cycles:list", _("双向约谈"), "talk.view", order=61),
    NavEntry("talk_requests:list", _("约谈申请"), "talk.request.handle", order=62),
    NavEntry("meetings:list", _("会议活动"), "talk.view", order=63),
    NavEntry("supervision:coverage", _("督导覆盖"), "talk.view", order=64),
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
DEMO = (DemoPart("talks", demo.demo_load, order=60, report=demo.demo_report),)
PERIODIC = tasks.PERIODIC
DASHBOARD_PANELS = (Panel("talks/_dashboard_panel.html", panels.talks_panel, order=30),)
BRIEFING_SECTIONS = (BriefingSection("talks", panels.talks_briefing, order=30),)
FIGURES = (FigureSource("talks", panels.talks_rates, order=30),)
SHEET_IMPORTS = (TALK_IMPORT,)
