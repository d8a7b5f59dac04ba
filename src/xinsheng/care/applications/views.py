"""Staff pages of programmes and applications: programmes and their form; the applications list
with filters; an application with its history, notice, objections, payments and follow-ups, and
the steps its state allows; the follow-ups due.

Load through selectors, change through services. What lies outside the user's scope is "not
found" like what does not exist; a step refused shows its reason and writes nothing.
"""

import json
import tempfile
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.care.applications import (
    export,
    follow_ups,
    notices,
    roster,
    rules,
    selectors,
    services,
    workflow,
)
from xinsheng.care.applications.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    ProgrammeForm,
    RosterForm,
)
from xinsheng.care.applications.programmes import (
    ProgrammeData,
    programme_create,
    programme_data,
    programme_update,
)
from xinsheng.care.choices import ApplicationStatus
from xinsheng.care.models import Application
from xinsheng.care.money.selectors import fund_balance, payment_list_for, programme_spent
from xinsheng.care.scope import may_at_path
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.core.sheets.reader import max_bytes
from xinsheng.org import permissions

PAGE_SIZE = 50


def _require(actor: Any, action: str) -> None:
    if not permissions.may_anywhere(actor, action):
        raise Forbidden()


# --- programmes -------------------------------------------------------------------------------


@staff_view
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    """The programmes the user takes part in, with what each has spent of its budget."""
    actor = request.user
    _require(actor, "care.view")
    programmes = list(selectors.programme_list_for(actor=actor)[:200])
    rows = [(programme, programme_spent(programme)) for programme in programmes]
    context = {"rows": rows, "may_manage": permissions.may_anywhere(actor, "care.manage")}
    return render(request, "care/applications/programmes.html", context)


def _data(form: ProgrammeForm) -> ProgrammeData:
    d = form.cleaned_data
    return ProgrammeData(
        kind=d["kind"],
        title=d["title"],
        year=d["year"],
        budget=d["budget"],
        fund=d["fund"],
        rules=d["rules"],
        needs_unit_review=d["needs_unit_review"],
        needs_union_approval=d["needs_union_approval"],
        notice_days=d["notice_days"],
        decide_within=d["decide_within"],
    )


@staff_view
@require_http_methods(["GET", "POST"])
def programme_form(request: HttpRequest, programme_id: int | None = None) -> HttpResponse:
    """Create a programme, or edit one (``programme_id``)."""
    actor = request.user
    _require(actor, "care.manage")
    programme = (
        selectors.programme_managed_for(actor=actor, programme_id=programme_id)
        if programme_id is not None
        else None
    )
    initial: dict[str, Any] = {"year": timezone.localdate().year}
    if programme is not None:
        data = programme_data(programme)
        initial = {**vars(data), "rules": _json(programme.rules)}
    form = ProgrammeForm(
        request.POST or None, actor=actor, editing=programme is not None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                programme = programme_create(
                    actor=actor, unit=form.cleaned_data["unit"], data=_data(form)
                )
            else:
                programme_update(actor=actor, programme=programme, data=_data(form))
        except InvalidInput as error:
            form.add_service_error(error)
        except Forbidden:
            form.add_error("unit", _("您不能在该单位设立帮扶项目。"))
        else:
            messages.success(request, _("项目已保存。"))
            return redirect(reverse("care_programmes:detail", args=[programme.pk]))
    context = {"form": form, "programme": programme}
    return render(
        request,
        "care/applications/programme_form.html",
        context,
        status=400 if form.errors else 200,
    )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


@staff_view
@require_GET
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    """A programme: its rules, money and notices, and a link to its applications."""
    actor = request.user
    programme = selectors.programme_get_for(actor=actor, programme_id=programme_id)
    counted = (
        selectors.application_list_for(
            actor=actor, filters=selectors.ApplicationFilters(programme=programme)
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts = [(status, ApplicationStatus(status).label, n) for status, n in counted]
    context = {
        "programme": programme,
        "rules": _json(programme.rules),
        "spent": programme_spent(programme),
        "balance": fund_balance(programme.fund) if programme.fund else None,
        "counts": counts,
        "notices": selectors.notices_for(actor=actor, programme=programme),
        "may_manage": may_at_path(actor, "care.manage", programme.unit_path),
        "may_import": may_at_path(actor, roster.PAY, programme.unit_path),
        "may_notice": may_at_path(actor, "care.approve", programme.unit_path)
        and programme.notice_days > 0,
        "today": timezone.localdate(),
    }
    return render(request, "care/applications/programme.html", context)


@staff_view
@require_POST
def programme_notice(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Publish the notice of the approved applications, or close an ended one."""
    actor = request.user
    programme = selectors.programme_get_for(actor=actor, programme_id=programme_id)
    try:
        if notice_id := request.POST.get("close"):
            notice = (
                selectors.notices_for(actor=actor, programme=programme)
                .filter(pk=int(notice_id) if notice_id.isdigit() else 0)
                .first()
            )
            if notice is None:
                raise NotFound()
            count = notices.notice_close(actor=actor, notice=notice)
            messages.success(request, _("公示期满，%(n)s份申请转为待发放。") % {"n": count})
        else:
            notice = notices.notice_publish(actor=actor, programme=programme)
            messages.success(request, _("已发布公示：%(title)s。") % {"title": notice.title})
    except (Conflict, InvalidInput) as error:
        messages.error(request, str(error.message))
    return redirect(reverse("care_programmes:detail", args=[programme.pk]))


@login_required
@require_GET
def programme_ledger(request: HttpRequest, programme_id: int) -> HttpResponseBase:
    """Send the programme's payments the user may see as an Excel ledger (发放台账)."""
    actor = request.user
    programme = selectors.programme_get_for(actor=actor, programme_id=programme_id)
    payments = payment_list_for(actor=actor, programme=programme)
    scratch = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    export.ledger_write(payments=payments, target=scratch)
    scratch.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = FileResponse(
        scratch,
        as_attachment=True,
        filename=f"{programme.year}{programme.title}-{_('发放台账')}-{stamp}.xlsx",
        content_type=export.XLSX_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
@require_http_methods(["GET", "POST"])
def programme_roster(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Import a historical payment roster into the programme: a dry run lists what would be
    written and every row's error; the import writes all of it or nothing."""
    actor = request.user
    programme = selectors.programme_get_for(actor=actor, programme_id=programme_id)
    if not may_at_path(actor, roster.PAY, programme.unit_path):
        raise Forbidden()
    form = RosterForm(request.POST or None, request.FILES or None, actor=actor)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(max_bytes() + 1)
        write = "apply" in request.POST
        service = roster.roster_import if write else roster.roster_check
        try:
            plan = service(
                actor=actor,
                programme=programme,
                content=content,
                file_name=upload.name or "",
                fund=form.cleaned_data["fund"],
            )
        except (InvalidInput, Conflict) as error:
            form.add_error("file", str(error.message))
        else:
            if write and not plan.errors:
                messages.success(
                    request,
                    _("已导入%(payments)d笔发放、%(reversals)d笔冲销，合计%(total)s元。")
                    % plan.counts(),
                )
                return redirect(reverse("care_programmes:detail", args=[programme.pk]))
    context = {"programme": programme, "form": form, "plan": plan.report() if plan else None}
    status = 400 if form.errors or (plan and plan.errors) else 200
    return render(request, "care/applications/roster.html", context, status=status)


# --- applications -----------------------------------------------------------------------------


@staff_view
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    """The applications in scope, filtered; those past their deadline are flagged."""
    actor = request.user
    _require(actor, "care.view")
    form = ApplicationFilterForm(request.GET or None)
    rows: Any = []
    if not request.GET:
        rows = selectors.application_list_for(actor=actor)
    elif form.is_valid():
        rows = selectors.application_list_for(actor=actor, filters=form.filters(actor))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "today": timezone.localdate(),
        "undecided": workflow.UNDECIDED,
        "overdue_relief": selectors.relief_overdue_for(actor=actor).count(),
        "may_propose": permissions.may_anywhere(actor, "care.propose"),
    }
    return render(request, "care/applications/list.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    """Submit an application for an employee; an ineligible one is refused with the reason."""
    actor = request.user
    _require(actor, "care.propose")
    initial = {"programme": request.GET.get("programme")} if request.GET.get("programme") else {}
    form = ApplicationForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person = selectors.person_for(actor=actor, employee_no=form.cleaned_data["employee_no"])
        except NotFound:
            form.add_error("employee_no", _("找不到该工号的职工，或其不在您的范围内。"))
        else:
            try:
                application = services.application_submit(
                    actor=actor,
                    programme=form.cleaned_data["programme"],
                    person=person,
                    data=form.details(),
                    amount=form.cleaned_data["amount"] or None,
                )
            except InvalidInput as error:
                form.add_service_error(error)
                if error.fields and not form.non_field_errors():
                    form.add_error(None, str(error.message))
            except Conflict as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("申请已提交。"))
                return redirect(reverse("care_programmes:application", args=[application.pk]))
    status = 400 if form.errors else 200
    return render(request, "care/applications/form.html", {"form": form}, status=status)


def _page_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    actor = request.user
    path = application.unit_path
    status = application.status
    today = timezone.localdate()
    return {
        "application": application,
        "sensitive": selectors.sensitive_for(actor=actor, application=application),
        "history": [
            (event, workflow.ACTION_LABELS.get(event.action, event.action))
            for event in selectors.history_of(application)
        ],
        "payments": selectors.payments_of(application),
        "follow_ups": [
            (item, follow_ups.is_overdue(item, today))
            for item in selectors.follow_ups_of(application)
        ],
        "objections": selectors.objections_of(application),
        "overdue": status in workflow.UNDECIDED and application.decide_by < today,
        "may": {
            "review": workflow.may_step(status, "review")
            and may_at_path(actor, "care.review", path),
            "approve": workflow.may_step(status, "approve")
            and may_at_path(actor, "care.approve", path),
            "reject": workflow.may_step(status, "reject")
            and (
                may_at_path(actor, "care.approve", path)
                or (status == "submitted" and may_at_path(actor, "care.review", path))
            ),
            "pay": workflow.may_step(status, "pay") and may_at_path(actor, "care.pay", path),
            "reverse": may_at_path(actor, "care.pay", path),
            "object": workflow.may_step(status, "notice_end")
            and may_at_path(actor, "care.approve", path),
            "visit": may_at_path(actor, "care.visit", path),
            "renew": workflow.may_step(status, "renew")
            and application.kind == "student_aid"
            and may_at_path(actor, "care.propose", path),
        },
        "today": today,
        "level_label": rules.level_label(application.details.get("level", "")),
    }


@staff_view
@require_GET
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """An application with its history and the steps its state allows."""
    application = selectors.application_get_for(actor=request.user, application_id=application_id)
    return render(request, "care/applications/detail.html", _page_context(request, application))


def _review(request: HttpRequest, application: Application) -> str:
    services.application_review(
        actor=request.user, application=application, reason=request.POST.get("reason", "")
    )
    return _("已审核通过。")


def _approve(request: HttpRequest, application: Application) -> str:
    services.application_approve(
        actor=request.user,
        application=application,
        amount=request.POST.get("amount") or None,
        reason=request.POST.get("reason", ""),
    )
    return _("已审批通过。")


def _reject(request: HttpRequest, application: Application) -> str:
    services.application_reject(
        actor=request.user, application=application, reason=request.POST.get("reason", "")
    )
    return _("已记录不予通过及其原因。")


def _pay(request: HttpRequest, application: Application) -> str:
    payment = services.application_pay(
        actor=request.user, application=application, amount=request.POST.get("amount") or None
    )
    return _("已发放%(amount)s元。") % {"amount": f"{payment.amount:.2f}"}


def _reverse(request: HttpRequest, application: Application) -> str:
    raw = request.POST.get("payment_id", "")
    services.application_reverse(
        actor=request.user,
        application=application,
        payment_id=int(raw) if raw.isdigit() else 0,
        reason=request.POST.get("reason", ""),
    )
    return _("已冲正。")


def _object(request: HttpRequest, application: Application) -> str:
    notices.objection_record(
        actor=request.user, application=application, text=request.POST.get("text", "")
    )
    return _("已记录异议。")


def _decide(request: HttpRequest, application: Application) -> str:
    raw = request.POST.get("objection_id", "")
    objection = selectors.objection_get_for(
        actor=request.user, objection_id=int(raw) if raw.isdigit() else 0
    )
    if objection.application_id != application.pk:
        raise NotFound()
    notices.objection_decide(
        actor=request.user,
        objection=objection,
        upheld=request.POST.get("upheld") == "yes",
        resolution=request.POST.get("resolution", ""),
    )
    return _("已记录异议处理结果。")


def _visit(request: HttpRequest, application: Application) -> str:
    raw = request.POST.get("follow_up_id", "")
    follow_up = selectors.follow_up_get_for(
        actor=request.user, follow_up_id=int(raw) if raw.isdigit() else 0
    )
    if follow_up.application_id != application.pk:
        raise NotFound()
    follow_ups.follow_up_record(
        actor=request.user,
        follow_up=follow_up,
        done_on=parse_date(request.POST.get("done_on", "") or "") or None,
        note=request.POST.get("note", ""),
    )
    return _("已记录走访。")


def _renew(request: HttpRequest, application: Application) -> str:
    renewed = services.application_renew(actor=request.user, application=application)
    return _("已提交%(year)s年度续助申请。") % {"year": renewed.year}


STEPS: dict[str, Callable[[HttpRequest, Application], str]] = {
    "review": _review,
    "approve": _approve,
    "reject": _reject,
    "pay": _pay,
    "reverse": _reverse,
    "object": _object,
    "decide": _decide,
    "visit": _visit,
    "renew": _renew,
}


@staff_view
@require_POST
def application_step(request: HttpRequest, application_id: int, step: str) -> HttpResponse:
    """Take one step; a refused one shows its reason and writes nothing."""
    application = selectors.application_get_for(actor=request.user, application_id=application_id)
    if step not in STEPS:
        raise NotFound()
    try:
        text = STEPS[step](request, application)
    except (InvalidInput, Conflict) as error:
        reasons = [str(m) for messages_ in error.fields.values() for m in messages_]
        messages.error(request, " ".join(reasons) or str(error.message))
    except ValueError:
        messages.error(request, _("输入有误，请检查后重试。"))
    else:
        messages.success(request, text)
    return redirect(reverse("care_programmes:application", args=[application.pk]))


@staff_view
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """The follow-up visits due within two weeks or overdue, soonest first."""
    actor = request.user
    _require(actor, "care.visit")
    today = timezone.localdate()
    rows = [
        (item, follow_ups.is_overdue(item, today))
        for item in selectors.follow_ups_due_for(actor=actor, today=today)[:200]
    ]
    return render(request, "care/applications/follow_ups.html", {"rows": rows})
