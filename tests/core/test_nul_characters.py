"""A NUL character in a path or a query parameter is refused, never a server error.

PostgreSQL cannot hold text with NUL: before the check, such requests failed in the database with
a 500 (found by fuzzing the API schema, bench/drill_fuzz.py).
"""

import pytest
from django.test import Client

from tests.cases.factories import make_cast
from tests.conftest import Tree


@pytest.fixture
def staff(client: Client, tree: Tree) -> Client:
    client.force_login(make_cast(tree).admin)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/%00",
        "/api/v1/units/%00",
        "/api/v1/units/T1%00/similar?text=食堂的饭菜太咸了",
        "/v/%00/",
        "/board/%00/",
    ],
)
def test_a_nul_in_the_path_finds_nothing(staff: Client, path: str) -> None:
    response = staff.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects?unit=T1%00",
        "/api/v1/reports/rates?unit=%00",
        "/api/v1/units?parent=%00",
        "/reports/?unit=%00",
        "/insight/topics/?unit=%00",
    ],
)
def test_a_nul_in_a_query_parameter_is_refused_with_its_name(staff: Client, path: str) -> None:
    response = staff.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        body = response.json()
        assert body["code"] == "invalid"
        name = path.split("?")[1].split("=")[0]
        assert body["fields"] == {name: ["不能包含空字符。"]}
    else:
        assert "输入有误" in response.content.decode()


def test_a_public_page_without_nul_is_untouched(client: Client, tree: Tree) -> None:
    assert client.get("/api/v1/units/T1/similar", {"text": "食堂的饭菜太咸了"}).status_code == 200
