"""Public pages around a receipt code: its picture, sending it to oneself, and recovering lost
codes by employee number and a one-time code.

The code travels in POST bodies only, never in a URL (which servers and proxies log); every
answer that holds one is ``never_cache``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from xinsheng.cases import services
from xinsheng.cases.intake import contact, recovery
from xinsheng.cases.intake import limits as intake_limits
from xinsheng.cases.intake.limits import RECEIPT, RECOVER, Limit
from xinsheng.cases.intake.receipt_image import receipt_png
from xinsheng.cases.intake.receipts import receipt_groups
from xinsheng.cases.models import Case
from xinsheng.core.errors import InvalidInput, NotFound


def receipt_context(case: Case, code: str, *, code_id: str = "receipt-code") -> dict[str, Any]:
    """Return what ``cases/public/_receipt_code.html`` shows of ``case``'s code ``code``
    (``code_id`` is the element's id, unique on the page)."""
    reach = contact.contact_of(case)
    return {
        "case": case,
        "code_id": code_id,
        "receipt_code": "-".join(receipt_groups(code)),
        "receipt_groups": receipt_groups(code),
        "contact_shown": reach.shown() if reach else "",
    }


def _limited(request: HttpRequest, limit: Limit) -> HttpResponse:
    response = render(
        request,
        "cases/public/limited.html",
        {"minutes": max(1, limit.retry_after // 60)},
        status=429,
    )
    response["Retry-After"] = str(limit.retry_after)
    return response


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request, "cases/public/error.html", {"message": message, "status": status}, status=status
    )


def _case_of_code(request: HttpRequest) -> tuple[Case | None, str, HttpResponse | None]:
    """Return the case of the posted code, counted against the look-up limit, or the answer to
    give instead (limited, or not found)."""
    limit = intake_limits.limit_check(request, RECEIPT)
    if limit.exceeded:
        return None, "", _limited(request, limit)
    intake_limits.limit_count(request, RECEIPT)
    code = str(request.POST.get("code", ""))[:64]
    try:
        return services.case_for_receipt(code), code, None
    except NotFound as error:
        return None, code, _error(request, str(error.message), 404)


@never_cache
@require_POST
def receipt_image(request: HttpRequest) -> HttpResponse:
    """Return the posted receipt code as a PNG picture to save."""
    case, code, refused = _case_of_code(request)
    if refused is not None or case is None:
        return refused or _error(request, _("查询码不正确，请核对后重试。"), 404)
    response = HttpResponse(receipt_png(case_no=case.case_no, code=code), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="xinsheng-{case.case_no}.png"'
    return response


@never_cache
@require_POST
def receipt_send(request: HttpRequest) -> HttpResponse:
    """Send the posted receipt code to the contact its case's submitter gave."""
    case, code, refused = _case_of_code(request)
    if refused is not None or case is None:
        return refused or _error(request, _("查询码不正确，请核对后重试。"), 404)
    context = receipt_context(case, code)
    if not context["contact_shown"]:
        return _error(request, _("提交时没有留下手机号或电子邮箱，无法发送。"), 400)
    text = _("您的诉求 %(no)s 的查询码：%(code)s。请妥善保存，不要告诉他人。") % {
        "no": case.case_no,
        "code": context["receipt_code"],
    }
    contact.secret_send_later(case, _("诉求 %(no)s 的查询码") % {"no": case.case_no}, text)
    notice = _("查询码已发送至%(to)s，请注意查收。") % {"to": context["contact_shown"]}
    return render(request, "cases/public/sent.html", {**context, "notice": notice})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def receipt_recover(request: HttpRequest) -> HttpResponse:
    """Ask for an employee number; send a one-time code; on the right one, show fresh codes."""
    if request.method != "POST":
        return render(request, "cases/public/recover.html", {})
    limit = intake_limits.limit_check(request, RECOVER)
    if limit.exceeded:
        return _limited(request, limit)
    intake_limits.limit_count(request, RECOVER)  # every request counts, right or wrong
    employee_no = str(request.POST.get("employee_no", "")).strip()[:32]
    context: dict[str, Any] = {"employee_no": employee_no}
    try:
        if request.POST.get("action") == "confirm":
            reissued = recovery.recovery_confirm(
                employee_no, str(request.POST.get("code", ""))[:12]
            )
            rows = [
                receipt_context(item.case, item.receipt_code, code_id=f"code-{item.case.case_no}")
                for item in reissued
            ]
            return render(request, "cases/public/recovered.html", {"rows": rows})
        recovery.recovery_code_send(employee_no)
    except InvalidInput as error:
        fields = error.fields or {}
        context["errors"] = {name: messages[0] for name, messages in fields.items() if messages}
        context["asked"] = request.POST.get("action") == "confirm"
        return render(request, "cases/public/recover.html", context, status=400)
    context["asked"] = True
    return render(request, "cases/public/recover.html", context)
