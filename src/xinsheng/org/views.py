"""Staff pages of the organisation. Load through selectors, change through services."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinsheng.org import selectors


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    roots = selectors.unit_roots_for(actor=request.user)
    return render(request, "core/home.html", {"roots": roots})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.unit_get_for(actor=request.user, code=code)
    return render(request, "core/home.html", {"roots": [unit]})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"roots": []})
