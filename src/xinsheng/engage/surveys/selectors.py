"""Every read of surveys, scoped: a survey outside the reader's scope answers like a missing one.

The public pages find a survey by its link token alone; they never see responses.
"""

from django.db.models import Count, Exists, OuterRef, QuerySet

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.engage.surveys import results
from xinsheng.engage.surveys.choices import TEXT_KINDS
from xinsheng.engage.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyAnswerCase,
    SurveyExportJob,
    SurveyQuestion,
    SurveyResponse,
)
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit

VIEW = "survey.view"
MANAGE = "survey.manage"
TOKEN_MAX = 32


def survey_list_for(*, actor: Actor, unit: OrgUnit | None = None) -> QuerySet[Survey]:
    """Return the surveys ``actor`` may see (in ``unit``'s subtree), newest first."""
    surveys = Survey.objects.filter(permissions.scope_q(actor, VIEW, path_field="unit_path"))
    if unit is not None:
        surveys = surveys.filter(unit_path__startswith=unit.path)
    return (
        surveys.select_related("unit")
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("-opens_on", "-id")
    )


def survey_get_for(*, actor: Actor, survey_id: int, action: str = VIEW) -> Survey:
    """Return the survey ``survey_id`` if ``actor`` may do ``action`` with it; else NotFound."""
    survey = (
        Survey.objects.filter(permissions.scope_q(actor, action, path_field="unit_path"))
        .select_related("unit")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        raise NotFound()
    return survey


def may_manage(actor: Actor, survey: Survey) -> bool:
    """Return whether ``actor`` may change ``survey`` and print its QR codes."""
    return permissions.may(actor, MANAGE, survey.unit)


def may_send_to_cases(actor: Actor, survey: Survey) -> bool:
    """Return whether ``actor`` may send the survey's free texts into the closed loop."""
    return permissions.may(actor, "survey.to_case", survey.unit)


def questions_of(survey: Survey) -> list[SurveyQuestion]:
    """Return the survey's questions in order."""
    return list(
        SurveyQuestion.objects.filter(survey=survey).select_related("show_if").order_by("position")
    )


def question_get_for(*, actor: Actor, question_id: int) -> SurveyQuestion:
    """Return the question if ``actor`` may change its survey; else NotFound."""
    question = (
        SurveyQuestion.objects.filter(
            permissions.scope_q(actor, MANAGE, path_field="survey__unit_path")
        )
        .select_related("survey__unit")
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise NotFound()
    return question


def response_count(survey: Survey) -> int:
    """Return how many responses ``survey`` has."""
    return SurveyResponse.objects.filter(survey=survey).count()


def survey_for_token(token: str) -> Survey:
    """Return the survey its public link names (no login), or NotFound."""
    survey = (
        Survey.objects.select_related("unit").filter(token=str(token)[:TOKEN_MAX]).first()
        if token
        else None
    )
    if survey is None:
        raise NotFound()
    return survey


def answering_unit(survey: Survey, unit_code: str) -> OrgUnit | None:
    """Return the active unit of ``unit_code`` within the survey's scope, or None."""
    unit = OrgUnit.objects.filter(code=unit_code[:32], is_active=True).first()
    if unit is None or not unit.path.startswith(survey.unit_path):
        return None
    return unit


def qr_units_for(*, actor: Actor, survey: Survey, limit: int = 200) -> list[OrgUnit]:
    """Return the survey's unit and those below it, for their QR codes, shallowest first."""
    units = OrgUnit.objects.filter(path__startswith=survey.unit_path, is_active=True).filter(
        permissions.scope_q(actor, VIEW)
    )
    return list(units.order_by("depth", "path")[:limit])


def results_for(*, actor: Actor, survey: Survey, level: OrgUnit | None = None) -> results.Results:
    """Return the results of ``survey`` (loaded for ``actor`` through ``survey_get_for``), with
    the per-unit rows of ``level``'s children."""
    return results.results_of(survey, level)


def results_level_for(*, actor: Actor, survey: Survey, code: str) -> OrgUnit | None:
    """Return the unit whose children the results break down (``code``, within the survey's
    scope and the reader's), or None for the survey's own unit."""
    if not code:
        return None
    unit = (
        OrgUnit.objects.filter(code=code, path__startswith=survey.unit_path)
        .filter(permissions.scope_q(actor, VIEW))
        .first()
    )
    if unit is None or not results.may_break_down(survey, unit):
        raise NotFound()
    return unit


def texts_for(
    *, actor: Actor, survey: Survey, question: int | None = None, unsent: bool = False
) -> QuerySet[SurveyAnswer]:
    """Return the free-text answers of ``survey``, newest first, with the case each became.

    No respondent is attached: an anonymous survey has none, and a named one's names are not
    part of its results.
    """
    answers = SurveyAnswer.objects.filter(
        question__survey=survey, question__kind__in=TEXT_KINDS
    ).exclude(text="")
    if question is not None:
        answers = answers.filter(question_id=question)
    answers = answers.annotate(
        was_sent=Exists(SurveyAnswerCase.objects.filter(answer=OuterRef("pk")))
    )
    if unsent:
        answers = answers.filter(was_sent=False)
    return answers.select_related("question", "response__unit", "sent__case").order_by("-id")


def export_job_get_for(*, actor: Actor, job_id: int) -> SurveyExportJob:
    """Return ``actor``'s export job ``job_id``; ``NotFound`` for anyone else's."""
    job = (
        SurveyExportJob.objects.select_related("survey")
        .filter(owner_id=actor.pk, pk=job_id)
        .first()
        if actor.is_authenticated
        else None
    )
    if job is None:
        raise NotFound()
    return job
