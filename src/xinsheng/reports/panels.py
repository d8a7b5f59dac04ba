"""Where other apps add their own sections to the dashboard (projects, hot topics …).

An app registers a panel once, at start-up (in its ``AppConfig.ready``)::

    from xinsheng.reports.panels import register_panel
    register_panel("projects/_dashboard_panel.html", projects_panel_context)

``projects_panel_context(actor=..., unit=..., period=...)`` returns the template's context, or
None to show nothing (nothing to say, or the user may not see it). The dashboard renders the
panels in the order they were registered, below its own sections, with the same unit and period.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xinsheng.org.models import OrgUnit
from xinsheng.org.permissions import Actor
from xinsheng.reports.periods import Period

PanelContext = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """A section of the dashboard: a template and the function that fills it."""

    template: str
    context: PanelContext


_PANELS: list[Panel] = []


def register_panel(template: str, context: PanelContext) -> None:
    """Add a section to the dashboard (once per template)."""
    if all(panel.template != template for panel in _PANELS):
        _PANELS.append(Panel(template, context))


@dataclass(frozen=True)
class RenderedPanel:
    """A panel with its context, ready for ``{% include %}``."""

    template: str
    context: dict[str, Any]


def panels_for(*, actor: Actor, unit: OrgUnit, period: Period) -> list[RenderedPanel]:
    """Return the registered panels that have something to show for ``unit`` and ``period``."""
    shown = []
    for panel in _PANELS:
        context = panel.context(actor=actor, unit=unit, period=period)
        if context is not None:
            shown.append(RenderedPanel(panel.template, context))
    return shown
