"""What rationalisation proposals add to the platform (see ``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import (
    BriefingSection,
    CaseAction,
    DemoPart,
    FigureSource,
    IntakeTab,
    NavEntry,
    Panel,
    ReceiptLookup,
    ReceiptSection,
    UrlMount,
)
from xinsheng.proposals import case_actions, demo, panels, permissions, public, todo
from xinsheng.proposals.imports import PROPOSAL_IMPORT

ACTIONS = permissions.PROPOSAL_ACTIONS

NAV = (NavEntry("proposals:list", _("合理化建议"), "proposal.view", order=85),)
URLS = (
    UrlMount("proposals/", "xinsheng.proposals.urls", order=65),
    # The proposal tab of a unit's QR page and the rewards' public notice, no login.
    UrlMount("", "xinsheng.proposals.public_urls", order=7),
)
API_URLS = ("xinsheng.proposals.api.v1_urls", "xinsheng.proposals.window_api.v1_urls")
TODO = (todo.proposals_todo,)
INTAKE_TABS = (IntakeTab(_("合理化建议"), "proposals_public:form", order=10),)
CASE_ACTIONS = (
    CaseAction(
        _("转为合理化建议"),
        case_actions.from_case_url,
        "proposal.record",
        case_actions.convertible,
        order=10,
    ),
)
RECEIPT_SECTIONS = (
    ReceiptSection(
        "proposal",
        "proposals/public/_receipt_section.html",
        public.proposal_of_case,
        public.proposal_field,
        order=30,
    ),
)
RECEIPT_LOOKUPS = (
    ReceiptLookup(
        "proposal",
        public.receipt_page,
        public.receipt_answer,
        public.receipt_serializer,
        order=10,
    ),
)
DASHBOARD_PANELS = (Panel("proposals/_dashboard_panel.html", panels.proposals_panel, order=55),)
BRIEFING_SECTIONS = (BriefingSection("proposals", panels.proposals_briefing, order=55),)
FIGURES = (FigureSource("proposals", panels.proposals_rates, order=55),)
DEMO = (DemoPart("proposals", demo.demo_load, order=75, report=demo.demo_report),)
SHEET_IMPORTS = (PROPOSAL_IMPORT,)
