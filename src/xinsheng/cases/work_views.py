"""Staff work pages: the inboxes of dispatchers, handlers and supervisors, and the action forms."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinsheng.cases import selectors


@login_required
def dispatcher_inbox(request: HttpRequest) -> HttpResponse:
    cases = selectors.dispatcher_inbox_for(actor=request.user)[:50]
    return render(request, "cases/ledger.html", {"cases": cases})


@login_required
def case_act(request: HttpRequest, case_no: str, action: str) -> HttpResponse:
    case = selectors.case_get_for(actor=request.user, case_no=case_no)
    return render(request, "cases/detail.html", {"case": case, "events": []})
