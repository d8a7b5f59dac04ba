"""What the closed loop adds to the platform (see ``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.cases import demo, demo_console, steps, tasks, todo
from xinsheng.cases.ledger import imports as ledger_import
from xinsheng.core.plugins import DemoPart, NavEntry, PublicPath, UrlMount
from xinsheng.org.choices import Role
from xinsheng.org.permissions import ALL_ROLES, DISPATCHING

# The permissions of the loop: every step's (from the table of steps), and those of reading,
# recording, the intake points, the categories and the ledger. Which unit of a case each is
# checked at is said in ``cases.permissions``.
ACTIONS = {
    "case.view": ALL_ROLES,
    "case.view_identity": frozenset(
        {Role.ADMINISTRATOR, Role.DISPATCHER, Role.HANDLER, Role.UNIT_HEAD}
    ),
    "case.record": frozenset({Role.RECORDER, Role.DISPATCHER, Role.ADMINISTRATOR}),
    **steps.permission_rows(),
    "intake.manage": frozenset({Role.ADMINISTRATOR, Role.DISPATCHER}),
    "category.manage": frozenset({Role.ADMINISTRATOR}),
    "ledger.export": ALL_ROLES,
    "ledger.import": DISPATCHING,
}

NAV = (
    NavEntry("cases:ledger", _("台账"), "case.view", order=10),
    NavEntry("cases:notebook", _("民情记事本"), "case.record", order=20),
    NavEntry("cases:dispatcher_inbox", _("受理派单"), "case.dispatch", order=30),
    NavEntry("cases:handler_inbox", _("承办事项"), "case.sign", order=40),
    NavEntry("cases:supervision", _("督办"), "case.supervise", order=50),
)
URLS = (
    UrlMount("", "xinsheng.cases.public.urls", order=5),
    UrlMount("cases/", "xinsheng.cases.urls", order=20),
)
API_URLS = ("xinsheng.cases.api.urls.v1_urls",)
# A unit's phone form and the intake API: what many send at once (``core.public_requests``).
PUBLIC_PATHS = (PublicPath(r"/v/[^/]+/"), PublicPath(r"/api/v1/units/[^/]+/cases"))
DEMO = (DemoPart("cases", demo.demo_load, order=10, report=demo_console.cases_demo_report),)
PERIODIC = tasks.PERIODIC
SHEET_IMPORTS = (ledger_import.LEDGER_IMPORT,)
TODO = (todo.dispatcher_todo, todo.handler_todo, todo.supervisor_todo)
