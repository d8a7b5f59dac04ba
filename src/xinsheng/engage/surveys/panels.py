"""What surveys show elsewhere: their part of the dashboard's 问卷与答题 section, their sentence
of the work briefing, and their figures in ``xinsheng rates``. Registered in ``plugins.py``."""

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.chinese_numbers import count, percent, period_words
from xinsheng.core.periods import Period
from xinsheng.engage.surveys.figures import SurveyFigures, survey_figures_of
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.org.shared_reads import SharedReads

VIEW = "survey.view"


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def surveys_panel(
    *, actor: Actor, unit: OrgUnit, period: Period, shared: SharedReads
) -> dict[str, Any] | None:
    """Return the dashboard section's context, or None when the reader may not see surveys."""
    if not permissions.may(actor, VIEW, unit):
        return None
    figures = survey_figures_of(unit, period, shared=shared)
    return {
        "unit": unit,
        "figures": figures,
        "surveys": [(title, _url("surveys:results", pk)) for pk, title in figures.titles],
        "list_url": _url("surveys:list"),
    }


def surveys_briefing(*, unit: OrgUnit, period: Period) -> tuple[str, dict[str, Any]]:
    """Return the briefing's sentence on surveys and the figures it was written from."""
    figures = survey_figures_of(unit, period)
    return briefing_text(figures, unit, period), figures.as_dict()


def briefing_text(figures: SurveyFigures, unit: OrgUnit, period: Period) -> str:
    """Write the sentence in report style; every number is one of ``figures``."""
    if not figures.surveys:
        return ""
    text = _("%(period)s，%(unit)s开展问卷调查%(surveys)s，收到答卷%(responses)s") % {
        "period": period_words(period),
        "unit": unit.name,
        "surveys": count(figures.surveys, _("次")),
        "responses": count(figures.responses, _("份")),
    }
    if figures.rate is not None:
        text += _("，参与率%(rate)s") % {"rate": percent(figures.rate)}
    if figures.satisfaction is not None:
        text += _("；职工满意度得分%(score)s分") % {"score": f"{figures.satisfaction:.1f}"}
        if figures.change is not None and figures.change > 0:
            text += _("，较上一轮提高%(change)s分") % {"change": f"{figures.change:.1f}"}
        elif figures.change is not None and figures.change < 0:
            text += _("，较上一轮下降%(change)s分") % {"change": f"{-figures.change:.1f}"}
        elif figures.change is not None:
            text += _("，与上一轮持平")
    return text + _("。")


def surveys_rates(*, unit: OrgUnit, period: Period) -> dict[str, Any]:
    """Return the figures ``xinsheng rates --json`` prints under ``surveys``."""
    return survey_figures_of(unit, period).as_dict()
