"""What assistance to employees in need adds to the platform (``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.care import permissions
from xinsheng.care.applications import todo as applications_todo
from xinsheng.core.plugins import NavEntry, UrlMount

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

NAV = (*APPLICATIONS_NAV,)
URLS = (*APPLICATIONS_URLS,)
API_URLS = (*APPLICATIONS_API_URLS,)
TODO = (*APPLICATIONS_TODO,)
