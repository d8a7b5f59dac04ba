"""The employee's survey pages: answer through the survey's link or a unit's QR code, no login.

Like the voice form, they count a keyed hash of the client's address in the cache only and turn
away what fills the hidden field. One answer per browser is asked for politely (the page says so
when this browser has answered), never enforced by tracking.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.engage.surveys import limits, selectors, services
from xinsheng.engage.surveys.choices import QuestionKind
from xinsheng.engage.surveys.models import Survey, SurveyQuestion
from xinsheng.org.models import OrgUnit

public_page = require_http_methods(["GET", "HEAD", "POST"])
NAME_MAX = 50


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"message": message, "status": status}
    return render(request, "engage/surveys/public/error.html", context, status=status)


def answers_from_post(questions: list[SurveyQuestion], data: QueryDict) -> dict[int, Any]:
    """Return the answers a posted form holds, by question id, as the service takes them."""
    answers: dict[int, Any] = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            answers[question.pk] = data.getlist(name)
        elif question.kind == QuestionKind.MATRIX:
            answers[question.pk] = {
                item: data.get(f"{name}_{item}", "") for item in range(1, len(question.items) + 1)
            }
        else:
            answers[question.pk] = data.get(name, "")
    return answers


def _form_page(
    request: HttpRequest,
    survey: Survey,
    unit: OrgUnit | None,
    *,
    errors: dict[str, list[Any]] | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    questions = selectors.questions_of(survey)
    posted = request.POST if request.method == "POST" else QueryDict()
    context = {
        "survey": survey,
        "unit": unit,
        "questions": [
            _shown(question, posted, (errors or {}).get(f"q{question.pk}", []))
            for question in questions
        ],
        "errors": errors or {},
        "message": message,
        "posted": posted,
    }
    return render(request, "engage/surveys/public/form.html", context, status=status)


def _shown(question: SurveyQuestion, posted: QueryDict, errors: list[Any]) -> dict[str, Any]:
    """Return what the template needs of ``question``, with what was posted kept."""
    name = f"q{question.pk}"
    chosen = set(posted.getlist(name))
    top = question.scale_max
    return {
        "q": question,
        "name": name,
        "errors": errors,
        "options": [
            {"value": str(number), "label": label, "checked": str(number) in chosen}
            for number, label in enumerate(question.options, start=1)
        ],
        "scale": [{"value": str(v), "checked": str(v) in chosen} for v in range(1, top + 1)],
        "items": [
            {
                "name": f"{name}_{number}",
                "label": label,
                "scale": [
                    {"value": str(v), "checked": posted.get(f"{name}_{number}") == str(v)}
                    for v in range(1, top + 1)
                ],
            }
            for number, label in enumerate(question.items, start=1)
        ],
        "text": posted.get(name, ""),
    }


@never_cache
@public_page
def answer(request: HttpRequest, token: str, unit_code: str = "") -> HttpResponse:
    """Show the survey's form; take a response and thank the employee."""
    try:
        survey = selectors.survey_for_token(token)
    except NotFound:
        return _error(request, _("找不到该问卷，请确认二维码或链接是否正确。"), 404)
    unit = selectors.answering_unit(survey, unit_code) if unit_code else None
    if unit_code and unit is None:
        return _error(request, _("二维码对应的单位不在本问卷的调查范围内。"), 404)
    try:
        services.survey_state_check(survey)
    except InvalidInput as error:
        return _error(request, str(error.message), 410)
    if request.method != "POST":
        return _form_page(request, survey, unit)
    with limits.response_slot(request) as slot:
        if slot.over:
            response = render(
                request,
                "cases/public/limited.html",
                {"minutes": max(1, slot.retry_after // 60)},
                status=429,
            )
            response["Retry-After"] = str(slot.retry_after)
            return response
        if str(request.POST.get("website", "")).strip():
            slot.keep()
            return _error(request, _("提交未成功，请稍后重试。"), 400)
        respondent = None
        if not survey.anonymous:
            respondent = services.Respondent(
                employee_no=str(request.POST.get("employee_no", ""))[:NAME_MAX],
                name=str(request.POST.get("name", ""))[:NAME_MAX],
            )
        try:
            services.response_submit(
                survey=survey,
                answers=answers_from_post(selectors.questions_of(survey), request.POST),
                unit_code=unit.code if unit else None,
                respondent=respondent,
            )
        except InvalidInput as error:
            return _form_page(
                request,
                survey,
                unit,
                errors=error.fields,
                message=str(error.message),
                status=400,
            )
        slot.keep()
    return render(request, "engage/surveys/public/done.html", {"survey": survey, "unit": unit})
