"""Everything this throwaway app adds, by name only: no other app's code knows about it."""

from typing import Any

from tests.plugin_app.imports import VISITS_IMPORT
from xinsheng.core.plugins import (
    BriefingSection,
    DemoPart,
    NavEntry,
    Panel,
    TodoItem,
    TodoUrgency,
    UrlMount,
)

LOADED: list[int] = []  # the seeds the demo part was asked to load


def demo_load(*, seed: int) -> dict[str, int]:
    LOADED.append(seed)
    return {"visits": 3}


def demo_report(*, summary: dict[str, Any] | None, seed: int) -> str:
    made = (summary or {}).get("plugin_app")
    return f"  Plug-in visits: {made['visits']}" if made else ""


def panel(*, actor: Any, unit: Any, period: Any, shared: Any) -> dict[str, Any]:
    return {"unit_name": unit.name, "visits": 7}


def briefing(*, unit: Any, period: Any) -> tuple[str, dict[str, Any]]:
    return f"走访方面，{unit.name}共走访职工7人次。", {"visits": 7}


def todo(*, actor: Any) -> list[TodoItem]:
    return [
        TodoItem("待补录的走访记录", 4, "/plugin/", urgency=TodoUrgency.DUE, area="走访"),
        TodoItem("没有要做的", 0, "/plugin/none/"),  # nothing of it waits: not shown
    ]


DEMO = (DemoPart("plugin_app", demo_load, order=50, report=demo_report),)
DASHBOARD_PANELS = (Panel("plugin_app/_panel.html", panel, order=5),)
BRIEFING_SECTIONS = (BriefingSection("plugin_visits", briefing, order=50),)
NAV = (NavEntry("plugin_app:home", "走访记录", "report.view", order=65),)
URLS = (UrlMount("plugin/", "tests.plugin_app.urls"),)
SHEET_IMPORTS = (VISITS_IMPORT,)
TODO = (todo,)
