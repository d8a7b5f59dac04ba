"""The survey part of the demo enterprise: the first company's yearly 职工满意度调查 in two
rounds (last year's and this year's, so the change against the previous round shows) and a
mine's canteen survey whose free texts partly became voices.

Responses come in through the units' QR codes, a few through the plain link, spread over the
survey's days; a few small units get fewer than K, to show the small-team guard. Rows are written
in bulk (responses, answers, then the tallies counted once) to stay fast; the voices go through
the service, as the union would send them.
"""

import datetime as dt
import random
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count
from django.utils import timezone

from xinsheng.engage.surveys import services
from xinsheng.engage.surveys.choices import QuestionKind
from xinsheng.engage.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from xinsheng.engage.surveys.services import SurveyData
from xinsheng.engage.surveys.validation import QuestionData
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit, Person

TEXTS_FILE = Path(__file__).with_name("demo_texts.toml")
COMPANY = "JT-C1"
MINE = "JT-C1-M1"
ROUNDS = ((1, 0.28, -0.25), (2, 0.34, 0.0))  # round, share of the headcount answering, mood
CANTEEN_SHARE = 0.3
TEXT_SHARE = 0.12  # responses that write a suggestion
LINK_SHARE = 0.04  # responses through the plain link, without a unit


def _texts() -> dict[str, Any]:
    with TEXTS_FILE.open("rb") as file:
        return tomllib.load(file)


def demo_exists() -> bool:
    """Return whether the demo's surveys are loaded."""
    return Survey.objects.filter(unit__code=COMPANY, series__gt="").exists()


def _satisfaction_questions(data: dict[str, Any]) -> list[QuestionData]:
    return [
        QuestionData(kind=QuestionKind.SINGLE, text=data["post"], options=data["posts"]),
        QuestionData(
            kind=QuestionKind.MATRIX,
            text="请对以下方面打分",
            items=data["aspects"],
            scale_max=5,
            low_label="很不满意",
            high_label="非常满意",
        ),
        QuestionData(
            kind=QuestionKind.SCALE,
            text=data["overall"],
            scale_max=5,
            low_label="很不满意",
            high_label="非常满意",
        ),
        QuestionData(kind=QuestionKind.SINGLE, text=data["raised"], options=["是", "否"]),
        QuestionData(
            kind=QuestionKind.SINGLE,
            text=data["solved"],
            options=data["solved_options"],
            show_if=4,
            show_if_choice=1,
        ),
        QuestionData(kind=QuestionKind.LONG, text=data["ideas"], required=False),
    ]


def _canteen_questions(data: dict[str, Any]) -> list[QuestionData]:
    return [
        QuestionData(
            kind=QuestionKind.SCALE,
            text=data["overall"],
            scale_max=5,
            low_label="很不满意",
            high_label="非常满意",
        ),
        QuestionData(
            kind=QuestionKind.MULTIPLE,
            text=data["wanted"],
            options=data["wanted_options"],
            required=False,
        ),
        QuestionData(kind=QuestionKind.LONG, text=data["ideas"], required=False),
    ]


def _answer_units(root: OrgUnit) -> list[tuple[OrgUnit, int]]:
    """Return the units whose QR codes are answered (areas, offices, mines), each with the
    people counted at it: its own and those of the teams below it."""
    listed = {
        unit.path: unit
        for unit in OrgUnit.objects.filter(
            path__startswith=root.path,
            is_active=True,
            kind__in=[UnitKind.AREA, UnitKind.DEPARTMENT, UnitKind.MINE, UnitKind.COMPANY],
        )
    }
    people = (
        Person.objects.filter(is_active=True, unit__path__startswith=root.path)
        .values("unit__path")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("unit__path", "n")
    )
    counted: dict[str, int] = defaultdict(int)
    for path, n in people:
        while path and path not in listed:
            path = path[: -OrgUnit.steplen]
        if path:
            counted[path] += n
    return [(listed[path], n) for path, n in sorted(counted.items())]


def _responses(
    survey: Survey,
    questions: list[SurveyQuestion],
    *,
    rng: random.Random,
    units: list[tuple[OrgUnit, int]],
    share: float,
    mood: float,
    texts: list[str],
    today: dt.date,
) -> int:
    """Write ``share`` of each unit's people as responses to ``survey``; return how many."""
    days = max(0, (min(survey.closes_on, today) - survey.opens_on).days)
    plan: list[OrgUnit | None] = []
    for position, (unit, people) in enumerate(units):
        small = position % 9 == 4  # a few units answer little, to show the small-team guard
        n = rng.randint(1, 3) if small else round(people * share * rng.uniform(0.7, 1.3))
        plan += [unit] * n
    plan += [None] * round(len(plan) * LINK_SHARE)
    bias = {unit.pk: rng.uniform(-0.5, 0.5) for unit, _people in units}
    responses = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey,
                unit=unit,
                anonymous=True,
                submitted_on=survey.opens_on + dt.timedelta(days=rng.randint(0, days)),
            )
            for unit in plan
        ],
        batch_size=1000,
    )
    answers: list[SurveyAnswer] = []
    for response, at in zip(responses, plan, strict=True):
        lean = mood + (bias[at.pk] if at else 0.0)
        picked: dict[int, list[int]] = {}
        for question in questions:
            if question.show_if_id and question.show_if_choice not in picked.get(
                question.show_if_id, []
            ):
                continue
            answers += _answers_of(
                question, response, rng=rng, lean=lean, texts=texts, picked=picked
            )
    SurveyAnswer.objects.bulk_create(answers, batch_size=2000)
    services.survey_tallies_rebuild(survey=survey)
    return len(responses)


def _rating(rng: random.Random, lean: float, top: int) -> int:
    value = round(rng.gauss(3.6 + lean, 0.9))
    return min(top, max(1, value))


def _answers_of(
    question: SurveyQuestion,
    response: SurveyResponse,
    *,
    rng: random.Random,
    lean: float,
    texts: list[str],
    picked: dict[int, list[int]],
) -> list[SurveyAnswer]:
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        weights = [max(0.1, 1.0 + lean * (i - 1)) for i in range(len(question.options))]
        choice = rng.choices(range(1, len(question.options) + 1), weights=weights)[0]
        if len(question.options) == 2:
            choice = 1 if rng.random() < 0.35 else 2
        picked[question.pk] = [choice]
        return [SurveyAnswer(response=response, question=question, choice=choice)]
    if kind == QuestionKind.MULTIPLE:
        chosen = [i for i in range(1, len(question.options) + 1) if rng.random() < 0.3]
        picked[question.pk] = chosen
        return [SurveyAnswer(response=response, question=question, choice=c) for c in chosen]
    if kind == QuestionKind.SCALE:
        value = _rating(rng, lean, question.scale_max)
        picked[question.pk] = [value]
        return [SurveyAnswer(response=response, question=question, choice=value)]
    if kind == QuestionKind.MATRIX:
        return [
            SurveyAnswer(
                response=response,
                question=question,
                item=item,
                choice=_rating(
                    rng, lean + (0.3 if item == 2 else -0.2 if item == 3 else 0), question.scale_max
                ),
            )
            for item in range(1, len(question.items) + 1)
        ]
    if texts and rng.random() < TEXT_SHARE:
        return [SurveyAnswer(response=response, question=question, text=rng.choice(texts))]
    return []


def _year_window(today: dt.date, years_back: int) -> tuple[dt.date, dt.date]:
    opens = today - dt.timedelta(days=20 + 365 * years_back)
    return opens, opens + dt.timedelta(days=30)


def demo_load(*, seed: int = org_demo.DEFAULT_SEED) -> dict[str, int]:
    """Build the demo's surveys unless they exist; return how many of what were made."""
    if not org_demo.demo_exists() or demo_exists():
        return {}
    union = User.objects.filter(username="union").first()
    company = OrgUnit.objects.filter(code=COMPANY).first()
    mine = OrgUnit.objects.filter(code=MINE).first()
    if union is None or company is None or mine is None:
        return {}
    data = _texts()
    rng = random.Random(f"xinsheng.engage.surveys.demo:{seed}")
    today = timezone.localdate()
    units = _answer_units(company)
    made = {"surveys": 0, "responses": 0, "voices": 0}
    satisfaction = data["satisfaction"]
    for number, share, mood in ROUNDS:
        opens, closes = _year_window(today, len(ROUNDS) - number)
        survey = services.survey_create(
            actor=union,
            data=SurveyData(
                title=f"{opens.year}年{satisfaction['title']}",
                intro=satisfaction["intro"],
                unit=company,
                opens_on=opens,
                closes_on=closes,
                series=satisfaction["series"],
                round=number,
            ),
            questions=_satisfaction_questions(satisfaction),
        )
        questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))
        made["surveys"] += 1
        made["responses"] += _responses(
            survey,
            questions,
            rng=rng,
            units=units,
            share=share,
            mood=mood,
            texts=satisfaction["texts"],
            today=today,
        )
    canteen = data["canteen"]
    survey = services.survey_create(
        actor=union,
        data=SurveyData(
            title=canteen["title"],
            intro=canteen["intro"],
            unit=mine,
            opens_on=today - dt.timedelta(days=14),
            closes_on=today + dt.timedelta(days=7),
        ),
        questions=_canteen_questions(canteen),
    )
    questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))
    made["surveys"] += 1
    made["responses"] += _responses(
        survey,
        questions,
        rng=rng,
        units=_answer_units(mine),
        share=CANTEEN_SHARE,
        mood=-0.3,
        texts=canteen["texts"],
        today=today,
    )
    sent = _first_answers(survey, [canteen["texts"][i] for i in canteen["sent"]])
    if sent:
        made["voices"] = len(services.answers_to_cases(actor=union, survey=survey, answer_ids=sent))
    return made


def _first_answers(survey: Survey, texts: list[str]) -> list[int]:
    """Return one free-text answer of ``survey`` for each of ``texts`` (the first written)."""
    found = []
    for text in texts:
        pk = (
            SurveyAnswer.objects.filter(question__survey=survey, text=text)
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            found.append(pk)
    return found


def demo_report(*, summary: dict[str, Any] | None, seed: int) -> str:
    """Return the console's line about the surveys just loaded (nothing when before)."""
    made = (summary or {}).get("engage_surveys")
    if not made:
        return ""
    return (
        f"Surveys: {made.get('surveys', 0)} (a yearly satisfaction survey in two rounds, "
        f"a canteen survey), {made.get('responses', 0)} responses, "
        f"{made.get('voices', 0)} free texts sent on as voices; http://127.0.0.1:8000/surveys/"
    )
