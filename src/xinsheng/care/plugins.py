"""What assistance to employees in need adds to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.care import demo, permissions
from xinsheng.care.families import todo as families_todo
from xinsheng.care.families.imports import FAMILY_IMPORT
from xinsheng.core.plugins import DemoPart, NavEntry, UrlMount

ACTIONS = permissions.CARE_ACTIONS

# --- hardship files, pairs and care visits (care.families) ---------------------------------------
NAV = (NavEntry("care_families:list", _("困难帮扶"), "care.view", order=70),)
URLS = (UrlMount("care/families/", "xinsheng.care.families_urls", order=60),)
TODO = (families_todo.families_todo,)
DEMO = (DemoPart("care", demo.demo_load, order=70, report=demo.demo_report),)
SHEET_IMPORTS = (FAMILY_IMPORT,)
# --- end of hardship files -----------------------------------------------------------------------
