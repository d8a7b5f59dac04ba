"""What surveys and quizzes add to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import BriefingSection, DemoPart, FigureSource, NavEntry, Panel, UrlMount
from xinsheng.engage.surveys import demo as surveys_demo
from xinsheng.engage.surveys import panels as surveys_panels
from xinsheng.engage.surveys.permissions import SURVEY_ACTIONS

ACTIONS = {**SURVEY_ACTIONS}

NAV = (NavEntry("surveys:list", _("调查问卷"), "survey.view", order=80),)
URLS = (
    UrlMount("surveys/", "xinsheng.engage.surveys.urls", order=70),
    # The employee's survey pages (no login): a survey's link and each unit's QR code.
    UrlMount("wenjuan/", "xinsheng.engage.surveys.public_urls", order=9),
)
API_URLS = ("xinsheng.engage.surveys.api.v1_urls",)
DEMO = (
    DemoPart("engage_surveys", surveys_demo.demo_load, order=80, report=surveys_demo.demo_report),
)
DASHBOARD_PANELS = (
    Panel("engage/surveys/_dashboard_panel.html", surveys_panels.surveys_panel, order=55),
)
BRIEFING_SECTIONS = (BriefingSection("surveys", surveys_panels.surveys_briefing, order=55),)
FIGURES = (FigureSource("surveys", surveys_panels.surveys_rates, order=55),)
