"""The public notice (公示) page: names masked as the programme's rules say, the unit, the level
and the amount; never a child's name, a school or anything about health."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xinsheng.care.applications import selectors


@require_GET
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Show a public notice to anyone (no login)."""
    public_notice, rows = selectors.notice_public_get(notice_id)
    context = {"notice": public_notice, "rows": rows, "today": timezone.localdate()}
    return render(request, "care/applications/public_notice.html", context)
