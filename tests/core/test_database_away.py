"""While the database is away (restarting, failing over), clients are told to come back soon.

The failure is injected with Django's own hook for wrapping every query
(``connection.execute_wrapper``), as a dropped connection raises it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

from tests.conftest import Tree


def _away(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    raise OperationalError("server closed the connection unexpectedly")


@contextmanager
def database_away() -> Iterator[None]:
    with connection.execute_wrapper(_away):
        yield


def test_the_api_answers_503_with_retry_after(tree: Tree) -> None:
    client = Client(raise_request_exception=False)

    with database_away():
        response = client.post(
            f"/api/v1/units/{tree.team1.code}/cases",
            {"kind": "demand", "text": "食堂晚班没有热饭，希望延长供餐时间。", "anonymous": True},
            content_type="application/json",
        )

    assert response.status_code == 503
    assert response.json() == {"code": "unavailable", "message": "服务暂时不可用，请稍后重试。"}
    assert response["Retry-After"] == "5"


def test_a_page_answers_503_with_retry_after_and_says_so(tree: Tree) -> None:
    client = Client(raise_request_exception=False)

    with database_away():
        response = client.get(f"/v/{tree.team1.code}/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "服务暂时不可用" in response.content.decode()


def test_other_failures_stay_a_plain_500(tree: Tree) -> None:
    client = Client(raise_request_exception=False)

    def broken(*args: Any) -> Any:
        raise RuntimeError("a bug, not the database")

    with connection.execute_wrapper(broken):
        response = client.get(f"/v/{tree.team1.code}/")

    assert response.status_code == 500
    assert "Retry-After" not in response
