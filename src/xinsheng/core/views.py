"""Pages that belong to no domain: the notifications (bell), signing out and the health check."""

import sys
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from xinsheng.core import selectors, services
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import RETRY_AFTER_SECONDS

NOTIFICATIONS_PER_PAGE = 30
# htmx stops polling when a poll answers 286: a signed-out page stops asking for the count.
STOP_POLLING = 286


@require_GET
def server_error(request: HttpRequest) -> HttpResponse:
    """Answer a page whose request failed: 503 with Retry-After while the database is away
    (restarting, failing over), else 500. Plain files, so that nothing here needs the database."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)


class SignOutView(auth_views.LogoutView):
    """Sign out of the web pages (POST): what the apps tie to the sign-in ends with the session,
    so the user's API token opens nothing afterwards."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if isinstance(request.user, AbstractBaseUser):
            services.sign_out(actor=request.user)
        return super().post(request, *args, **kwargs)


def healthz(request: HttpRequest) -> JsonResponse:
    """Answer a load balancer's health check: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@cache
def _favicon() -> bytes:
    found = finders.find("xinsheng/favicon.ico")
    return Path(str(found)).read_bytes()


@require_GET
@cache_control(public=True, max_age=86_400)
def favicon(request: HttpRequest) -> HttpResponse:
    """Send the site's icon where browsers and bookmark tools look for it without a link."""
    return HttpResponse(_favicon(), content_type="image/x-icon")


# --- Notifications (the bell) -----------------------------------------------------------------


@require_GET
def notification_badge(request: HttpRequest) -> HttpResponse:
    """Return the unread count for the bell in the top bar (loaded and polled by htmx)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    count = selectors.notification_unread_count(actor=request.user)
    response = render(
        request,
        "core/notifications_badge.html",
        {"count": count, "more": count > selectors.UNREAD_SHOWN_MAX},
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """List the user's notifications, newest first, a page at a time."""
    items = selectors.notification_list_for(actor=request.user)
    page = Paginator(items, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    unread = selectors.notification_unread_count(actor=request.user)
    return render(request, "core/notifications.html", {"page": page, "unread": unread})


def _safe_target(request: HttpRequest, url: str) -> bool:
    """Return whether ``url`` leads within this site (a notification never sends anyone away)."""
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@staff_view
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    """Mark a notification read and go to what it is about."""
    notification = selectors.notification_get_for(actor=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if _safe_target(request, notification.url):
        return HttpResponseRedirect(notification.url)
    return redirect("notifications")


@staff_view
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponseRedirect:
    """Mark all the user's notifications read."""
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("notifications")
