"""Template context shared by every page."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xinsheng.org import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Return the staff navigation entries this user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries = [
        ("home", _("工作台"), "unit.view"),
        ("org:tree", _("组织架构"), "unit.view"),
        ("org:people", _("人员"), "person.view"),
        ("org:import", _("批量导入"), "org.import"),
    ]
    items = [
        {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
        for name, label, action in entries
        if permissions.may_anywhere(user, action)
    ]
    if user.is_staff:
        items.append({"url": reverse("admin:index"), "label": _("后台管理"), "active": False})
    return {"nav_items": items}
