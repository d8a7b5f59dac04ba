"""The survey API: staff set one up with its questions, the public answers it by its token, staff
read the results (scoped); every endpoint in the OpenAPI schema."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from drf_spectacular.validation import validate_schema

from tests.conftest import Tree
from tests.engage.surveys.factories import union_of
from tests.org.factories import make_staff
from xinsheng.api.services import token_issue
from xinsheng.engage.surveys.models import Survey, SurveyResponse
from xinsheng.org.choices import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def post(client: Client, url: str, body: Any) -> tuple[int, Any]:
    answer = client.post(url, body, content_type="application/json")
    return answer.status_code, answer.json() if answer.content else None


def _survey_body(unit_code: str) -> dict[str, Any]:
    today = timezone.localdate().isoformat()
    return {
        "title": "食堂就餐满意度调查",
        "unit_code": unit_code,
        "opens_on": today,
        "closes_on": today,
        "questions": [
            {"kind": "scale", "text": "总体满意度", "scale_max": 5},
            {"kind": "multiple", "text": "希望增加的品种", "options": ["面食", "水果"]},
            {"kind": "single", "text": "是否有意见", "options": ["有", "没有"]},
            {"kind": "long", "text": "请写下您的意见", "show_if": 3, "show_if_choice": 1},
        ],
    }


def test_create_answer_and_read_the_results(tree: Tree) -> None:
    staff = api(union_of(tree.mine1))
    status, created = post(staff, "/api/v1/surveys", _survey_body("M1"))
    assert status == 201
    survey = Survey.objects.get(pk=created["id"])
    assert created["token"] == survey.token

    public = Client()
    read = public.get(f"/api/v1/surveys/{survey.token}").json()
    ids = [q["id"] for q in read["questions"]]
    assert [q["kind"] for q in read["questions"]] == ["scale", "multiple", "single", "long"]
    body = {
        "unit_code": "A1",
        "answers": {str(ids[0]): 4, str(ids[1]): [1, 2], str(ids[2]): 1, str(ids[3]): "晚饭太早"},
    }
    status, _body = post(public, f"/api/v1/surveys/{survey.token}/responses", body)
    assert status == 201
    assert SurveyResponse.objects.get().unit == tree.area1

    results = staff.get(f"/api/v1/surveys/{survey.pk}/results").json()
    assert results["responses"] == 1
    assert results["questions"][0]["items"][0]["average"] == 4.0
    assert [o["n"] for o in results["questions"][1]["options"]] == [1, 1]


def test_bad_answers_get_400_with_the_field_and_nothing_is_written(tree: Tree) -> None:
    staff = api(union_of(tree.mine1))
    _status, created = post(staff, "/api/v1/surveys", _survey_body("M1"))
    ids = [q["id"] for q in Client().get(f"/api/v1/surveys/{created['token']}").json()["questions"]]

    status, body = post(
        Client(), f"/api/v1/surveys/{created['token']}/responses", {"answers": {str(ids[0]): 9}}
    )

    assert status == 400
    assert body["code"] == "invalid"
    assert f"q{ids[0]}" in body["fields"]
    assert not SurveyResponse.objects.exists()


def test_a_question_with_a_bad_condition_makes_no_survey(tree: Tree) -> None:
    body = _survey_body("M1")
    body["questions"][3]["show_if"] = 4
    status, answer = post(api(union_of(tree.mine1)), "/api/v1/surveys", body)
    assert status == 400
    assert answer["message"].startswith("第4题：")
    assert not Survey.objects.exists()


def test_results_are_scoped(tree: Tree) -> None:
    _status, created = post(api(union_of(tree.mine1)), "/api/v1/surveys", _survey_body("M1"))
    outsider = api(make_staff(tree.mine2, Role.LEADER))
    assert outsider.get(f"/api/v1/surveys/{created['id']}/results").status_code == 404
    status, _body = post(
        api(make_staff(tree.mine1, Role.LEADER)), "/api/v1/surveys", _survey_body("M1")
    )
    assert status == 403


def test_responses_are_rate_limited(tree: Tree, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "SURVEY_RATE_PER_HOUR": 1}
    _status, created = post(api(union_of(tree.mine1)), "/api/v1/surveys", _survey_body("M1"))
    ids = [q["id"] for q in Client().get(f"/api/v1/surveys/{created['token']}").json()["questions"]]
    body = {"answers": {str(ids[0]): 4, str(ids[1]): [1], str(ids[2]): 2}}
    url = f"/api/v1/surveys/{created['token']}/responses"

    assert post(Client(), url, body)[0] == 201
    status, answer = post(Client(), url, body)

    assert (status, answer["code"]) == (429, "throttled")
    assert SurveyResponse.objects.count() == 1


def test_the_schema_names_the_survey_endpoints(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    validate_schema(schema)
    assert {
        "/api/v1/surveys",
        "/api/v1/surveys/{token}",
        "/api/v1/surveys/{token}/responses",
        "/api/v1/surveys/{survey_id}/results",
    } <= set(schema["paths"])
