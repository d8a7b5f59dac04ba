"""What assistance to employees in need adds to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.care import demo, panels, permissions
from xinsheng.care.applications import todo as applications_todo
from xinsheng.care.families import todo as families_todo
from xinsheng.care.families.imports import FAMILY_IMPORT
from xinsheng.core.plugins import (
    BriefingSection,
    DemoPart,
    FigureSource,
    NavEntry,
    Panel,
    UrlMount,
)

ACTIONS = permissions.CARE_ACTIONS

# One entry; the pages of assistance reach each other through the tab bar (care/_tabs.html).
NAV = (NavEntry("care_families:list", _("帮扶"), "care.view", order=70),)
URLS = (
    UrlMount("care/families/", "xinsheng.care.families_urls", order=60),
    UrlMount("care/programmes/", "xinsheng.care.programmes_urls", order=61),
    UrlMount("care/lists/", "xinsheng.care.lists_urls", order=62),
    # The public notices (公示) of applications, no login.
    UrlMount("gongshi/", "xinsheng.care.notices_urls", order=8),
)
API_URLS = (
    "xinsheng.care.api.programmes.v1_urls",
    "xinsheng.care.api.applications.v1_urls",
    "xinsheng.care.api.figures.v1_urls",
)
TODO = (families_todo.families_todo, applications_todo.applications_todo)
DEMO = (DemoPart("care", demo.demo_load, order=70, report=demo.demo_report),)
SHEET_IMPORTS = (FAMILY_IMPORT,)
DASHBOARD_PANELS = (Panel("care/_dashboard_panel.html", panels.care_panel, order=50),)
BRIEFING_SECTIONS = (BriefingSection("care", panels.care_briefing, order=50),)
FIGURES = (FigureSource("care", panels.care_rates, order=50),)
