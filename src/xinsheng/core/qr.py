"""QR codes of public pages: the address they carry and their images (PNG, SVG, inline SVG)."""

import io

import segno
from django.conf import settings
from django.http import HttpRequest

ERROR_LEVEL = "m"  # survives a poster that is a little dirty or creased
BORDER = 4  # the quiet zone the QR standard asks for, in modules
PNG_SCALE = 12  # pixels per module of a downloaded PNG (about 450 px for a short link)
PNG_SCALE_RANGE = (2, 40)


def public_url(request: HttpRequest, path: str) -> str:
    """Return the absolute address of ``path`` as a QR code or a printed link carries it.

    ``PUBLIC_BASE_URL`` wins when set: staff often work on an intranet address that employees'
    phones cannot reach.
    """
    base = str(settings.XINSHENG.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def qr_code(url: str) -> segno.QRCode:
    """Return the QR code of ``url``."""
    return segno.make(url, error=ERROR_LEVEL)


def qr_png(url: str, scale: int = PNG_SCALE) -> bytes:
    """Return ``url`` as a PNG QR code, ``scale`` pixels per module (clamped to a sane range)."""
    low, high = PNG_SCALE_RANGE
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=min(max(scale, low), high), border=BORDER)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    """Return ``url`` as a standalone SVG QR code (scales to any print size)."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=10, border=BORDER, title=url)
    return buffer.getvalue()


def qr_svg_inline(url: str, scale: int = 6) -> str:
    """Return ``url`` as an SVG element to place in a page (no XML declaration)."""
    return str(qr_code(url).svg_inline(scale=scale, border=BORDER, omitsize=True))
