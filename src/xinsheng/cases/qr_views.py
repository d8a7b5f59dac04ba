"""Staff pages for a unit's QR code: download, print, enable, disable, rotate."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinsheng.org import selectors as org_selectors


@login_required
def qr_page(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = org_selectors.unit_get_for(actor=request.user, code=unit_code)
    return render(request, "core/home.html", {"roots": [unit]})
