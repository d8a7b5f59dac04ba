"""Collection windows through the API: listed in scope, opened through ``window_create`` and
changed through ``window_update``, whose refusals answer 400 with their Chinese message."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_evaluator, make_window, make_worker, submit
from xinsheng.api.services import token_issue
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.proposals import services
from xinsheng.proposals.models import Window

pytestmark = pytest.mark.django_db
URL = "/api/v1/proposal-windows"


def api(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "2027年度“爱矿山、献良策”合理化建议征集",
        "unit_code": "M1",
        "opens_on": "2027-01-01",
        "closes_on": "2027-03-31",
        "categories": ["安全生产", "降本增效"],
        "criteria": [
            {"code": "innovation", "name": "创新性", "max": 40},
            {"code": "benefit", "name": "效益", "max": 60},
        ],
        "tiers": [{"code": "first", "name": "一等奖", "amount": "3000"}],
        **extra,
    }


def send(client: Client, method: str, url: str, data: Any) -> tuple[int, Any]:
    answer = getattr(client, method)(url, data, content_type="application/json")
    return answer.status_code, answer.json()


def test_a_window_is_opened_listed_and_changed_through_the_api(tree: Tree) -> None:
    _u1, member = make_evaluator(tree.mine1, "李评委")
    _u2, safety = make_evaluator(tree.mine1, "张安全")
    dispatcher = api(make_staff(tree.mine1, Role.DISPATCHER))

    status, created = send(
        dispatcher,
        "post",
        URL,
        body(committee=[member.employee_no], experts={"安全生产": [safety.employee_no]}),
    )
    assert status == 201, created
    assert created["unit_code"] == tree.mine1.code
    assert created["tiers"] == [{"code": "first", "name": "一等奖", "amount": "3000.00"}]
    assert created["committee"] == [member.employee_no]
    assert created["experts"] == {"安全生产": [safety.employee_no]}
    window = Window.objects.get()
    assert AuditEvent.objects.filter(action="proposal.window.create").count() == 1

    listed = dispatcher.get(URL).json()
    assert [row["id"] for row in listed] == [window.pk]
    assert api(make_staff(tree.mine2, Role.DISPATCHER)).get(URL).json() == []

    status, changed = send(dispatcher, "patch", f"{URL}/{window.pk}", {"closes_on": "2027-04-30"})
    assert status == 200, changed
    assert changed["closes_on"] == "2027-04-30"
    assert changed["title"] == body()["title"]  # what was not named stays
    assert changed["experts"] == {"安全生产": [safety.employee_no]}
    window.refresh_from_db()
    assert str(window.closes_on) == "2027-04-30"
    assert AuditEvent.objects.filter(action="proposal.window.update").count() == 1


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"closes_on": "2026-12-01"}, "closes_on", "截止日期不能早于开始日期。"),
        ({"opens_on": "明天"}, "opens_on", "请填写开始日期（年-月-日）。"),
        ({"criteria": []}, "criteria", "请至少设定一项评审标准。"),
        ({"unit_code": "NOPE"}, "unit_code", "找不到该单位。"),
        ({"committee": ["NO-SUCH"]}, "committee", "找不到工号为“NO-SUCH”的职工。"),
        ({"experts": {"职工生活": []}}, "experts", "不是本活动设定的类别"),
    ],
)
def test_a_bad_window_is_refused_with_the_chinese_message(
    tree: Tree, extra: dict[str, Any], field: str, message: str
) -> None:
    dispatcher = api(make_staff(tree.mine1, Role.DISPATCHER))
    status, answer = send(dispatcher, "post", URL, body(**extra))
    assert status == 400
    assert message in str(answer)
    assert field in str(answer)
    assert not Window.objects.exists()


def test_a_change_that_would_invalidate_proposals_is_refused_and_nothing_changes(
    tree: Tree,
) -> None:
    user, evaluator = make_evaluator(tree.mine1, "李评委")
    window = make_window(tree.mine1, [evaluator])
    proposal, _code = submit(tree.team1, make_worker(tree.team1), category="安全生产")
    manager = make_staff(tree.mine1, Role.DISPATCHER)
    services.evaluators_assign(actor=manager, proposal=proposal, evaluators=[evaluator])
    services.proposal_score(
        actor=user,
        proposal=proposal,
        scores={"innovation": 20, "feasibility": 20, "benefit": 30},
    )
    client = api(manager)
    url = f"{URL}/{window.pk}"

    status, answer = send(client, "patch", url, {"categories": ["降本增效"]})
    assert status == 400
    assert "类别“安全生产”已有建议使用，不能删除。" in str(answer)
    status, answer = send(
        client, "patch", url, {"criteria": [{"code": "benefit", "name": "效益", "max": 100}]}
    )
    assert status == 400
    assert "已有评委按现行评审标准打分，不能再更改评审标准。" in str(answer)
    window.refresh_from_db()
    assert "安全生产" in window.categories
    assert len(window.criteria) == 3

    # Someone who may see the window but not run it is refused; outside the scope: not found.
    leader = api(make_staff(tree.mine1, Role.LEADER))
    assert send(leader, "patch", url, {"title": "改个名"})[0] == 403
    outsider = api(make_staff(tree.mine2, Role.ADMINISTRATOR))
    assert send(outsider, "patch", url, {"title": "改个名"})[0] == 404
    window.refresh_from_db()
    assert window.title != "改个名"


def test_the_window_endpoints_are_in_the_schema(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/proposal-windows"])
    assert "patch" in schema["paths"]["/api/v1/proposal-windows/{window_id}"]
    assert "ProposalWindow" in schema["components"]["schemas"]
