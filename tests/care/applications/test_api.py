"""The care API: programmes and applications created and stepped through, scoped (404 outside),
sensitive fields only for the privacy role, and described in the OpenAPI schema."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.care.applications.conftest import Care
from xinsheng.api.services import token_issue
from xinsheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def post(client: Client, url: str, body: Any = None) -> tuple[int, Any]:
    answer = client.post(url, body or {}, content_type="application/json")
    return answer.status_code, answer.json() if answer.content else None


def test_a_relief_application_goes_through_the_api(care: Care) -> None:
    union, head = api(care.union), api(care.head)
    status, programme = post(
        union,
        "/api/v1/care/programmes",
        {
            "kind": "illness_relief",
            "title": "大病救助（二）",
            "year": dt.date.today().year,
            "unit_code": "C1",
            "budget": "100000",
            "fund_id": care.fund.pk,
            "notice_days": 0,
        },
    )
    assert status == 201, programme
    assert programme["budget"] == "100000.00"
    outside = {"kind": "student_aid", "title": "x", "year": 2026, "unit_code": "C1"}
    assert post(api(care.outsider), "/api/v1/care/programmes", outside)[0] == 404

    status, created = post(
        head,
        "/api/v1/care/applications",
        {
            "programme_id": programme["id"],
            "employee_no": care.miners[0].employee_no,
            "details": {"costs": "50000", "insurance_paid": "20000", "diagnosis": "白血病"},
        },
    )
    assert status == 201, created
    assert created["status"] == "submitted"
    assert created["sensitive"] is None
    assert created["details"]["relief"] == "10000.00"
    number = created["id"]

    assert post(head, f"/api/v1/care/applications/{number}/review")[0] == 200
    assert post(union, f"/api/v1/care/applications/{number}/pay")[0] == 409
    status, approved = post(union, f"/api/v1/care/applications/{number}/approve")
    assert approved["status"] == "payable"
    status, paid = post(union, f"/api/v1/care/applications/{number}/pay", {"amount": "10000"})
    assert status == 200, paid
    assert paid["status"] == "paid"
    payment_id = paid["payments"][0]["id"]
    status, reversed_ = post(
        union,
        f"/api/v1/care/applications/{number}/reverse",
        {"payment_id": payment_id, "reason": "重复发放"},
    )
    assert status == 200, reversed_
    assert [p["amount"] for p in reversed_["payments"]] == ["10000.00", "-10000.00"]
    assert reversed_["status"] == "payable"

    assert post(api(care.outsider), f"/api/v1/care/applications/{number}/approve")[0] == 404
    privacy = api(care.privacy).get(f"/api/v1/care/applications/{number}").json()
    assert privacy["sensitive"] == {"diagnosis": "白血病"}
    assert AuditEvent.objects.filter(action="care.sensitive.view", note="api").count() == 1


def test_rejecting_needs_a_reason_and_duplicates_are_refused(care: Care) -> None:
    head = api(care.head)
    body = {
        "programme_id": care.aid.pk,
        "employee_no": care.miners[1].employee_no,
        "details": {
            "child_name": "李小红",
            "school": "山西大学",
            "level": "undergraduate",
            "admission_year": dt.date.today().year,
        },
    }
    status, created = post(head, "/api/v1/care/applications", body)
    assert status == 201, created
    status, duplicate = post(head, "/api/v1/care/applications", body)
    assert status == 400
    assert "不能重复申请" in str(duplicate)

    status, refused = post(
        head, f"/api/v1/care/applications/{created['id']}/reject", {"reason": ""}
    )
    assert status == 400
    status, refused = post(
        head, f"/api/v1/care/applications/{created['id']}/reject", {"reason": "材料不全"}
    )
    assert refused["status"] == "refused"


def test_the_care_endpoints_are_in_the_schema(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()

    for path in (
        "/api/v1/care/programmes",
        "/api/v1/care/applications",
        "/api/v1/care/applications/{application_id}/review",
        "/api/v1/care/applications/{application_id}/approve",
        "/api/v1/care/applications/{application_id}/reject",
        "/api/v1/care/applications/{application_id}/pay",
        "/api/v1/care/applications/{application_id}/reverse",
    ):
        assert path in schema["paths"], path
