"""Staff pages for importing units and people from a spreadsheet."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"roots": []})
