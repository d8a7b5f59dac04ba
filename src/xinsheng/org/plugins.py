"""What the org app adds to the platform (see ``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import DemoPart, NavEntry, UrlMount
from xinsheng.org import demo, demo_console, imports, permissions, selectors, todo

ACTIONS = permissions.ORG_ACTIONS
NAV = (
    NavEntry("home", _("工作台"), "unit.view", order=0),
    NavEntry("org:tree", _("组织架构"), "unit.view", order=900),
    NavEntry("org:people", _("人员"), "person.view", order=910),
    NavEntry("org:import", _("批量导入"), "org.import", order=920),
)
URLS = (
    UrlMount("", "xinsheng.org.home_urls", order=0),
    UrlMount("org/", "xinsheng.org.urls", order=10),
)
API_URLS = ("xinsheng.org.api.v1_urls",)
DEMO = (
    DemoPart(
        "org",
        demo_console.org_demo_load,
        order=0,
        report=demo_console.org_demo_report,
        anchor=demo.demo_group,
    ),
)
SHEET_IMPORTS = (imports.ORG_IMPORT,)
ACCOUNT_CHECKS = (selectors.account_in_service,)
TODO = (todo.notifications_todo,)
