"""Staff pages for a unit's QR code: download, print, enable, disable, rotate.

Anyone who may see a unit may download and print its code; enabling, disabling and rotating
need ``intake.manage`` there, which the service checks.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinsheng.cases import services
from xinsheng.cases.intake.qr import intake_url
from xinsheng.cases.models import IntakePoint
from xinsheng.core import qr
from xinsheng.org import permissions
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit


@dataclass(frozen=True)
class UnitCode:
    """A unit seen by a staff user, with its intake point and the link its QR code carries."""

    unit: OrgUnit
    point: IntakePoint
    url: str


def _load(request: HttpRequest, unit_code: str) -> UnitCode:
    unit = org_selectors.unit_get_for(actor=request.user, code=unit_code)
    point = services.intake_point_for(unit)
    return UnitCode(unit, point, intake_url(request, unit.code, point.token))


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def qr_page(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Show a unit's QR code, its link and state, with downloads and the manage buttons."""
    code = _load(request, unit_code)
    context = {
        "unit": code.unit,
        "point": code.point,
        "url": code.url,
        "svg": mark_safe(qr.qr_svg_inline(code.url, scale=5)),  # noqa: S308 - segno's own markup
        "may_manage": permissions.may(request.user, "intake.manage", code.unit),
    }
    return render(request, "cases/qr/page.html", context)


@login_required
@require_GET
def qr_png(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Return the unit's QR code as a PNG file (``?scale=`` pixels per module)."""
    code = _load(request, unit_code)
    try:
        scale = int(request.GET.get("scale", qr.PNG_SCALE))
    except ValueError:
        scale = qr.PNG_SCALE
    return _download(qr.qr_png(code.url, scale), "image/png", f"xinsheng-qr-{code.unit.code}.png")


@login_required
@require_GET
def qr_svg(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Return the unit's QR code as an SVG file, for print shops and large posters."""
    code = _load(request, unit_code)
    return _download(qr.qr_svg(code.url), "image/svg+xml", f"xinsheng-qr-{code.unit.code}.svg")


@login_required
@require_GET
def qr_poster(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Show an A4 poster of the unit's QR code, to print from the browser."""
    code = _load(request, unit_code)
    context = {
        "unit": code.unit,
        "point": code.point,
        "url": code.url,
        "svg": mark_safe(qr.qr_svg_inline(code.url, scale=10)),  # noqa: S308 - segno's own markup
    }
    return render(request, "cases/qr/poster.html", context)


@login_required
@require_POST
def qr_manage(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Enable, disable or rotate the unit's QR code."""
    unit = org_selectors.unit_get_for(actor=request.user, code=unit_code)
    action = request.POST.get("action", "")
    if action == "enable":
        services.intake_point_set(actor=request.user, unit=unit, enabled=True)
        messages.success(request, _("二维码已启用。"))
    elif action == "disable":
        services.intake_point_set(actor=request.user, unit=unit, enabled=False)
        messages.success(request, _("二维码已停用，扫码将提示已停用。"))
    elif action == "rotate":
        services.intake_point_set(actor=request.user, unit=unit, rotate=True)
        messages.success(request, _("二维码已更换，请下载并张贴新的二维码；旧二维码已失效。"))
    else:
        messages.error(request, _("选项无效。"))
    return redirect("cases:qr", unit_code=unit.code)
