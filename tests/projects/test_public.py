"""The public board, a project's rating page, and the follow-up page of a linked case."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from tests.cases.factories import dispatched, make_cast, submit
from tests.conftest import Tree
from tests.projects.factories import make_project
from xinsheng.org.models import Person
from xinsheng.projects import services
from xinsheng.projects.models import ProjectRating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_the_board_renders_without_login_and_without_personal_data(tree: Tree) -> None:
    cast = make_cast(tree)
    named = submit(tree, "停车位太少，希望增设车位。", anonymous=False)  # 王强, JT0000001
    project = make_project(cast.dispatcher, tree.mine1, leader_name="李明", manager_name="赵刚")
    services.milestone_add(
        actor=cast.dispatcher, project=project, title="完成选址", due_date=project.due_date
    )
    services.project_link_cases(actor=cast.dispatcher, project=project, cases=[named.case])
    hidden = make_project(cast.dispatcher, tree.mine1, title="内部项目", is_public=False)

    page = Client().get(f"/board/{tree.company1.code}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert project.title in html
    assert "一矿" in html
    assert "0%" in html
    assert "<svg" in html
    assert f"/board/p/{project.public_token}/" in html
    assert "回应职工诉求1条" in html
    assert hidden.title not in html
    for personal in ("王强", "JT0000001", "13900001111", "赵刚", named.case.case_no):
        assert personal not in html
    for person in Person.objects.all():
        assert person.employee_no not in html
        assert person.phone not in html


def test_the_board_of_an_unknown_unit_is_not_found(tree: Tree) -> None:
    assert Client().get("/board/NOPE/").status_code == 404


def test_the_board_can_be_closed_to_the_public(tree: Tree) -> None:
    with override_settings(XINSHENG={**settings.XINSHENG, "PUBLIC_BOARD": False}):
        answer = Client().get(f"/board/{tree.company1.code}/")
    assert answer.status_code == 302
    assert "/login" in answer["Location"]


def test_employees_rate_a_done_project_once_through_its_qr_page(tree: Tree) -> None:
    cast = make_cast(tree)
    project = make_project(cast.dispatcher, tree.company1, title="职工餐厅扩建100平方米")
    url = f"/board/p/{project.public_token}/"
    client = Client()
    assert "项目销号后即可在此评价" in client.get(url).content.decode()
    assert client.post(url, {"satisfaction": "satisfied", "solved": "yes"}).status_code == 409

    services.project_complete(actor=cast.dispatcher, project=project, answer="餐厅已扩建完成。")
    rated = client.post(url, {"satisfaction": "satisfied", "solved": "yes", "comment": "好"})
    assert rated.status_code == 200
    assert "感谢您的评价" in rated.content.decode()
    again = client.post(url, {"satisfaction": "unsatisfied", "solved": "no"})
    assert again.status_code == 429
    assert ProjectRating.objects.filter(project=project).count() == 1
    rating = ProjectRating.objects.get()
    stored = {f.name for f in ProjectRating._meta.get_fields()}
    assert stored == {"id", "project", "satisfaction", "solved", "comment", "at"}
    assert rating.satisfaction == "satisfied"
    assert rating.solved is True
    assert Client().get("/board/p/not-a-token/").status_code == 404


def test_a_linked_case_shows_its_project_and_progress_on_the_follow_up_page(tree: Tree) -> None:
    cast = make_cast(tree)
    submitted = dispatched(tree, cast)
    project = make_project(cast.dispatcher, tree.company1, title="职工餐厅扩建100平方米")
    services.project_link_cases(actor=cast.dispatcher, project=project, cases=[submitted.case])
    services.project_progress_set(actor=cast.dispatcher, project=project, progress=40)

    page = Client().post("/r/", {"code": submitted.receipt_code}).content.decode()
    assert "已纳入实事项目：职工餐厅扩建100平方米" in page
    assert "项目进度 40%" in page

    receipt = Client().get(f"/api/v1/receipts/{submitted.receipt_code}").json()
    assert receipt["projects"] == [
        {
            "title": "职工餐厅扩建100平方米",
            "status": "in_progress",
            "status_label": "推进中",
            "progress": 40,
            "due_date": project.due_date.isoformat(),
        }
    ]
