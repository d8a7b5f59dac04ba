"""Pages of hardship files: the list with its filters and the 三不让 indicator, a file's page
(members, history, pairs, visits), the propose, review, approve, yearly review and close forms,
pairing, the fast visit entry for a phone, the pairs overdue a visit, and the Excel export.

Load through selectors, change through services. A file outside the user's scope is "not
found" like a missing one; a refusal of a service shows as a message, nothing changed.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.care.choices import FileStatus, HardshipReason
from xinsheng.care.families import exports, pairing, selectors, services
from xinsheng.care.families.forms import (
    FileFilterForm,
    PairForm,
    ProposeForm,
    ReasonForm,
    StepForm,
    VisitForm,
    YearlyReviewForm,
    members_text,
)
from xinsheng.care.models import HardshipFile
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org import permissions

PAGE_LIMIT = 300
EVENT_LABELS = {
    "propose": gettext_lazy("申报"),
    "import": gettext_lazy("导入"),
    "review": gettext_lazy("单位审核"),
    "approve": gettext_lazy("工会审批"),
    "refuse": gettext_lazy("不予认定"),
    "activate": gettext_lazy("开始帮扶"),
    "pair": gettext_lazy("结对"),
    "unpair": gettext_lazy("结束结对"),
    "yearly_review": gettext_lazy("年度复核"),
    "close": gettext_lazy("退出"),
}


def require_view(actor: Actor) -> None:
    """Refuse the pages to someone who may see care nowhere."""
    if not permissions.may_anywhere(actor, "care.view"):
        raise Forbidden()


@staff_view
@require_GET
def file_list(request: HttpRequest) -> HttpResponse:
    """Show the files in the user's scope, filtered, with the 三不让 indicator of the subtree."""
    actor = request.user
    require_view(actor)
    form = FileFilterForm(request.GET or None, actor=actor)
    filters: selectors.FileFilters | None = selectors.FileFilters()
    if request.GET:
        filters = form.filters() if form.is_valid() else None
    files = (
        list(selectors.file_list_for(actor=actor, filters=filters)[:PAGE_LIMIT])
        if filters is not None
        else []
    )
    unit = filters.unit if filters is not None else None
    context = {
        "form": form,
        "files": files,
        "limit": PAGE_LIMIT,
        "pledge": selectors.unvisited_this_quarter(actor=actor, unit=unit, limit=1),
        "overdue_pairs": selectors.pairs_overdue_for(actor=actor, unit=unit).count(),
        "visit_months": selectors.visit_months(),
        "may_propose": permissions.may_anywhere(actor, "care.propose"),
        "may_import": permissions.may_anywhere(actor, "care.import"),
        "today": timezone.localdate(),
        "query": request.GET.urlencode(),
    }
    return render(request, "care/families/list.html", context)


@login_required
@require_GET
def file_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """Send the filtered files as an .xlsx workbook (困难职工档案台账)."""
    actor = request.user
    require_view(actor)
    form = FileFilterForm(request.GET or None, actor=actor)
    filters = selectors.FileFilters()
    if request.GET:
        if not form.is_valid():
            messages.error(request, _("筛选条件有误，请检查后重试。"))
            return redirect(reverse("care_families:list"))
        filters = form.filters()
    files = selectors.file_list_for(actor=actor, filters=filters)
    return exports.export_response(actor=actor, files=files)


@staff_view
@require_GET
def file_detail(request: HttpRequest, file_id: int) -> HttpResponse:
    """Show a file: the family, its history, pairs and visits, and the steps the user may take."""
    actor = request.user
    file = selectors.file_get_for(actor=actor, file_id=file_id)
    may = selectors.file_may(actor, file)
    visits = selectors.visits_for(actor=actor, file=file)
    members = list(file.members.all())
    if may["sensitive"] and members:
        audit_record(actor=actor, action="care.sensitive.view", obj=file, note="household")
    events = list(selectors.file_events_for(actor=actor, file=file))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    reasons = dict(HardshipReason.choices)
    context = {
        "file": file,
        "members": members,
        "reasons": [reasons.get(reason, reason) for reason in file.reasons],
        "events": events,
        "pairs": list(selectors.pairs_for(actor=actor, file=file)),
        "visits": visits,
        "money": selectors.visit_money(visits),
        "may": may,
        "since": selectors.months_before(timezone.localdate(), selectors.visit_months()),
        "step_form": StepForm(),
        "reason_form": ReasonForm(),
        "pair_form": PairForm(actor=actor),
        "today": timezone.localdate(),
    }
    return render(request, "care/families/detail.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def file_propose(request: HttpRequest) -> HttpResponse:
    """Propose a family for the file (a form made for a phone)."""
    actor = request.user
    if not permissions.may_anywhere(actor, "care.propose"):
        raise Forbidden()
    form = ProposeForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            file = services.file_propose(
                actor=actor, person=form.cleaned_data["employee_no"], data=form.file_data()
            )
        except InvalidInput as error:
            form.add_service_error(error)
            if "person" in error.fields:
                form.add_error("employee_no", str(error.message))
        except Forbidden:
            form.add_error("employee_no", _("您不能为该职工所在单位申报困难档案。"))
        else:
            messages.success(request, _("困难档案已申报，等待单位审核。"))
            return redirect(reverse("care_families:detail", args=[file.pk]))
    status = 400 if form.errors else 200
    context = {"form": form, "title": _("申报困难职工档案")}
    return render(request, "care/families/form.html", context, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def file_yearly(request: HttpRequest, file_id: int) -> HttpResponse:
    """Record the yearly review of a file: its figures now and the next due date."""
    actor = request.user
    file = selectors.file_get_for(actor=actor, file_id=file_id, action="care.review")
    initial = {
        "tier": file.tier,
        "reasons": file.reasons,
        "reason_note": file.reason_note,
        "household_size": file.household_size,
        "household_income": f"{file.household_income:.2f}",
        "members": members_text(file),
    }
    form = YearlyReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_yearly_review(
                actor=actor, file=file, data=form.file_data(), note=form.cleaned_data["note"]
            )
        except InvalidInput as error:
            form.add_service_error(error)
        except (Conflict, Forbidden) as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("年度复核已记录。"))
            return redirect(reverse("care_families:detail", args=[file.pk]))
    status = 400 if form.errors else 200
    context = {"form": form, "file": file, "title": _("年度复核")}
    return render(request, "care/families/form.html", context, status=status)


STEPS: dict[str, tuple[str, Callable[..., HardshipFile], str]] = {
    "review": ("care.review", services.file_review, "note"),
    "approve": ("care.approve", services.file_approve, "note"),
    "refuse": ("care.view", services.file_refuse, "reason"),
    "close": ("care.review", services.file_close, "reason"),
}
DONE = {
    "review": gettext_lazy("已审核，等待工会审批。"),
    "approve": gettext_lazy("已审批，可以安排结对帮扶。"),
    "refuse": gettext_lazy("已不予认定，档案关闭。"),
    "close": gettext_lazy("档案已退出。"),
}


@staff_view
@require_POST
def file_step(request: HttpRequest, file_id: int, step: str) -> HttpResponse:
    """Take a step of the file's chain: review, approve, refuse, close."""
    actor = request.user
    if step not in STEPS:
        raise Forbidden()
    action, service, field = STEPS[step]
    file = selectors.file_get_for(actor=actor, file_id=file_id, action=action)
    form = StepForm(request.POST) if field == "note" else ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        try:
            service(actor=actor, file=file, **{field: form.cleaned_data[field]})
        except (InvalidInput, Forbidden, Conflict) as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(DONE[step]))
    return redirect(reverse("care_families:detail", args=[file.pk]))


@staff_view
@require_POST
def pair_add(request: HttpRequest, file_id: int) -> HttpResponse:
    """Pair cadres with the family."""
    actor = request.user
    file = selectors.file_get_for(actor=actor, file_id=file_id, action="care.manage")
    form = PairForm(request.POST, actor=actor)
    if not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        try:
            pairing.pair_create(
                actor=actor,
                file=file,
                cadres=form.cleaned_data["cadres"],
                starts_on=form.cleaned_data["starts_on"],
            )
        except (InvalidInput, Forbidden, Conflict) as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("结对已建立。"))
    return redirect(reverse("care_families:detail", args=[file.pk]))


@staff_view
@require_POST
def pair_end(request: HttpRequest, pair_id: int) -> HttpResponse:
    """End a running pair today."""
    actor = request.user
    pair = selectors.pair_get_for(actor=actor, pair_id=pair_id, action="care.manage")
    try:
        pairing.pair_end(actor=actor, pair=pair)
    except (InvalidInput, Forbidden, Conflict) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("结对已结束。"))
    return redirect(reverse("care_families:detail", args=[pair.file_id]))


@staff_view
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest, file_id: int) -> HttpResponse:
    """Record a care visit: one short form, made for a phone at the family's door."""
    actor = request.user
    file = selectors.file_get_for(actor=actor, file_id=file_id, action="care.visit")
    cadres = [
        pair.cadre for pair in file.pairs.filter(ends_on__isnull=True).select_related("cadre")
    ]
    form = VisitForm(request.POST or None, actor=actor, file=file, cadres=cadres)
    if request.method == "POST" and form.is_valid():
        try:
            pairing.visit_record(actor=actor, file=file, data=form.visit_data())
        except InvalidInput as error:
            form.add_service_error(error)
        except (Conflict, Forbidden) as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("走访已记录。"))
            return redirect(reverse("care_families:detail", args=[file.pk]))
    status = 400 if form.errors else 200
    context = {"form": form, "file": file, "cadres": cadres}
    return render(request, "care/families/visit.html", context, status=status)


@staff_view
@require_GET
def pairs_overdue(request: HttpRequest) -> HttpResponse:
    """Show the running pairs whose cadre has not visited for the set number of months."""
    actor = request.user
    require_view(actor)
    pairs = list(selectors.pairs_overdue_for(actor=actor)[:PAGE_LIMIT])
    context = {
        "pairs": pairs,
        "visit_months": selectors.visit_months(),
        "active": FileStatus.ACTIVE,
    }
    return render(request, "care/families/pairs_overdue.html", context)


def _first_error(form: StepForm | ReasonForm | PairForm) -> str:
    for errors in form.errors.values():
        return f"{errors[0]}"
    return _("输入有误，请检查后重试。")
