"""Public pages for employees: the intake form behind a unit's QR code, and the follow-up page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def intake_form(request: HttpRequest, unit_code: str) -> HttpResponse:
    return render(request, "404.html", status=404)


def receipt_lookup(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)
