"""Pages of meetings: the list, the entry form, a meeting's page with its rectification items and
the questions raised, and the list of rectification items across meetings and inspections.

Load through selectors, change through services. A meeting outside the user's scope is "not
found" like a missing one; a refusal of a service shows as a message, nothing changed.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.core.actors import Actor
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org import permissions
from xinsheng.talks.meetings import selectors, services
from xinsheng.talks.meetings.forms import (
    DoneForm,
    ItemFilterForm,
    ItemForm,
    MeetingFilterForm,
    MeetingForm,
    QuestionForm,
)
from xinsheng.talks.models import Rectification
from xinsheng.talks.supervision import selectors as supervision_selectors

PAGE_LIMIT = 200


def require_view(actor: Actor) -> None:
    """Refuse the pages to someone who may see talks nowhere."""
    if not permissions.may_anywhere(actor, "talk.view"):
        raise Forbidden()


@staff_view
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Show the meetings in the user's scope, filtered, with their rectification figures."""
    actor = request.user
    require_view(actor)
    form = MeetingFilterForm(request.GET or None, actor=actor)
    filters: selectors.MeetingFilters | None = selectors.MeetingFilters()
    if request.GET:
        filters = form.filters() if form.is_valid() else None
    meetings = (
        list(selectors.meeting_list_for(actor=actor, filters=filters)[:PAGE_LIMIT])
        if filters is not None
        else []
    )
    context = {
        "form": form,
        "meetings": meetings,
        "may_record": permissions.may_anywhere(actor, "meeting.record"),
        "notices": list(supervision_selectors.notices_open_for(actor=actor)[:5]),
    }
    return render(request, "talks/meetings/list.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    """Record a meeting (a form made for a phone)."""
    actor = request.user
    if not permissions.may_anywhere(actor, "meeting.record"):
        raise Forbidden()
    form = MeetingForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(actor=actor, data=form.meeting_data())
        except InvalidInput as error:
            form.add_service_error(error)
        except Forbidden:
            form.add_error("unit", _("您不能为该单位记录会议。"))
        else:
            messages.success(request, _("会议已记录。"))
            return redirect(reverse("meetings:detail", args=[meeting.pk]))
    status = 400 if form.errors else 200
    return render(request, "talks/meetings/form.html", {"form": form}, status=status)


@staff_view
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Show a meeting: what it was, its rectification items and the voices raised."""
    actor = request.user
    meeting = selectors.meeting_get_for(actor=actor, meeting_id=meeting_id)
    may_record = selectors.meeting_may(actor=actor, meeting=meeting)
    items = list(selectors.meeting_items_for(actor=actor, meeting=meeting))
    context = {
        "meeting": meeting,
        "items": items,
        "items_done": sum(1 for item in items if item.done_on is not None),
        "finishable": _finishable(actor, items),
        "cases": list(selectors.meeting_cases_for(actor=actor, meeting=meeting)),
        "may_record": may_record,
        "item_form": ItemForm(actor=actor, initial={"owner_unit": meeting.unit.code}),
        "question_form": QuestionForm(),
        "done_form": DoneForm(),
        "today": timezone.localdate(),
    }
    return render(request, "talks/meetings/detail.html", context)


@staff_view
@require_POST
def meeting_item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Add a finding of the meeting as a rectification item."""
    actor = request.user
    meeting = selectors.meeting_get_for(actor=actor, meeting_id=meeting_id)
    form = ItemForm(request.POST, actor=actor)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.rectification_add(
                actor=actor,
                meeting=meeting,
                text=data["text"],
                owner_unit=data["owner_unit"],
                due_on=data["due_on"],
            )
        except (InvalidInput, Forbidden) as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("整改事项已添加。"))
    else:
        messages.error(request, _first_error(form))
    return redirect(reverse("meetings:detail", args=[meeting.pk]))


@staff_view
@require_POST
def meeting_question(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Write a question raised at the meeting as a voice of the closed loop."""
    actor = request.user
    meeting = selectors.meeting_get_for(actor=actor, meeting_id=meeting_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = services.meeting_question(
                actor=actor,
                meeting=meeting,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                identity=form.identity(),
            )
        except (InvalidInput, Forbidden) as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("已转为诉求 %(no)s，进入办理流程。") % {"no": case.case_no})
    else:
        messages.error(request, _first_error(form))
    return redirect(reverse("meetings:detail", args=[meeting.pk]))


@staff_view
@require_GET
def rectification_list(request: HttpRequest) -> HttpResponse:
    """Show the rectification items in the user's scope: overdue flagged, done counted."""
    actor = request.user
    require_view(actor)
    form = ItemFilterForm(request.GET or None, actor=actor)
    filters: selectors.ItemFilters | None = selectors.ItemFilters()
    if request.GET:
        filters = form.filters() if form.is_valid() else None
    items = (
        list(selectors.rectification_list_for(actor=actor, filters=filters)[:PAGE_LIMIT])
        if filters is not None
        else []
    )
    context = {
        "form": form,
        "items": items,
        "done": sum(1 for item in items if item.done_on is not None),
        "finishable": _finishable(actor, items),
        "done_form": DoneForm(),
        "today": timezone.localdate(),
        "next": request.get_full_path(),
    }
    return render(request, "talks/meetings/rectifications.html", context)


@staff_view
@require_POST
def rectification_done(request: HttpRequest, item_id: int) -> HttpResponse:
    """Mark a rectification item done with what was done."""
    actor = request.user
    item = selectors.rectification_get_for(actor=actor, item_id=item_id)
    form = DoneForm(request.POST)
    if form.is_valid():
        try:
            services.rectification_done(actor=actor, item=item, note=form.cleaned_data["note"])
        except (InvalidInput, Forbidden, Conflict) as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("整改事项已完成。"))
    else:
        messages.error(request, _first_error(form))
    target = request.POST.get("next", "")
    if not target.startswith("/talks/"):
        target = (
            reverse("meetings:detail", args=[item.meeting_id])
            if item.meeting_id
            else reverse("meetings:rectifications")
        )
    return redirect(target)


def _finishable(actor: Actor, items: list[Rectification]) -> set[int]:
    """Return the ids of the items ``actor`` may mark done."""
    return {item.pk for item in items if selectors.rectification_may_finish(actor=actor, item=item)}


def _first_error(form: QuestionForm | ItemForm | DoneForm) -> str:
    for errors in form.errors.values():
        return f"{errors[0]}"
    return _("输入有误，请检查后重试。")
