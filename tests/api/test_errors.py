"""Every error under /api/ is JSON with a stable code and a Chinese message."""

import logging

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from django.utils import translation
from rest_framework.request import Request

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.api.errors import MESSAGES, as_api_error, exception_handler
from xinsheng.api.services import token_issue
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.org.choices import Role


def api_client(user: User) -> Client:
    """Return a client that sends ``user``'s token."""
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("path", ["/api/", "/api/v1/", "/api/v1/nothing", "/api/v2/units"])
def test_unknown_paths_answer_json_404_without_credentials(
    client: Client, db: None, method: str, path: str
) -> None:
    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": "未找到该对象。"}


def test_a_method_an_endpoint_does_not_have_is_405(tree: Tree) -> None:
    client = api_client(make_staff(tree.company1, Role.DISPATCHER))

    response = client.delete("/api/v1/units/C1")

    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "不支持该请求方法。"}


def test_a_browser_asking_for_html_still_gets_json(tree: Tree) -> None:
    client = api_client(make_staff(tree.company1, Role.DISPATCHER))

    response = client.get("/api/v1/units/NOPE", headers={"Accept": "text/html,*/*;q=0.8"})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_messages_follow_the_language_of_the_request(client: Client, db: None) -> None:
    with translation.override("en"):
        english = str(MESSAGES["not_authenticated"])

    response = client.get("/api/v1/me", headers={"Accept-Language": "en"})

    assert response["Content-Language"] == "en"
    assert response.json() == {"code": "not_authenticated", "message": english}


def test_our_errors_keep_their_code_status_message_and_fields() -> None:
    error = as_api_error(InvalidInput(fields={"code": ["单位代码已被使用。"]}))

    assert error is not None
    assert error.status == 400
    assert error.body() == {
        "code": "invalid",
        "message": "输入有误，请检查后重试。",
        "fields": {"code": ["单位代码已被使用。"]},
    }
    conflict = as_api_error(Conflict())
    assert conflict is not None
    assert (conflict.status, conflict.body()["code"]) == (409, "conflict")


def test_django_404_and_permission_denied_become_ours() -> None:
    not_found = as_api_error(Http404("gone"))
    denied = as_api_error(PermissionDenied())

    assert not_found is not None
    assert denied is not None
    assert (not_found.status, not_found.body()) == (
        404,
        {"code": "not_found", "message": "未找到该对象。"},
    )
    assert (denied.status, denied.body()["code"]) == (403, "permission_denied")


def test_other_exceptions_are_not_dressed_up_as_user_errors() -> None:
    assert as_api_error(ValueError("bug")) is None


def test_an_unexpected_exception_is_a_logged_json_500(caplog: pytest.LogCaptureFixture) -> None:
    # Given a bug that raises inside an API view
    request = Request(RequestFactory().get("/api/v1/units"))

    # When the handler answers for it
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = exception_handler(ValueError("bug"), {"request": request})

    # Then the client gets the JSON 500 and the log keeps the traceback
    assert response is not None
    assert response.status_code == 500
    assert response.data == {"code": "server_error", "message": "服务器内部错误，请稍后重试。"}
    [record] = caplog.records
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError
