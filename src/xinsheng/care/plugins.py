"""What assistance to employees in need adds to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.care import demo, permissions
from xinsheng.care.applications import todo as applications_todo
from xinsheng.care.families import todo as families_todo
from xinsheng.care.families.imports import FAMILY_IMPORT
from xinsheng.core.plugins import DemoPart, NavEntry, UrlMount

ACTIONS = permissions.CARE_ACTIONS

# --- programmes and applications (care.applications) ---------------------------------------------
APPLICATIONS_NAV = (
    NavEntry("care_programmes:applications", _("帮扶申请"), "care.view", order=71),
    NavEntry("care_programmes:list", _("帮扶项目"), "care.view", order=72),
)
APPLICATIONS_URLS = (
    UrlMount("care/programmes/", "xinsheng.care.programmes_urls", order=61),
    UrlMount("gongshi/", "xinsheng.care.notices_urls", order=8),
)
APPLICATIONS_API_URLS = (
    "xinsheng.care.api.programmes.v1_urls",
    "xinsheng.care.api.applications.v1_urls",
)
APPLICATIONS_TODO = (applications_todo.applications_todo,)
# --- end of programmes and applications ----------------------------------------------------------

# --- hardship files, pairs and care visits (care.families) ---------------------------------------
FAMILIES_NAV = (NavEntry("care_families:list", _("困难帮扶"), "care.view", order=70),)
FAMILIES_URLS = (UrlMount("care/families/", "xinsheng.care.families_urls", order=60),)
FAMILIES_TODO = (families_todo.families_todo,)
FAMILIES_DEMO = (DemoPart("care", demo.demo_load, order=70, report=demo.demo_report),)
FAMILIES_SHEET_IMPORTS = (FAMILY_IMPORT,)
# --- end of hardship files -----------------------------------------------------------------------

NAV = (*FAMILIES_NAV, *APPLICATIONS_NAV)
URLS = (*FAMILIES_URLS, *APPLICATIONS_URLS)
API_URLS = (*APPLICATIONS_API_URLS,)
TODO = (*FAMILIES_TODO, *APPLICATIONS_TODO)
DEMO = (*FAMILIES_DEMO,)
SHEET_IMPORTS = (*FAMILIES_SHEET_IMPORTS,)
