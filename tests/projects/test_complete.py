"""Finishing a project answers every linked voice at once, and each submitter can rate it."""

import pytest
from django.test import Client

from tests.cases.factories import answered, dispatched, make_cast, make_category, reload, submit
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.projects.factories import make_project
from xinsheng.cases import services as case_services
from xinsheng.cases.choices import CaseStatus, EventKind
from xinsheng.core.errors import Conflict, Forbidden
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.projects import services
from xinsheng.projects.choices import LinkOutcome, ProjectStatus
from xinsheng.projects.models import ProjectCase

pytestmark = pytest.mark.django_db

ANSWER = "新建停车场已投用，增设车位75个，欢迎使用。"


def _rate_on_follow_up(code: str) -> str:
    client = Client()
    page = client.post("/r/", {"code": code}).content.decode()
    assert ANSWER in page
    assert "评价答复" in page  # the rating form is open
    rated = client.post(
        "/r/", {"code": code, "action": "rate", "satisfaction": "satisfied", "solved": "yes"}
    )
    assert rated.status_code == 200
    return str(rated.content.decode())


def test_completing_a_project_answers_every_linked_case_and_each_submitter_rates_it(
    tree: Tree,
) -> None:
    cast = make_cast(tree)
    new = submit(tree, "停车位太少，上班找不到地方停车。")
    accepted = submit(tree, "电动车没地方充电，希望增设车棚。")
    case_services.case_accept(case=accepted.case, actor=cast.dispatcher, category=make_category())
    with_unit = dispatched(tree, cast)
    signed = dispatched(tree, cast)
    case_services.case_sign(case=signed.case, actor=cast.handler)
    project = make_project(cast.dispatcher, tree.company1)
    services.project_link_cases(
        actor=cast.dispatcher,
        project=project,
        cases=[new.case, accepted.case, with_unit.case, signed.case],
    )

    result = services.project_complete(actor=cast.dispatcher, project=project, answer=ANSWER)

    project.refresh_from_db()
    assert project.status == ProjectStatus.DONE
    assert project.progress == 100
    assert sorted(result.answered) == sorted(
        s.case.case_no for s in (new, accepted, with_unit, signed)
    )
    assert result.skipped == []
    for submitted in (new, accepted, with_unit, signed):
        case = reload(submitted.case)
        assert case.status == CaseStatus.ANSWERED
        assert case.answer == ANSWER
        answer_event = case.events.get(kind=EventKind.ANSWERED)
        assert answer_event.is_public
        assert answer_event.data["project"] == project.pk
        thanks = _rate_on_follow_up(submitted.receipt_code)
        assert "感谢您的评价" in thanks
        assert reload(submitted.case).status == CaseStatus.CLOSED
    # A case that was still new went through the loop's steps, in order, on the owner's behalf.
    kinds = list(reload(new.case).events.values_list("kind", flat=True))
    assert kinds[:5] == ["submitted", "accepted", "dispatched", "signed", "answered"]
    assert reload(new.case).responsible_unit == tree.company1
    assert AuditEvent.objects.filter(action="project.done", object_id=str(project.pk)).exists()


def test_the_receipt_api_lets_the_submitter_rate_the_project_answer(tree: Tree) -> None:
    cast = make_cast(tree)
    submitted = dispatched(tree, cast)
    project = make_project(cast.dispatcher, tree.company1)
    services.project_link_cases(actor=cast.dispatcher, project=project, cases=[submitted.case])
    services.project_complete(actor=cast.dispatcher, project=project, answer=ANSWER)

    client = Client()
    seen = client.get(f"/api/v1/receipts/{submitted.receipt_code}").json()
    assert seen["answer"]["text"] == ANSWER
    assert seen["can_rate"] is True
    rated = client.post(
        f"/api/v1/receipts/{submitted.receipt_code}/rating",
        {"satisfaction": "basically_satisfied", "solved": True},
        content_type="application/json",
    )
    assert rated.status_code == 200
    assert rated.json()["status"] == "closed"


def test_a_handler_who_manages_the_project_answers_through_the_loop_itself(tree: Tree) -> None:
    cast = make_cast(tree)
    submitted = dispatched(tree, cast)
    case_services.case_sign(case=submitted.case, actor=cast.handler)
    both = make_staff(tree.area1, Role.HANDLER, Role.DISPATCHER)
    project = make_project(both, tree.area1)
    services.project_link_cases(actor=both, project=project, cases=[submitted.case])

    services.project_complete(actor=both, project=project, answer=ANSWER)

    event = reload(submitted.case).events.get(kind=EventKind.ANSWERED)
    assert event.actor_id == both.pk
    assert reload(submitted.case).status == CaseStatus.ANSWERED


def test_cases_that_can_take_no_answer_are_skipped_and_said_so(tree: Tree) -> None:
    cast = make_cast(tree)
    waiting = answered(tree, cast)  # answered by its unit, waiting for its rating
    rejected = submit(tree, "这是一条与项目无关的内容。")
    case_services.case_reject(case=rejected.case, actor=cast.dispatcher, reason="重复反映")
    fresh = submit(tree)
    project = make_project(cast.dispatcher, tree.company1)
    services.project_link_cases(
        actor=cast.dispatcher, project=project, cases=[waiting.case, rejected.case, fresh.case]
    )

    result = services.project_complete(actor=cast.dispatcher, project=project, answer=ANSWER)

    assert result.answered == [fresh.case.case_no]
    assert {no for no, _why in result.skipped} == {waiting.case.case_no, rejected.case.case_no}
    assert reload(waiting.case).answer == "已安排夜班热饭。"  # its own answer stands
    outcomes = dict(ProjectCase.objects.values_list("case__case_no", "outcome"))
    assert outcomes[rejected.case.case_no] == LinkOutcome.SKIPPED


def test_only_project_managers_complete_and_only_once(tree: Tree) -> None:
    cast = make_cast(tree)
    project = make_project(cast.dispatcher, tree.company1)
    with pytest.raises(Forbidden):
        services.project_complete(actor=cast.handler, project=project, answer=ANSWER)
    outsider = make_staff(tree.company2, Role.DISPATCHER)
    with pytest.raises(Forbidden):
        services.project_complete(actor=outsider, project=project, answer=ANSWER)
    services.project_complete(actor=cast.dispatcher, project=project, answer=ANSWER)
    with pytest.raises(Conflict):
        services.project_complete(actor=cast.dispatcher, project=project, answer=ANSWER)
