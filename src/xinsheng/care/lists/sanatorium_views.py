"""Pages of sanatorium batches: the batches in the user's scope with their places taken; one
batch with its unit quotas and nominations; nominating by employee number (with a reason when
the person went within the programme's years); confirming, recording attendance, withdrawing.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.care.lists import sanatorium_selectors as selectors
from xinsheng.care.lists import sanatorium_services as services
from xinsheng.care.lists.forms import BatchForm
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org import permissions
from xinsheng.org.models import Person

PAGE_LIMIT = 300
STEPS = {
    "confirm": (services.nomination_confirm, "care.approve"),
    "attend": (services.nomination_attend, "care.approve"),
    "withdraw": (services.nomination_withdraw, "care.propose"),
}


@staff_view
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    """Show the sanatorium batches the user may see."""
    actor = request.user
    if not permissions.may_anywhere(actor, "care.view"):
        raise Forbidden()
    batches = list(selectors.batches_for(actor=actor)[:PAGE_LIMIT])
    context = {"batches": batches, "may_manage": permissions.may_anywhere(actor, "care.manage")}
    return render(request, "care/lists/batches.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    """Set up a batch of a sanatorium programme with each unit's quota."""
    actor = request.user
    if not permissions.may_anywhere(actor, "care.manage"):
        raise Forbidden()
    form = BatchForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_create(actor=actor, **data)
        except InvalidInput as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("批次已设立。"))
            return redirect(reverse("care_lists:batch", args=[batch.pk]))
    return render(request, "care/lists/batch_form.html", {"form": form})


@staff_view
@require_GET
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Show one batch: its quotas and the nominations in the user's scope."""
    actor = request.user
    batch = selectors.batch_get_for(actor=actor, batch_id=batch_id)
    context = {
        "batch": batch,
        "quotas": selectors.quotas_for(batch=batch),
        "nominations": list(selectors.nominations_for(actor=actor, batch=batch)[:PAGE_LIMIT]),
        "may_propose": permissions.may_anywhere(actor, "care.propose"),
        "may_approve": permissions.may_anywhere(actor, "care.approve"),
        "years": services.years_of(batch),
    }
    return render(request, "care/lists/batch.html", context)


@staff_view
@require_POST
def batch_nominate(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Nominate the employee whose number is given."""
    actor = request.user
    batch = selectors.batch_get_for(actor=actor, batch_id=batch_id)
    number = request.POST.get("employee_no", "").strip()[:32]
    person = Person.objects.select_related("unit").filter(employee_no=number).first()
    if person is None:
        messages.error(request, _("没有找到工号为%(no)s的职工。") % {"no": number})
    else:
        try:
            services.nominate(
                actor=actor,
                batch=batch,
                person=person,
                override_reason=request.POST.get("override_reason", "")[:400],
            )
        except (InvalidInput, Conflict, Forbidden) as error:
            messages.error(request, str(error) or _("无权推荐该职工。"))
        else:
            messages.success(request, _("已推荐：%(name)s。") % {"name": person.name})
    return redirect(reverse("care_lists:batch", args=[batch.pk]))


@staff_view
@require_POST
def nomination_step(request: HttpRequest, nomination_id: int, step: str) -> HttpResponse:
    """Confirm, record attendance of, or withdraw a nomination."""
    if step not in STEPS:
        raise Forbidden()
    service, action = STEPS[step]
    actor = request.user
    nomination = selectors.nomination_get_for(
        actor=actor, nomination_id=nomination_id, action=action
    )
    try:
        service(actor=actor, nomination=nomination)
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已办理：%(name)s。") % {"name": nomination.person.name})
    return redirect(reverse("care_lists:batch", args=[nomination.batch_id]))
