"""The sections other apps add to the dashboard (the ``DASHBOARD_PANELS`` hook).

An app lists its panels in its ``plugins`` module::

    DASHBOARD_PANELS = (Panel("projects/_dashboard_panel.html", panels.projects_panel, order=10),)

``projects_panel(actor=..., unit=..., period=..., shared=...)`` returns the template's context, or
None to show nothing (nothing to say, or the user may not see it). The dashboard renders the panels
in their order, below its own sections, with the same unit and period. ``shared`` is the request's
``org.shared_reads.SharedReads``: what several panels need (the subtree's headcount) is read once
there, and the dashboard's own figures have put there what they counted already.
"""

from dataclasses import dataclass
from typing import Any

from xinsheng.core.plugins import Panel, contributions
from xinsheng.org.shared_reads import SharedReads


@dataclass(frozen=True)
class RenderedPanel:
    """A panel with its context, ready for ``{% include %}``."""

    template: str
    context: dict[str, Any]


def panels_for(shared: SharedReads) -> list[RenderedPanel]:
    """Return the installed panels that have something to show for ``shared``'s unit and period
    (to ``shared``'s actor)."""
    shown = []
    panel: Panel
    for panel in contributions("DASHBOARD_PANELS"):
        context = panel.context(
            actor=shared.actor, unit=shared.unit, period=shared.period, shared=shared
        )
        if context is not None:
            shown.append(RenderedPanel(panel.template, context))
    return shown
