"""Pages that belong to no domain: the staff home, health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xinsheng.org import selectors as org_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show the staff home: the units at the top of the user's scope."""
    roots = org_selectors.unit_roots_for(actor=request.user)
    return render(request, "core/home.html", {"roots": roots})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer a load balancer's health check: the process runs and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
