"""The staff pages of projects: list, forms, a project's page and its actions, export, report."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.cases.factories import dispatched, make_cast, reload, submit
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.projects.factories import make_project
from xinsheng.cases.choices import CaseStatus
from xinsheng.org.choices import Role
from xinsheng.projects import services
from xinsheng.projects.choices import ProjectStatus
from xinsheng.projects.models import CommitmentBody, Project

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_dispatcher_sets_up_links_and_finishes_a_project_on_the_pages(tree: Tree) -> None:
    cast = make_cast(tree)
    first, second = dispatched(tree, cast), submit(tree, "停车场太远，希望在井口附近增设车位。")
    client = _client(cast.dispatcher)
    due = (timezone.localdate() + dt.timedelta(days=90)).isoformat()

    created = client.post(
        "/projects/new/",
        {
            "title": "增设职工停车位75个",
            "unit": tree.mine1.code,
            "kind": "deadline",
            "due_date": due,
            "budget": "350000.00",
            "weight": "1",
            "leader_name": "李明",
            "manager_name": "赵刚",
            "is_public": "on",
        },
    )
    project = Project.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/projects/{project.pk}/"
    assert project.owner_unit == tree.mine1
    assert str(project.budget) == "350000.00"

    client.post(
        f"/projects/{project.pk}/milestone/",
        {"title": "完成选址", "due_date": due, "weight": "1"},
    )
    client.post(
        f"/projects/{project.pk}/milestone/",
        {"title": "完成施工", "due_date": due, "weight": "3"},
    )
    milestone = project.milestones.get(title="完成选址")
    client.post(f"/projects/{project.pk}/milestone-done/", {"milestone": milestone.pk})
    project.refresh_from_db()
    assert project.progress == 25
    assert project.status == ProjectStatus.IN_PROGRESS

    linked = client.post(
        f"/projects/{project.pk}/link/",
        {"case_nos": f"{first.case.case_no}, {second.case.case_no}"},
        follow=True,
    )
    assert "已关联2条诉求" in linked.content.decode()
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert first.case.case_no in page
    assert "25%" in page

    done = client.post(
        f"/projects/{project.pk}/complete/", {"answer": "停车场已建成投用。"}, follow=True
    )
    assert "2条关联诉求已收到答复" in done.content.decode()
    assert reload(second.case).status == CaseStatus.ANSWERED


def test_linking_an_unknown_or_out_of_scope_case_says_so_and_links_nothing(tree: Tree) -> None:
    cast = make_cast(tree)
    project = make_project(cast.dispatcher, tree.company1)
    answer = _client(cast.dispatcher).post(
        f"/projects/{project.pk}/link/", {"case_nos": "2026-999999"}, follow=True
    )
    assert "找不到诉求 2026-999999" in answer.content.decode()
    assert project.links.count() == 0


def test_the_excel_export_lists_the_filtered_projects(tree: Tree) -> None:
    cast = make_cast(tree)
    make_project(cast.dispatcher, tree.company1, title="职工餐厅扩建100平方米", leader_name="李明")
    make_project(cast.dispatcher, tree.mine1, title="太阳花爱心托管班", kind="immediate")
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    make_project(admin, tree.company2, title="棚户区改造")  # outside the dispatcher's scope

    response = _client(cast.dispatcher).get("/projects/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "项目名称", "责任单位")
    titles = sorted(row[1] for row in rows[1:])
    assert titles == ["太阳花爱心托管班", "职工餐厅扩建100平方米"]
    canteen = next(row for row in rows[1:] if row[1] == "职工餐厅扩建100平方米")
    assert canteen[2] == "第一煤业公司"
    assert canteen[3] == "李明"
    assert canteen[9] == "未开工"

    only_immediate = _client(cast.dispatcher).get("/projects/export.xlsx?kind=immediate")
    rows = list(
        load_workbook(io.BytesIO(only_immediate.content)).active.iter_rows(values_only=True)
    )
    assert [row[1] for row in rows[1:]] == ["太阳花爱心托管班"]


def test_the_list_filters_by_unit_status_and_overdue(tree: Tree) -> None:
    cast = make_cast(tree)
    make_project(cast.dispatcher, tree.company1, title="职工餐厅扩建100平方米")
    make_project(cast.dispatcher, tree.mine1, title="井口浴室改造", due_in_days=-3)
    client = _client(cast.dispatcher)

    mine = client.get("/projects/", {"unit": tree.mine1.code}).content.decode()
    assert "井口浴室改造" in mine
    assert "职工餐厅扩建100平方米" not in mine
    overdue = client.get("/projects/", {"overdue": "on"}).content.decode()
    assert "井口浴室改造" in overdue
    assert "职工餐厅扩建100平方米" not in overdue
    delayed = client.get("/projects/", {"status": "delayed"}).content.decode()
    assert "井口浴室改造" in delayed


def test_pages_refuse_out_of_scope_and_unpermitted_users(tree: Tree) -> None:
    cast = make_cast(tree)
    project = make_project(cast.dispatcher, tree.company1)
    outsider = make_staff(tree.company2, Role.DISPATCHER)
    assert _client(outsider).get(f"/projects/{project.pk}/").status_code == 404
    assert (
        _client(outsider).post(f"/projects/{project.pk}/complete/", {"answer": "x"}).status_code
        == 404
    )
    handler = cast.handler  # may see and update projects of area A1 only, and set up none
    assert _client(handler).get("/projects/new/").status_code == 403
    assert _client(handler).get(f"/projects/{project.pk}/").status_code == 404
    area_project = make_project(cast.dispatcher, tree.area1, title="更衣室增设储物柜")
    page = _client(handler).get(f"/projects/{area_project.pk}/").content.decode()
    assert "销号并答复" not in page  # no finishing for the handler
    refused = _client(handler).post(
        f"/projects/{area_project.pk}/complete/", {"answer": "已完成。"}
    )
    assert refused.status_code == 403
    assert Project.objects.get(pk=area_project.pk).status == ProjectStatus.PLANNED


def test_the_monthly_report_shows_rates_and_the_delayed_projects_with_owners(tree: Tree) -> None:
    cast = make_cast(tree)
    late = make_project(
        cast.dispatcher, tree.mine1, title="井口浴室改造", due_in_days=-3, manager_name="赵刚"
    )
    done = make_project(cast.dispatcher, tree.company1, title="职工餐厅扩建100平方米")
    services.project_complete(actor=cast.dispatcher, project=done, answer="餐厅已扩建完成。")
    started = make_project(cast.dispatcher, tree.company1, title="太阳花爱心托管班")
    services.project_progress_set(actor=cast.dispatcher, project=started, progress=40)

    page = _client(cast.dispatcher).get("/projects/report/").content.decode()

    assert late.title in page
    assert "赵刚" in page
    assert "33.3%" in page  # one of three done; two of three started (done counts as started)
    assert "66.7%" in page


def test_commitment_lists_show_their_completion_rate(tree: Tree) -> None:
    cast = make_cast(tree)
    client = _client(cast.dispatcher)
    client.post("/projects/commitments/", {"name": "2026年职代会", "unit": tree.company1.code})
    body = CommitmentBody.objects.get()
    for number, title in enumerate(["增设职工停车位75个", "职工餐厅扩建100平方米"], start=1):
        project = make_project(
            cast.dispatcher, tree.company1, title=title, commitment_body=body, commitment_no=number
        )
    services.project_complete(actor=cast.dispatcher, project=project, answer="已完成。")

    page = client.get("/projects/commitments/").content.decode()

    assert "2026年职代会" in page
    assert "50.0%" in page
