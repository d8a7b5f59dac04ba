"""Obtaining a token, the login throttle, and how unauthenticated calls are answered."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role

TOKEN_URL = "/api/v1/auth/token"
PASSWORD = "pw-for-tests"


def obtain(client: Client, username: str, password: str) -> tuple[int, dict[str, Any]]:
    """Post credentials to the token endpoint; return the status and the JSON body."""
    response = client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_right_password_gives_a_token_that_opens_the_api(client: Client, tree: Tree) -> None:
    # Given a dispatcher of company C1
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")

    # When they exchange username and password for a token, twice
    status, body = obtain(client, "zhang", PASSWORD)
    again_status, again = obtain(client, "zhang", PASSWORD)

    # Then they get the same token both times, one audit row says it was created,
    # and the token authenticates them
    assert status == again_status == 200
    assert body == again == {"token": Token.objects.get(user__username="zhang").key}
    created = AuditEvent.objects.filter(action="api.token_create")
    assert created.count() == 1
    assert body["token"] not in str(created.values().get())
    me = client.get("/api/v1/me", headers={"Authorization": f"Token {body['token']}"})
    assert me.json()["username"] == "zhang"


def test_wrong_password_is_refused_in_chinese_without_a_token(client: Client, tree: Tree) -> None:
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")

    wrong = obtain(client, "zhang", "not-the-password")
    unknown = obtain(client, "nobody", PASSWORD)

    refused = (400, {"code": "invalid_credentials", "message": "用户名或密码错误。"})
    assert wrong == refused
    assert unknown == refused
    assert not Token.objects.exists()


def test_missing_fields_are_named(client: Client, db: None) -> None:
    status, body = obtain(client, "", "")

    assert status == 400
    assert body["code"] == "invalid"
    assert body["message"] == "输入有误，请检查后重试。"
    assert set(body["fields"]) == {"username", "password"}


def test_a_body_that_is_not_json_is_a_parse_error(client: Client, db: None) -> None:
    response = client.post(TOKEN_URL, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_repeated_failures_lock_out_api_and_web(client: Client, tree: Tree) -> None:
    # Given a user who mistypes the password as often as the limit allows
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    limit = settings.AXES_FAILURE_LIMIT
    answers = [obtain(client, "zhang", f"wrong-{n}") for n in range(limit)]

    # When they then give the right password
    status, body = obtain(client, "zhang", PASSWORD)

    # Then the earlier attempts were plain refusals until the last, which locked them out,
    # the right password is refused too, no token exists, and the web login is locked as well
    assert [code for code, _body in answers[:-1]] == [400] * (limit - 1)
    assert answers[-1][0] == 429
    assert status == 429
    assert body["code"] == "locked_out"
    assert "分钟后再试" in body["message"]
    assert not Token.objects.exists()
    web = client.post("/login/", {"username": "zhang", "password": PASSWORD})
    assert web.status_code == 429


def test_a_success_forgets_earlier_failures(client: Client, tree: Tree) -> None:
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        obtain(client, "zhang", f"wrong-{n}")

    assert obtain(client, "zhang", PASSWORD)[0] == 200
    answers = [obtain(client, "zhang", f"again-{n}")[0] for n in range(limit - 1)]

    assert answers == [400] * (limit - 1)


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/units", "/api/v1/units/C1"])
def test_without_credentials_the_answer_is_json_401(client: Client, tree: Tree, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "not_authenticated",
        "message": "请先登录，或在请求中提供有效的令牌。",
    }


def test_an_unknown_token_is_json_401(client: Client, db: None) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Token " + "0" * 40})

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_session_works_for_reading_and_needs_csrf_for_writing(tree: Tree) -> None:
    # Given a user logged in to the web pages, in a browser that enforces CSRF
    user = make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    # When the browser reads, and then posts without a CSRF token
    read = browser.get("/api/v1/me")
    write = browser.post("/api/v1/me", {}, content_type="application/json")

    # Then the read works and the write is refused as JSON
    assert read.json()["username"] == "zhang"
    assert write.status_code == 403
    assert write.json()["code"] == "permission_denied"
