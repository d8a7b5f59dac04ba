"""The employee's quiz pages, on a phone, without an account: a round's page with the form to
start, the questions with a countdown, the score on submission, after the round closes one's
own answers with the right ones and their explanations, and the boards of the round and of its
campaign (with one's own place, when the attempt just taken is sent along).

The attempt travels in POST bodies (never in a URL); every request that writes or looks up a
person counts against the client's hourly allowance, held only in the cache.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.core.errors import XinshengError
from xinsheng.engage.quizzes import bank, boards, boards_selectors, limits, selectors, services
from xinsheng.engage.quizzes.choices import QuestionKind
from xinsheng.engage.quizzes.models import LETTERS, Attempt, Campaign, Round
from xinsheng.engage.quizzes.public_forms import IdentifyForm

TEMPLATES = "engage/quizzes/public/"


def _error(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, TEMPLATES + "error.html", {"message": message}, status=status)


def _limited(request: HttpRequest, limit: limits.Limit) -> HttpResponse:
    response = _error(request, _("请求过于频繁，请稍后再试。"), 429)
    response["Retry-After"] = str(limit.retry_after)
    return response


def revealed(quiz_round: Round, now: dt.datetime) -> bool:
    """Return whether the right answers and explanations of ``quiz_round`` may be shown: once
    the last attempt allowed to run has had to be submitted."""
    return now >= quiz_round.closes_at + dt.timedelta(seconds=services.GRACE_SECONDS)


def _round_page(
    request: HttpRequest, quiz_round: Round, form: IdentifyForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    context = {
        "round": quiz_round,
        "form": form,
        "open": quiz_round.opens_at <= now < quiz_round.closes_at,
        "not_yet": now < quiz_round.opens_at,
        "revealed": revealed(quiz_round, now),
        "minutes": services.minutes_text(quiz_round.time_limit),
    }
    return render(request, TEMPLATES + "round.html", context, status=status)


@never_cache
@require_GET
def round_page(request: HttpRequest, round_id: int) -> HttpResponse:
    """Show a round: what it asks, when, and the form to start (or to review, once closed)."""
    quiz_round = selectors.round_public_get(round_id)
    return _round_page(request, quiz_round, IdentifyForm())


def _take_page(
    request: HttpRequest, quiz_round: Round, attempt: Attempt, drawn_from: bank.Bank
) -> HttpResponse:
    deadline = services.attempt_deadline(attempt, quiz_round)
    questions = []
    for index, shown in enumerate(
        bank.shown_questions(attempt.questions, quiz_round.campaign.unit, bank=drawn_from),
        start=1,
    ):
        questions.append(
            {
                **shown,
                "number": index,
                "multiple": shown["kind"] == QuestionKind.MULTIPLE,
                "kind_label": QuestionKind(shown["kind"]).label,
                "lettered": list(zip(LETTERS, shown["options"], strict=False)),
            }
        )
    context = {
        "round": quiz_round,
        "attempt": attempt,
        "questions": questions,
        "seconds_left": max(0, int((deadline - timezone.now()).total_seconds())),
    }
    return render(request, TEMPLATES + "take.html", context)


@never_cache
@require_POST
def attempt_begin(request: HttpRequest, round_id: int) -> HttpResponse:
    """Start (or resume) the attempt of the employee named, and show its questions."""
    quiz_round = selectors.round_public_get(round_id)
    limit = limits.limit_count(request)
    if limit.over:
        return _limited(request, limit)
    form = IdentifyForm(request.POST)
    if form.honeypot_filled:
        return _error(request, _("提交未成功，请稍后重试。"))
    if not form.is_valid():
        return _round_page(request, quiz_round, form, status=400)
    drawn_from = bank.bank_of(quiz_round.campaign.unit)  # checked once for the draw and show
    try:
        attempt = services.attempt_start(
            quiz_round=quiz_round,
            employee_no=form.cleaned_data["employee_no"],
            name=form.cleaned_data["name"],
            bank=drawn_from,
        )
    except XinshengError as error:
        form.add_error(None, str(error.message))
        return _round_page(request, quiz_round, form, status=error.status)
    return _take_page(request, quiz_round, attempt, drawn_from)


def _answers_of(request: HttpRequest) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for name in request.POST:
        if name.startswith("q_"):
            answers[name[2:]] = request.POST.getlist(name)
    return answers


@never_cache
@require_POST
def attempt_finish(request: HttpRequest, round_id: int) -> HttpResponse:
    """Score the answers sent and show the score, the right answers count and the time."""
    quiz_round = selectors.round_public_get(round_id)
    limit = limits.limit_count(request)
    if limit.over:
        return _limited(request, limit)
    try:
        scored = services.attempt_submit(
            key=str(request.POST.get("attempt", "")), answers=_answers_of(request)
        )
    except XinshengError as error:
        return _error(request, str(error.message), error.status)
    if scored.attempt.round_id != quiz_round.pk:
        return _error(request, _("找不到这次答题，请重新开始。"))
    context = {
        "round": quiz_round,
        "scored": scored,
        "total": len(scored.attempt.questions),
        "left": quiz_round.attempts_allowed - scored.attempt.number,
        "minutes": services.minutes_text(scored.seconds),
    }
    return render(request, TEMPLATES + "result.html", context)


@never_cache
@require_POST
def attempt_review(request: HttpRequest, round_id: int) -> HttpResponse:
    """Show the employee named their own attempts with the right answers and explanations,
    once the round has closed; never anyone else's."""
    quiz_round = selectors.round_public_get(round_id)
    limit = limits.limit_count(request)
    if limit.over:
        return _limited(request, limit)
    form = IdentifyForm(request.POST)
    if form.honeypot_filled:
        return _error(request, _("提交未成功，请稍后重试。"))
    if not form.is_valid():
        return _round_page(request, quiz_round, form, status=400)
    if not revealed(quiz_round, timezone.now()):
        form.add_error(None, _("本轮结束后才公布答案和解析。"))
        return _round_page(request, quiz_round, form, status=400)
    try:
        person = services.person_identify(
            quiz_round=quiz_round,
            employee_no=form.cleaned_data["employee_no"],
            name=form.cleaned_data["name"],
        )
    except XinshengError as error:
        form.add_error(None, str(error.message))
        return _round_page(request, quiz_round, form, status=error.status)
    attempts = selectors.attempts_of(quiz_round, person)
    ids = [pk for attempt in attempts for pk in attempt.questions]
    questions = selectors.questions_by_id(ids)
    shown = []
    for attempt in attempts:
        items = []
        for index, pk in enumerate(attempt.questions, start=1):
            question = questions.get(pk)
            if question is None:
                continue
            given = str(attempt.answers.get(str(pk), ""))
            items.append(
                {
                    "number": index,
                    "question": question,
                    "lettered": list(zip(LETTERS, question.options, strict=False)),
                    "given": given or "—",
                    "right": given == question.answer,
                }
            )
        shown.append({"attempt": attempt, "items": items})
    return render(
        request,
        TEMPLATES + "review.html",
        {"round": quiz_round, "person": person, "attempts": shown},
    )


def _place(
    request: HttpRequest, board: boards.Board, campaign: Campaign, round_ids: list[int]
) -> tuple[boards.Place | None, str]:
    """Return the reader's place on ``board`` and their attempt's key, when a POST names a
    submitted attempt at ``campaign``; (None, "") otherwise."""
    if request.method != "POST":
        return None, ""
    key = str(request.POST.get("attempt", ""))[:32]
    results = boards_selectors.results_of_attempt(key, round_ids, campaign=campaign)
    if results is None:
        return None, ""
    return board.place_of(results), key


@never_cache
@require_http_methods(["GET", "POST"])
def round_board(request: HttpRequest, round_id: int) -> HttpResponse:
    """Show a round's board by person and by unit; with one's own place when the attempt just
    taken is sent (a POST, never a URL)."""
    quiz_round = boards_selectors.round_board_get(round_id, now=timezone.now())
    if request.method == "POST":
        limit = limits.limit_count(request)
        if limit.over:
            return _limited(request, limit)
    board = boards.round_board(quiz_round)
    place, key = _place(request, board, quiz_round.campaign, [quiz_round.pk])
    context = {
        "round": quiz_round,
        "campaign": quiz_round.campaign,
        "board": board,
        "place": place,
        "attempt_key": key,
        "names": quiz_round.show_names,
        "shown": boards.BOARD_SHOWN,
    }
    return render(request, TEMPLATES + "round_board.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def campaign_board(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Show a campaign's board across its rounds by person and by unit, and its 答题达人; with
    one's own place when an attempt at one of its rounds is sent (a POST, never a URL)."""
    now = timezone.now()
    campaign = boards_selectors.campaign_board_get(campaign_id, now=now)
    if request.method == "POST":
        limit = limits.limit_count(request)
        if limit.over:
            return _limited(request, limit)
    board = boards.campaign_board(campaign)
    place, key = _place(request, board, campaign, boards_selectors.round_ids_of(campaign))
    context = {
        "campaign": campaign,
        "rounds": boards_selectors.rounds_opened(campaign, now=now),
        "board": board,
        "place": place,
        "attempt_key": key,
        "names": campaign.show_names,
        "shown": boards.BOARD_SHOWN,
        "experts_shown": boards.EXPERTS_SHOWN,
    }
    return render(request, TEMPLATES + "campaign_board.html", context)
