"""The API of talk records: in the schema, scoped, 201/200/400/403/404, idempotent retries."""

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.talks.records.factories import Talkers, make_talkers, record, voice
from xinsheng.api.services import token_issue
from xinsheng.cases.models import Case
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.talks.models import TalkRecord

pytestmark = pytest.mark.django_db
TALKS = "/api/v1/talks"


@pytest.fixture
def talkers(tree: Tree) -> Talkers:
    return make_talkers(tree)


def api_client(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def call(
    client: Client, method: str, url: str, body: Any = None, **headers: str
) -> tuple[int, Any]:
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = getattr(client, method)(url, **kwargs)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def body(**fields: Any) -> dict[str, Any]:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return {
        "kind": "talk",
        "unit_code": "A1",
        "date": yesterday.isoformat(),
        "place": "underground",
        "person_employee_nos": ["W001"],
        "summary": "谈了轮休安排。",
        "tags": ["安全顾虑"],
        "voices": [{"kind": "demand", "text": "井下三号工作面通风不好，希望尽快检修。"}],
        **fields,
    }


def test_the_schema_lists_the_endpoints(client: Client, db: None) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()

    assert {"get", "post"} <= set(schema["paths"]["/api/v1/talks"])
    assert "get" in schema["paths"]["/api/v1/talks/{record_id}"]
    create = schema["paths"]["/api/v1/talks"]["post"]
    assert {"201", "200", "400", "403"} <= set(create["responses"])
    assert "TalkCreate" in json.dumps(create["requestBody"])


def test_a_talk_is_written_and_its_voice_becomes_a_case(tree: Tree, talkers: Talkers) -> None:
    status, answer = call(api_client(talkers.recorder), "post", TALKS, body())

    talk = TalkRecord.objects.get()
    case = Case.objects.get()
    assert status == 201
    assert answer == {"id": talk.pk, "case_nos": [case.case_no]}
    assert talk.tags == ["安全顾虑"]
    assert case.channel == "talk"
    assert [h.person for h in talk.host_rows.all()] == [talkers.recorder.person]  # type: ignore[attr-defined]


def test_a_retry_with_the_same_idempotency_key_answers_the_same_record(
    tree: Tree, talkers: Talkers
) -> None:
    client = api_client(talkers.recorder)
    first = call(client, "post", TALKS, body(), **{"Idempotency-Key": "abc-123"})
    again = call(client, "post", TALKS, body(), **{"Idempotency-Key": "abc-123"})

    assert first[0] == 201
    assert again[0] == 200
    assert first[1] == again[1]
    assert TalkRecord.objects.count() == 1
    assert Case.objects.count() == 1


def test_bad_input_answers_400_with_the_fields_of_the_body(tree: Tree, talkers: Talkers) -> None:
    client = api_client(talkers.recorder)
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()

    status, answer = call(
        client,
        "post",
        TALKS,
        body(date=future, person_employee_nos=["X999", "F001"], host_employee_nos=["NOPE"]),
    )
    bad_kind = call(client, "post", TALKS, body(kind="chat"))
    no_unit = call(client, "post", TALKS, body(unit_code="M2"))

    assert status == 400
    assert answer["code"] == "invalid"
    assert "不能晚于今天" in answer["fields"]["date"][0]
    assert len(answer["fields"]["person_employee_nos"]) == 2
    assert "NOPE" in answer["fields"]["host_employee_nos"][0]
    assert bad_kind[0] == 400
    assert "kind" in bad_kind[1]["fields"]
    assert no_unit[0] == 400
    assert "unit_code" in no_unit[1]["fields"]
    assert TalkRecord.objects.count() == 0
    assert Case.objects.count() == 0


def test_a_handler_may_not_record(tree: Tree, talkers: Talkers) -> None:
    handler = make_staff(tree.area1, Role.HANDLER)

    status, answer = call(api_client(handler), "post", TALKS, body())

    assert status == 403
    assert answer["code"] == "forbidden"
    assert TalkRecord.objects.count() == 0


def test_the_list_is_scoped_filtered_and_paged_by_cursor(tree: Tree, talkers: Talkers) -> None:
    today = timezone.localdate()
    for days in range(3):
        record(tree, talkers.recorder, held_on=today - dt.timedelta(days=days + 1))
    record(tree, talkers.recorder, kind="visit", held_on=today - dt.timedelta(days=30))
    client = api_client(talkers.head)

    status, page = call(client, "get", f"{TALKS}?unit=A1&page_size=2")
    assert status == 200
    assert len(page["results"]) == 2
    assert page["next"]
    _, rest = call(client, "get", page["next"].split("testserver", 1)[-1])
    assert len(rest["results"]) == 2
    assert rest["next"] is None
    dates = [row["date"] for row in page["results"] + rest["results"]]
    assert dates == sorted(dates, reverse=True)
    row = page["results"][0]
    assert row["people"] == [{"employee_no": "W001", "name": "王强"}]
    assert row["unit"] == {"code": "A1", "name": tree.area1.name}

    since = (today - dt.timedelta(days=10)).isoformat()
    _, recent = call(client, "get", f"{TALKS}?from={since}&kind=talk")
    assert len(recent["results"]) == 3
    _, visits = call(client, "get", f"{TALKS}?kind=visit")
    assert [r["kind"] for r in visits["results"]] == ["visit"]

    outsider = api_client(make_staff(tree.company2, Role.LEADER))
    assert call(outsider, "get", TALKS)[1]["results"] == []
    assert call(outsider, "get", f"{TALKS}?unit=A1")[0] == 404


def test_one_record_is_404_outside_scope_and_its_sensitive_note_is_logged(
    tree: Tree, talkers: Talkers
) -> None:
    talk = record(tree, talkers.recorder, sensitive_note="身体不好，刚做完手术。", voices=[voice()])
    url = f"{TALKS}/{talk.record.pk}"

    as_head = call(api_client(talkers.head), "get", url)
    as_recorder = call(api_client(talkers.recorder), "get", url)

    assert as_head[0] == 200
    assert as_head[1]["sensitive_note"] == "身体不好，刚做完手术。"
    assert as_recorder[1]["sensitive_note"] == "（敏感信息，无权查看）"
    assert as_head[1]["voices"][0]["status"] == "submitted"
    assert as_head[1]["case_nos"] == talk.case_nos
    logged = AuditEvent.objects.get(action="talk.sensitive_view")
    assert logged.actor == talkers.head
    assert logged.note == "api"
    assert call(api_client(talkers.stranger), "get", url)[0] == 404
    assert call(api_client(talkers.head), "get", f"{TALKS}/999999")[0] == 404
