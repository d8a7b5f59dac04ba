"""Staff page of text insight: the versions of the category model, and retraining on demand."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinsheng.cases import selectors as case_selectors
from xinsheng.cases.deadlines import deadline_from
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Forbidden
from xinsheng.insight import selectors, tasks
from xinsheng.org import permissions


@staff_view
@require_GET
def models_page(request: HttpRequest) -> HttpResponse:
    """List the category model's versions with the figures that decided each one."""
    if not permissions.may_anywhere(request.user, "insight.manage"):
        raise Forbidden()
    versions = selectors.trained_models_for(actor=request.user)[:50]
    return render(
        request,
        "insight/models.html",
        {"versions": versions, "rules": selectors.category_rules()},
    )


@staff_view
@require_POST
def model_retrain(request: HttpRequest) -> HttpResponse:
    """Queue a retraining now; the page shows the new version once the worker has made it."""
    if not permissions.may_anywhere(request.user, "insight.manage"):
        raise Forbidden()
    tasks.model_retrain.enqueue(force=True)
    messages.success(request, _("已开始重新训练，完成后刷新本页即可看到新版本。"))
    return redirect("insight:models")


@staff_view
@require_GET
def case_suggestion(request: HttpRequest, case_no: str) -> HttpResponse:
    """The suggestion card of a case page (loaded after the page): category, unit, look-alikes.

    Where the dispatcher may accept or dispatch the case now, the card takes the suggestion in
    one click, through the case's own action form.
    """
    actor = request.user
    case = case_selectors.case_get_for(actor=actor, case_no=case_no)
    suggestion = selectors.suggestion_for(actor=actor, case=case)
    if suggestion is None:
        return HttpResponse("")
    similar = selectors.similar_cases_for(actor=actor, case=case)
    if suggestion.category is None and suggestion.unit is None and not similar:
        return HttpResponse("")
    actions = case_selectors.case_actions_for(actor=actor, case=case)
    category = case.category or suggestion.category
    deadline = (
        deadline_from(timezone.localdate(), category=category, urgency=case.urgency)
        if category is not None
        else None
    )
    return render(
        request,
        "insight/_suggestion.html",
        {
            "case": case,
            "suggestion": suggestion,
            "similar": similar,
            "may_accept": "accept" in actions and suggestion.category is not None,
            "may_dispatch": "dispatch" in actions and suggestion.unit is not None and deadline,
            "may_merge": "merge" in actions,
            "deadline": deadline,
        },
    )
