"""Staff pages of proposals: the list with filters, the evaluator's waiting list (待我评审) and
scoring form, a proposal with the steps its state allows, the windows, and turning a 建议 voice
into a proposal.

Load through selectors, change through services. What lies outside the user's scope is "not
found" like what does not exist; a step refused shows its reason and writes nothing.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.cases import selectors as case_selectors
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound, XinshengError
from xinsheng.core.photos import photo_response
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.proposals import attachments, implementation, public, rewards, selectors, services
from xinsheng.proposals.choices import UNDECIDED, ProposalStatus
from xinsheng.proposals.forms import (
    AssignForm,
    AttachForm,
    DecideForm,
    FromCaseForm,
    ImplementForm,
    ProgressForm,
    ProposalFilterForm,
    ReverseForm,
    RewardForm,
    VerifyForm,
    WindowForm,
    score_form,
    window_initial,
)
from xinsheng.proposals.grouping import proposals_group_similar
from xinsheng.proposals.models import Proposal

PAGE_SIZE = 50
VIEW = "proposal.view"


def _require(actor: Any, action: str) -> None:
    if not permissions.may_anywhere(actor, action):
        raise Forbidden()


@staff_view
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    """The proposals the user may see, filtered by window, status, category and text."""
    actor = request.user
    windows = selectors.window_list_for(actor=actor)
    form = ProposalFilterForm(request.GET or None, windows=windows)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "window": data["window"],
            "status": data["status"],
            "category": data["category"].strip(),
            "text": data["q"].strip(),
        }
    unit_code = str(request.GET.get("unit", ""))[:32]
    if unit_code:
        filters["unit"] = OrgUnit.objects.filter(code=unit_code).first()
    proposals = selectors.proposal_list_for(actor=actor, **filters)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "waiting": selectors.waiting_for(actor=actor).count(),
        "may_record": permissions.may_anywhere(actor, "proposal.record"),
    }
    return render(request, "proposals/list.html", context)


@staff_view
@require_GET
def waiting_list(request: HttpRequest) -> HttpResponse:
    """The proposals waiting for the user's scores (待我评审), the oldest first."""
    assignments = selectors.waiting_for(actor=request.user)
    return render(request, "proposals/waiting.html", {"assignments": assignments})


def _detail_context(actor: Any, proposal: Proposal) -> dict[str, Any]:
    window = proposal.window
    unit = window.unit
    assignments = list(
        proposal.assignments.select_related("evaluator").prefetch_related("scores").all()
    )
    assigned = {row.evaluator_id for row in assignments}
    defaults = {person.pk for person in services.default_evaluators(proposal)}
    eligible = services.eligible_evaluators(proposal)
    assign_form = AssignForm(initial={"evaluators": [pk for pk in defaults if pk not in assigned]})
    assign_form.fields["evaluators"].choices = [  # type: ignore[attr-defined]
        (person.pk, person.name) for person in eligible if person.pk not in assigned
    ]
    names = {row["code"]: row["name"] for row in window.criteria}
    mine = selectors.assignment_of(actor=actor, proposal=proposal)
    status = proposal.status
    return {
        "proposal": proposal,
        "window": window,
        "authors": proposal.co_authors.select_related("person"),
        "assignments": [
            (
                row,
                [
                    (names.get(score.criterion, score.criterion), score.value)
                    for score in row.scores.all()
                ],
            )
            for row in assignments
        ],
        "mean": services.decision_total(proposal),
        "max_total": window.max_total,
        "events": proposal.events.order_by("at", "id"),
        "progress": proposal.progress.all(),
        "payments": proposal.payments.select_related("person", "reversed_by").order_by(
            "paid_on", "id"
        ),
        "public": public.public_data(proposal),
        "similar": proposal.similar.all()[:10],
        "photos": proposal.photos.all(),
        "documents": proposal.documents.all(),
        "attach_form": AttachForm(),
        "may": {
            "attach": attachments.may_attach(actor, proposal),
            "assign": status in UNDECIDED and permissions.may(actor, "proposal.manage", unit),
            "score": mine is not None and status in UNDECIDED,
            "decide": status in UNDECIDED and permissions.may(actor, "proposal.decide", unit),
            "implement": status in {ProposalStatus.ADOPTED, ProposalStatus.PARTLY_ADOPTED}
            and permissions.may(actor, "proposal.implement", unit),
            "progress": status == ProposalStatus.IMPLEMENTING
            and permissions.may(actor, "proposal.implement", proposal.owner_unit or unit),
            "verify": status == ProposalStatus.IMPLEMENTING
            and permissions.may(actor, "proposal.verify", unit),
            "reward": status == ProposalStatus.IMPLEMENTED
            and not proposal.reward_tier
            and permissions.may(actor, "proposal.reward", unit),
            "reverse": permissions.may(actor, "proposal.reward", unit),
            "pay": status == ProposalStatus.IMPLEMENTED
            and bool(proposal.reward_tier)
            and permissions.may(actor, "proposal.reward", unit),
        },
        "assign_form": assign_form,
        "decide_form": DecideForm(),
        "implement_form": ImplementForm(),
        "progress_form": ProgressForm(),
        "verify_form": VerifyForm(),
        "reward_form": RewardForm(tiers=window.tiers),
    }


@staff_view
@require_GET
def proposal_detail(request: HttpRequest, proposal_no: str) -> HttpResponse:
    """A proposal, its authors, scores, decision, implementation, reward and history."""
    proposal = selectors.proposal_get_for(actor=request.user, proposal_no=proposal_no)
    return render(request, "proposals/detail.html", _detail_context(request.user, proposal))


def _step(request: HttpRequest, proposal: Proposal, step: str) -> None:
    """Run ``step`` on ``proposal`` with the posted fields (raises what the service raises)."""
    actor, post = request.user, request.POST
    if step == "assign":
        ids = {int(value) for value in post.getlist("evaluators") if value.isdigit()}
        chosen = [p for p in services.eligible_evaluators(proposal) if p.pk in ids]
        services.evaluators_assign(actor=actor, proposal=proposal, evaluators=chosen)
    elif step == "decide":
        services.proposal_decide(
            actor=actor,
            proposal=proposal,
            decision=str(post.get("decision", "")),
            reason=str(post.get("reason", "")),
            override=bool(post.get("override")),
        )
    elif step == "implement":
        code = str(post.get("owner_unit_code", "")).strip()[:32]
        unit = permissions.units_for(actor, "proposal.implement").filter(code=code).first()
        if unit is None:
            raise InvalidInput(
                _("找不到该实施单位，或您不能为其安排实施。"),
                fields={"owner_unit_code": [_("找不到该实施单位，或您不能为其安排实施。")]},
            )
        implementation.proposal_implement(
            actor=actor, proposal=proposal, owner_unit=unit, due_date=post.get("due_date")
        )
    elif step == "progress":
        implementation.progress_add(actor=actor, proposal=proposal, text=str(post.get("text", "")))
    elif step == "verify":
        implementation.proposal_verify(
            actor=actor, proposal=proposal, actual_savings=post.get("actual_savings")
        )
    elif step == "reward":
        rewards.reward_propose(actor=actor, proposal=proposal, tier=str(post.get("tier", "")))
    elif step == "pay":
        rewards.reward_pay(actor=actor, proposal=proposal)
    else:
        raise NotFound()


@staff_view
@require_POST
def proposal_step(request: HttpRequest, proposal_no: str, step: str) -> HttpResponse:
    """Take one step of a proposal's way; a refusal shows its reason and writes nothing."""
    proposal = selectors.proposal_get_for(actor=request.user, proposal_no=proposal_no)
    try:
        _step(request, proposal, step)
    except (InvalidInput, Conflict, Forbidden) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已保存。"))
    return redirect("proposals:detail", proposal_no=proposal.proposal_no)


@staff_view
@require_POST
def proposal_attach(request: HttpRequest, proposal_no: str) -> HttpResponse:
    """Add photos and documents to a proposal; a bad file refuses them all, nothing written."""
    proposal = selectors.proposal_get_for(actor=request.user, proposal_no=proposal_no)
    form = AttachForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            errors = [str(error) for field in form.errors.values() for error in field]
            raise InvalidInput(errors[0] if errors else _("请选择要上传的照片或文件。"))
        added = attachments.attachments_add(
            actor=request.user,
            proposal=proposal,
            photos=form.photo_bytes(),
            documents=form.document_files(),
        )
    except (InvalidInput, Forbidden) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("已上传照片%(photos)s张、文件%(documents)s个。")
            % {"photos": len(added.photos), "documents": len(added.documents)},
        )
    return redirect("proposals:detail", proposal_no=proposal.proposal_no)


@login_required
@require_GET
def proposal_photo(request: HttpRequest, proposal_no: str, photo_id: int) -> FileResponse:
    """Send a photo of a proposal the user may see; no scope, no photo."""
    photo = selectors.proposal_photo_get_for(
        actor=request.user, proposal_no=proposal_no, photo_id=photo_id
    )
    response = photo_response(photo)
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def proposal_document(request: HttpRequest, proposal_no: str, document_id: int) -> FileResponse:
    """Send a document of a proposal the user may see, as a download under its shown name."""
    document = selectors.proposal_document_get_for(
        actor=request.user, proposal_no=proposal_no, document_id=document_id
    )
    try:
        stream = document.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    response = FileResponse(
        stream, as_attachment=True, filename=document.name, content_type=document.content_type
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_view
@require_http_methods(["GET", "POST"])
def payment_reverse(request: HttpRequest, proposal_no: str, payment_id: int) -> HttpResponse:
    """Confirm and reverse one reward payment with a reason: a negative entry is appended."""
    actor = request.user
    payment = selectors.payment_get_for(actor=actor, proposal_no=proposal_no, payment_id=payment_id)
    if not permissions.may(actor, rewards.REWARD, payment.proposal.window.unit):
        raise Forbidden()
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rewards.reward_reverse(actor=actor, payment=payment, reason=form.cleaned_data["reason"])
        except InvalidInput as error:
            form.add_service_error(error)
        except (Conflict, Forbidden) as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("已冲销%(name)s的奖励%(amount)s元。")
                % {"name": payment.person.name, "amount": payment.amount},
            )
            return redirect("proposals:detail", proposal_no=payment.proposal.proposal_no)
    done = payment.reverses_id is not None or hasattr(payment, "reversed_by")
    context = {"payment": payment, "proposal": payment.proposal, "form": form, "done": done}
    return render(request, "proposals/reverse.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def proposal_score(request: HttpRequest, proposal_no: str) -> HttpResponse:
    """The evaluator's scoring form: one score per criterion of the window's rubric."""
    actor = request.user
    proposal = selectors.proposal_get_for(actor=actor, proposal_no=proposal_no)
    assignment = selectors.assignment_of(actor=actor, proposal=proposal)
    if assignment is None:
        raise NotFound()
    criteria = proposal.window.criteria
    initial: dict[str, object] = {s.criterion: s.value for s in assignment.scores.all()}
    initial["comment"] = assignment.comment
    form = score_form(criteria, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_score(
                actor=actor,
                proposal=proposal,
                scores={row["code"]: data[row["code"]] for row in criteria},
                comment=data["comment"],
            )
        except InvalidInput as error:
            form.add_service_error(error)
        except (Conflict, Forbidden) as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("已提交对%(no)s的评分。") % {"no": proposal.proposal_no})
            return redirect("proposals:waiting")
    context = {"proposal": proposal, "form": form, "max_total": proposal.window.max_total}
    return render(request, "proposals/score.html", context)


@staff_view
@require_GET
def window_list(request: HttpRequest) -> HttpResponse:
    """The windows the user may see, with how many proposals each has and how far they got."""
    windows = selectors.window_list_for(actor=request.user).annotate(
        collected=Count("proposals"),
        adopted=Count(
            "proposals",
            filter=Q(proposals__decision__in=["adopted", "partly_adopted"]),
        ),
        implemented=Count("proposals", filter=Q(proposals__status__in=["implemented", "rewarded"])),
    )
    may_manage = permissions.may_anywhere(request.user, "proposal.manage")
    return render(request, "proposals/windows.html", {"windows": windows, "may_manage": may_manage})


def _window_saved(request: HttpRequest, form: WindowForm, window: Any = None) -> Any:
    """Create or change the window the valid ``form`` describes; None when the service refused."""
    data = form.cleaned_data
    fields = {
        key: data[key]
        for key in (
            "unit",
            "title",
            "opens_on",
            "closes_on",
            "criteria",
            "tiers",
            "categories",
            "committee",
            "experts",
            "notice_days",
            "note",
        )
    }
    try:
        if window is None:
            return services.window_create(actor=request.user, **fields)
        return services.window_update(actor=request.user, window=window, **fields)
    except InvalidInput as error:
        form.add_service_error(error)
    except Forbidden:
        form.add_error("unit", _("您无权在该单位开展征集活动。"))
    return None


@staff_view
@require_http_methods(["GET", "POST"])
def window_new(request: HttpRequest) -> HttpResponse:
    """Open a collection window (征集活动): its subtree, dates, categories, rubric and tiers."""
    _require(request.user, services.MANAGE)
    form = WindowForm(request.POST or None, actor=request.user, initial={"notice_days": 5})
    if request.method == "POST" and form.is_valid():
        window = _window_saved(request, form)
        if window is not None:
            messages.success(request, _("已创建征集活动“%(title)s”。") % {"title": window.title})
            return redirect("proposals:windows")
    context = {"form": form, "title": _("新建征集活动")}
    return render(request, "proposals/window_form.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def window_edit(request: HttpRequest, window_id: int) -> HttpResponse:
    """Change a collection window; what would invalidate scores or rewards is refused."""
    window = selectors.window_get_for(actor=request.user, window_id=window_id)
    if not permissions.may(request.user, services.MANAGE, window.unit):
        raise Forbidden()
    form = WindowForm(request.POST or None, actor=request.user, initial=window_initial(window))
    if request.method == "POST" and form.is_valid():
        saved = _window_saved(request, form, window)
        if saved is not None:
            messages.success(request, _("已保存征集活动“%(title)s”。") % {"title": saved.title})
            return redirect("proposals:windows")
    context = {"form": form, "title": _("编辑征集活动"), "window": window}
    return render(request, "proposals/window_form.html", context)


@staff_view
@require_POST
def window_group(request: HttpRequest, window_id: int) -> HttpResponse:
    """Group the window's similar proposals (同类建议) with the text tools of ``insight``."""
    window = selectors.window_get_for(actor=request.user, window_id=window_id)
    try:
        grouped = proposals_group_similar(actor=request.user, window=window)
    except Forbidden as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已归类同类建议 %(n)s 条。") % {"n": grouped})
    return redirect("proposals:windows")


@staff_view
@require_http_methods(["GET", "POST"])
def from_case(request: HttpRequest) -> HttpResponse:
    """Turn a 建议 voice of the ledger into a proposal, without retyping it."""
    actor = request.user
    _require(actor, "proposal.record")
    windows = selectors.window_list_for(actor=actor)
    initial = {"case_no": str(request.GET.get("case", ""))[:32]}
    form = FromCaseForm(request.POST or None, windows=windows, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_selectors.case_get_for(actor=actor, case_no=data["case_no"].strip())
            proposal = services.proposal_from_case(
                actor=actor, case=case, window=data["window"], category=data["category"]
            )
        except NotFound:
            form.add_error("case_no", _("找不到该诉求，或您无权查看。"))
        except InvalidInput as error:
            form.add_service_error(error)
        except XinshengError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("已转为合理化建议%(no)s，原诉求已答复并告知去向。")
                % {"no": proposal.proposal_no},
            )
            return redirect("proposals:detail", proposal_no=proposal.proposal_no)
    return render(request, "proposals/from_case.html", {"form": form})
