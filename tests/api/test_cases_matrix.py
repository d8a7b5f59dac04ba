"""Every action of the loop × every staff role × inside and outside the role's scope, via the API.

The expectations come from the tables below, written from the product brief (DESIGN.md §2, issue 3),
not from the permission module: a case out of scope is 404 like a missing one, an action the role
may not take is 403, an action the case's state does not allow is 409 ``invalid_transition``, and
an allowed action is 200 with the case in its new state.
"""

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.cases.factories import Cast, make_cast, make_category
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.api.services import token_issue
from xinsheng.cases import services
from xinsheng.cases.models import Case, CaseEvent
from xinsheng.org.choices import Role

ROLES: dict[str, Role] = {
    "dispatcher": Role.DISPATCHER,
    "handler": Role.HANDLER,
    "head": Role.UNIT_HEAD,
    "supervisor": Role.SUPERVISOR,
    "recorder": Role.RECORDER,
    "leader": Role.LEADER,
    "admin": Role.ADMINISTRATOR,
}
DISPATCHING = frozenset({"dispatcher", "admin"})
HANDLING = frozenset({"handler", "head"})

# Who may take each action.
MAY: dict[str, frozenset[str]] = {
    "accept": DISPATCHING,
    "reject": DISPATCHING,
    "merge": DISPATCHING,
    "dispatch": DISPATCHING,
    "grant-extension": DISPATCHING,
    "refuse-extension": DISPATCHING,
    "sign": HANDLING,
    "note": HANDLING,
    "answer": HANDLING,
    "return": HANDLING,
    "extend": HANDLING,
    "supervise": frozenset({"supervisor"}),
}

# For each action: a state of the case in which it can be taken, the state it leaves the case in,
# and a state in which it cannot be taken. "asking" is in progress with an extension asked for.
STATES: dict[str, tuple[str, str, str]] = {
    "accept": ("submitted", "accepted", "accepted"),
    "reject": ("accepted", "rejected", "in_progress"),
    "merge": ("returned", "merged", "dispatched"),
    "dispatch": ("accepted", "dispatched", "submitted"),
    "sign": ("dispatched", "in_progress", "in_progress"),
    "note": ("in_progress", "in_progress", "answered"),
    "answer": ("in_progress", "answered", "dispatched"),
    "return": ("dispatched", "returned", "answered"),
    "extend": ("in_progress", "in_progress", "asking"),
    "grant-extension": ("asking", "in_progress", "in_progress"),
    "refuse-extension": ("asking", "in_progress", "dispatched"),
    "supervise": ("answered", "answered", "submitted"),
}

LATER = timezone.localdate() + dt.timedelta(days=90)
BODIES: dict[str, dict[str, Any]] = {
    "accept": {"category": "canteen"},
    "reject": {"reason": "不属于受理范围。"},
    "merge": {},  # the target case number is filled in per test
    "dispatch": {"unit_code": "A1"},
    "sign": {},
    "note": {"text": "已电话联系。"},
    "answer": {"text": "已办理完毕。", "solved": True},
    "return": {"reason": "不属于本单位。"},
    "extend": {"until": LATER.isoformat(), "reason": "需要采购配件。"},
    "grant-extension": {},
    "refuse-extension": {"note": "请按期办结。"},
    "supervise": {"text": "请加快办理。"},
}


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def cast(tree: Tree) -> Cast:
    make_category()
    return make_cast(tree)


def case_in(tree: Tree, cast: Cast, state: str) -> Case:
    """Return a case from team T1 brought to ``state`` by the cast (dispatched to area A1)."""
    case = services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text="澡堂热水供应时间太短，夜班下井回来没有热水。",
        identity=services.Identity(anonymous=True),
    ).case
    steps = {
        "accepted": lambda: services.case_accept(
            case=case, actor=cast.dispatcher, category=make_category()
        ),
        "dispatched": lambda: services.case_dispatch(
            case=case, actor=cast.dispatcher, unit=tree.area1
        ),
        "returned": lambda: services.case_return(case=case, actor=cast.handler, reason="非本单位"),
        "in_progress": lambda: services.case_sign(case=case, actor=cast.handler),
        "asking": lambda: services.case_extension_request(
            case=case, actor=cast.handler, until=LATER, reason="等待配件"
        ),
        "answered": lambda: services.case_answer(case=case, actor=cast.handler, text="已处理。"),
    }
    path = {
        "submitted": [],
        "accepted": ["accepted"],
        "dispatched": ["accepted", "dispatched"],
        "returned": ["accepted", "dispatched", "returned"],
        "in_progress": ["accepted", "dispatched", "in_progress"],
        "asking": ["accepted", "dispatched", "in_progress", "asking"],
        "answered": ["accepted", "dispatched", "in_progress", "answered"],
    }[state]
    for step in path:
        steps[step]()
    return Case.objects.get(pk=case.pk)


def api_client(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def post(client: Client, case: Case, action: str, body: dict[str, Any]) -> tuple[int, Any]:
    response = client.post(
        f"/api/v1/cases/{case.case_no}/{action}",
        json.dumps(body),
        content_type="application/json",
    )
    return response.status_code, response.json()


def body_for(action: str, tree: Tree) -> dict[str, Any]:
    body = dict(BODIES[action])
    if action == "merge":
        body["into"] = services.case_submit(
            unit=tree.team1,
            kind="demand",
            title="",
            text="夜班回来澡堂没有热水。",
            identity=services.Identity(anonymous=True),
        ).case.case_no
    return body


def trail(case: Case) -> tuple[str, int]:
    """Return what an action would change: the status and the number of events."""
    fresh = Case.objects.get(pk=case.pk)
    return fresh.status, CaseEvent.objects.filter(case=fresh).count()


@pytest.mark.parametrize("scope", ["inside", "outside"])
@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", list(MAY))
def test_every_action_by_every_role_inside_and_outside_its_scope(
    tree: Tree, cast: Cast, action: str, role: str, scope: str
) -> None:
    # Given the role held at company C1 (the case's origin and unit are below it) or at C2
    unit = tree.company1 if scope == "inside" else tree.company2
    client = api_client(make_staff(unit, ROLES[role]))
    ready_state, after, wrong_state = STATES[action]
    ready, wrong = case_in(tree, cast, ready_state), case_in(tree, cast, wrong_state)
    body = body_for(action, tree)
    before_ready, before_wrong = trail(ready), trail(wrong)

    # When the role tries the action on a case that allows it and on one that does not
    on_ready = post(client, ready, action, body)
    on_wrong = post(client, wrong, action, body)

    # Then the answer follows the tables, and a refused action changes nothing
    if scope == "outside":
        assert on_ready == on_wrong == (404, {"code": "not_found", "message": "未找到该对象。"})
    elif role not in MAY[action]:
        assert on_ready[0] == on_wrong[0] == 403
        assert on_ready[1]["code"] == "forbidden"
    else:
        assert on_ready[0] == 200, on_ready[1]
        assert on_ready[1]["case_no"] == ready.case_no
        assert on_ready[1]["status"] == after
        assert trail(ready)[1] > before_ready[1]
        assert on_wrong[0] == 409, on_wrong[1]
        assert on_wrong[1]["code"] == "invalid_transition"
    if on_ready[0] != 200:
        assert trail(ready) == before_ready
    assert trail(wrong) == before_wrong


# A case from team T1 (company C1) that the group sent to mine M2 (company C2): dispatching is
# decided where a case comes from, handling where it was sent, supervising and reading at either.
ACROSS: list[tuple[str, str, str, str, int]] = [
    # (role, held at, action, state, expected)
    ("handler", "company2", "sign", "dispatched", 200),
    ("handler", "company1", "sign", "dispatched", 403),
    ("head", "company2", "answer", "in_progress", 200),
    ("head", "company1", "answer", "in_progress", 403),
    ("dispatcher", "company1", "grant-extension", "asking", 200),
    ("dispatcher", "company2", "grant-extension", "asking", 403),
    ("supervisor", "company1", "supervise", "in_progress", 200),
    ("supervisor", "company2", "supervise", "in_progress", 200),
    ("leader", "company2", "note", "in_progress", 403),
    ("recorder", "mine1", "sign", "dispatched", 403),
    ("handler", "area1", "sign", "dispatched", 403),  # sees it where it came from
]


@pytest.mark.parametrize(("role", "held_at", "action", "state", "expected"), ACROSS)
def test_each_side_of_a_case_sent_to_another_company(
    tree: Tree, cast: Cast, role: str, held_at: str, action: str, state: str, expected: int
) -> None:
    # Given a case from T1 that the group's administrator dispatched to mine M2
    case = services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text="通勤班车经过二矿时太挤。",
        identity=services.Identity(anonymous=True),
    ).case
    services.case_accept(case=case, actor=cast.admin, category=make_category())
    services.case_dispatch(case=case, actor=cast.admin, unit=tree.mine2)
    m2_handler = make_staff(tree.mine2, Role.HANDLER)
    if state in {"in_progress", "asking"}:
        services.case_sign(case=case, actor=m2_handler)
    if state == "asking":
        services.case_extension_request(case=case, actor=m2_handler, until=LATER, reason="配件")
    client = api_client(make_staff(getattr(tree, held_at), ROLES[role]))

    # When the role holder acts
    status, _body = post(client, case, action, BODIES[action])

    # Then it is allowed on its side of the case only
    assert status == expected


def test_without_credentials_every_action_asks_for_them(tree: Tree, cast: Cast) -> None:
    case = case_in(tree, cast, "submitted")

    for action in MAY:
        status, body = post(Client(), case, action, BODIES[action])
        assert (status, body["code"]) == (401, "not_authenticated")
    assert trail(case) == ("submitted", 1)
