"""What surveys and quizzes add to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import (
    BriefingSection,
    DemoPart,
    FigureSource,
    NavEntry,
    Panel,
    PublicPath,
    UrlMount,
)
from xinsheng.engage.quizzes import demo as quiz_demo
from xinsheng.engage.quizzes import panels as quiz_panels
from xinsheng.engage.quizzes.imports import QUESTION_IMPORT
from xinsheng.engage.quizzes.permissions import QUIZ_ACTIONS
from xinsheng.engage.surveys import demo as surveys_demo
from xinsheng.engage.surveys import panels as surveys_panels
from xinsheng.engage.surveys.permissions import SURVEY_ACTIONS

ACTIONS = {**SURVEY_ACTIONS, **QUIZ_ACTIONS}
NAV = (
    NavEntry("surveys:list", _("调查问卷"), "survey.view", order=80),
    NavEntry("quizzes:campaigns", _("在线答题"), "quiz.view", order=81),
)
URLS = (
    UrlMount("surveys/", "xinsheng.engage.surveys.urls", order=70),
    UrlMount("engage/quizzes/", "xinsheng.engage.quizzes.urls", order=81),
    # The employee's pages, no login: a survey's link and each unit's QR code; a quiz round.
    UrlMount("wenjuan/", "xinsheng.engage.surveys.public_urls", order=9),
    UrlMount("dati/", "xinsheng.engage.quizzes.public_urls", order=9),
)
API_URLS = ("xinsheng.engage.surveys.api.v1_urls", "xinsheng.engage.quizzes.api.v1_urls")
# The employee's side, sent by many at once: pages and writes (``core.public_requests``).
PUBLIC_PATHS = (
    PublicPath(r"/wenjuan/[^/]+/(?:[^/]+/)?"),
    PublicPath(r"/api/v1/surveys/[^/]+/responses"),
    PublicPath(r"/dati/\d+/(?:start/|submit/|review/|board/)?"),
    PublicPath(r"/dati/campaign/\d+/board/"),
    PublicPath(r"/api/v1/quiz-campaigns/\d+/leaderboard"),
    PublicPath(r"/api/v1/quizzes/\d+/attempts"),
    PublicPath(r"/api/v1/quiz-attempts/[^/]+"),
)
SHEET_IMPORTS = (QUESTION_IMPORT,)
DASHBOARD_PANELS = (
    # One section, 问卷与答题: the surveys' panel carries the heading, the quizzes' follows.
    Panel("engage/surveys/_dashboard_panel.html", surveys_panels.surveys_panel, order=55),
    Panel("engage/quizzes/_dashboard_panel.html", quiz_panels.quiz_panel, order=56),
)
BRIEFING_SECTIONS = (
    BriefingSection("surveys", surveys_panels.surveys_briefing, order=55),
    BriefingSection("quizzes", quiz_panels.quiz_briefing, order=56),
)
FIGURES = (FigureSource("surveys", surveys_panels.surveys_rates, order=55),)
DEMO = (
    # Before the reports' part (80), which counts every case event: surveys send voices.
    DemoPart("engage_surveys", surveys_demo.demo_load, order=75, report=surveys_demo.demo_report),
    DemoPart("quizzes", quiz_demo.demo_load, order=81, report=quiz_demo.demo_report),
)
