"""The employee's pages of talk requests: the form at a unit's page and the follow-up page.

No login. Like the voice form, they count a keyed hash of the client's address in the cache only
(the same hourly allowances as voices and receipt look-ups), turn away what fills the hidden
field, and keep the receipt code out of every URL: it travels in POST bodies only.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xinsheng.cases.intake import limits
from xinsheng.cases.intake.limits import INTAKE, RECEIPT, Limit
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import RequestStatus
from xinsheng.talks.models import TalkRequest
from xinsheng.talks.requests import selectors, services
from xinsheng.talks.requests.forms import AskForm, ReceiptForm

public_page = require_http_methods(["GET", "HEAD", "POST"])


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"message": message, "status": status}
    return render(request, "talks/requests/public/error.html", context, status=status)


def _limited(request: HttpRequest, limit: Limit) -> HttpResponse:
    context = {"minutes": max(1, limit.retry_after // 60)}
    response = render(request, "cases/public/limited.html", context, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


def _form_page(
    request: HttpRequest, unit: OrgUnit, form: AskForm, status: int = 200
) -> HttpResponse:
    context = {"unit": unit, "form": form}
    return render(request, "talks/requests/public/form.html", context, status=status)


@never_cache
@public_page
def ask(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Show a unit's form to ask for a talk; take the request and show its receipt code once."""
    unit = selectors.request_unit_get(unit_code)
    if unit is None:
        return _error(request, _("找不到该单位，请确认二维码或链接是否正确。"), 404)
    if request.method != "POST":
        return _form_page(request, unit, AskForm())
    limit = limits.limit_check(request, INTAKE)
    if limit.exceeded:
        return _limited(request, limit)
    form = AskForm(request.POST)
    if form.honeypot_filled:
        limits.limit_count(request, INTAKE)
        return _error(request, _("提交未成功，请稍后重试。"), 400)
    if not form.is_valid():
        return _form_page(request, unit, form, status=400)
    try:
        submitted = services.request_submit(unit=unit, asker=form.asker())
    except InvalidInput as error:
        form.add_service_error(error)
        return _form_page(request, unit, form, status=400)
    except NotFound as error:
        return _error(request, str(error.message), 404)
    limits.limit_count(request, INTAKE)
    # Rendered in the answer to the POST, never redirected to: the code must not land in a URL.
    context = {"talk": submitted.request, "receipt_code": submitted.receipt_code}
    return render(request, "talks/requests/public/done.html", context)


@never_cache
@public_page
def follow(request: HttpRequest) -> HttpResponse:
    """Ask for a receipt code; show where the request it opens stands."""
    if request.method != "POST":
        return render(request, "talks/requests/public/lookup.html", {"form": ReceiptForm()})
    limit = limits.limit_check(request, RECEIPT)
    if limit.exceeded:
        return _limited(request, limit)
    limits.limit_count(request, RECEIPT)  # every look-up counts, right or wrong
    form = ReceiptForm(request.POST)
    try:
        talk = selectors.request_for_receipt(str(request.POST.get("code", "")))
    except NotFound as error:
        form.errors.clear()
        form.add_error("code", str(error.message))
        return render(request, "talks/requests/public/lookup.html", {"form": form}, status=404)
    return render(request, "talks/requests/public/status.html", {"talk": talk, **_story(talk)})


def _story(talk: TalkRequest) -> dict[str, str]:
    """Return, in a sentence, where the request stands and what comes next."""
    if talk.status == RequestStatus.SCHEDULED:
        return {"next_step": _("约谈已安排，请按约定的时间和地点参加。")}
    if talk.status == RequestStatus.HELD:
        return {"next_step": _("约谈已进行。谈话中提到的问题会按诉求办理。")}
    if talk.status == RequestStatus.DECLINED:
        return {"next_step": _("本次未安排约谈，原因见下方。您也可以通过意见征集码反映问题。")}
    return {"next_step": _("已收到您的申请，单位会尽快安排约谈的时间和地点。")}
