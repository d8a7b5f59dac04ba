"""What projects show elsewhere: their section of the dashboard and of the work briefing (projects
done, voices they answered, commitments kept), and the projects a voice is part of on its
submitter's follow-up page. Registered in ``plugins.py``."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from xinsheng.core.actors import Actor
from xinsheng.core.chinese_numbers import count, percent, period_words
from xinsheng.core.periods import Period
from xinsheng.org.models import OrgUnit
from xinsheng.org.shared_reads import SharedReads
from xinsheng.projects.selectors import ProjectFigures, project_figures_of


def projects_panel(
    *, actor: Actor, unit: OrgUnit, period: Period, shared: SharedReads
) -> dict[str, Any] | None:
    """Return the section's context for ``unit`` and ``period`` (the dashboard checked scope)."""
    figures = project_figures_of(unit, period.start, period.end)
    commitments = [
        {
            "body": body,
            "kept": kept,
            "promised": promised,
            "rate": kept / promised if promised else None,
        }
        for body, (kept, promised) in figures.commitments.items()
    ]
    return {"unit": unit, "figures": figures, "commitments": commitments}


def projects_briefing(*, unit: OrgUnit, period: Period) -> tuple[str, dict[str, Any]]:
    """Return the briefing's paragraph on projects and the figures it was written from."""
    figures = project_figures_of(unit, period.start, period.end)
    data = {
        "done": figures.projects_done,
        "voices_answered": figures.voices_answered,
        "commitments": {
            body: {"kept": kept, "promised": promised}
            for body, (kept, promised) in figures.commitments.items()
        },
    }
    return _projects_text(figures, period), data


def _projects_text(figures: ProjectFigures, period: Period) -> str:
    """Practical-matter projects: done in the period, voices they answered, commitments kept."""
    parts = []
    if figures.projects_done:
        parts.append(
            _("%(period)s销号实事项目%(done)s，随项目答复职工诉求%(answered)s")
            % {
                "period": period_words(period),
                "done": count(figures.projects_done, _("项")),
                "answered": count(figures.voices_answered, _("件")),
            }
        )
    for body, (kept, promised) in figures.commitments.items():
        parts.append(
            _("%(body)s承诺的%(promised)s已完成%(kept)s，完成率%(rate)s")
            % {
                "body": body,
                "promised": count(promised, _("件实事")),
                "kept": count(kept, _("件")),
                "rate": percent(kept / promised if promised else None),
            }
        )
    if not parts:
        return ""
    return _("实事项目方面，%(parts)s。") % {"parts": "；".join(parts)}


class LinkedProjectSerializer(serializers.Serializer[Any]):
    """A practical-matter project the case is part of (已纳入实事项目)."""

    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    progress = serializers.IntegerField(help_text=gettext_lazy("项目进度（%）。"))
    due_date = serializers.DateField()


def linked_projects_field() -> serializers.Field[Any, Any, Any, Any]:
    """Return how the receipt API describes the projects of a voice."""
    return LinkedProjectSerializer(
        many=True, help_text=gettext_lazy("诉求已纳入的实事项目及其进度；项目销号时答复本诉求。")
    )
