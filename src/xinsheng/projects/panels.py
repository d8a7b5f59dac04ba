"""The projects section of the dashboard: projects done, voices they answered, commitments kept."""

from typing import Any

from xinsheng.org.models import OrgUnit
from xinsheng.org.permissions import Actor
from xinsheng.projects.selectors import project_figures_of
from xinsheng.reports.periods import Period


def projects_panel(*, actor: Actor, unit: OrgUnit, period: Period) -> dict[str, Any] | None:
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
