"""Must show: an anonymous survey's responses hold no person, address or agent, yet the
per-unit counts are right, and a unit under K responses is never shown alone."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.conftest import Tree
from tests.engage.surveys.factories import full_answers, make_survey, questions_of
from tests.org.factories import PersonFactory, make_unit
from xinsheng.core.errors import InvalidInput
from xinsheng.engage.surveys import services
from xinsheng.engage.surveys.models import SurveyAnswer, SurveyResponse
from xinsheng.engage.surveys.results import may_break_down, results_of
from xinsheng.org.choices import UnitKind

pytestmark = pytest.mark.django_db
AGENT = "Mozilla/5.0 (Linux; Android 14; 测试手机) Mobile"
ADDRESS = "10.20.30.40"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def _k_is_five(settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "SURVEY_MIN_GROUP": 5}


def _post(client: Client, path: str, data: dict[str, object]) -> int:
    response = client.post(path, data, HTTP_USER_AGENT=AGENT, REMOTE_ADDR=ADDRESS)
    return response.status_code


def _form(survey_answers: dict[int, object]) -> dict[str, object]:
    data: dict[str, object] = {}
    for question_id, value in survey_answers.items():
        if isinstance(value, list) and len(value) == 3:
            for item, score in enumerate(value, start=1):
                data[f"q{question_id}_{item}"] = score
        else:
            data[f"q{question_id}"] = value
    return data


def test_anonymous_responses_hold_no_one_yet_units_count_right(tree: Tree) -> None:
    # Given an anonymous survey of the first company; 6 people answer through area 1's QR
    # code, 2 through team 1's (a team under area 1), 5 through mine 1's and 1 by the link
    area2 = make_unit(tree.mine1, name="掘进二区", kind=UnitKind.AREA, code="A2")
    for unit, people in ((tree.area1, 20), (tree.team1, 8), (area2, 3), (tree.mine1, 10)):
        PersonFactory.create_batch(people, unit=unit)
    survey = make_survey(tree.company1)
    client = Client()
    plan = [("A1", 6), ("T1", 2), ("A2", 3), ("M1", 5), ("", 1)]
    for code, n in plan:
        for _ in range(n):
            path = f"/wenjuan/{survey.token}/{code}/" if code else f"/wenjuan/{survey.token}/"
            assert _post(client, path, _form(full_answers(survey))) == 200

    # Then the responses table holds the unit and the day, nothing about anyone
    columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), SurveyResponse._meta.db_table
        )
    }
    assert columns == {"id", "survey_id", "unit_id", "anonymous", "person_id", "submitted_on"}
    rows = list(SurveyResponse.objects.filter(survey=survey).values())
    assert len(rows) == 17
    assert all(row["person_id"] is None and row["anonymous"] for row in rows)
    flat = repr(rows) + repr(list(SurveyAnswer.objects.values()))
    assert ADDRESS not in flat
    assert "Android" not in flat
    # and the counts per unit are right
    by_unit = {
        code: SurveyResponse.objects.filter(survey=survey, unit__code=code).count()
        for code in ("A1", "T1", "A2", "M1")
    }
    assert by_unit == {"A1": 6, "T1": 2, "A2": 3, "M1": 5}

    # And the results never show team 1 or area 2 alone. At the company's level mine 1's whole
    # subtree (16) is one row, but the company's own remainder (the plain link's one) is under
    # K, so it takes that row too: one row of 17
    results = results_of(survey)
    assert [(row.unit.code, row.responses) for row in results.units if row.unit] == [("C1", 17)]
    assert results.responses == 17
    assert results.headcount == 41 + 1  # the people above, and the survey's creator at C1
    # Mine 1 was folded into the company's row, so its units may not be broken down: set
    # against the company's row they would give away the one answer of the link
    assert not may_break_down(survey, tree.mine1)
    # Inside mine 1: area 1 with its team (6 + 2) stands alone, area 2 (3) is rolled into mine 1's
    # own row (5 + 3)
    inside = results_of(survey, level=tree.mine1)
    shown = {row.unit.code: (row.responses, row.rolled) for row in inside.units if row.unit}
    assert shown == {"M1": (8, 1), "A1": (8, 0)}
    # Inside area 1: team 1 (2) is under K, so area 1 shows one row
    inside = results_of(survey, level=tree.area1)
    shown = {row.unit.code: (row.responses, row.rolled) for row in inside.units if row.unit}
    assert shown == {"A1": (8, 1)}


def test_a_unit_under_k_is_shown_only_rolled_up(tree: Tree) -> None:
    # Given 7 responses at area 1, 4 at team 1 (under area 1) and 5 at mine 1
    survey = make_survey(tree.company1)
    for code, n in (("A1", 7), ("T1", 4), ("M1", 5)):
        for _ in range(n):
            services.response_submit(survey=survey, answers=full_answers(survey), unit_code=code)

    rows = {row.unit.code: row for row in results_of(survey, level=tree.area1).units if row.unit}

    # Then team 1 is inside area 1's row, which says one unit was rolled up into it
    assert "T1" not in rows
    assert (rows["A1"].responses, rows["A1"].rolled) == (11, 1)
    # and every scale and matrix average of a row comes from that row's responses only
    assert rows["A1"].averages == [4.0, 4.0]
    rows = {row.unit.code: row for row in results_of(survey, level=tree.mine1).units if row.unit}
    assert (rows["A1"].responses, rows["M1"].responses) == (11, 5)
    assert may_break_down(survey, tree.mine1)
    assert may_break_down(survey, tree.area1)
    assert not may_break_down(survey, tree.team1)


def test_a_named_survey_keeps_the_person_and_only_once(tree: Tree) -> None:
    person = PersonFactory(unit=tree.area1, name="韩磊", employee_no="YK0016")
    survey = make_survey(tree.company1, anonymous=False)
    respondent = services.Respondent(employee_no="YK0016", name="韩磊")

    services.response_submit(survey=survey, answers=full_answers(survey), respondent=respondent)

    assert SurveyResponse.objects.get(survey=survey).person == person
    with pytest.raises(InvalidInput, match="已提交过"):
        services.response_submit(survey=survey, answers=full_answers(survey), respondent=respondent)
    assert len(questions_of(survey)) == 7
