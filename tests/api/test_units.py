"""GET /api/v1/units and /api/v1/units/{code}: units in the caller's scope, by code."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import Tree
from tests.org.factories import make_staff, make_unit
from xinsheng.api.services import token_issue
from xinsheng.org.choices import Role, UnitKind

NOT_FOUND = {"code": "not_found", "message": "未找到该对象。"}


def api_client(user: User) -> Client:
    """Return a client that sends ``user``'s token."""
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def codes(body: dict[str, Any]) -> list[str]:
    """Return the unit codes of one page, in order."""
    return [unit["code"] for unit in body["results"]]


def test_a_dispatcher_of_a_company_sees_that_company_subtree_only(tree: Tree) -> None:
    # Given a dispatcher of company C1
    client = api_client(make_staff(tree.company1, Role.DISPATCHER))

    # When they list units
    body = client.get("/api/v1/units").json()

    # Then they see C1 and everything under it, in tree order, and nothing of the group or C2;
    # C1 is the top of their scope, so it shows no parent
    assert codes(body) == ["C1", "M1", "A1", "T1"]
    assert body["results"][0] == {
        "code": "C1",
        "name": "第一煤业公司",
        "kind": "company",
        "kind_label": "公司",
        "parent_code": None,
        "depth": 2,
        "is_active": True,
    }
    assert [unit["parent_code"] for unit in body["results"]] == [None, "C1", "M1", "A1"]


def test_an_administrator_of_the_group_sees_every_unit(tree: Tree) -> None:
    client = api_client(make_staff(tree.group, Role.ADMINISTRATOR))

    body = client.get("/api/v1/units").json()

    assert codes(body) == ["GRP", "C1", "M1", "A1", "T1", "C2", "M2"]
    assert body["results"][5]["parent_code"] == "GRP"


def test_someone_without_roles_sees_no_units(tree: Tree) -> None:
    client = api_client(make_staff(tree.company1))

    assert codes(client.get("/api/v1/units").json()) == []


def test_parent_lists_the_direct_children_only(tree: Tree) -> None:
    client = api_client(make_staff(tree.group, Role.SUPERVISOR))

    assert codes(client.get("/api/v1/units?parent=GRP").json()) == ["C1", "C2"]
    assert codes(client.get("/api/v1/units?parent=M1").json()) == ["A1"]
    assert codes(client.get("/api/v1/units?parent=T1").json()) == []


@pytest.mark.parametrize("parent", ["C2", "GRP", "NOPE"])
def test_a_parent_out_of_scope_or_missing_is_not_found(tree: Tree, parent: str) -> None:
    client = api_client(make_staff(tree.company1, Role.DISPATCHER))

    response = client.get(f"/api/v1/units?parent={parent}")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_search_by_name_or_code_within_scope(tree: Tree) -> None:
    client = api_client(make_staff(tree.company1, Role.DISPATCHER))

    assert codes(client.get("/api/v1/units?q=综采").json()) == ["A1", "T1"]
    assert codes(client.get("/api/v1/units?q=m1").json()) == ["M1"]
    assert codes(client.get("/api/v1/units?q=二矿").json()) == []
    assert codes(client.get("/api/v1/units?parent=A1&q=一班").json()) == ["T1"]


def test_cursor_pages_yield_every_unit_in_scope_once(tree: Tree) -> None:
    # Given a mine with twelve teams under a second area, and a dispatcher of company C1
    area = make_unit(tree.mine1, name="掘进二区", kind=UnitKind.AREA, code="A2")
    for n in range(12):
        make_unit(area, name=f"掘进二区{n}班", kind=UnitKind.TEAM, code=f"A2T{n:02d}")
    client = api_client(make_staff(tree.company1, Role.DISPATCHER))

    # When they follow the next links, five units a page
    seen: list[str] = []
    pages = 0
    url: str | None = "/api/v1/units?page_size=5"
    while url:
        body = client.get(url).json()
        seen += codes(body)
        pages += 1
        url = body["next"]

    # Then every unit of the subtree came exactly once, in tree order, over four pages
    expected = ["C1", "M1", "A1", "T1", "A2", *[f"A2T{n:02d}" for n in range(12)]]
    assert pages == 4
    assert seen == expected


def test_one_unit_by_code(tree: Tree) -> None:
    client = api_client(make_staff(tree.company1, Role.DISPATCHER))

    response = client.get("/api/v1/units/M1")

    assert response.status_code == 200
    assert response.json() == {
        "code": "M1",
        "name": "一矿",
        "kind": "mine",
        "kind_label": "矿/厂",
        "parent_code": "C1",
        "depth": 3,
        "is_active": True,
    }


@pytest.mark.parametrize("code", ["C2", "M2", "GRP", "NOPE"])
def test_a_unit_out_of_scope_is_as_missing_as_one_that_does_not_exist(
    tree: Tree, code: str
) -> None:
    client = api_client(make_staff(tree.company1, Role.DISPATCHER))

    response = client.get(f"/api/v1/units/{code}")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
