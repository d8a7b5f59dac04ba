"""What figures and briefings add to the platform (see ``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import DemoPart, NavEntry, UrlMount
from xinsheng.org.choices import Role
from xinsheng.reports import demo, figures, tasks

# Figures and briefings of a subtree.
ACTIONS = {
    "report.view": frozenset(
        {Role.LEADER, Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.UNIT_HEAD}
    ),
    "briefing.write": frozenset({Role.LEADER, Role.ADMINISTRATOR, Role.DISPATCHER}),
}

NAV = (
    NavEntry("reports:dashboard", _("统计分析"), "report.view", order=60),
    NavEntry("reports:briefing_list", _("工作简报"), "briefing.write", order=70),
)
URLS = (UrlMount("reports/", "xinsheng.reports.urls", order=30),)
API_URLS = ("xinsheng.reports.api.v1_urls",)
DEMO = (DemoPart("reports", demo.demo_load, order=80),)  # after every event is written
PERIODIC = tasks.PERIODIC
# Every case event folds into the aggregated figures once its transaction commits.
ON_CASE_EVENTS = (figures.figures_refresh_soon,)
# A command that changed cases brings the figures up to date before it says it is done.
CATCH_UP = (figures.figures_catch_up,)
