"""What quizzes show elsewhere: their part of the dashboard's 问卷与答题 section and their
paragraph of the work briefing. Registered in ``engage/plugins.py``."""

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.chinese_numbers import count, percent, period_words
from xinsheng.core.periods import Period
from xinsheng.engage.quizzes.figures import QuizFigures, quiz_figures_of
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.org.shared_reads import SharedReads

VIEW = "quiz.view"


def quiz_panel(
    *, actor: Actor, unit: OrgUnit, period: Period, shared: SharedReads
) -> dict[str, Any] | None:
    """Return the dashboard panel's context, or None when the reader may not see quizzes."""
    if not permissions.may(actor, VIEW, unit):
        return None
    try:
        url = reverse("quizzes:campaigns")
    except NoReverseMatch:
        url = ""
    return {"unit": unit, "figures": quiz_figures_of(unit, period, shared=shared), "url": url}


def quiz_briefing(*, unit: OrgUnit, period: Period) -> tuple[str, dict[str, Any]]:
    """Return the briefing's paragraph on quizzes and the figures it was written from."""
    figures = quiz_figures_of(unit, period)
    return briefing_text(figures, period), figures.as_dict()


def briefing_text(figures: QuizFigures, period: Period) -> str:
    """Write the paragraph in report style; every number is one of ``figures``."""
    if not figures.attempts:
        return ""
    text = _("%(period)s，开展线上答题%(attempts)s，参与职工%(people)s") % {
        "period": period_words(period),
        "attempts": count(figures.attempts, _("人次")),
        "people": count(figures.people, _("人")),
    }
    if figures.participation_rate is not None:
        text += _("，参与率%(rate)s") % {"rate": percent(figures.participation_rate)}
    if figures.average_score is not None:
        text += _("，平均得分%(score)s分") % {"score": f"{figures.average_score:.1f}"}
    if figures.experts:
        text += _("，评选答题达人%(experts)s") % {"experts": count(figures.experts, _("名"))}
    return text + _("。")
