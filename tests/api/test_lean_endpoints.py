"""The public write endpoints set their fields up once, and still answer every request as before:
messages in the language of each request, a client that takes no JSON refused, instances that
do not see each other's data."""

import io
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from tests.conftest import Tree
from tests.engage.quizzes.factories import make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.api.lean import FieldsBoundOnce, LeanJSONParser
from xinsheng.cases.api.intake import IntakeSerializer
from xinsheng.cases.models import Case
from xinsheng.engage.quizzes.models import Attempt
from xinsheng.org.choices import Role

TEXT = "食堂晚班没有热饭，希望延长供餐时间。"


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", headers=headers)


def too_long(limit: int, language: str) -> str:
    """Return DRF's own message for a text over ``limit`` characters, in ``language``."""
    field = serializers.CharField(max_length=limit)
    with translation.override(language):
        try:
            field.run_validation("x" * (limit + 1))
        except serializers.ValidationError as error:
            return str(error.detail[0])  # type: ignore[index]
    raise AssertionError("the text was not too long")


@pytest.mark.django_db
def test_a_length_error_is_told_in_the_language_of_each_request(tree: Tree) -> None:
    cache.clear()
    client = Client()
    voice = {
        "kind": "demand",
        "text": TEXT,
        "anonymous": False,
        "name": "王强",
        "employee_no": "JT1",
        "phone": "1" * 21,
    }

    answers = [
        post(client, "/api/v1/units/T1/cases", voice, accept_language=language).json()
        for language in ("en", "zh-hans", "en")
    ]

    assert [answer["fields"]["phone"] for answer in answers] == [
        [too_long(20, "en")],
        [too_long(20, "zh-hans")],
        [too_long(20, "en")],
    ]
    assert too_long(20, "en") != too_long(20, "zh-hans")
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_quiz_name_too_long_is_told_in_the_language_of_each_request(tree: Tree) -> None:
    cache.clear()
    organiser = make_staff(tree.company1, Role.UNION)
    make_bank(tree.group)
    quiz_round = make_round(make_campaign(tree.company1, organiser), organiser)
    client = Client()
    body = {"employee_no": "H100", "name": "王" * 51}

    answers = [
        post(
            client, f"/api/v1/quizzes/{quiz_round.pk}/attempts", body, accept_language=language
        ).json()
        for language in ("zh-hans", "en")
    ]

    assert [answer["fields"]["name"] for answer in answers] == [
        [too_long(50, "zh-hans")],
        [too_long(50, "en")],
    ]
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_the_public_writes_refuse_a_client_that_takes_no_json(tree: Tree) -> None:
    cache.clear()
    organiser = make_staff(tree.company1, Role.UNION)
    make_bank(tree.group)
    quiz_round = make_round(make_campaign(tree.company1, organiser), organiser)
    PersonFactory(unit=tree.team1, name="王芳", employee_no="H100")
    client = Client()
    voice = {"kind": "demand", "text": TEXT, "anonymous": True}
    person = {"employee_no": "H100", "name": "王芳"}
    intake = "/api/v1/units/T1/cases"
    start = f"/api/v1/quizzes/{quiz_round.pk}/attempts"

    refused = [
        post(client, intake, voice, accept="text/html"),
        post(client, start, person, accept="text/html"),
        post(client, f"{intake}?format=xml", voice),
    ]
    taken = [
        post(client, intake, voice, accept="application/json"),
        post(client, start, person, accept="*/*"),
    ]

    assert [answer.status_code for answer in refused] == [406, 406, 404]
    assert [answer.json()["code"] for answer in refused[:2]] == ["not_acceptable"] * 2
    assert [answer.status_code for answer in taken] == [201, 201]
    assert all(answer["Content-Type"] == "application/json" for answer in taken)
    assert Case.objects.count() == 1
    assert Attempt.objects.count() == 1


def test_serializers_sharing_their_fields_keep_their_own_data_and_errors() -> None:
    bad = IntakeSerializer(data={"kind": "rumour", "text": TEXT, "anonymous": True})
    good = IntakeSerializer(data={"kind": "demand", "text": TEXT, "anonymous": "true"})

    assert not bad.is_valid()
    assert good.is_valid()

    assert set(bad.errors) == {"kind"}
    assert good.validated_data["kind"] == "demand"
    assert good.validated_data["anonymous"] is True
    assert IntakeSerializer().fields is IntakeSerializer().fields


def test_a_serializer_with_a_nested_one_cannot_share_its_fields() -> None:
    class Inner(serializers.Serializer[Any]):
        number = serializers.IntegerField()

    class Outer(FieldsBoundOnce):
        inner = Inner()

    with pytest.raises(TypeError, match="nested serializer"):
        Outer(data={}).is_valid()


@pytest.mark.django_db
def test_the_schema_describes_the_bodies_by_their_own_words_only(client: Client) -> None:
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    assert "description" not in schemas["Start"]
    assert "description" not in schemas["Submit"]
    assert "description" not in schemas["ResponseIn"]
    assert schemas["Intake"]["description"].startswith("A voice from an employee")
    assert set(schemas["Intake"]["properties"]) >= {"kind", "text", "anonymous", "phone"}


@pytest.mark.parametrize(
    "body",
    [
        '{"kind": "demand", "text": "井口澡堂", "n": [1, 2.5, null, true]}'.encode(),
        b'{"score": NaN}',
        b'{"score": Infinity}',
        b'{"kind": ',
        b"[1, 2,]",
        "\ufeff{}".encode(),
        b'{"text": "\xff"}',
        b"",
    ],
    ids=["voice", "nan", "infinity", "cut-off", "trailing-comma", "bom", "not-utf-8", "empty"],
)
def test_the_lean_json_parser_reads_and_refuses_as_drfs_does(body: bytes) -> None:
    def outcome(parser: JSONParser) -> object:
        try:
            return parser.parse(io.BytesIO(body), "application/json", {"encoding": "utf-8"})
        except ParseError as error:
            return ("refused", str(error.detail))

    assert outcome(LeanJSONParser()) == outcome(JSONParser())
