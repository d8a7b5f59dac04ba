"""What practical-matter projects add to the platform (see ``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import (
    BriefingSection,
    DemoPart,
    NavEntry,
    Panel,
    ReceiptSection,
    UrlMount,
)
from xinsheng.org.permissions import ALL_ROLES, DISPATCHING, HANDLING
from xinsheng.projects import demo, panels, selectors, tasks, todo

# Practical-matter projects: set up by the offices, progressed by the owner unit.
ACTIONS = {
    "project.view": ALL_ROLES,
    "project.manage": DISPATCHING,
    "project.update": DISPATCHING | HANDLING,
}

NAV = (NavEntry("projects:list", _("实事项目"), "project.view", order=80),)
URLS = (
    UrlMount("board/", "xinsheng.projects.public_urls", order=6),
    UrlMount("projects/", "xinsheng.projects.urls", order=40),
)
API_URLS = ("xinsheng.projects.api.v1_urls",)
DEMO = (DemoPart("projects", demo.demo_load, order=20),)
PERIODIC = tasks.PERIODIC
DASHBOARD_PANELS = (Panel("projects/_dashboard_panel.html", panels.projects_panel, order=10),)
BRIEFING_SECTIONS = (BriefingSection("projects", panels.projects_briefing, order=40),)
TODO = (todo.projects_todo,)
RECEIPT_SECTIONS = (
    ReceiptSection(
        "projects",
        "projects/_receipt_projects.html",
        selectors.projects_of_case,
        panels.linked_projects_field,
        order=10,
    ),
)
