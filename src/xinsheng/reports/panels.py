"""The sections other apps add to the dashboard (the ``DASHBOARD_PANELS`` hook).

An app lists its panels in its ``plugins`` module::

    DASHBOARD_PANELS = (Panel("projects/_dashboard_panel.html", panels.projects_panel, order=10),)

``projects_panel(actor=..., unit=..., period=...)`` returns the template's context, or None to show
nothing (nothing to say, or the user may not see it). The dashboard renders the panels in their
order, below its own sections, with the same unit and period.
"""

from dataclasses import dataclass
from typing import Any

from xinsheng.core.actors import Actor
from xinsheng.core.periods import Period
from xinsheng.core.plugins import Panel, contributions
from xinsheng.org.models import OrgUnit


@dataclass(frozen=True)
class RenderedPanel:
    """A panel with its context, ready for ``{% include %}``."""

    template: str
    context: dict[str, Any]


def panels_for(*, actor: Actor, unit: OrgUnit, period: Period) -> list[RenderedPanel]:
    """Return the installed panels that have something to show for ``unit`` and ``period``."""
    shown = []
    panel: Panel
    for panel in contributions("DASHBOARD_PANELS"):
        context = panel.context(actor=actor, unit=unit, period=period)
        if context is not None:
            shown.append(RenderedPanel(panel.template, context))
    return shown
