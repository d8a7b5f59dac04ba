"""Public pages of proposals (no login): the proposal tab of a unit's QR page, by name, and
the public notice (公示) of the rewards before they are final."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xinsheng.cases import selectors as case_selectors
from xinsheng.cases import services as case_services
from xinsheng.cases.intake import limits as intake_limits
from xinsheng.cases.intake.receipts import receipt_groups
from xinsheng.cases.public.forms import intake_key_new
from xinsheng.core.errors import Conflict, InvalidInput, NotFound
from xinsheng.proposals import files, selectors, services
from xinsheng.proposals.choices import Channel
from xinsheng.proposals.forms import ProposalForm


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_form(request: HttpRequest, unit_code: str) -> HttpResponse:
    """A unit's proposal form, by name; show the number and the receipt code once."""
    token = str(request.POST.get("k") or request.GET.get("k") or "")
    try:
        unit = case_services.intake_unit_check(
            unit=case_selectors.intake_unit_get(unit_code), token=token or None
        )
    except (NotFound, Conflict) as error:
        context = {"message": str(error.message), "status": error.status}
        return render(request, "cases/public/error.html", context, status=error.status)
    window = services.window_open_for(unit)
    categories = list(window.categories) if window else []
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        categories=categories,
        initial={"intake_key": intake_key_new()},
    )
    context = {
        "unit": unit,
        "window": window,
        "form": form,
        "token": token,
        # A refused form comes back without the files chosen: the browser cannot be given
        # them again, so the page says to choose them once more.
        "files_lost": bool(request.FILES),
    }
    if request.method != "POST":
        return render(request, "proposals/public/form.html", context)
    limit = intake_limits.limit_check(request, intake_limits.INTAKE)
    if limit.exceeded:
        minutes = {"minutes": max(1, limit.retry_after // 60)}
        return render(request, "cases/public/limited.html", minutes, status=429)
    if not form.is_valid():
        return render(request, "proposals/public/form.html", context, status=400)
    data = form.cleaned_data
    draft = services.Draft(
        title=data["title"],
        problem=data["problem"],
        measure=data["measure"],
        benefit=data["benefit"],
        estimated_savings=data["estimated_savings"],
        category=data["category"],
        co_authors=form.co_author_rows(),
    )
    try:
        # Every file is checked (photos decoded) before the proposal's transaction begins.
        attachments = files.attachments_clean(
            photos=form.photo_bytes(), documents=form.document_files()
        )
        done = services.proposal_submit_at(
            unit_code=unit.code,
            draft=draft,
            name=data["name"],
            employee_no=data["employee_no"],
            channel=Channel.FORM,
            intake_key=data["intake_key"] or None,
            attachments=attachments,
        )
    except InvalidInput as error:
        form.add_service_error(error)
        return render(request, "proposals/public/form.html", context, status=400)
    if done.created:
        intake_limits.limit_count(request, intake_limits.INTAKE)
    done_context = {
        "proposal": done.proposal,
        "receipt_groups": receipt_groups(done.receipt_code),
        "receipt_code": "-".join(receipt_groups(done.receipt_code)),
        "notice": _("请保存查询码，凭它在“查询进度”中查看评审、采纳、实施和奖励情况。"),
    }
    return render(request, "proposals/public/done.html", done_context)


@require_GET
def notice_board(request: HttpRequest) -> HttpResponse:
    """The rewards on public notice (公示): proposal, authors and tier; nothing else."""
    rows = []
    for proposal in selectors.on_notice():
        tier = next(
            (row for row in proposal.window.tiers if row["code"] == proposal.reward_tier), None
        )
        rows.append(
            {
                "proposal": proposal,
                "tier": tier["name"] if tier else proposal.reward_tier,
                "amount": proposal.reward_amount,
                "authors": "、".join(row.person.name for row in proposal.co_authors.all()),
            }
        )
    return render(request, "proposals/public/notice.html", {"rows": rows})
