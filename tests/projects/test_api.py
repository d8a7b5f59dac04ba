"""The projects API: create, link, complete, list, milestones; scope and permission refusals."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.cases.factories import dispatched, make_cast, reload
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.projects.factories import make_project
from xinsheng.api.services import token_issue
from xinsheng.cases.choices import CaseStatus
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def post(client: Client, url: str, body: Any = None) -> tuple[int, Any]:
    answer = client.post(url, body or {}, content_type="application/json")
    return answer.status_code, answer.json() if answer.content else None


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def test_create_link_complete_and_list_through_the_api(tree: Tree) -> None:
    cast = make_cast(tree)
    submitted = dispatched(tree, cast)
    client = api(cast.dispatcher)

    status, project = post(
        client,
        "/api/v1/projects",
        {"title": "职工餐厅扩建100平方米", "owner_unit_code": "M1", "due_date": _due()},
    )
    assert status == 201, project
    assert project["owner_unit"] == {"code": "M1", "name": "一矿"}
    assert project["kind"] == "deadline"
    assert project["status"] == "planned"
    pid = project["id"]

    status, body = post(
        client, f"/api/v1/projects/{pid}/milestones", {"title": "完成设计", "due_date": _due()}
    )
    assert status == 201
    assert body["milestones"][0]["title"] == "完成设计"
    milestone_id = body["milestones"][0]["id"]
    status, body = post(client, f"/api/v1/projects/{pid}/milestones/{milestone_id}/done")
    assert status == 200
    assert body["progress"] == 100
    assert body["status"] == "in_progress"

    status, link = post(
        client, f"/api/v1/projects/{pid}/links", {"case_no": submitted.case.case_no}
    )
    assert status == 201
    assert link["case_no"] == submitted.case.case_no
    assert link["outcome"] == "pending"

    status, done = post(client, f"/api/v1/projects/{pid}/complete", {"answer": "餐厅已扩建。"})
    assert status == 200
    assert done["project"]["status"] == "done"
    assert done["answered"] == [submitted.case.case_no]
    assert done["skipped"] == []
    assert reload(submitted.case).status == CaseStatus.ANSWERED

    listed = client.get("/api/v1/projects", {"unit": "C1"}).json()
    assert [p["id"] for p in listed] == [pid]
    assert client.get("/api/v1/projects", {"unit": "M2"}).status_code == 404  # out of scope


def test_api_refuses_out_of_scope_and_unpermitted_writes(tree: Tree) -> None:
    cast = make_cast(tree)
    project = make_project(cast.dispatcher, tree.company1)
    outsider = api(make_staff(tree.company2, Role.DISPATCHER))
    assert outsider.get(f"/api/v1/projects/{project.pk}").status_code == 404
    status, body = post(outsider, f"/api/v1/projects/{project.pk}/complete", {"answer": "完成"})
    assert status == 404
    assert body["code"] == "not_found"
    status, body = post(
        outsider,
        "/api/v1/projects",
        {"title": "x项目", "owner_unit_code": "C1", "due_date": _due()},
    )
    assert status == 400
    assert "owner_unit_code" in body["fields"]
    assert outsider.get("/api/v1/projects").json() == []

    area_project = make_project(cast.dispatcher, tree.area1, title="更衣室增设储物柜")
    handler = api(cast.handler)
    status, body = post(handler, f"/api/v1/projects/{area_project.pk}/complete", {"answer": "完成"})
    assert status == 403
    assert body["code"] == "forbidden"
    status, body = post(handler, f"/api/v1/projects/{area_project.pk}/progress", {"progress": 30})
    assert status == 200
    assert body["progress"] == 30
    status, body = post(
        handler, "/api/v1/projects", {"title": "x项目", "owner_unit_code": "A1", "due_date": _due()}
    )
    assert status == 403

    status, body = post(
        api(cast.dispatcher), f"/api/v1/projects/{project.pk}/links", {"case_no": "2026-999999"}
    )
    assert status == 400
    assert "case_no" in body["fields"]
    assert Client().get("/api/v1/projects").status_code == 401


def test_the_schema_describes_the_projects_api(tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "post" in paths["/api/v1/projects"]
    assert "get" in paths["/api/v1/projects"]
    assert "/api/v1/projects/{project_id}/links" in paths
    assert "/api/v1/projects/{project_id}/complete" in paths
    assert "/api/v1/projects/{project_id}/milestones" in paths
