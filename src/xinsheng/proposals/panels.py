"""What proposals show elsewhere: their section of the dashboard (合理化建议), their paragraph of
the work briefing, and their figures in ``xinsheng rates``. Registered in ``plugins.py``."""

from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.chinese_numbers import count, money, percent, period_words
from xinsheng.core.periods import Period
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.org.shared_reads import SharedReads
from xinsheng.proposals.figures import ProposalFigures, proposal_figures_of

VIEW = "proposal.view"


def _url(name: str, **query: Any) -> str:
    try:
        base = reverse(name)
    except NoReverseMatch:
        return ""
    shown = {key: value for key, value in query.items() if value not in ("", None)}
    return f"{base}?{urlencode(shown)}" if shown else base


def proposals_panel(
    *, actor: Actor, unit: OrgUnit, period: Period, shared: SharedReads
) -> dict[str, Any] | None:
    """Return the dashboard section's context, or None when the reader may not see proposals
    there or there are none."""
    if not permissions.may(actor, VIEW, unit):
        return None
    figures = proposal_figures_of(unit, period, shared=shared)
    if not figures.collected and not figures.rewards_paid:
        return None
    return {
        "unit": unit,
        "figures": figures,
        "adoption_rate": percent(figures.adoption_rate),
        "implementation_rate": percent(figures.implementation_rate),
        "categories": sorted(figures.by_category.items(), key=lambda row: -row[1]),
        "urls": {
            "list": _url("proposals:list", unit=unit.code),
            "ledger": _url("proposals:ledger", unit=unit.code),
        },
    }


def briefing_text(figures: ProposalFigures, period: Period) -> str:
    """Write the paragraph in report style; every number is one of ``figures``."""
    if not figures.collected:
        return ""
    parts = [
        _("征集合理化建议%(collected)s") % {"collected": count(figures.collected, _("条"))},
        _("采纳%(adopted)s") % {"adopted": count(figures.adopted, _("条"))},
        _("已实施%(implemented)s") % {"implemented": count(figures.implemented, _("条"))},
    ]
    if figures.actual_savings:
        parts.append(_("创效%(money)s") % {"money": money(figures.actual_savings)})
    if figures.rewards_paid > 0:
        parts.append(
            _("为%(people)s兑现奖励%(money)s")
            % {
                "people": count(figures.rewarded_people, _("人次")),
                "money": money(figures.rewards_paid),
            }
        )
    return _("%(period)s，%(parts)s。") % {
        "period": period_words(period),
        "parts": "，".join(parts),
    }


def proposals_briefing(*, unit: OrgUnit, period: Period) -> tuple[str, dict[str, Any]]:
    """Return the briefing's paragraph on proposals and the figures it was written from."""
    figures = proposal_figures_of(unit, period)
    return briefing_text(figures, period), figures.as_dict()


def proposals_rates(*, unit: OrgUnit, period: Period) -> dict[str, Any]:
    """Return the figures ``xinsheng rates --json`` prints under ``proposals``."""
    return proposal_figures_of(unit, period).as_dict()
