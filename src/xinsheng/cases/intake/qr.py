"""A unit's QR code: the link to its public form that the code carries."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from xinsheng.core.qr import public_url


def intake_path(unit_code: str, token: str) -> str:
    """Return the path of a unit's public form, with the token of its current QR code."""
    path = reverse("public:intake", args=[unit_code])
    return f"{path}?{urlencode({'k': token})}" if token else path


def intake_url(request: HttpRequest, unit_code: str, token: str) -> str:
    """Return the absolute address a unit's QR code carries (``PUBLIC_BASE_URL`` when set)."""
    return public_url(request, intake_path(unit_code, token))
