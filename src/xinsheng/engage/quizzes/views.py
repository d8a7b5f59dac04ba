"""The organiser's pages: campaigns with their rounds, boards and 答题达人, and their edit pages;
each round's board and edit page; the question bank, with a question added or edited by hand, or
imported. A page loads through a selector and changes through a
service; boards export to Excel."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.core import qr
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Forbidden, InvalidInput
from xinsheng.engage.quizzes import edits, exports, leaderboards, selectors, services
from xinsheng.engage.quizzes.choices import Difficulty, QuestionKind
from xinsheng.engage.quizzes.forms import CampaignEditForm, CampaignForm, QuestionForm, RoundForm
from xinsheng.org import permissions

TEMPLATES = "engage/quizzes/"
VIEW = "quiz.view"
MANAGE = "quiz.manage"
BANK_PAGE = 200
BOARD_SHOWN = 200


def _may_view(request: HttpRequest) -> None:
    if not permissions.may_anywhere(request.user, VIEW):
        raise Forbidden()


@staff_view
@require_http_methods(["GET", "POST"])
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Show the campaigns the user may see; start a new one."""
    _may_view(request)
    actor = request.user
    may_manage = permissions.may_anywhere(actor, MANAGE)
    form = CampaignForm(request.POST or None, actor=actor)
    if request.method == "POST":
        if not may_manage:
            raise Forbidden()
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(actor=actor, **data)
            except InvalidInput as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("答题活动已创建，请添加轮次。"))
                return redirect("quizzes:campaign", campaign.pk)
    context = {
        "campaigns": selectors.campaign_list_for(actor=actor),
        "form": form,
        "may_manage": may_manage,
        "may_import": permissions.may_anywhere(actor, "quiz.import"),
    }
    return render(request, TEMPLATES + "campaigns.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Show a campaign: its rounds, its boards by person and by unit, and its 答题达人."""
    actor = request.user
    campaign = selectors.campaign_get_for(actor=actor, campaign_id=campaign_id)
    may_manage = permissions.may(actor, MANAGE, campaign.unit)
    form = RoundForm(request.POST or None, actor=actor, initial={"unit": campaign.unit.code})
    if request.method == "POST":
        if not may_manage:
            raise Forbidden()
        if form.is_valid():
            try:
                services.round_create(actor=actor, campaign=campaign, data=form.round_data())
            except InvalidInput as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("轮次已添加。"))
                return redirect("quizzes:campaign", campaign.pk)
    rounds = list(selectors.round_list_of(campaign))
    board = leaderboards.campaign_board(campaign)
    context = {
        "campaign": campaign,
        "rounds": rounds,
        "board": board[:BOARD_SHOWN],
        "people": len(board),
        "units": leaderboards.unit_board(
            [r.pk for r in rounds], leaderboards.board_units(campaign.unit)
        ),
        "experts": leaderboards.experts_among(campaign, board),
        "form": form,
        "may_manage": may_manage,
    }
    return render(request, TEMPLATES + "campaign.html", context)


@staff_view
@require_GET
def campaign_export(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Download a campaign's boards and 答题达人 list as .xlsx."""
    campaign = selectors.campaign_get_for(actor=request.user, campaign_id=campaign_id)
    return exports.campaign_response(actor=request.user, campaign=campaign)


@staff_view
@require_GET
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """Show a round's board by person and by unit, and its public link."""
    quiz_round = selectors.round_get_for(actor=request.user, round_id=round_id)
    board = leaderboards.round_board(quiz_round)
    url = qr.public_url(request, reverse("quiz_public:round", args=[quiz_round.pk]))
    context = {
        "round": quiz_round,
        "board": board[:BOARD_SHOWN],
        "people": len(board),
        "units": leaderboards.unit_board(
            [quiz_round.pk], leaderboards.board_units(quiz_round.unit)
        ),
        "public_url": url,
        "may_manage": permissions.may(request.user, MANAGE, quiz_round.campaign.unit),
        "qr": mark_safe(qr.qr_svg_inline(url, scale=4)),  # noqa: S308 - segno's own markup
    }
    return render(request, TEMPLATES + "round.html", context)


@staff_view
@require_GET
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    """Download a round's boards as .xlsx."""
    quiz_round = selectors.round_get_for(actor=request.user, round_id=round_id)
    return exports.round_response(actor=request.user, quiz_round=quiz_round)


@staff_view
@require_GET
def bank_list(request: HttpRequest) -> HttpResponse:
    """Show the questions of the banks the user keeps, narrowed by tag, type and difficulty."""
    actor = request.user
    if not permissions.may_anywhere(actor, MANAGE):
        raise Forbidden()
    filters = selectors.BankFilters(
        tag=request.GET.get("tag", "")[:20],
        kind=request.GET.get("kind", "") if request.GET.get("kind") in QuestionKind.values else "",
        difficulty=request.GET.get("difficulty", "")
        if request.GET.get("difficulty") in Difficulty.values
        else "",
        search=request.GET.get("q", "")[:50],
    )
    questions = selectors.question_list_for(actor=actor, filters=filters)
    context = {
        "questions": questions[:BANK_PAGE],
        "total": questions.count(),
        "filters": filters,
        "tags": selectors.bank_tags_for(actor=actor),
        "kinds": QuestionKind.choices,
        "difficulties": Difficulty.choices,
        "may_import": permissions.may_anywhere(actor, "quiz.import"),
    }
    return render(request, TEMPLATES + "bank.html", context)


@staff_view
@require_POST
def question_active(request: HttpRequest, question_id: int) -> HttpResponse:
    """Take a question out of the draw, or put it back; attempts keep what they drew."""
    question = selectors.question_get_for(actor=request.user, question_id=question_id)
    active = request.POST.get("active") == "1"
    services.question_set_active(actor=request.user, question=question, active=active)
    messages.success(request, _("题目已启用。") if active else _("题目已停用，不再被抽到。"))
    return redirect("quizzes:bank")


@staff_view
@require_http_methods(["GET", "POST"])
def question_new(request: HttpRequest) -> HttpResponse:
    """Add one question to a bank, checked as an imported row is."""
    actor = request.user
    home = permissions.units_for(actor, MANAGE).order_by("depth", "path").first()
    if home is None:
        raise Forbidden()
    form = QuestionForm(request.POST or None, actor=actor, initial={"unit": home.code})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(
                actor=actor, unit=form.cleaned_data["unit"], data=form.data_entered()
            )
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("题目已加入题库。"))
            if request.POST.get("next") == "another":
                return redirect("quizzes:question_new")
            return redirect("quizzes:bank")
    context = {"form": form, "question": None}
    status = 400 if form.errors else 200
    return render(request, TEMPLATES + "question_form.html", context, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    """Edit one question; once drawn, its type, options and answer stay."""
    actor = request.user
    question = selectors.question_get_for(actor=actor, question_id=question_id)
    form = QuestionForm(request.POST or None, actor=actor, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            edits.question_update(actor=actor, question=question, data=form.data_entered())
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("题目已保存。"))
            return redirect("quizzes:bank")
    context = {"form": form, "question": question, "used": edits.question_used(question)}
    status = 400 if form.errors else 200
    return render(request, TEMPLATES + "question_form.html", context, status=status)


@staff_view
@require_POST
def question_retire(request: HttpRequest, question_id: int) -> HttpResponse:
    """Delete a question never drawn; retire (stop drawing, keep) one that was."""
    question = selectors.question_get_for(actor=request.user, question_id=question_id)
    if edits.question_retire(actor=request.user, question=question):
        messages.success(request, _("题目已删除。"))
    else:
        messages.success(request, _("这道题已被抽到过，已停用并保留在答题记录中，不再被抽到。"))
    return redirect("quizzes:bank")


@staff_view
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Edit a campaign's title, its 达人 rule and whether its leaderboards show names."""
    actor = request.user
    campaign = selectors.campaign_get_for(actor=actor, campaign_id=campaign_id)
    if not permissions.may(actor, MANAGE, campaign.unit):
        raise Forbidden()
    initial = {
        "title": campaign.title,
        "expert_min_score": campaign.expert_min_score,
        "expert_min_rounds": campaign.expert_min_rounds,
        "show_names": campaign.show_names,
        "names": edits.NAMES_KEEP,
    }
    form = CampaignEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edits.campaign_update(
                actor=actor,
                campaign=campaign,
                title=data["title"],
                expert_min_score=data["expert_min_score"],
                expert_min_rounds=data["expert_min_rounds"],
                show_names=data["show_names"],
                names=data.get("names") or edits.NAMES_KEEP,
            )
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("答题活动已保存。"))
            return redirect("quizzes:campaign", campaign.pk)
    context = {"form": form, "campaign": campaign}
    status = 400 if form.errors else 200
    return render(request, TEMPLATES + "campaign_edit.html", context, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    """Edit a round; once attempts exist, what they were drawn and timed by stays."""
    actor = request.user
    quiz_round = selectors.round_get_for(actor=actor, round_id=round_id)
    if not permissions.may(actor, MANAGE, quiz_round.campaign.unit):
        raise Forbidden()
    form = RoundForm(request.POST or None, actor=actor, quiz_round=quiz_round)
    if request.method == "POST" and form.is_valid():
        try:
            edits.round_update(actor=actor, quiz_round=quiz_round, data=form.round_data())
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("轮次已保存。"))
            return redirect("quizzes:round", quiz_round.pk)
    context = {
        "form": form,
        "round": quiz_round,
        "attempts": selectors.round_attempt_count(quiz_round),
    }
    status = 400 if form.errors else 200
    return render(request, TEMPLATES + "round_edit.html", context, status=status)
