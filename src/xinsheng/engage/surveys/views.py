"""Staff pages of surveys: the list, setting one up and building its questions, its QR codes per
unit, the results with charts and the per-unit rows, the free texts (with their topics, sent into
the closed loop), the Excel export and the printable report.

Load through selectors, change through services; a refusal shows as a message, nothing changed.
"""

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.cases.choices import CaseKind
from xinsheng.core import qr
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.engage.surveys import export, export_jobs, selectors, services, topics
from xinsheng.engage.surveys.forms import QuestionForm, SurveyForm, SurveyRepeatForm
from xinsheng.engage.surveys.models import Survey
from xinsheng.org import permissions

PAGE_LIMIT = 200
TEXTS_LIMIT = 200


def _public_url(request: HttpRequest, survey: Survey, unit_code: str = "") -> str:
    if unit_code:
        path = reverse("survey_public:answer_at", args=[survey.token, unit_code])
    else:
        path = reverse("survey_public:answer", args=[survey.token])
    return qr.public_url(request, path)


@staff_view
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    """Show the surveys the user may see, newest first."""
    actor = request.user
    if not permissions.may_anywhere(actor, selectors.VIEW):
        raise Forbidden()
    context = {
        "surveys": list(selectors.survey_list_for(actor=actor)[:PAGE_LIMIT]),
        "may_create": permissions.may_anywhere(actor, selectors.MANAGE),
    }
    return render(request, "engage/surveys/list.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    """Set up a survey; its questions are added on its page."""
    actor = request.user
    if not permissions.may_anywhere(actor, selectors.MANAGE):
        raise Forbidden()
    form = SurveyForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=actor, data=form.survey_data())
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("问卷已建立，请添加题目。"))
            return redirect("surveys:detail", survey.pk)
    return render(request, "engage/surveys/form.html", {"form": form, "survey": None})


@staff_view
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Change a survey's settings."""
    actor = request.user
    survey = selectors.survey_get_for(actor=actor, survey_id=survey_id, action=selectors.MANAGE)
    form = SurveyForm(request.POST or None, actor=actor, initial=SurveyForm.initial_of(survey))
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(actor=actor, survey=survey, data=form.survey_data())
        except (InvalidInput, Conflict) as error:
            if isinstance(error, InvalidInput):
                form.add_service_error(error)
            else:
                form.add_error(None, str(error.message))
        else:
            messages.success(request, _("问卷设置已保存。"))
            return redirect("surveys:detail", survey.pk)
    return render(request, "engage/surveys/form.html", {"form": form, "survey": survey})


@staff_view
@require_http_methods(["GET", "POST"])
def survey_repeat(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Start the next round of a survey's series, with its questions copied."""
    actor = request.user
    survey = selectors.survey_get_for(actor=actor, survey_id=survey_id, action=selectors.MANAGE)
    if not survey.series:
        raise NotFound()
    form = SurveyRepeatForm(request.POST or None, actor=actor, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.survey_repeat(actor=actor, survey=survey, data=form.survey_data())
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("已开始第%(n)s轮，题目已从上一轮复制，结果将与上一轮比较。") % {"n": made.round},
            )
            return redirect("surveys:detail", made.pk)
    context = {
        "form": form,
        "survey": None,
        "repeats": survey,
        "copied": len(selectors.questions_of(survey)),
    }
    status = 400 if form.errors else 200
    return render(request, "engage/surveys/form.html", context, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Show a survey with its questions; add a question (while nobody has answered)."""
    actor = request.user
    survey = selectors.survey_get_for(actor=actor, survey_id=survey_id)
    may_manage = selectors.may_manage(actor, survey)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise Forbidden()
        if form.is_valid():
            try:
                services.question_add(actor=actor, survey=survey, data=form.question_data())
            except (InvalidInput, Conflict) as error:
                form.add_error(None, str(error.message))
                if isinstance(error, InvalidInput):
                    form.add_service_error(error)
            else:
                messages.success(request, _("题目已添加。"))
                return redirect("surveys:detail", survey.pk)
    responses = selectors.response_count(survey)
    context = {
        "survey": survey,
        "questions": selectors.questions_of(survey),
        "responses": responses,
        "may_manage": may_manage,
        "may_edit_questions": may_manage and responses == 0,
        "form": form,
        "link": _public_url(request, survey),
    }
    return render(request, "engage/surveys/detail.html", context)


@staff_view
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    """Change one question, or delete it."""
    actor = request.user
    question = selectors.question_get_for(actor=actor, question_id=question_id)
    survey = question.survey
    initial = {
        "kind": question.kind,
        "text": question.text,
        "required": question.required,
        "options": "\n".join(question.options),
        "items": "\n".join(question.items),
        "scale_max": question.scale_max,
        "low_label": question.low_label,
        "high_label": question.high_label,
        "show_if": question.show_if.position if question.show_if else None,
        "show_if_choice": question.show_if_choice,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                services.question_delete(actor=actor, question=question)
                messages.success(request, _("题目已删除。"))
                return redirect("surveys:detail", survey.pk)
            if form.is_valid():
                services.question_update(actor=actor, question=question, data=form.question_data())
                messages.success(request, _("题目已保存。"))
                return redirect("surveys:detail", survey.pk)
        except (InvalidInput, Conflict) as error:
            form.add_error(None, str(error.message))
    context = {"form": form, "survey": survey, "question": question}
    return render(request, "engage/surveys/question.html", context)


@staff_view
@require_GET
def survey_qr(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Show a printable sheet of the survey's QR codes: its unit's and each unit's below it."""
    actor = request.user
    survey = selectors.survey_get_for(actor=actor, survey_id=survey_id, action=selectors.MANAGE)
    codes = []
    for unit in selectors.qr_units_for(actor=actor, survey=survey):
        url = _public_url(request, survey, unit.code)
        svg = mark_safe(qr.qr_svg_inline(url, scale=4))  # noqa: S308 - segno's own markup
        codes.append({"unit": unit, "url": url, "svg": svg})
    context = {"survey": survey, "codes": codes, "link": _public_url(request, survey)}
    return render(request, "engage/surveys/qr.html", context)


@staff_view
@require_GET
def survey_qr_png(request: HttpRequest, survey_id: int, unit_code: str) -> HttpResponse:
    """Return one unit's QR code of the survey as a PNG file."""
    actor = request.user
    survey = selectors.survey_get_for(actor=actor, survey_id=survey_id, action=selectors.MANAGE)
    unit = selectors.answering_unit(survey, unit_code)
    if unit is None:
        raise NotFound()
    response = HttpResponse(qr.qr_png(_public_url(request, survey, unit.code)), "image/png")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-{unit.code}.png"'
    return response


def _results_context(request: HttpRequest, survey: Survey) -> dict[str, Any]:
    level = selectors.results_level_for(
        actor=request.user, survey=survey, code=str(request.GET.get("unit", ""))[:32]
    )
    found = selectors.results_for(actor=request.user, survey=survey, level=level)
    charts = [
        {"id": f"chart-{result.question.pk}", "rows": result.chart}
        for result in found.questions
        if result.options or result.items
    ]
    return {
        "survey": survey,
        "results": found,
        "charts": {chart["id"]: chart["rows"] for chart in charts},
        "chart_list": charts,
    }


@staff_view
@require_GET
def survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Show the results: per question counts, shares and averages, per-unit rows, charts."""
    survey = selectors.survey_get_for(actor=request.user, survey_id=survey_id)
    return render(request, "engage/surveys/results.html", _results_context(request, survey))


@staff_view
@require_GET
def survey_report(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Show the results as a report to print."""
    survey = selectors.survey_get_for(actor=request.user, survey_id=survey_id)
    return render(request, "engage/surveys/report.html", _results_context(request, survey))


def _xlsx(stream: object, name: str) -> FileResponse:
    response = FileResponse(
        stream, as_attachment=True, filename=name, content_type=export.XLSX_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def survey_export(request: HttpRequest, survey_id: int) -> HttpResponseBase:
    """Download the survey as an .xlsx workbook (responses and summaries): at once when small,
    through a background job with a progress bar when large."""
    actor = request.user
    survey = selectors.survey_get_for(actor=actor, survey_id=survey_id)
    job = export_jobs.survey_export_create(actor=actor, survey=survey)
    if job.background:
        return redirect("surveys:export_job", job_id=job.pk)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    export_jobs.survey_export_inline(job=job, target=handle)
    handle.seek(0)
    return _xlsx(handle, export_jobs.export_file_name(job))


@staff_view
@require_GET
def export_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """Show how far a background export has got, and its file when done."""
    job = selectors.export_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "engage/surveys/export_job.html", {"job": job, "survey": job.survey})


@staff_view
@require_GET
def export_job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """Return the progress part of the job's page (polled while the job runs)."""
    job = selectors.export_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "engage/surveys/export_status.html", {"job": job, "survey": job.survey})


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    """Send the file of a finished export to its owner, and to nobody else."""
    job = selectors.export_job_get_for(actor=request.user, job_id=job_id)
    if job.status != job.Status.DONE or not job.file:
        raise NotFound()
    try:
        stream = job.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    return _xlsx(stream, export_jobs.export_file_name(job))


@staff_view
@require_GET
def survey_texts(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Show the free-text answers, newest first, with their topics; pick some to send as voices.

    Each answer shows the unit it is counted under on the results page, never a unit too small
    to be shown alone there.
    """
    actor = request.user
    survey = selectors.survey_get_for(actor=actor, survey_id=survey_id)
    unsent = request.GET.get("unsent") == "on"
    answers = list(selectors.texts_for(actor=actor, survey=survey, unsent=unsent)[:TEXTS_LIMIT])
    found = selectors.results_for(actor=actor, survey=survey)
    rows = [
        {
            "answer": answer,
            "unit": found.row_unit_of(answer.response.unit.path if answer.response.unit else ""),
        }
        for answer in answers
    ]
    context = {
        "survey": survey,
        "rows": rows,
        "unsent": unsent,
        "limit": TEXTS_LIMIT,
        "topics": topics.topics_of([answer.text for answer in answers]),
        "may_send": selectors.may_send_to_cases(actor, survey),
        "kinds": CaseKind.choices,
    }
    return render(request, "engage/surveys/texts.html", context)


@staff_view
@require_POST
def survey_to_cases(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Send the chosen free-text answers into the closed loop as voices (channel 问卷)."""
    actor = request.user
    survey = selectors.survey_get_for(actor=actor, survey_id=survey_id)
    ids = [int(pk) for pk in request.POST.getlist("answers") if pk.isdigit()][:100]
    try:
        numbers = services.answers_to_cases(
            actor=actor, survey=survey, answer_ids=ids, kind=str(request.POST.get("kind", ""))
        )
    except (InvalidInput, Conflict, Forbidden) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("已转为诉求：%(numbers)s。") % {"numbers": "、".join(numbers)},
        )
    return redirect("surveys:texts", survey.pk)
