"""The closed loop through the JSON API: public intake and follow-up, the ledger, every action."""

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.cases.factories import Cast, make_cast, make_category
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.api.services import token_issue
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case, CaseEvent, CasePhoto
from xinsheng.core.calendar import add_working_days
from xinsheng.org.choices import Role

INTAKE = "/api/v1/units/{code}/cases"
TEXT = "食堂晚班没有热饭，希望延长供餐时间。"
NOT_FOUND = {"code": "not_found", "message": "未找到该对象。"}


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Start every test with no rate-limit counts (the cache outlives a test)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(tree: Tree) -> Cast:
    make_category()
    return make_cast(tree)


def api_client(user: User) -> Client:
    """Return a client that sends ``user``'s token."""
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def call(
    client: Client, method: str, url: str, body: Any = None, **headers: str
) -> tuple[int, Any]:
    """Send a JSON request; return the status and the JSON body."""
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = getattr(client, method)(url, **kwargs)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def intake(client: Client, unit: str = "T1", **fields: Any) -> tuple[int, Any]:
    key = fields.pop("key", None)
    body = {"kind": "demand", "text": TEXT, "anonymous": True, **fields}
    headers = {"Idempotency-Key": key} if key else {}
    return call(client, "post", INTAKE.format(code=unit), body, **headers)


def act(client: Client, case_no: str, action: str, body: Any = None) -> tuple[int, Any]:
    return call(client, "post", f"/api/v1/cases/{case_no}/{action}", body or {})


def kinds(case_body: dict[str, Any]) -> list[str]:
    return [event["kind"] for event in case_body["timeline"]]


# --- The whole loop -------------------------------------------------------------------------------


def test_a_voice_goes_round_the_whole_loop_through_the_api(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    public = Client()
    dispatcher, handler, head = (api_client(u) for u in (cast.dispatcher, cast.handler, cast.head))
    supervisor, admin = api_client(cast.supervisor), api_client(cast.admin)
    today = timezone.localdate()

    # An employee of team T1 speaks up anonymously and follows the case with the receipt code
    status, submitted = intake(public, title="夜班热饭")
    assert status == 201
    case_no, receipt = submitted["case_no"], submitted["receipt_code"]
    status, followed = call(public, "get", f"/api/v1/receipts/{receipt}")
    assert status == 200
    assert (followed["case_no"], followed["status"], followed["can_rate"]) == (
        case_no,
        "submitted",
        False,
    )
    # Two more voices: the same worry again, and one that is not for this mechanism
    _, duplicate = intake(public, text="晚班食堂没有热饭菜，请解决。")
    _, stray = intake(public, text="请帮我查一下个人公积金余额。")

    # The dispatcher finds the new voices in the ledger and handles each
    _, ledger = call(dispatcher, "get", "/api/v1/cases?status=submitted")
    assert {row["case_no"] for row in ledger["results"]} == {
        case_no,
        duplicate["case_no"],
        stray["case_no"],
    }
    _, case = call(dispatcher, "get", f"/api/v1/cases/{case_no}")
    assert case["actions"] == ["accept", "reject", "merge"]
    assert act(dispatcher, duplicate["case_no"], "merge", {"into": case_no})[0] == 200
    status, rejected = act(dispatcher, stray["case_no"], "reject", {"reason": "请咨询人力资源部。"})
    assert (status, rejected["status"]) == (200, "rejected")
    accept = {"category": "canteen", "urgency": "urgent", "note": "与去年同类问题一并考虑。"}
    status, case = act(dispatcher, case_no, "accept", accept)
    assert (status, case["status"], case["category"], case["urgency"]) == (
        200,
        "accepted",
        "canteen",
        "urgent",
    )
    status, case = act(dispatcher, case_no, "dispatch", {"unit_code": "A1"})
    assert (status, case["status"], case["unit_code"]) == (200, "dispatched", "A1")
    assert case["deadline"] == add_working_days(today, 2).isoformat()  # urgent: 2 working days

    # The area returns it once, and the dispatcher sends it back with a deadline of its own
    status, case = act(handler, case_no, "return", {"reason": "应由食堂所在后勤中心办理。"})
    assert (status, case["status"]) == (200, "returned")
    deadline = today + dt.timedelta(days=10)
    status, case = act(
        dispatcher, case_no, "dispatch", {"unit_code": "A1", "deadline": deadline.isoformat()}
    )
    assert (status, case["status"], case["deadline"]) == (200, "dispatched", deadline.isoformat())

    # The unit head signs; the handler works on it and asks for more time, twice
    status, case = act(head, case_no, "sign")
    assert (status, case["status"]) == (200, "in_progress")
    assert act(handler, case_no, "note", {"text": "已与食堂管理员沟通。"})[0] == 200
    later = deadline + dt.timedelta(days=5)
    asked = {"until": later.isoformat(), "reason": "需协调厨师排班。"}
    assert act(handler, case_no, "extend", asked)[0] == 200
    status, case = act(dispatcher, case_no, "refuse-extension", {"note": "请按期办结。"})
    assert (status, case["extension_until"], case["deadline"]) == (200, None, deadline.isoformat())
    assert act(handler, case_no, "extend", asked)[0] == 200
    status, case = act(dispatcher, case_no, "grant-extension")
    assert (status, case["deadline"]) == (200, later.isoformat())

    # A supervisor pushes, and the handler answers
    status, case = act(supervisor, case_no, "supervise", {"text": "请尽快解决夜班热饭。"})
    assert (status, case["supervision_count"]) == (200, 1)
    with django_capture_on_commit_callbacks(execute=True):
        status, case = act(
            handler, case_no, "answer", {"text": "已安排夜班热饭，每晚供应至24点。", "solved": True}
        )
    assert (status, case["status"], case["answer"]) == (
        200,
        "answered",
        "已安排夜班热饭，每晚供应至24点。",
    )

    # The employee sees the answer, without the names of the staff who worked on it, and rates it
    status, followed = call(public, "get", f"/api/v1/receipts/{receipt}")
    assert (followed["status"], followed["can_rate"]) == ("answered", True)
    assert followed["answer"]["text"] == "已安排夜班热饭，每晚供应至24点。"
    public_text = json.dumps(followed, ensure_ascii=False)
    for user in (cast.dispatcher, cast.handler, cast.head, cast.supervisor):
        assert user.person.name not in public_text
        assert user.username not in public_text
    assert "已与食堂管理员沟通" not in public_text  # staff notes stay with staff
    assert "与去年同类问题一并考虑" not in public_text
    rating = {"satisfaction": "satisfied", "solved": True, "comment": "谢谢！"}
    status, followed = call(public, "post", f"/api/v1/receipts/{receipt}/rating", rating)
    assert (status, followed["status"], followed["can_rate"]) == (200, "closed", False)
    rated = next(e for e in followed["timeline"] if e["kind"] == "rated")
    assert rated["details"] == {"satisfaction": "satisfied", "solved": True, "round": 1}

    # The merged submitter follows the same answer; the rejected one reads the reason
    _, merged = call(public, "get", f"/api/v1/receipts/{duplicate['receipt_code']}")
    assert merged["merged_into"] == {
        "case_no": case_no,
        "status": "closed",
        "status_label": "已办结",
    }
    assert merged["answer"]["text"] == "已安排夜班热饭，每晚供应至24点。"
    assert [(e["case_no"], e["kind"]) for e in merged["timeline"]][:3] == [
        (duplicate["case_no"], "submitted"),
        (duplicate["case_no"], "merged"),
        (case_no, "supported"),  # the target's own intake is someone else's
    ]
    _, refused = call(public, "get", f"/api/v1/receipts/{stray['receipt_code']}")
    assert (refused["status"], refused["reject_reason"]) == ("rejected", "请咨询人力资源部。")

    # The whole timeline is on the case, in order, with who did what
    _, case = call(admin, "get", f"/api/v1/cases/{case_no}")
    assert case["status"] == "closed"
    assert kinds(case) == [
        "submitted",
        "supported",
        "accepted",
        "dispatched",
        "returned",
        "dispatched",
        "signed",
        "note",
        "extension_requested",
        "extension_refused",
        "extension_requested",
        "extension_granted",
        "supervised",
        "answered",
        "rated",
        "closed",
    ]
    signed = next(e for e in case["timeline"] if e["kind"] == "signed")
    assert signed["actor"] == cast.head.person.name
    assert case["timeline"][0]["actor"] is None  # the employee is nobody's account
    assert Case.objects.get(case_no=case_no).status == CaseStatus.CLOSED


# --- Public intake --------------------------------------------------------------------------------


def test_the_same_idempotency_key_makes_one_case_with_the_same_receipt(tree: Tree) -> None:
    client = Client()

    first = intake(client, key="tap-0001")
    again = intake(client, key="tap-0001")
    other = intake(client, key="tap-0002")

    assert first[0] == 201
    assert again == (200, first[1])
    assert other[0] == 201
    assert other[1]["case_no"] != first[1]["case_no"]
    assert Case.objects.count() == 2


REUSED_WITH: dict[str, dict[str, Any]] = {
    "another text": {"text": "通勤班车太挤了，希望增加车次。"},
    "a named submitter": {"anonymous": False, "name": "李梅", "employee_no": "JT0000002"},
    "another kind": {"kind": "suggestion"},
    "a title": {"title": "夜班热饭"},
}


@pytest.mark.parametrize("changes", REUSED_WITH.values(), ids=REUSED_WITH.keys())
def test_a_key_reused_with_another_voice_is_refused_and_reveals_nothing(
    tree: Tree, changes: dict[str, Any]
) -> None:
    client = Client()
    first = intake(client, key="tap-0001")

    status, body = intake(client, key="tap-0001", **changes)

    assert first[0] == 201
    assert status == 422
    assert body["code"] == "idempotency_key_reused"
    assert "提交标识" in body["message"]
    assert first[1]["receipt_code"] not in json.dumps(body)
    assert first[1]["case_no"] not in json.dumps(body)
    assert (Case.objects.count(), CaseEvent.objects.count()) == (1, 1)
    assert intake(client, key="tap-0001") == (200, first[1])  # the first voice's retry


def test_a_key_is_scoped_to_its_unit(tree: Tree) -> None:
    client = Client()

    first = intake(client, key="tap-0001")
    elsewhere = intake(client, unit="A1", key="tap-0001")

    assert (first[0], elsewhere[0]) == (201, 201)
    assert elsewhere[1]["case_no"] != first[1]["case_no"]
    assert elsewhere[1]["receipt_code"] != first[1]["receipt_code"]
    assert Case.objects.get(case_no=elsewhere[1]["case_no"]).origin_unit == tree.area1
    assert intake(client, unit="A1", key="tap-0001") == (200, elsewhere[1])


def test_a_key_reused_with_other_photos_is_refused(tree: Tree) -> None:
    def send(color: tuple[int, int, int]) -> Any:
        image = io.BytesIO()
        Image.new("RGB", (32, 24), color).save(image, "PNG")
        image.seek(0)
        image.name = "photo.png"
        body = {"kind": "demand", "text": TEXT, "anonymous": "true", "photos": [image]}
        return Client().post(
            INTAKE.format(code="T1"), body, headers={"Idempotency-Key": "with-photo"}
        )

    first = send((200, 10, 10))
    again = send((200, 10, 10))
    other = send((10, 200, 10))

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 422)
    assert again.json() == first.json()
    assert other.json()["code"] == "idempotency_key_reused"
    assert (Case.objects.count(), CasePhoto.objects.count()) == (1, 1)


def test_no_column_of_a_keyed_voice_holds_the_key(tree: Tree) -> None:
    key = "Secret-Retry-Key-0042"
    status, _body = intake(Client(), key=key, anonymous=False, name="李梅", employee_no="JT2")

    assert status == 201
    case = Case.objects.get()
    for model, rows in ((Case, [case]), (CaseEvent, list(case.events.all()))):
        for row in rows:
            for field in model._meta.concrete_fields:
                assert key.lower() not in str(getattr(row, field.attname)).lower(), field.name


def test_an_unusable_idempotency_key_is_refused(tree: Tree) -> None:
    status, body = intake(Client(), key="x" * 101)

    assert status == 400
    assert "Idempotency-Key" in body["fields"]
    assert not Case.objects.exists()


def test_intake_answers_are_never_cached(tree: Tree) -> None:
    response = Client().post(
        INTAKE.format(code="T1"),
        {"kind": "praise", "text": "感谢班组长的关心。", "anonymous": True},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"


def _text_values() -> Iterator[str]:
    """Yield every text value stored in every table of the database."""
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._default_manager.values_list(*names):
            yield from (json.dumps(v, ensure_ascii=False) for v in row if v)


def test_an_anonymous_voice_keeps_no_identity_in_the_database_or_the_logs(
    tree: Tree, cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a client with a distinctive address and agent, who also types a name and a number
    # (a phone is refused when anonymous: tests/cases/test_contact.py)
    address, agent = "203.0.113.77", "Xinsheng-Test-Agent/9.9 distinctive"
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)

    # When it submits anonymously, follows up, and gets an error once (all of it logged at DEBUG)
    with caplog.at_level(logging.DEBUG):
        status, submitted = intake(client, name="李四九", employee_no="JT7654321", key="k-77")
        call(client, "get", f"/api/v1/receipts/{submitted['receipt_code']}")
        call(client, "get", "/api/v1/receipts/0000-0000-0000-0000-0000")
        intake(client, text="短")

    # Then the case exists, but nothing that could identify the client is anywhere
    assert status == 201
    case = Case.objects.get(case_no=submitted["case_no"])
    assert case.is_anonymous
    assert (case.submitter_name, case.submitter_employee_no, case.submitter_phone) == ("", "", "")
    assert case.submitter_email == ""
    stored = "\n".join(_text_values())
    logged = caplog.text + "\n".join(str(r.__dict__) for r in caplog.records)
    for secret in (address, agent, "李四九", "JT7654321", "13912345678"):
        assert secret not in stored
        assert secret not in logged
    # ... and the receipt code is neither stored nor logged either
    assert submitted["receipt_code"] not in stored
    assert submitted["receipt_code"] not in logged


def test_a_named_voice_keeps_the_name_for_those_who_may_see_it(tree: Tree, cast: Cast) -> None:
    status, submitted = intake(
        Client(),
        anonymous=False,
        name="王强",
        employee_no="JT0000001",
        phone="13900001111",
        email="wangqiang@example.com",
    )

    assert status == 201
    _, case = call(api_client(cast.dispatcher), "get", f"/api/v1/cases/{submitted['case_no']}")
    unknown = {"check": "unknown_no", "check_label": "未核实：工号不存在"}  # nobody has that number
    assert case["submitter"] == {
        "name": "王强",
        "employee_no": "JT0000001",
        "phone": "13900001111",
        "email": "wangqiang@example.com",
        **unknown,
    }
    _, seen = call(api_client(cast.supervisor), "get", f"/api/v1/cases/{submitted['case_no']}")
    hidden = {"name": "王*", "employee_no": "", "phone": "", "email": ""}
    assert seen["submitter"] == {**hidden, **unknown}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": "短"}, "text", "请至少写5个字，说清楚您的问题或建议。"),
        ({"text": "长" * 2001}, "text", "内容不能超过2000字。"),
        ({"kind": "rumour"}, "kind", "选项无效。"),
        ({"title": "题" * 101}, "title", "标题不能超过100字。"),
        ({"anonymous": False, "employee_no": "JT1"}, "name", "姓名不能为空。"),
        (
            {"anonymous": False, "name": "王强", "employee_no": "JT1", "phone": "12345"},
            "phone",
            "手机号格式不正确（应为11位手机号或带区号的座机号）。",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(
    tree: Tree, fields: dict[str, Any], field: str, message: str
) -> None:
    status, body = intake(Client(), **fields)

    assert status == 400
    assert body["code"] == "invalid"
    assert body["fields"][field] == [message]
    assert not Case.objects.exists()


def test_a_missing_field_is_named(tree: Tree) -> None:
    status, body = call(Client(), "post", INTAKE.format(code="T1"), {"kind": "demand"})

    assert status == 400
    assert set(body["fields"]) == {"text", "anonymous"}


def test_an_unknown_or_disabled_unit_takes_no_voice(tree: Tree, cast: Cast) -> None:
    status, body = intake(Client(), unit="NOPE")
    assert (status, body["code"]) == (404, "unit_not_found")

    services.intake_point_set(actor=cast.admin, unit=tree.team1, enabled=False)
    status, body = intake(Client(), unit="T1")
    assert (status, body) == (
        409,
        {"code": "intake_disabled", "message": "该单位的意见征集码已停用。"},
    )
    assert not Case.objects.exists()


def _jpeg_with_location() -> bytes:
    image = Image.new("RGB", (64, 48), "orange")
    exif = Image.Exif()
    exif[0x010F] = "DistinctiveCameraMaker"
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photos_come_as_multipart_and_are_stored_without_their_metadata(tree: Tree) -> None:
    photo = io.BytesIO(_jpeg_with_location())
    photo.name = "canteen.jpg"
    assert b"DistinctiveCameraMaker" in photo.getvalue()

    response = Client().post(
        INTAKE.format(code="T1"),
        {"kind": "demand", "text": TEXT, "anonymous": "true", "photos": [photo]},
    )

    assert response.status_code == 201
    [stored] = CasePhoto.objects.filter(case__case_no=response.json()["case_no"])
    data = stored.image.read()
    assert b"DistinctiveCameraMaker" not in data
    assert not Image.open(io.BytesIO(data)).getexif()


def test_a_file_that_is_not_a_photo_is_refused(tree: Tree) -> None:
    fake = io.BytesIO(b"just some text, not a picture at all")
    fake.name = "photo.jpg"

    response = Client().post(
        INTAKE.format(code="T1"),
        {"kind": "demand", "text": TEXT, "anonymous": "true", "photos": [fake]},
    )

    assert response.status_code == 400
    assert response.json()["fields"] == {"photos": ["只能上传 JPEG、PNG 或 WebP 格式的照片。"]}
    assert not Case.objects.exists()


def test_photos_refused_for_their_size_count_against_the_limit(tree: Tree, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 2}
    client = Client(REMOTE_ADDR="198.51.100.3")
    out = io.BytesIO()
    Image.new("RGB", (6300, 6300), (9, 9, 9)).save(out, "PNG", optimize=True)

    def send() -> Any:
        photo = io.BytesIO(out.getvalue())
        photo.name = "screen.png"
        return client.post(
            INTAKE.format(code="T1"),
            {"kind": "demand", "text": TEXT, "anonymous": "true", "photos": [photo]},
        )

    first, second, third = send(), send(), send()

    assert first.status_code == second.status_code == 400
    assert "照片尺寸过大" in first.json()["fields"]["photos"][0]
    assert third.status_code == 429
    assert not Case.objects.exists()


def test_intake_is_rate_limited_per_client_in_the_cache_only(tree: Tree, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 2}
    first, second = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")

    statuses = [intake(first)[0] for _ in range(3)]
    response = first.post(
        INTAKE.format(code="T1"),
        {"kind": "demand", "text": TEXT, "anonymous": True},
        content_type="application/json",
    )

    assert statuses == [201, 201, 429]
    assert response.status_code == 429
    assert response.json() == {"code": "throttled", "message": "请求过于频繁，请稍后再试。"}
    assert 0 < int(response["Retry-After"]) <= 3600
    assert intake(second)[0] == 201  # another client is not held back
    assert Case.objects.count() == 3
    keys = "".join(cache._cache.keys())  # type: ignore[attr-defined]
    assert "198.51.100.1" not in keys
    assert "198.51.100" not in keys


def test_a_retry_past_the_limit_still_gets_its_receipt(tree: Tree, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "INTAKE_RATE_PER_HOUR": 1}
    client = Client()

    refused = intake(client, text="短")  # bad input does not use the allowance up
    first = intake(client, key="tap-1")
    retry = intake(client, key="tap-1")
    another = intake(client, key="tap-2")

    assert refused[0] == 400
    assert first[0] == 201
    assert retry == (200, first[1])
    assert another[0] == 429
    assert Case.objects.count() == 1


# --- Public follow-up -----------------------------------------------------------------------------


def test_a_wrong_receipt_code_answers_like_a_missing_one_and_is_not_logged(
    tree: Tree, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    with caplog.at_level(logging.DEBUG):
        malformed = call(client, "get", "/api/v1/receipts/not-a-code")
        unknown = call(client, "get", "/api/v1/receipts/ABCD-EFGH-JKMN-PQRS-TVWX")
        rating = call(
            client,
            "post",
            "/api/v1/receipts/ABCD-EFGH-JKMN-PQRS-TVWX/rating",
            {"satisfaction": "satisfied", "solved": True},
        )

    assert malformed == unknown == rating
    assert malformed[0] == 404
    assert malformed[1] == {"code": "receipt_not_found", "message": "查询码不正确，请核对后重试。"}
    assert "ABCD-EFGH" not in caplog.text


def test_receipt_look_ups_are_rate_limited_and_wrong_codes_count(tree: Tree, settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "RECEIPT_RATE_PER_HOUR": 3}
    _, submitted = intake(Client())
    client = Client(REMOTE_ADDR="198.51.100.9")

    wrong = [call(client, "get", f"/api/v1/receipts/WRONG-{n}")[0] for n in range(3)]
    right = call(client, "get", f"/api/v1/receipts/{submitted['receipt_code']}")

    assert wrong == [404, 404, 404]
    assert right == (429, {"code": "throttled", "message": "请求过于频繁，请稍后再试。"})


def test_the_receipt_code_is_read_forgivingly(tree: Tree) -> None:
    _, submitted = intake(Client())
    sloppy = submitted["receipt_code"].replace("-", "").lower()

    status, body = call(Client(), "get", f"/api/v1/receipts/{sloppy}")

    assert (status, body["case_no"]) == (200, submitted["case_no"])


def test_an_anonymous_voice_of_a_small_team_shows_a_larger_origin(tree: Tree, cast: Cast) -> None:
    # Team T1 has nobody on record; the whole tree has fewer than 10 people
    _, submitted = intake(Client())

    _, followed = call(Client(), "get", f"/api/v1/receipts/{submitted['receipt_code']}")
    _, seen = call(api_client(cast.dispatcher), "get", f"/api/v1/cases/{submitted['case_no']}")
    _, managed = call(api_client(cast.admin), "get", f"/api/v1/cases/{submitted['case_no']}")

    assert followed["origin_unit_name"] == "示范煤业集团"
    assert seen["origin_unit"] == {"code": "GRP", "name": "示范煤业集团"}
    assert seen["timeline"][0]["unit"] == {"code": "GRP", "name": "示范煤业集团"}
    assert managed["origin_unit"] == {"code": "T1", "name": "综采一区一班"}


def _answered(client: Client, cast: Cast) -> dict[str, Any]:
    _, submitted = intake(client)
    case_no = submitted["case_no"]
    dispatcher, handler = api_client(cast.dispatcher), api_client(cast.handler)
    act(dispatcher, case_no, "accept", {"category": "canteen"})
    act(dispatcher, case_no, "dispatch", {"unit_code": "A1"})
    act(handler, case_no, "sign")
    act(handler, case_no, "answer", {"text": "已处理。"})
    return submitted  # type: ignore[no-any-return]


def test_rating_before_an_answer_twice_or_badly_is_refused(tree: Tree, cast: Cast) -> None:
    client = Client()
    _, early = intake(client)
    rate = {"satisfaction": "satisfied", "solved": True}

    status, body = call(client, "post", f"/api/v1/receipts/{early['receipt_code']}/rating", rate)
    assert (status, body["message"]) == (409, "该诉求尚未答复，暂不能评价。")

    submitted = _answered(client, cast)
    url = f"/api/v1/receipts/{submitted['receipt_code']}/rating"
    status, body = call(client, "post", url, {"satisfaction": "great", "solved": True})
    assert (status, body["fields"]) == (400, {"satisfaction": ["选项无效。"]})
    assert call(client, "post", url, rate)[0] == 200
    status, body = call(client, "post", url, rate)
    assert (status, body["code"]) == (409, "already_rated")


def test_unsatisfied_reopens_the_case(tree: Tree, cast: Cast) -> None:
    client = Client()
    submitted = _answered(client, cast)

    status, body = call(
        client,
        "post",
        f"/api/v1/receipts/{submitted['receipt_code']}/rating",
        {"satisfaction": "unsatisfied", "solved": False, "comment": "还是没有热饭。"},
    )

    assert (status, body["status"], body["can_rate"]) == (200, "in_progress", False)
    assert [e["kind"] for e in body["timeline"]][-2:] == ["rated", "reopened"]
    assert Case.objects.get(case_no=submitted["case_no"]).reopen_count == 1


# --- Categories, the ledger and one case ----------------------------------------------------------


def test_categories_lists_the_active_ones(tree: Tree, cast: Cast) -> None:
    make_category("bus", "通勤班车", days=3)
    retired = make_category("old", "旧类别")
    retired.is_active = False
    retired.save()

    status, body = call(api_client(cast.dispatcher), "get", "/api/v1/categories")

    assert status == 200
    assert {row["code"]: row["deadline_days"] for row in body} == {"canteen": 5, "bus": 3}
    assert call(Client(), "get", "/api/v1/categories")[0] == 401


def _submit_many(tree: Tree, count: int) -> list[str]:
    numbers = []
    for n in range(count):
        submitted = services.case_submit(
            unit=tree.team1,
            kind="suggestion" if n % 2 else "demand",
            title="",
            text=f"第{n}条意见：澡堂热水不足。",
            identity=services.Identity(anonymous=True),
        )
        numbers.append(submitted.case.case_no)
    return numbers


def test_the_ledger_pages_newest_first_without_repeats(tree: Tree, cast: Cast) -> None:
    numbers = _submit_many(tree, 5)
    client = api_client(cast.dispatcher)

    seen: list[str] = []
    url: str | None = "/api/v1/cases?page_size=2"
    while url:
        status, page = call(client, "get", url)
        assert status == 200
        assert len(page["results"]) <= 2
        seen += [row["case_no"] for row in page["results"]]
        url = page["next"]

    assert seen == list(reversed(numbers))


def test_the_ledger_filters(tree: Tree, cast: Cast) -> None:
    numbers = _submit_many(tree, 4)
    client = api_client(cast.dispatcher)
    services.case_accept(
        case=Case.objects.get(case_no=numbers[0]),
        actor=cast.dispatcher,
        category=make_category(),
    )

    def listed(query: str) -> list[str]:
        status, body = call(client, "get", f"/api/v1/cases?{query}")
        assert status == 200, body
        return sorted(row["case_no"] for row in body["results"])

    assert listed("kind=suggestion") == [numbers[1], numbers[3]]
    assert listed("status=accepted") == [numbers[0]]
    assert listed("status=accepted&status=submitted") == sorted(numbers)
    assert listed("category=canteen") == [numbers[0]]
    assert listed("q=第2条") == [numbers[2]]
    assert listed(f"q={numbers[3]}") == [numbers[3]]
    assert listed("unit=A1") == sorted(numbers)
    assert listed("overdue=true") == []
    today = timezone.localdate()
    assert listed(f"from={today}&to={today}") == sorted(numbers)
    assert listed(f"from={today + dt.timedelta(days=1)}") == []

    status, body = call(client, "get", "/api/v1/cases?status=lost&from=yesterday")
    assert status == 400
    assert set(body["fields"]) == {"status", "from"}
    assert call(client, "get", "/api/v1/cases?unit=C2") == (404, NOT_FOUND)


def test_the_ledger_and_a_case_stay_in_scope(tree: Tree, cast: Cast) -> None:
    [case_no] = _submit_many(tree, 1)
    stranger = api_client(make_staff(tree.company2, Role.DISPATCHER))

    _, ledger = call(stranger, "get", "/api/v1/cases")
    assert ledger["results"] == []
    assert call(stranger, "get", f"/api/v1/cases/{case_no}") == (404, NOT_FOUND)
    assert call(stranger, "get", "/api/v1/cases/2000-999999") == (404, NOT_FOUND)
    assert call(Client(), "get", f"/api/v1/cases/{case_no}")[0] == 401


def test_a_case_reads_with_its_state_unit_deadline_and_actions(tree: Tree, cast: Cast) -> None:
    [case_no] = _submit_many(tree, 1)
    dispatcher = api_client(cast.dispatcher)
    act(dispatcher, case_no, "accept", {"category": "canteen"})
    act(dispatcher, case_no, "dispatch", {"unit_code": "A1", "deadline": "2099-01-05"})

    _, by_handler = call(api_client(cast.handler), "get", f"/api/v1/cases/{case_no}")
    _, by_leader = call(
        api_client(make_staff(tree.group, Role.LEADER)), "get", f"/api/v1/cases/{case_no}"
    )

    assert {k: by_handler[k] for k in ("case_no", "status", "unit_code", "deadline")} == {
        "case_no": case_no,
        "status": "dispatched",
        "unit_code": "A1",
        "deadline": "2099-01-05",
    }
    assert by_handler["category"] == "canteen"
    assert by_handler["channel"] == "qr"
    assert by_handler["anonymous"] is True
    assert by_handler["actions"] == ["sign", "note", "return", "extend"]
    assert by_leader["actions"] == []
    dispatched = by_handler["timeline"][-1]
    assert dispatched["kind"] == "dispatched"
    assert dispatched["details"] == {"deadline": "2099-01-05"}
    assert dispatched["unit"] == {"code": "A1", "name": "综采一区"}


# --- Actions: bad input and refusals (the full matrix is in test_cases_matrix.py) -----------------


def test_an_unknown_action_is_not_found(tree: Tree, cast: Cast) -> None:
    [case_no] = _submit_many(tree, 1)

    status, body = act(api_client(cast.dispatcher), case_no, "approve")

    assert (status, body) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    ("action", "body", "field", "message"),
    [
        ("accept", {"category": "nope"}, "category", "类别不存在或已停用。"),
        ("accept", {"category": "canteen", "urgency": "now"}, "urgency", "选项无效。"),
        ("accept", {}, "category", "该字段是必填项。"),
        ("reject", {"reason": "  "}, "reason", "请填写内容。"),
        ("merge", {"into": "2000-999999"}, "into", "找不到该诉求，或它不在您的范围内。"),
    ],
)
def test_bad_action_input_is_refused_in_chinese_and_changes_nothing(
    tree: Tree, cast: Cast, action: str, body: dict[str, Any], field: str, message: str
) -> None:
    [case_no] = _submit_many(tree, 1)

    status, answer = act(api_client(cast.dispatcher), case_no, action, body)

    assert status == 400
    assert answer["fields"][field] == [message]
    assert Case.objects.get(case_no=case_no).status == CaseStatus.SUBMITTED
    assert CaseEvent.objects.filter(case__case_no=case_no).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"unit_code": "M2"}, "unit_code"),  # out of the dispatcher's scope
        ({"unit_code": "NOPE"}, "unit_code"),
        ({"unit_code": "A1", "deadline": "05/01/2099"}, "deadline"),
        ({"unit_code": "A1", "deadline": "2000-01-01"}, "deadline"),
    ],
)
def test_a_dispatch_to_a_unit_or_date_that_cannot_be_is_refused(
    tree: Tree, cast: Cast, body: dict[str, Any], field: str
) -> None:
    [case_no] = _submit_many(tree, 1)
    dispatcher = api_client(cast.dispatcher)
    act(dispatcher, case_no, "accept", {"category": "canteen"})

    status, answer = act(dispatcher, case_no, "dispatch", body)

    assert status == 400
    assert list(answer["fields"]) == [field]
    assert Case.objects.get(case_no=case_no).status == CaseStatus.ACCEPTED


def test_a_merge_into_a_case_out_of_scope_is_refused(tree: Tree, cast: Cast) -> None:
    [case_no] = _submit_many(tree, 1)
    elsewhere = services.case_submit(
        unit=tree.mine2,
        kind="demand",
        title="",
        text="二矿通勤班车太挤。",
        identity=services.Identity(anonymous=True),
    )

    status, body = act(
        api_client(cast.dispatcher), case_no, "merge", {"into": elsewhere.case.case_no}
    )

    assert (status, list(body["fields"])) == (400, ["into"])
    assert Case.objects.get(case_no=case_no).status == CaseStatus.SUBMITTED


def test_a_pending_extension_is_decided_once(tree: Tree, cast: Cast) -> None:
    [case_no] = _submit_many(tree, 1)
    dispatcher, handler = api_client(cast.dispatcher), api_client(cast.handler)
    act(dispatcher, case_no, "accept", {"category": "canteen"})
    act(dispatcher, case_no, "dispatch", {"unit_code": "A1", "deadline": "2099-01-05"})

    assert act(handler, case_no, "extend", {"until": "2099-01-01", "reason": "太早"})[0] == 400
    assert act(handler, case_no, "extend", {"until": "2099-02-01", "reason": "等配件"})[0] == 200
    twice = act(handler, case_no, "extend", {"until": "2099-03-01", "reason": "再等"})
    assert twice == (409, {"code": "invalid_transition", "message": "已有待审批的延期申请。"})
    assert act(dispatcher, case_no, "grant-extension")[0] == 200
    again = act(dispatcher, case_no, "refuse-extension")
    assert again == (409, {"code": "invalid_transition", "message": "没有待审批的延期申请。"})


def test_staff_may_act_by_session_with_the_csrf_token(tree: Tree, cast: Cast) -> None:
    [case_no] = _submit_many(tree, 1)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.dispatcher)
    secret = "c" * 32
    browser.cookies["csrftoken"] = secret
    url, body = f"/api/v1/cases/{case_no}/accept", {"category": "canteen"}

    forged = browser.post(url, body, content_type="application/json")
    accepted = browser.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": secret}
    )

    assert forged.status_code == 403
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"


# --- The schema -----------------------------------------------------------------------------------


def test_the_schema_validates_without_warnings_and_names_every_endpoint(
    db: None, tmp_path: Any
) -> None:
    target = tmp_path / "schema.json"

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(target),
    )

    schema = json.loads(target.read_text())
    paths = set(schema["paths"])
    assert {
        "/api/v1/units/{unit_code}/cases",
        "/api/v1/receipts/{receipt_code}",
        "/api/v1/receipts/{receipt_code}/rating",
        "/api/v1/categories",
        "/api/v1/cases",
        "/api/v1/cases/{case_no}",
    } <= paths
    actions = {
        p.rsplit("/", 1)[1]
        for p in paths
        if p.startswith("/api/v1/cases/{case_no}/") and "post" in schema["paths"][p]
    }
    assert actions == {
        "accept",
        "reject",
        "merge",
        "dispatch",
        "sign",
        "note",
        "answer",
        "return",
        "extend",
        "grant-extension",
        "refuse-extension",
        "supervise",
    }
    intake_op = schema["paths"]["/api/v1/units/{unit_code}/cases"]["post"]
    assert intake_op.get("security", [{}]) == [{}]  # no credentials
    assert set(intake_op["requestBody"]["content"]) == {
        "application/json",
        "multipart/form-data",
    }
    assert set(schema["components"]["schemas"]["CaseStatusEnum"]["enum"]) == set(CaseStatus.values)
