"""Every write of surveys: setting one up with its questions, taking a response, and sending
free-text answers into the closed loop.

Staff changes check permission and append an audit event in their transaction. A response is
the employee's own, without login: it is checked whole (open survey, required answers, values
within the options) and written with the survey's tallies in one transaction, or not at all.
It writes no audit event: an event's exact time beside the response's id could link an
anonymous answer to whoever was seen at a phone at that moment.
"""

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.cases import services as case_services
from xinsheng.cases.choices import CaseKind, Channel
from xinsheng.cases.services import Identity
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.engage.surveys import validation
from xinsheng.engage.surveys.choices import RATING_KINDS, TEXT_KINDS
from xinsheng.engage.surveys.models import (
    ALL_UNITS,
    Survey,
    SurveyAnswer,
    SurveyAnswerCase,
    SurveyQuestion,
    SurveyResponse,
    SurveyTally,
)
from xinsheng.engage.surveys.validation import QuestionData
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person, in_subtree
from xinsheng.org.validation import clean_employee_no, clean_name

MANAGE = "survey.manage"
TO_CASE = "survey.to_case"
SURVEY_FIELDS = (
    "title",
    "intro",
    "unit_id",
    "opens_on",
    "closes_on",
    "anonymous",
    "series",
    "round",
)
CASES_AT_ONCE = 50
Key = tuple[int, int, int]  # question id, item, choice


@dataclass(frozen=True)
class SurveyData:
    """A survey's settings as a form or the API gives them."""

    title: str
    unit: OrgUnit
    opens_on: dt.date | None
    closes_on: dt.date | None
    intro: str = ""
    anonymous: bool = True
    series: str = ""
    round: int | None = None  # None: the next round of the series (1 without a series)


@dataclass(frozen=True)
class Respondent:
    """Who answers a named survey: their employee number and name, checked against people."""

    employee_no: str
    name: str


def _today() -> dt.date:
    return timezone.localdate()


def _snapshot(survey: Survey) -> dict[str, Any]:
    return {
        name: (value.isoformat() if isinstance(value, dt.date) else value)
        for name in SURVEY_FIELDS
        for value in [getattr(survey, name)]
    }


def _question_snapshot(question: SurveyQuestion) -> dict[str, Any]:
    return {
        "position": question.position,
        "kind": question.kind,
        "text": question.text,
        "required": question.required,
        "options": question.options,
        "items": question.items,
        "scale_max": question.scale_max,
        "show_if": question.show_if_id,
        "show_if_choice": question.show_if_choice,
    }


def _round(data: SurveyData, series: str, *, exclude: int | None = None) -> int:
    if data.round is not None:
        if not 1 <= data.round <= 9999:
            raise InvalidInput(_("轮次无效。"), fields={"round": [_("轮次无效。")]})
        number = data.round
    elif not series:
        return 1
    else:
        last = Survey.objects.filter(unit=data.unit, series=series).aggregate(n=Max("round"))
        number = (last["n"] or 0) + 1
    if series:
        taken = Survey.objects.filter(unit=data.unit, series=series, round=number)
        if exclude is not None:
            taken = taken.exclude(pk=exclude)
        if taken.exists():
            message = _("该系列已有第%(n)s轮问卷。") % {"n": number}
            raise InvalidInput(message, fields={"round": [message]})
    return number


def _fill(survey: Survey, data: SurveyData, *, exclude: int | None = None) -> None:
    opens_on, closes_on = validation.clean_dates(data.opens_on, data.closes_on)
    series = validation.clean_series(data.series)
    survey.title = validation.clean_title(data.title)
    survey.intro = validation.clean_intro(data.intro)
    survey.unit = data.unit
    survey.unit_path = data.unit.path
    survey.opens_on = opens_on
    survey.closes_on = closes_on
    survey.anonymous = bool(data.anonymous)
    survey.series = series
    survey.round = _round(data, series, exclude=exclude)


@transaction.atomic
def survey_create(
    *,
    actor: Actor,
    data: SurveyData,
    questions: Sequence[QuestionData] = (),
    repeats: Survey | None = None,
) -> Survey:
    """Set up a survey of ``data.unit``'s subtree, with ``questions`` if given (copied from
    the earlier round ``repeats``, which the audit event names)."""
    permissions.require(actor, MANAGE, data.unit)
    survey = Survey(token=secrets.token_urlsafe(12), created_by_id=actor.pk)
    _fill(survey, data)
    cleaned = _questions_clean(questions)
    survey.save()
    _questions_write(survey, cleaned)
    audit_record(
        actor=actor,
        action="survey.create",
        obj=survey,
        after={
            **_snapshot(survey),
            "questions": len(cleaned),
            **({"repeats": repeats.pk} if repeats is not None else {}),
        },
    )
    return survey


@transaction.atomic
def survey_repeat(*, actor: Actor, survey: Survey, data: SurveyData) -> Survey:
    """Start the next round of ``survey``'s series with a copy of its questions (their
    conditions included), so that the results compare question by question; ``data`` gives
    the new round's title, introduction, dates and anonymity (its scope and series stay)."""
    permissions.require(actor, MANAGE, survey.unit)
    if not survey.series:
        message = _("只有属于某一系列的问卷才能开始下一轮，请先在问卷设置中填写系列。")
        raise InvalidInput(message, fields={"series": [message]})
    position_of: dict[int, int] = {}
    questions: list[QuestionData] = []
    for question in _questions_of(survey):
        position_of[question.pk] = question.position
        questions.append(
            QuestionData(
                kind=question.kind,
                text=question.text,
                required=question.required,
                options=list(question.options),
                items=list(question.items),
                scale_max=question.scale_max,
                low_label=question.low_label,
                high_label=question.high_label,
                show_if=position_of.get(question.show_if_id) if question.show_if_id else None,
                show_if_choice=question.show_if_choice,
            )
        )
    next_round = SurveyData(
        title=data.title,
        intro=data.intro,
        unit=survey.unit,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        anonymous=data.anonymous,
        series=survey.series,
    )
    return survey_create(actor=actor, data=next_round, questions=questions, repeats=survey)


def _questions_clean(questions: Sequence[QuestionData]) -> list[QuestionData]:
    if len(questions) > validation.QUESTIONS_MAX:
        message = _("一份问卷最多%(n)s题。") % {"n": validation.QUESTIONS_MAX}
        raise InvalidInput(message, fields={"questions": [message]})
    cleaned: list[QuestionData] = []
    for position, question in enumerate(questions, start=1):
        try:
            cleaned.append(validation.clean_question(question, position=position, earlier=cleaned))
        except InvalidInput as error:
            message = _("第%(n)s题：%(error)s") % {"n": position, "error": error.message}
            raise InvalidInput(message, fields={f"questions.{position}": [message]}) from None
    return cleaned


def _questions_write(survey: Survey, cleaned: Sequence[QuestionData]) -> None:
    written: list[SurveyQuestion] = []
    for position, data in enumerate(cleaned, start=1):
        question = _question_from(survey, position, data, written)
        question.save()
        written.append(question)


def _question_from(
    survey: Survey, position: int, data: QuestionData, earlier: Sequence[SurveyQuestion]
) -> SurveyQuestion:
    return SurveyQuestion(
        survey=survey,
        position=position,
        kind=data.kind,
        text=data.text,
        required=data.required,
        options=list(data.options),
        items=list(data.items),
        scale_max=data.scale_max,
        low_label=data.low_label,
        high_label=data.high_label,
        show_if=earlier[data.show_if - 1] if data.show_if else None,
        show_if_choice=data.show_if_choice,
    )


def _locked(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().select_related("unit").get(pk=survey.pk)


def _require_unanswered(survey: Survey) -> None:
    if SurveyResponse.objects.filter(survey=survey).exists():
        raise Conflict(_("问卷已有答卷，题目不能再修改；如需调整，请另建一份问卷。"))


@transaction.atomic
def survey_update(*, actor: Actor, survey: Survey, data: SurveyData) -> Survey:
    """Change a survey's settings; its scope only while nobody has answered."""
    survey = _locked(survey)
    permissions.require(actor, MANAGE, survey.unit)
    permissions.require(actor, MANAGE, data.unit)
    before = _snapshot(survey)
    if data.unit.pk != survey.unit_id or bool(data.anonymous) != survey.anonymous:
        _require_unanswered(survey)
    _fill(survey, data, exclude=survey.pk)
    survey.save()
    audit_record(
        actor=actor, action="survey.update", obj=survey, before=before, after=_snapshot(survey)
    )
    return survey


def _questions_of(survey: Survey) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))


@transaction.atomic
def question_add(*, actor: Actor, survey: Survey, data: QuestionData) -> SurveyQuestion:
    """Add ``data`` as the survey's last question."""
    survey = _locked(survey)
    permissions.require(actor, MANAGE, survey.unit)
    _require_unanswered(survey)
    earlier = _questions_of(survey)
    if len(earlier) >= validation.QUESTIONS_MAX:
        raise InvalidInput(_("一份问卷最多%(n)s题。") % {"n": validation.QUESTIONS_MAX})
    position = len(earlier) + 1
    cleaned = validation.clean_question(data, position=position, earlier=earlier)
    question = _question_from(survey, position, cleaned, earlier)
    question.save()
    audit_record(
        actor=actor, action="survey.question_add", obj=survey, after=_question_snapshot(question)
    )
    return question


@transaction.atomic
def question_update(
    *, actor: Actor, question: SurveyQuestion, data: QuestionData
) -> SurveyQuestion:
    """Change a question (while nobody has answered)."""
    survey = _locked(question.survey)
    permissions.require(actor, MANAGE, survey.unit)
    _require_unanswered(survey)
    questions = _questions_of(survey)
    current = next(q for q in questions if q.pk == question.pk)
    before = _question_snapshot(current)
    earlier = questions[: current.position - 1]
    cleaned = validation.clean_question(data, position=current.position, earlier=earlier)
    for later in questions[current.position :]:
        if (
            later.show_if_id == current.pk
            and later.show_if_choice
            and (
                later.show_if_choice
                > validation.choices_of(cleaned.kind, cleaned.options, cleaned.scale_max)
            )
        ):
            message = _("第%(n)s题的显示条件引用了本题的答案，请先修改那一题。") % {
                "n": later.position
            }
            raise InvalidInput(message)
    changed = _question_from(survey, current.position, cleaned, earlier)
    changed.pk = current.pk
    changed.save()
    audit_record(
        actor=actor,
        action="survey.question_update",
        obj=survey,
        before=before,
        after=_question_snapshot(changed),
    )
    return changed


@transaction.atomic
def question_delete(*, actor: Actor, question: SurveyQuestion) -> None:
    """Remove a question and close the gap (while nobody has answered)."""
    survey = _locked(question.survey)
    permissions.require(actor, MANAGE, survey.unit)
    _require_unanswered(survey)
    questions = _questions_of(survey)
    current = next(q for q in questions if q.pk == question.pk)
    dependent = [q.position for q in questions if q.show_if_id == current.pk]
    if dependent:
        message = _("第%(n)s题的显示条件引用了本题，请先修改那一题。") % {"n": dependent[0]}
        raise InvalidInput(message)
    before = _question_snapshot(current)
    current.delete()
    for later in questions[current.position :]:
        SurveyQuestion.objects.filter(pk=later.pk).update(position=later.position - 1)
    audit_record(actor=actor, action="survey.question_delete", obj=survey, before=before)


# --- responses --------------------------------------------------------------------------------


def _answering_unit(survey: Survey, unit_code: str | None) -> OrgUnit | None:
    if not unit_code:
        return None
    unit = OrgUnit.objects.filter(code=unit_code, is_active=True).first()
    if unit is None or not unit.path.startswith(survey.unit_path):
        raise InvalidInput(
            _("二维码对应的单位不在本问卷的调查范围内。"),
            fields={"unit_code": [_("二维码对应的单位不在本问卷的调查范围内。")]},
        )
    return unit


def survey_state_check(survey: Survey, today: dt.date | None = None) -> None:
    """Raise ``InvalidInput`` unless ``survey`` takes answers today."""
    today = today or _today()
    if today < survey.opens_on:
        raise InvalidInput(
            _("本问卷%(day)s起开放，请届时再来填写。") % {"day": survey.opens_on.isoformat()},
            code="survey_not_open",
        )
    if today > survey.closes_on:
        raise InvalidInput(
            _("本问卷已于%(day)s截止，感谢您的关注。") % {"day": survey.closes_on.isoformat()},
            code="survey_closed",
        )


def _respondent_person(survey: Survey, respondent: Respondent | None) -> Person | None:
    if survey.anonymous:
        return None
    if respondent is None:
        raise InvalidInput(
            _("本问卷为实名问卷，请填写工号和姓名。"), fields={"employee_no": [_("请填写工号。")]}
        )
    employee_no = clean_employee_no(respondent.employee_no)
    name = clean_name(respondent.name)
    person = Person.objects.filter(
        employee_no=employee_no, is_active=True, **in_subtree(survey.unit_path, via="unit")
    ).first()
    if person is None or person.name != name:
        message = _("工号与姓名不符，或您不在本问卷的调查范围内。")
        raise InvalidInput(message, fields={"employee_no": [message]})
    if SurveyResponse.objects.filter(survey=survey, person=person).exists():
        message = _("您已提交过本问卷，感谢参与。")
        raise InvalidInput(message, code="survey_answered", fields={"employee_no": [message]})
    return person


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    answers: Mapping[Any, object],
    unit_code: str | None = None,
    respondent: Respondent | None = None,
) -> SurveyResponse:
    """Take an employee's answers to ``survey`` (through its link, or a unit's QR code).

    Everything is checked before anything is written: the survey is open, the QR code's unit
    lies in its scope, every shown required question is answered and every value is one the
    question offers. An anonymous response keeps no person and only the day.
    """
    survey = _locked(survey)
    today = _today()
    survey_state_check(survey, today)
    unit = _answering_unit(survey, unit_code)
    person = _respondent_person(survey, respondent)
    clean = validation.clean_answers(_questions_of(survey), answers)
    if not clean.answered:
        raise InvalidInput(_("请至少回答一道题后再提交。"))
    response = SurveyResponse.objects.create(
        survey=survey, unit=unit, anonymous=survey.anonymous, person=person, submitted_on=today
    )
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(response=response, question=question, item=item, choice=choice)
            for question, item, choice in clean.choices
        ]
        + [
            SurveyAnswer(response=response, question=question, text=text)
            for question, text in clean.texts
        ]
    )
    counts: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    counts[(0, 0, 0)][0] += 1
    for question, item, choice in clean.choices:
        counts[(question.pk, item, choice)][0] += 1
        counts[(question.pk, item, 0)][1] += choice if question.kind in RATING_KINDS else 0
    for question, item in clean.answered:
        counts[(question.pk, item, 0)][0] += 1
    tallies_add(survey=survey, unit_path=unit.path if unit else "", counts=counts)
    return response


def tallies_add(*, survey: Survey, unit_path: str, counts: Mapping[Key, list[int]]) -> None:
    """Add ``counts`` (question id, item, choice → n and points) to the survey's tallies at
    ``unit_path`` and to those of the whole survey.

    Callers hold the survey's row lock, so that two responses never add to one tally at once.
    """
    found = {
        (row.unit_path, row.question_no, row.item, row.choice): row
        for row in SurveyTally.objects.filter(
            survey=survey,
            unit_path__in=[unit_path, ALL_UNITS],
            question_no__in={key[0] for key in counts},
        )
    }
    changed, created = [], []
    for path in (unit_path, ALL_UNITS):
        for (question, item, choice), (n, points) in counts.items():
            row = found.get((path, question, item, choice))
            if row is None:
                created.append(
                    SurveyTally(
                        survey=survey,
                        unit_path=path,
                        question_no=question,
                        item=item,
                        choice=choice,
                        n=n,
                        points=points,
                    )
                )
            else:
                row.n += n
                row.points += points
                changed.append(row)
    SurveyTally.objects.bulk_update(changed, ["n", "points"])
    SurveyTally.objects.bulk_create(created)


@transaction.atomic
def survey_tallies_rebuild(*, survey: Survey) -> int:
    """Count the survey's tallies afresh from its responses (after a bulk load); return rows."""
    survey = _locked(survey)
    SurveyTally.objects.filter(survey=survey).delete()
    rows: list[SurveyTally] = []
    responses = (
        SurveyResponse.objects.filter(survey=survey)
        .values("unit__path")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows += [
        SurveyTally(survey=survey, unit_path=row["unit__path"] or "", n=row["n"])
        for row in responses
    ]
    answers = SurveyAnswer.objects.filter(question__survey=survey).order_by()
    chosen = (
        answers.filter(choice__isnull=False)
        .values("response__unit__path", "question_id", "item", "choice")
        .annotate(n=Count("id"))
    )
    rows += [
        SurveyTally(
            survey=survey,
            unit_path=row["response__unit__path"] or "",
            question_no=row["question_id"],
            item=row["item"],
            choice=int(row["choice"] or 0),
            n=row["n"],
        )
        for row in chosen
    ]
    # Those who answered each question (or matrix item) at all: one per response and item,
    # with the sum of their ratings.
    answered = answers.values("response__unit__path", "question_id", "item").annotate(
        n=Count("response_id", distinct=True), points=Sum("choice")
    )
    rating = set(
        SurveyQuestion.objects.filter(survey=survey, kind__in=RATING_KINDS).values_list(
            "pk", flat=True
        )
    )
    rows += [
        SurveyTally(
            survey=survey,
            unit_path=row["response__unit__path"] or "",
            question_no=row["question_id"],
            item=row["item"],
            choice=0,
            n=row["n"],
            points=(row["points"] or 0) if row["question_id"] in rating else 0,
        )
        for row in answered
    ]
    whole: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        key = (row.question_no, row.item, row.choice)
        whole[key][0] += row.n
        whole[key][1] += row.points
    rows += [
        SurveyTally(
            survey=survey,
            unit_path=ALL_UNITS,
            question_no=question,
            item=item,
            choice=choice,
            n=n,
            points=points,
        )
        for (question, item, choice), (n, points) in whole.items()
    ]
    SurveyTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- voices -----------------------------------------------------------------------------------


@transaction.atomic
def answers_to_cases(
    *, actor: Actor, survey: Survey, answer_ids: Sequence[int], kind: str = CaseKind.DEMAND
) -> list[str]:
    """Send the free-text answers ``answer_ids`` into the closed loop as voices (channel 问卷).

    Each becomes a case at the unit whose QR code was answered (the survey's unit for the plain
    link); an anonymous survey's voices are anonymous, a named one's carry the person. An answer
    already sent is refused. Return the new case numbers.
    """
    survey = _locked(survey)
    ids = sorted({int(pk) for pk in answer_ids})
    if not ids:
        raise InvalidInput(_("请先勾选要转为诉求的回答。"))
    if len(ids) > CASES_AT_ONCE:
        raise InvalidInput(_("一次最多转%(n)s条回答。") % {"n": CASES_AT_ONCE})
    if kind not in CaseKind.values:
        raise InvalidInput(_("诉求类型无效。"), fields={"kind": [_("诉求类型无效。")]})
    answers = list(
        SurveyAnswer.objects.filter(
            pk__in=ids, question__survey=survey, question__kind__in=TEXT_KINDS
        )
        .exclude(text="")
        .select_related("question", "response__unit", "response__person")
        .order_by("id")
    )
    if len(answers) != len(ids):
        raise InvalidInput(_("所选回答不属于本问卷的文字题。"))
    if SurveyAnswerCase.objects.filter(answer_id__in=ids).exists():
        raise Conflict(_("所选回答中有已转为诉求的，请刷新后重试。"))
    numbers = []
    for answer in answers:
        unit = answer.response.unit or survey.unit
        submitted = case_services.case_record(
            actor=actor,
            unit=unit,
            channel=Channel.SURVEY,
            kind=kind,
            title="",
            text=answer.text,
            identity=_identity(answer.response),
            heard_on=answer.response.submitted_on,
            heard_place=survey.title[:100],
            permission=TO_CASE,
        )
        SurveyAnswerCase.objects.create(answer=answer, case=submitted.case)
        numbers.append(submitted.case.case_no)
    audit_record(
        actor=actor,
        action="survey.to_case",
        obj=survey,
        after={"answers": ids, "cases": numbers},
    )
    return numbers


def _identity(response: SurveyResponse) -> Identity:
    person = response.person
    if response.anonymous or person is None:
        return Identity(anonymous=True)
    return Identity(anonymous=False, name=person.name, employee_no=person.employee_no)
