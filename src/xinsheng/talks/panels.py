"""What talks and visits show elsewhere: their section of the dashboard (谈心走访), their paragraph
of the work briefing, and their figures in ``xinsheng rates``. Registered in ``plugins.py``."""

from typing import Any

from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.chinese_numbers import count, percent, period_words
from xinsheng.core.periods import Period
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.org.shared_reads import SharedReads
from xinsheng.talks.figures import TalkFigures, talk_figures_of
from xinsheng.talks.supervision.board import records_url


def talks_panel(
    *, actor: Actor, unit: OrgUnit, period: Period, shared: SharedReads
) -> dict[str, Any] | None:
    """Return the dashboard section's context, or None when the reader may not see talks there.

    The dashboard only reads: the aggregates are not caught up here (no lock, no write); when
    records changed since the last pass, the figures are counted from the records themselves.
    """
    if not permissions.may(actor, "talk.view", unit):
        return None
    figures = talk_figures_of(unit, period, shared=shared)
    return {
        "unit": unit,
        "figures": figures,
        "records_url": records_url(unit, period),
        "dates": {"from": period.start.isoformat(), "to": period.end.isoformat()},
    }


def talks_briefing(*, unit: OrgUnit, period: Period) -> tuple[str, dict[str, Any]]:
    """Return the briefing's paragraph on talks, visits and meetings and its figures."""
    figures = talk_figures_of(unit, period)
    return briefing_text(figures, period), figures.as_dict()


def briefing_text(figures: TalkFigures, period: Period) -> str:
    """Write the paragraph in report style; every number is one of ``figures``."""
    reach = figures.reach
    parts = []
    if reach.person_times:
        parts.append(
            _("开展走访谈心%(times)s，覆盖职工%(people)s、占职工总数的%(share)s")
            % {
                "times": count(reach.person_times, _("人次")),
                "people": count(reach.people_reached, _("人")),
                "share": percent(reach.coverage),
            }
        )
    voices = figures.voices
    if voices.raised:
        parts.append(
            _("收集意见建议%(raised)s，已解决%(solved)s")
            % {"raised": count(voices.raised, _("条")), "solved": count(voices.solved, _("条"))}
        )
    sentences = ["，".join(parts)] if parts else []
    if figures.meetings_held:
        meeting_words = _("召开专题组织生活会、恳谈会和宣讲%(meetings)s") % {
            "meetings": count(figures.meetings_held, _("场"))
        }
        items = figures.rectifications
        if items.raised:
            meeting_words += _("，整改问题%(raised)s、已完成%(done)s") % {
                "raised": count(items.raised, _("项")),
                "done": count(items.done, _("项")),
            }
        sentences.append(meeting_words)
    if not sentences:
        return ""
    return _("%(period)s，%(parts)s。") % {
        "period": period_words(period),
        "parts": "；".join(sentences),
    }


def talks_rates(*, unit: OrgUnit, period: Period) -> dict[str, Any]:
    """Return the figures ``xinsheng rates --json`` prints under ``talks``."""
    return talk_figures_of(unit, period).as_dict()
