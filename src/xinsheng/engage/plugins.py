"""What surveys and quizzes add to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import BriefingSection, DemoPart, NavEntry, Panel, UrlMount
from xinsheng.engage.quizzes import demo as quiz_demo
from xinsheng.engage.quizzes import panels as quiz_panels
from xinsheng.engage.quizzes.imports import QUESTION_IMPORT
from xinsheng.engage.quizzes.permissions import QUIZ_ACTIONS

ACTIONS = {**QUIZ_ACTIONS}
NAV = (NavEntry("quizzes:campaigns", _("在线答题"), "quiz.view", order=81),)
URLS = (
    UrlMount("engage/quizzes/", "xinsheng.engage.quizzes.urls", order=81),
    # The employee's quiz pages, no login.
    UrlMount("dati/", "xinsheng.engage.quizzes.public_urls", order=9),
)
API_URLS = ("xinsheng.engage.quizzes.api.v1_urls",)
SHEET_IMPORTS = (QUESTION_IMPORT,)
DASHBOARD_PANELS = (
    # Under the heading 问卷与答题, right after the surveys' panel (55).
    Panel("engage/quizzes/_dashboard_panel.html", quiz_panels.quiz_panel, order=56),
)
BRIEFING_SECTIONS = (BriefingSection("quizzes", quiz_panels.quiz_briefing, order=56),)
DEMO = (DemoPart("quizzes", quiz_demo.demo_load, order=81, report=quiz_demo.demo_report),)
