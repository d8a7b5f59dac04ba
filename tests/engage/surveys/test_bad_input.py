"""Bad input gets a clear Chinese message and nothing is written: a closed survey, a missing
required answer, a value outside a question's options, a QR code of a unit outside the scope,
a question that names a later one."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.surveys.factories import full_answers, make_survey, questions_of, union_of
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.engage.surveys import services
from xinsheng.engage.surveys.choices import QuestionKind
from xinsheng.engage.surveys.models import Survey, SurveyAnswer, SurveyResponse, SurveyTally
from xinsheng.engage.surveys.validation import QuestionData

pytestmark = pytest.mark.django_db


def _nothing_written() -> None:
    assert not SurveyResponse.objects.exists()
    assert not SurveyAnswer.objects.exists()
    assert not SurveyTally.objects.exists()


def _refused(survey: Survey, answers: dict[int, Any], **extra: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        services.response_submit(survey=survey, answers=answers, **extra)
    _nothing_written()
    return caught.value


def test_a_closed_survey_takes_no_answer(tree: Tree) -> None:
    today = timezone.localdate()
    survey = make_survey(
        tree.company1,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today - dt.timedelta(days=1),
    )
    error = _refused(survey, full_answers(survey))
    assert "已于" in str(error.message)
    assert "截止" in str(error.message)


def test_a_survey_not_yet_open_takes_no_answer(tree: Tree) -> None:
    today = timezone.localdate()
    survey = make_survey(
        tree.company1, opens_on=today + dt.timedelta(days=1), closes_on=today + dt.timedelta(days=5)
    )
    assert "起开放" in str(_refused(survey, full_answers(survey)).message)


def test_a_missing_required_answer_is_named_by_its_number(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    answers = full_answers(survey)
    scale = questions_of(survey)[2]
    del answers[scale.pk]
    error = _refused(survey, answers)
    assert error.fields[f"q{scale.pk}"] == ["第3题为必答题，请作答。"]


def test_a_matrix_needs_every_item(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    answers = full_answers(survey)
    matrix = questions_of(survey)[3]
    answers[matrix.pk] = [4, None, 5]
    assert _refused(survey, answers).fields[f"q{matrix.pk}"] == ["请为每个评价项目打分。"]


@pytest.mark.parametrize(
    ("position", "value"),
    [(0, 4), (0, "甲"), (1, [1, 9]), (2, 6), (2, 0), (3, [4, 4, 7]), (0, [1, 2])],
)
def test_a_value_outside_the_options_is_refused(tree: Tree, position: int, value: Any) -> None:
    survey = make_survey(tree.company1)
    answers = full_answers(survey)
    question = questions_of(survey)[position]
    answers[question.pk] = value
    error = _refused(survey, answers)
    assert f"q{question.pk}" in error.fields


def test_an_answer_to_a_question_of_another_survey_is_refused(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    other = make_survey(tree.company1, title="另一份问卷")
    answers = full_answers(survey)
    answers[questions_of(other)[0].pk] = 1
    SurveyResponse.objects.all().delete()
    assert "不在本问卷中" in str(_refused(survey, answers).message)


def test_a_branch_question_is_required_only_when_shown(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    branch = questions_of(survey)[5]
    answers = full_answers(survey, raised=True)
    del answers[branch.pk]
    assert f"q{branch.pk}" in _refused(survey, answers).fields

    # Not raised: the branch is hidden, so it is not required, and an answer sent to it is not kept
    answers = full_answers(survey, raised=False)
    answers[branch.pk] = "不该保存"
    services.response_submit(survey=survey, answers=answers)
    assert not SurveyAnswer.objects.filter(question=branch).exists()


def test_a_qr_code_of_a_unit_outside_the_scope_is_refused(tree: Tree) -> None:
    survey = make_survey(tree.mine1)
    error = _refused(survey, full_answers(survey), unit_code=tree.mine2.code)
    assert error.fields["unit_code"] == ["二维码对应的单位不在本问卷的调查范围内。"]


def test_a_named_survey_checks_the_person(tree: Tree) -> None:
    survey = make_survey(tree.company1, anonymous=False)
    error = _refused(
        survey, full_answers(survey), respondent=services.Respondent("NOBODY1", "无名")
    )
    assert error.fields["employee_no"] == ["工号与姓名不符，或您不在本问卷的调查范围内。"]


def test_questions_that_make_no_sense_are_refused_and_no_survey_is_made(tree: Tree) -> None:
    actor = union_of(tree.company1)
    bad = [
        (QuestionData(kind=QuestionKind.SINGLE, text="只有一个选项", options=["是"]), "至少"),
        (QuestionData(kind=QuestionKind.SCALE, text="量表", scale_max=11), "2到10"),
        (QuestionData(kind="essay", text="题型不对"), "题型无效"),
        (
            QuestionData(kind=QuestionKind.SHORT, text="引用后面的题", show_if=2, show_if_choice=1),
            "之前",
        ),
        (QuestionData(kind=QuestionKind.SINGLE, text="重复", options=["是", "是"]), "不能重复"),
    ]
    for question, words in bad:
        with pytest.raises(InvalidInput) as caught:
            make_survey(tree.company1, actor=actor, questions=(question,))
        assert words in str(caught.value.message)
        assert str(caught.value.message).startswith("第1题：")
    assert not Survey.objects.exists()


def test_questions_cannot_change_once_answered(tree: Tree) -> None:
    actor = union_of(tree.company1)
    survey = make_survey(tree.company1, actor=actor)
    services.response_submit(survey=survey, answers=full_answers(survey))
    with pytest.raises(Conflict):
        services.question_add(
            actor=actor,
            survey=survey,
            data=QuestionData(kind=QuestionKind.SHORT, text="新加的题"),
        )
    assert len(questions_of(survey)) == 7


def test_only_those_who_may_manage_set_up_a_survey(tree: Tree) -> None:
    from xinsheng.core.errors import Forbidden

    outsider = union_of(tree.company2)
    with pytest.raises(Forbidden):
        make_survey(tree.company1, actor=outsider)
    assert not Survey.objects.exists()
