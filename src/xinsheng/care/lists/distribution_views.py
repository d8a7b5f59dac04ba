"""Pages of distribution lists: the distributions in the user's scope, one list with its
delivered and pending counts (made for a phone, as deliverers carry it round), building the
list from the rule, and confirming a delivery.

Load through selectors, change through services; a refusal shows as a message, nothing
changed. Why someone is on a list drawn from belief is shown to the privacy role alone.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinsheng.care.choices import Handover
from xinsheng.care.lists import distribution_selectors as selectors
from xinsheng.care.lists import distribution_services as services
from xinsheng.care.scope import may_at_path
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org import permissions

PAGE_LIMIT = 500
TEXT_MAX = 50


@staff_view
@require_GET
def distribution_list(request: HttpRequest) -> HttpResponse:
    """Show the distributions the user may see, with delivered and pending counts."""
    actor = request.user
    if not permissions.may_anywhere(actor, "care.view"):
        raise Forbidden()
    programmes = list(selectors.distributions_for(actor=actor)[:PAGE_LIMIT])
    return render(request, "care/lists/distributions.html", {"programmes": programmes})


@staff_view
@require_GET
def distribution_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Show one distribution's list in the user's scope, pending first when asked."""
    actor = request.user
    programme = selectors.distribution_get_for(actor=actor, programme_id=programme_id)
    show = request.GET.get("show", "")
    pending = {"pending": True, "delivered": False}.get(show)
    text = request.GET.get("q", "")[:TEXT_MAX]
    rows = list(
        selectors.recipients_for(actor=actor, programme=programme, pending=pending, text=text)[
            :PAGE_LIMIT
        ]
    )
    reasons = selectors.reasons_for(actor=actor, programme=programme, recipients=rows)
    for row in rows:
        row.reason = reasons.get(row.pk, "")  # type: ignore[attr-defined]
    context = {
        "programme": programme,
        "rows": rows,
        "limit": PAGE_LIMIT,
        "show": show if pending is not None else "",
        "q": text,
        "progress": selectors.progress_for(actor=actor, programme=programme),
        "rule": selectors.rule_text_for(actor=actor, programme=programme),
        "may_build": may_at_path(actor, "care.manage", programme.unit_path),
        "may_deliver": permissions.may_anywhere(actor, "care.visit"),
        "handovers": Handover.choices,
    }
    return render(request, "care/lists/distribution.html", context)


@staff_view
@require_POST
def distribution_build(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Add to the list everyone the programme's rule names."""
    actor = request.user
    programme = selectors.distribution_get_for(actor=actor, programme_id=programme_id)
    try:
        added = services.recipients_build(actor=actor, programme=programme)
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已按规则加入%(n)s人。") % {"n": added})
    return redirect(reverse("care_lists:distribution", args=[programme.pk]))


@staff_view
@require_POST
def delivery_confirm(request: HttpRequest, recipient_id: int) -> HttpResponse:
    """Confirm that one person's gift reached them (signed receipt or the deliverer's word)."""
    actor = request.user
    recipient = selectors.recipient_get_for(
        actor=actor, recipient_id=recipient_id, action="care.visit"
    )
    try:
        services.delivery_confirm(
            actor=actor, recipient=recipient, handover=request.POST.get("handover", "")
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已确认送达：%(name)s。") % {"name": recipient.person.name})
    target = reverse("care_lists:distribution", args=[recipient.programme_id])
    show = request.POST.get("show", "")
    if show in ("pending", "delivered"):
        target += f"?show={show}"
    return redirect(target)
