"""What assistance to employees in need adds to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.care import panels, permissions
from xinsheng.care.applications import todo as applications_todo
from xinsheng.core.plugins import BriefingSection, FigureSource, NavEntry, Panel, UrlMount

ACTIONS = permissions.CARE_ACTIONS

# --- programmes and applications (care.applications) ---------------------------------------------
APPLICATIONS_NAV = (
    NavEntry("care_programmes:applications", _("帮扶申请"), "care.view", order=71),
    NavEntry("care_programmes:list", _("帮扶项目"), "care.view", order=72),
)
APPLICATIONS_URLS = (
    UrlMount("care/programmes/", "xinsheng.care.programmes_urls", order=61),
    UrlMount("gongshi/", "xinsheng.care.notices_urls", order=8),
)
APPLICATIONS_API_URLS = (
    "xinsheng.care.api.programmes.v1_urls",
    "xinsheng.care.api.applications.v1_urls",
)
APPLICATIONS_TODO = (applications_todo.applications_todo,)
# --- end of programmes and applications ----------------------------------------------------------

# --- figures and the 三不让 pledge (care.figures, care.pledge, care.panels) ----------------
FIGURES_API_URLS = ("xinsheng.care.api.figures.v1_urls",)
FIGURES_DASHBOARD_PANELS = (Panel("care/_dashboard_panel.html", panels.care_panel, order=50),)
FIGURES_BRIEFING_SECTIONS = (BriefingSection("care", panels.care_briefing, order=50),)
FIGURES_FIGURES = (FigureSource("care", panels.care_rates, order=50),)
# --- end of figures ------------------------------------------------------------------------------

NAV = (*APPLICATIONS_NAV,)
URLS = (*APPLICATIONS_URLS,)
API_URLS = (*APPLICATIONS_API_URLS, *FIGURES_API_URLS)
TODO = (*APPLICATIONS_TODO,)
DASHBOARD_PANELS = (*FIGURES_DASHBOARD_PANELS,)
BRIEFING_SECTIONS = (*FIGURES_BRIEFING_SECTIONS,)
FIGURES = (*FIGURES_FIGURES,)
