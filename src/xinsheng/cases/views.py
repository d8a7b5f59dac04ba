"""Staff pages of the closed loop. Load through selectors, change through services."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinsheng.cases import selectors


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """Show the ledger (台账) of the cases in the user's scope."""
    cases = selectors.case_list_for(actor=request.user)[:50]
    return render(request, "cases/ledger.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, case_no: str) -> HttpResponse:
    """Show one case with its whole timeline."""
    case = selectors.case_get_for(actor=request.user, case_no=case_no)
    events = selectors.case_events_for(actor=request.user, case=case)
    return render(request, "cases/detail.html", {"case": case, "events": events})
