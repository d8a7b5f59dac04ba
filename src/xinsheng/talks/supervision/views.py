"""Pages of supervision: the coverage board, groups, 督办 notices (issued and answered) and
inspections. Load through selectors, change through services; out of scope is "not found"."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org import permissions
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit
from xinsheng.talks.meetings.views import require_view
from xinsheng.talks.supervision import board, selectors, services
from xinsheng.talks.supervision.forms import (
    AnswerForm,
    BoardForm,
    GroupForm,
    InspectionForm,
    NoticeForm,
    board_period,
)


@staff_view
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """Show the coverage board of a group's units, or of a unit and the units below it."""
    actor = request.user
    require_view(actor)
    groups = selectors.group_list_for(actor=actor)
    form = BoardForm(request.GET or None, actor=actor, groups=groups)
    if form.is_bound and not form.is_valid():
        if "unit" in form.errors:  # a unit out of scope is not found, like a missing one
            raise NotFound()
        return render(request, "talks/supervision/board.html", {"form": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    try:
        period = board_period(data)
    except InvalidInput as error:
        form.add_error(None, str(error.message))
        return render(request, "talks/supervision/board.html", {"form": form}, status=400)
    group = data.get("group")
    picked: OrgUnit | None = data.get("unit")
    total = None
    if group is not None and picked is None:
        units = selectors.group_units_for(actor=actor, group=group)
    else:
        if picked is None:
            roots = list(org_selectors.unit_roots_for(actor=actor))
            picked = roots[0] if roots else None
        units = []
        if picked is not None:
            units = [picked, *org_selectors.unit_children_for(actor=actor, unit=picked)]
    rows = board.board_rows(units, period)
    if picked is not None and rows and group is None:
        total, rows = rows[0], rows[1:]
    acting = selectors.groups_acting_for(actor=actor)
    context = {
        "form": form,
        "group": group,
        "picked": picked,
        "period": period,
        "total": total,
        "rows": rows,
        "tiers": board.tiers_of([*rows, *([total] if total else [])]),
        "threshold": board.threshold(),
        "lagging": sum(1 for row in rows if row.lagging),
        "may_act": acting.exists(),
        "may_manage": permissions.may_anywhere(actor, "supervision.manage"),
    }
    return render(request, "talks/supervision/board.html", context)


@staff_view
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    """Show the groups the user belongs to or may see a unit of."""
    actor = request.user
    require_view(actor)
    groups = list(selectors.group_list_for(actor=actor).prefetch_related("members", "units"))
    context = {
        "groups": groups,
        "may_manage": permissions.may_anywhere(actor, "supervision.manage"),
        "inspections": list(selectors.inspection_list_for(actor=actor)[:50]),
    }
    return render(request, "talks/supervision/groups.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def group_form(request: HttpRequest, group_id: int | None = None) -> HttpResponse:
    """Set up a group, or change one."""
    actor = request.user
    if not permissions.may_anywhere(actor, "supervision.manage"):
        raise Forbidden()
    group = selectors.group_get_for(actor=actor, group_id=group_id) if group_id else None
    form = GroupForm(request.POST or None, actor=actor, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            if group is None:
                services.group_create(actor=actor, data=form.group_data())
            else:
                services.group_edit(actor=actor, group=group, data=form.group_data())
        except InvalidInput as error:
            form.add_service_error(error)
        except Forbidden:
            form.add_error("units", _("您不能为这些单位设立督导组。"))
        else:
            messages.success(request, _("督导组已保存。"))
            return redirect(reverse("supervision:groups"))
    status = 400 if form.errors else 200
    context = {"form": form, "group": group}
    return render(request, "talks/supervision/group_form.html", context, status=status)


@staff_view
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Show the 督办 notices to the units in the user's scope; the unit answers them here."""
    actor = request.user
    require_view(actor)
    code = request.GET.get("unit", "").strip()
    unit = org_selectors.unit_get_for(actor=actor, code=code) if code else None
    notices = list(selectors.notice_list_for(actor=actor, unit=unit)[:200])
    answerable = {
        notice.pk for notice in notices if selectors.notice_may_answer(actor=actor, notice=notice)
    }
    context = {
        "notices": notices,
        "unit": unit,
        "answerable": answerable,
        "answer_form": AnswerForm(),
    }
    return render(request, "talks/supervision/notices.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def notice_issue(request: HttpRequest) -> HttpResponse:
    """Issue a 督办 notice to a unit (a group member)."""
    actor = request.user
    groups = selectors.groups_acting_for(actor=actor)
    if not groups.exists():
        raise Forbidden()
    initial = {"unit": request.GET.get("unit", ""), "group": groups.first()}
    form = NoticeForm(request.POST or None, actor=actor, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.notice_issue(
                actor=actor, group=data["group"], unit=data["unit"], text=data["text"]
            )
        except InvalidInput as error:
            form.add_service_error(error)
        except Forbidden as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("督办通知已发出。"))
            return redirect(f"{reverse('supervision:notices')}?unit={data['unit'].code}")
    status = 400 if form.errors else 200
    return render(request, "talks/supervision/notice_form.html", {"form": form}, status=status)


@staff_view
@require_POST
def notice_answer(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Answer a notice for its unit."""
    actor = request.user
    notice = selectors.notice_get_for(actor=actor, notice_id=notice_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.notice_answer(actor=actor, notice=notice, answer=form.cleaned_data["answer"])
        except (InvalidInput, Forbidden, Conflict) as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("已回复督办通知。"))
    else:
        messages.error(request, _("请填写回复。"))
    return redirect(reverse("supervision:notices"))


@staff_view
@require_http_methods(["GET", "POST"])
def inspection_create(request: HttpRequest) -> HttpResponse:
    """Record an inspection and the items to put right it found."""
    actor = request.user
    groups = selectors.groups_acting_for(actor=actor)
    if not groups.exists():
        raise Forbidden()
    form = InspectionForm(request.POST or None, actor=actor, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(
                actor=actor,
                group=data["group"],
                unit=data["unit"],
                held_on=data["held_on"],
                findings=data["findings"],
                items=form.items(),
            )
        except InvalidInput as error:
            form.add_service_error(error)
        except Forbidden as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("督导检查已记录。"))
            return redirect(reverse("supervision:groups"))
    status = 400 if form.errors else 200
    return render(request, "talks/supervision/inspection_form.html", {"form": form}, status=status)
