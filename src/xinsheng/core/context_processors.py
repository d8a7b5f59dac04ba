"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xinsheng.org import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the staff navigation entries this user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries = [
        ("home", _("工作台"), "unit.view"),
        ("cases:ledger", _("台账"), "case.view"),
        ("cases:notebook", _("民情记事本"), "case.record"),
        ("cases:dispatcher_inbox", _("受理派单"), "case.dispatch"),
        ("cases:handler_inbox", _("承办事项"), "case.sign"),
        ("cases:supervision", _("督办"), "case.supervise"),
        ("reports:dashboard", _("统计分析"), "report.view"),
        ("reports:briefing_list", _("工作简报"), "briefing.write"),
        ("projects:list", _("实事项目"), "project.view"),
        ("insight:topics", _("热点主题"), "report.view"),
        ("insight:models", _("文本分析"), "insight.manage"),
        ("org:tree", _("组织架构"), "unit.view"),
        ("org:people", _("人员"), "person.view"),
        ("org:import", _("批量导入"), "org.import"),
    ]
    items = []
    for name, label, action in entries:
        if not permissions.may_anywhere(user, action):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page not wired into the URLs (yet)
            continue
        items.append({"url": url, "label": label, "active": request.path == url})
    if user.is_staff:
        items.append({"url": reverse("admin:index"), "label": _("后台管理"), "active": False})
    return {"nav_items": items}
