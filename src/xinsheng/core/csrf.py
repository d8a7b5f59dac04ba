"""A Chinese page for a form sent with an expired or missing security token."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain that the page was open too long (or cookies are off) and how to go on."""
    return render(request, "core/csrf_failure.html", status=403)
