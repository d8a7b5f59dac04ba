"""Test factories of surveys: a survey with one question of every kind, set up by the union."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from tests.org.factories import make_staff
from xinsheng.engage.surveys import services
from xinsheng.engage.surveys.choices import QuestionKind
from xinsheng.engage.surveys.models import Survey, SurveyQuestion
from xinsheng.engage.surveys.services import SurveyData
from xinsheng.engage.surveys.validation import QuestionData
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit

EVERY_KIND = (
    QuestionData(kind=QuestionKind.SINGLE, text="您的岗位", options=["井下", "地面", "机关"]),
    QuestionData(
        kind=QuestionKind.MULTIPLE,
        text="您希望食堂增加哪些品种",
        options=["面食", "水果", "夜宵"],
        required=False,
    ),
    QuestionData(kind=QuestionKind.SCALE, text="总体满意度", scale_max=5),
    QuestionData(
        kind=QuestionKind.MATRIX, text="请打分", items=["工资", "食堂", "班车"], scale_max=5
    ),
    QuestionData(kind=QuestionKind.SINGLE, text="是否反映过问题", options=["是", "否"]),
    QuestionData(kind=QuestionKind.SHORT, text="反映的是什么问题", show_if=5, show_if_choice=1),
    QuestionData(kind=QuestionKind.LONG, text="其他意见建议", required=False),
)


def union_of(unit: OrgUnit) -> User:
    """Return a union officer at ``unit`` (who may set up surveys and send texts to cases)."""
    return make_staff(unit, Role.UNION)


def make_survey(
    unit: OrgUnit,
    *,
    actor: User | None = None,
    questions: tuple[QuestionData, ...] = EVERY_KIND,
    anonymous: bool = True,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    **extra: Any,
) -> Survey:
    """Create an open survey of ``unit``'s subtree with ``questions``."""
    today = timezone.localdate()
    return services.survey_create(
        actor=actor or union_of(unit),
        data=SurveyData(
            title=extra.pop("title", "职工满意度调查"),
            unit=unit,
            opens_on=opens_on or today - dt.timedelta(days=1),
            closes_on=closes_on or today + dt.timedelta(days=10),
            anonymous=anonymous,
            **extra,
        ),
        questions=questions,
    )


def questions_of(survey: Survey) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))


def full_answers(survey: Survey, *, raised: bool = False, score: int = 4) -> dict[int, Any]:
    """Return answers to every shown question of a survey made with ``EVERY_KIND``."""
    q = questions_of(survey)
    answers: dict[int, Any] = {
        q[0].pk: 1,
        q[1].pk: [1, 3],
        q[2].pk: score,
        q[3].pk: [score, 3, 5],
        q[4].pk: 1 if raised else 2,
        q[6].pk: "希望食堂晚上留一个窗口。",
    }
    if raised:
        answers[q[5].pk] = "班车太早"
    return answers
