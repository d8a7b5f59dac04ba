"""The coverage, meetings and rectification API: scoped, 404 outside, 400 with fields."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.org.factories import make_staff
from tests.talks.oversight.conftest import Scene
from xinsheng.org.choices import Role
from xinsheng.talks.models import Rectification

pytestmark = pytest.mark.django_db


def _api(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_coverage_answers_the_hand_computed_figures_and_404_outside(scene: Scene) -> None:
    api = _api(make_staff(scene.tree.area1, Role.RECORDER))
    dates = f"from={scene.period.start}&to={scene.period.end}"
    got = api.get(f"/api/v1/talks/coverage?unit=A1&{dates}").json()
    # headcount: the four people of area 1 and the caller, who sits there too
    assert (got["headcount"], got["people_reached"], got["person_times"]) == (5, 3, 4)
    assert (got["talks"], got["visits"]) == (1, 2)
    assert api.get(f"/api/v1/talks/coverage?unit=M2&{dates}").status_code == 404
    assert api.get("/api/v1/talks/coverage?unit=A1&from=soon").status_code == 400


def test_a_meeting_is_recorded_and_its_item_done_through_the_api(scene: Scene) -> None:
    api = _api(scene.recorder)
    today = timezone.localdate().isoformat()
    made = api.post(
        "/api/v1/talks/meetings",
        {
            "kind": "life_meeting",
            "unit_code": "A1",
            "held_on": today,
            "title": "专题组织生活会",
            "attendance": 18,
        },
        format="json",
    )
    assert made.status_code == 201
    assert api.get("/api/v1/talks/meetings?unit=A1").json()[0]["title"] == "专题组织生活会"
    bad = api.post(
        "/api/v1/talks/meetings",
        {
            "kind": "forum",
            "unit_code": "A1",
            "held_on": "2999-01-01",
            "title": "x",
            "attendance": 3,
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "held_on" in bad.json()["fields"]
    item = Rectification.objects.create(
        meeting_id=made.json()["id"],
        text="整改",
        owner_unit=scene.tree.area1,
        unit_path=scene.tree.area1.path,
        due_on=timezone.localdate(),
    )
    done = api.post(
        f"/api/v1/talks/rectifications/{item.pk}/done", {"note": "已完成"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["done_on"] == today
    outsider = _api(make_staff(scene.tree.mine2, Role.HANDLER))
    assert (
        outsider.post(f"/api/v1/talks/rectifications/{item.pk}/done", {"note": "x"}).status_code
        == 404
    )
