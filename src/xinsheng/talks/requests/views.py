"""Staff pages of talk requests: the list with overdue ones flagged, a request with its steps
(schedule, held, decline), and the recorder's entry of a request heard in person.

Load through selectors, change through services. A request outside the user's scope is "not
found" like a missing one; a step the request's state does not allow shows as a message.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.core.actors import Actor
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org import permissions
from xinsheng.talks.models import TalkRequest
from xinsheng.talks.requests import selectors, services
from xinsheng.talks.requests.forms import (
    DeclineForm,
    HoldForm,
    RecordForm,
    RequestFilterForm,
    ScheduleForm,
)
from xinsheng.talks.requests.selectors import RequestFilters

ACTION = "talk.request.handle"
PAGE_SIZE = 50


def _require_handle(actor: Actor) -> None:
    if not permissions.may_anywhere(actor, ACTION):
        raise Forbidden()


def _detail_url(request: TalkRequest) -> str:
    return reverse("talk_requests:detail", args=[request.pk])


@staff_view
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """List the requests in scope, filtered; those waiting too long are flagged."""
    actor = request.user
    _require_handle(actor)
    form = RequestFilterForm(request.GET or None, actor=actor)
    filters: RequestFilters | None = RequestFilters()
    if request.GET:
        filters = form.filters() if form.is_valid() else None
    # Wrong filters list nothing (the form says what is wrong) rather than everything.
    rows: QuerySet[TalkRequest] | list[TalkRequest] = (
        selectors.request_list_for(actor=actor, filters=filters) if filters is not None else []
    )
    page: Paginator[TalkRequest] = Paginator(rows, PAGE_SIZE)
    shown = page.get_page(request.GET.get("page"))
    since = selectors.overdue_since()
    query = request.GET.copy()
    query.pop("page", None)
    overdue = selectors.request_list_for(actor=actor, filters=RequestFilters(overdue=True))
    context = {
        "form": form,
        "page": shown,
        "rows": [(item, selectors.is_overdue(item, since)) for item in shown.object_list],
        "overdue_count": overdue.count(),
        "wait_days": selectors.wait_days(),
        "query": query.urlencode(),
    }
    return render(request, "talks/requests/list.html", context)


def _page(request: HttpRequest, talk: TalkRequest, **forms: object) -> HttpResponse:
    actor = request.user
    hosts = selectors.request_host_choices(actor=actor, request=talk)
    initial: dict[str, object] = {"host": talk.host.employee_no} if talk.host else {}
    if talk.scheduled_at:
        initial["scheduled_at"] = timezone.localtime(talk.scheduled_at)
        initial["place"] = talk.scheduled_place
    context = {
        "talk": talk,
        "phone": selectors.request_phone_for(actor=actor, request=talk),
        "overdue": selectors.is_overdue(talk, selectors.overdue_since()),
        "schedule_form": ScheduleForm(hosts=hosts, initial=initial),
        "hold_form": HoldForm(initial={"held_on": timezone.localdate()}),
        "decline_form": DeclineForm(),
        **forms,
    }
    status = 400 if any(getattr(form, "errors", None) for form in forms.values()) else 200
    return render(request, "talks/requests/detail.html", context, status=status)


@staff_view
@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """Show a request and the steps that may be taken now."""
    talk = selectors.request_get_for(actor=request.user, request_id=request_id)
    return _page(request, talk)


def _schedule(request: HttpRequest, talk: TalkRequest) -> tuple[str, ScheduleForm]:
    hosts = selectors.request_host_choices(actor=request.user, request=talk)
    form = ScheduleForm(request.POST, hosts=hosts)
    if not form.is_valid():
        raise _FormError(form)
    try:
        host = selectors.request_host_get(
            actor=request.user, request=talk, employee_no=form.cleaned_data["host"]
        )
    except NotFound:
        form.add_error("host", _("请选择约谈人。"))
        raise _FormError(form) from None
    try:
        services.request_schedule(
            actor=request.user,
            request=talk,
            scheduled_at=form.cleaned_data["scheduled_at"],
            place=form.cleaned_data["place"],
            host=host,
        )
    except InvalidInput as error:
        form.add_service_error(error)
        raise _FormError(form) from None
    return _("约谈已安排，申请人凭查询码可以看到约定的时间和地点。"), form


def _hold(request: HttpRequest, talk: TalkRequest) -> tuple[str, HoldForm]:
    form = HoldForm(request.POST)
    if not form.is_valid():
        raise _FormError(form)
    record = None
    if record_id := form.cleaned_data.get("record_id"):
        try:
            record = selectors.record_get_for(actor=request.user, record_id=record_id)
        except NotFound:
            form.add_error("record_id", _("找不到该谈话记录，或它不在您的范围内。"))
            raise _FormError(form) from None
    try:
        services.request_hold(
            actor=request.user, request=talk, held_on=form.cleaned_data["held_on"], record=record
        )
    except InvalidInput as error:
        form.add_service_error(error)
        raise _FormError(form) from None
    return _("已记录约谈。"), form


def _decline(request: HttpRequest, talk: TalkRequest) -> tuple[str, DeclineForm]:
    form = DeclineForm(request.POST)
    if not form.is_valid():
        raise _FormError(form)
    try:
        services.request_decline(
            actor=request.user, request=talk, reason=form.cleaned_data["reason"]
        )
    except InvalidInput as error:
        form.add_service_error(error)
        raise _FormError(form) from None
    return _("已记录未安排的原因，申请人凭查询码可以看到。"), form


class _FormError(Exception):
    """A step's form with the errors to show on the request's page."""

    def __init__(self, form: ScheduleForm | HoldForm | DeclineForm) -> None:
        super().__init__()
        self.form = form


STEPS: dict[str, tuple[str, Callable[[HttpRequest, TalkRequest], tuple[str, object]]]] = {
    "schedule": ("schedule_form", _schedule),
    "hold": ("hold_form", _hold),
    "decline": ("decline_form", _decline),
}


@staff_view
@require_POST
def request_step(request: HttpRequest, request_id: int, step: str) -> HttpResponse:
    """Take one step on a request; show the form again with its errors when it is refused."""
    talk = selectors.request_get_for(actor=request.user, request_id=request_id)
    if step not in STEPS:
        raise NotFound()
    name, perform = STEPS[step]
    try:
        text, _form = perform(request, talk)
    except _FormError as refused:
        return _page(request, talk, **{name: refused.form})
    except Conflict as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, text)
    return redirect(_detail_url(talk))


@never_cache
@staff_view
@require_http_methods(["GET", "POST"])
def request_record(request: HttpRequest) -> HttpResponse:
    """Write down a request heard in person; show its receipt code once, to hand over."""
    actor = request.user
    _require_handle(actor)
    form = RecordForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            submitted = services.request_record(
                actor=actor, unit=form.cleaned_data["unit"], asker=form.asker()
            )
        except InvalidInput as error:
            form.add_service_error(error)
        except Forbidden:
            form.add_error("unit", _("您不能为该单位登记约谈申请。"))
        else:
            # Rendered in the answer to the POST, never redirected to: the code stays off URLs.
            context = {"talk": submitted.request, "receipt_code": submitted.receipt_code}
            return render(request, "talks/requests/recorded.html", context)
    status = 400 if form.errors else 200
    return render(request, "talks/requests/record.html", {"form": form}, status=status)
