"""What assistance shows elsewhere: its section of the dashboard (帮扶), its paragraph of the
work briefing, and its figures in ``xinsheng rates``. Registered in ``plugins.py``."""

from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care import pledge
from xinsheng.care.applications.selectors import relief_overdue_for
from xinsheng.care.choices import ApplicationStatus, BatchKind, FileStatus, ProgrammeKind, Tier
from xinsheng.care.figures import CareFigures, care_figures_of
from xinsheng.core.actors import Actor
from xinsheng.core.chinese_numbers import count, join_words, money, period_words
from xinsheng.core.periods import Period
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.org.shared_reads import SharedReads

VIEW = "care.view"


def _url(name: str, *args: Any, **query: Any) -> str:
    """Return the page ``name`` with ``query``, or "" when no such page is installed."""
    try:
        base = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    shown = {key: value for key, value in query.items() if value not in ("", None)}
    return f"{base}?{urlencode(shown)}" if shown else base


def applications_url(unit: OrgUnit, period: Period, **query: Any) -> str:
    """Return the applications list narrowed to ``unit``'s subtree (and the period's year when
    it lies in one year) and ``query``."""
    year = period.start.year if period.start.year == period.end.year else None
    return _url("care_programmes:applications", unit=unit.code, year=year, **query)


def care_panel(
    *, actor: Actor, unit: OrgUnit, period: Period, shared: SharedReads
) -> dict[str, Any] | None:
    """Return the dashboard section's context, or None when the reader may not see assistance
    there."""
    if not permissions.may(actor, VIEW, unit):
        return None
    day = min(period.end, timezone.localdate())
    figures = care_figures_of(unit, period, unvisited_on=day)
    overdue = relief_overdue_for(actor=actor, today=day).filter(unit_path__startswith=unit.path)
    families_url = _url("care_families:list", unit=unit.code, status=FileStatus.ACTIVE)
    return {
        "unit": unit,
        "figures": figures,
        "tiers": [(label, figures.families_by_tier.get(tier, 0)) for tier, label in Tier.choices],
        "batch_kinds": [
            (label, figures.batches_by_kind.get(kind, 0), figures.sanatorium_by_kind.get(kind, 0))
            for kind, label in BatchKind.choices
        ],
        "programmes": [
            (row, _url("care_programmes:detail", row.programme_id)) for row in figures.programmes
        ],
        "pledge": pledge.Pledge(
            day=day,
            unvisited_families=figures.unvisited_families or 0,
            relief_overdue=overdue.count(),
            students_not_aided=pledge.students_not_aided_count(unit, day.year),
        ),
        "urls": {
            "families": families_url,
            "unvisited": _url("care_families:list", unit=unit.code, unvisited="on"),
            "students": applications_url(
                unit, period, kind=ProgrammeKind.STUDENT_AID, status=ApplicationStatus.PAID
            ),
            "relief": applications_url(
                unit, period, kind=ProgrammeKind.ILLNESS_RELIEF, status=ApplicationStatus.PAID
            ),
            "relief_overdue": _url(
                "care_programmes:applications",
                unit=unit.code,
                kind=ProgrammeKind.ILLNESS_RELIEF,
                overdue="on",
            ),
            "programmes": _url("care_programmes:list"),
        },
    }


def care_briefing(*, unit: OrgUnit, period: Period) -> tuple[str, dict[str, Any]]:
    """Return the briefing's paragraph on assistance and the figures it was written from."""
    figures = care_figures_of(unit, period)
    day = min(period.end, timezone.localdate())
    kept = pledge.pledge_of(unit, day)
    return briefing_text(figures, period), {**figures.as_dict(), "pledge": kept.as_dict()}


def briefing_text(figures: CareFigures, period: Period) -> str:
    """Write the paragraph in report style; every number is one of ``figures``."""
    parts = []
    if figures.pairs:
        pairs = _("%(cadres)s领导干部与%(families)s困难职工家庭结成帮扶对子") % {
            "cadres": count(figures.cadres, _("名")),
            "families": count(figures.families_paired, _("户")),
        }
        if figures.visits:
            pairs += _("，走访慰问%(visits)s") % {"visits": count(figures.visits, _("次"))}
        if figures.personal_money:
            pairs += _("，自掏腰包%(money)s") % {"money": money(figures.personal_money)}
        parts.append(pairs)
    if figures.students.people:
        parts.append(
            _("为%(people)s学子发放助学金%(money)s")
            % {
                "people": count(figures.students.people, _("名")),
                "money": money(figures.students.amount),
            }
        )
    if figures.relief.people:
        parts.append(
            _("救助大病职工%(people)s%(money)s")
            % {
                "people": count(figures.relief.people, _("人")),
                "money": money(figures.relief.amount),
            }
        )
    if figures.distributions_delivered:
        parts.append(
            _("送达慰问品%(people)s")
            % {"people": count(figures.distributions_delivered, _("人次"))}
        )
    if figures.sanatorium_people:
        kinds = join_words(
            str(label) for kind, label in BatchKind.choices if figures.sanatorium_by_kind.get(kind)
        )
        parts.append(
            _("组织%(kinds)s%(batches)s、%(people)s")
            % {
                "kinds": kinds,
                "batches": count(figures.batches, _("批次")),
                "people": count(figures.sanatorium_people, _("人")),
            }
        )
    if not parts:
        return ""
    return _("%(period)s，%(parts)s。") % {
        "period": period_words(period),
        "parts": "；".join(parts),
    }


def care_rates(*, unit: OrgUnit, period: Period) -> dict[str, Any]:
    """Return the figures ``xinsheng rates --json`` prints under ``care``."""
    figures = care_figures_of(unit, period)
    day = min(period.end, timezone.localdate())
    return {**figures.as_dict(), "pledge": pledge.pledge_of(unit, day).as_dict()}
