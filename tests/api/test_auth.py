"""Obtaining, expiring and revoking a token, the login throttle, and unauthenticated calls."""

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from pytest_django.fixtures import Settings
from rest_framework.authtoken.models import Token

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.org.models import Person

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
    assert body == again
    assert body["token"] == Token.objects.get(user__username="zhang").key
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


def bearer(token: str) -> dict[str, str]:
    """Return the header that sends ``token``."""
    return {"Authorization": f"Token {token}"}


def test_the_token_says_when_it_expires(client: Client, tree: Tree, settings: Settings) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "API_TOKEN_DAYS": 7}
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")

    _status, body = obtain(client, "zhang", PASSWORD)

    expires = parse_datetime(body["expires"])
    assert expires is not None
    assert expires == Token.objects.get().created + timedelta(days=7)
    assert timedelta(days=7) - timedelta(minutes=1) < expires - timezone.now() <= timedelta(days=7)


def test_a_revoked_token_opens_nothing(client: Client, tree: Tree) -> None:
    # Given a user with a token that works
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    token = obtain(client, "zhang", PASSWORD)[1]["token"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    # When they revoke it through the API
    revoked = client.delete(TOKEN_URL, headers=bearer(token))

    # Then the answer is 204, an audit row says so without the key, no token is left,
    # and the old token answers the JSON 401 everywhere, revoking included
    assert revoked.status_code == 204
    assert not Token.objects.exists()
    event = AuditEvent.objects.get(action="api.token_revoke")
    assert event.actor.username == "zhang"  # type: ignore[union-attr]
    assert token not in str(AuditEvent.objects.values().get(pk=event.pk))
    for response in (
        client.get("/api/v1/me", headers=bearer(token)),
        client.delete(TOKEN_URL, headers=bearer(token)),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"

    # And a new login gives a different token, which works
    fresh = obtain(client, "zhang", PASSWORD)[1]["token"]
    assert fresh != token
    assert client.get("/api/v1/me", headers=bearer(fresh)).status_code == 200


def test_revoking_needs_credentials(client: Client, db: None) -> None:
    response = client.delete(TOKEN_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_sent_along_does_not_stop_obtaining_one(client: Client, tree: Tree) -> None:
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")

    response = client.post(
        TOKEN_URL,
        {"username": "zhang", "password": PASSWORD},
        content_type="application/json",
        headers=bearer("0" * 40),
    )

    assert response.status_code == 200


def test_an_expired_token_is_refused_and_a_new_one_issued(
    client: Client, tree: Tree, settings: Settings
) -> None:
    # Given a token issued longer ago than API_TOKEN_DAYS
    settings.XINSHENG = {**settings.XINSHENG, "API_TOKEN_DAYS": 30}
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    old = obtain(client, "zhang", PASSWORD)[1]["token"]
    Token.objects.filter(key=old).update(created=timezone.now() - timedelta(days=30, seconds=1))

    # When it is used
    response = client.get("/api/v1/me", headers=bearer(old))

    # Then the answer is a JSON 401 that says it expired
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "token_expired",
        "message": "令牌已过期，请用用户名和密码重新获取。",
    }

    # And logging in again replaces it with a new token that works, both writes audited
    status, body = obtain(client, "zhang", PASSWORD)
    assert status == 200
    assert body["token"] != old
    assert list(Token.objects.values_list("key", flat=True)) == [body["token"]]
    assert client.get("/api/v1/me", headers=bearer(body["token"])).status_code == 200
    actions = AuditEvent.objects.order_by("pk").values_list("action", flat=True)
    assert list(actions) == ["api.token_create", "api.token_expire", "api.token_create"]


def test_a_token_one_day_short_of_expiry_still_works(
    client: Client, tree: Tree, settings: Settings
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "API_TOKEN_DAYS": 30}
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    token = obtain(client, "zhang", PASSWORD)[1]["token"]
    Token.objects.filter(key=token).update(created=timezone.now() - timedelta(days=29))

    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_the_expired_message_follows_the_request_language(client: Client, tree: Tree) -> None:
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    token = obtain(client, "zhang", PASSWORD)[1]["token"]
    Token.objects.filter(key=token).update(created=timezone.now() - timedelta(days=365))

    response = client.get("/api/v1/me", headers={**bearer(token), "Accept-Language": "en"})

    assert response.json()["code"] == "token_expired"
    assert "expired" in response.json()["message"]


def mark_left(user: User) -> None:
    """Mark the person of ``user`` as having left (不在职), as the people page does."""
    Person.objects.filter(user=user).update(is_active=False)


def test_a_person_who_left_gets_no_token_and_theirs_stops_working(
    client: Client, tree: Tree
) -> None:
    # Given a dispatcher with a working token
    user = make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    token = obtain(client, "zhang", PASSWORD)[1]["token"]

    # When their person is marked as left
    mark_left(user)

    # Then the token answers 401 and a new login is refused with 403, both in JSON
    used = client.get("/api/v1/me", headers=bearer(token))
    assert used.status_code == 401
    assert used.json() == {"code": "account_inactive", "message": "账号已停用，不能再使用 API。"}
    status, body = obtain(client, "zhang", PASSWORD)
    assert (status, body) == (
        403,
        {"code": "account_inactive", "message": "账号已停用，不能再使用 API。"},
    )
    assert list(Token.objects.values_list("key", flat=True)) == [token]


def test_a_person_who_left_before_their_first_token_gets_none(client: Client, tree: Tree) -> None:
    mark_left(make_staff(tree.company1, Role.DISPATCHER, username="zhang"))

    assert obtain(client, "zhang", PASSWORD)[0] == 403
    assert not Token.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="api.").exists()


def test_a_disabled_account_gets_no_token_and_theirs_stops_working(
    client: Client, tree: Tree
) -> None:
    user = make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    token = obtain(client, "zhang", PASSWORD)[1]["token"]

    user.is_active = False
    user.save(update_fields=["is_active"])

    used = client.get("/api/v1/me", headers=bearer(token))
    assert used.status_code == 401
    assert used.json()["code"] == "account_inactive"
    # Django's login refuses a disabled account as it does a wrong password: nothing leaks
    assert obtain(client, "zhang", PASSWORD)[0] == 400


def test_revoking_with_a_web_session_removes_the_users_token(tree: Tree) -> None:
    user = make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    browser = Client()
    token = obtain(browser, "zhang", PASSWORD)[1]["token"]
    browser.force_login(user)

    assert browser.delete(TOKEN_URL).status_code == 204
    assert Client().get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_signing_out_of_the_web_pages_revokes_the_users_token(tree: Tree) -> None:
    # Given two dispatchers with working tokens, one of them also signed in to the web pages
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    make_staff(tree.company1, Role.DISPATCHER, username="wang")
    browser = Client()
    token = obtain(browser, "zhang", PASSWORD)[1]["token"]
    other = obtain(Client(), "wang", PASSWORD)[1]["token"]
    assert browser.post("/login/", {"username": "zhang", "password": PASSWORD}).status_code == 302

    # When they sign out of the web pages with the menu's button
    signed_out = browser.post("/logout/")

    # Then they are signed out, their token opens nothing any more and the audit says why,
    # while the other dispatcher's token still works
    assert signed_out.status_code == 302
    assert browser.get("/notifications/").status_code == 302
    assert Client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert Client().get("/api/v1/me", headers=bearer(other)).status_code == 200
    revoked = AuditEvent.objects.get(action="api.token_revoke")
    assert revoked.note == "web sign-out"
    assert revoked.actor_id == User.objects.get(username="zhang").pk
    assert token not in str(AuditEvent.objects.values().filter(pk=revoked.pk).get())


def test_signing_out_without_a_token_revokes_and_audits_nothing(tree: Tree) -> None:
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    browser = Client()
    assert browser.post("/login/", {"username": "zhang", "password": PASSWORD}).status_code == 302

    assert browser.post("/logout/").status_code == 302
    assert Client().post("/logout/").status_code == 302  # nobody signed in: nothing to end

    assert not AuditEvent.objects.filter(action="api.token_revoke").exists()


def test_the_schema_describes_revoking(client: Client, db: None) -> None:
    schema = client.get("/api/schema/", headers={"Accept": "application/json"}).json()

    operations = schema["paths"]["/api/v1/auth/token"]
    assert operations["post"]["operationId"] == "auth_token_obtain"
    assert operations["delete"]["operationId"] == "auth_token_revoke"
    assert set(operations["delete"]["responses"]) == {"204", "401"}
    assert "security" not in operations["post"] or operations["post"]["security"] == [{}]
    assert {"tokenAuth": []} in operations["delete"]["security"]
