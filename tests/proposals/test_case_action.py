"""The case page offers 转为合理化建议 on a named 建议 voice to those who may record proposals,
and the button leads to the conversion; complaints, other users and converted voices get none."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_window, make_worker
from xinsheng.cases import services as case_services
from xinsheng.cases.choices import CaseKind, CaseStatus
from xinsheng.cases.models import Case
from xinsheng.org.choices import Role
from xinsheng.proposals.models import Proposal, Window

LINK = re.compile(r'<a class="button other-action" href="([^"]+)">转为合理化建议</a>')


def voice(tree: Tree, kind: str = CaseKind.SUGGESTION, *, anonymous: bool = False) -> Case:
    worker = make_worker(tree.team1, "刘师傅")
    identity = (
        case_services.Identity(anonymous=True)
        if anonymous
        else case_services.Identity(
            anonymous=False, name=worker.name, employee_no=worker.employee_no
        )
    )
    return case_services.case_submit_at(
        unit_code=tree.team1.code,
        kind=kind,
        title="建议主井皮带机加装二道清扫器",
        text="主井皮带机回程皮带粘煤严重，建议加装二道清扫器，减少撒煤和清理人工。",
        identity=identity,
    ).case


def page(client: Client, user: User, case: Case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.case_no]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def window(tree: Tree) -> Window:
    return make_window(tree.mine1, [])


@pytest.mark.django_db
def test_a_recorder_turns_a_suggestion_into_a_proposal_from_the_case_page(
    client: Client, tree: Tree, window: Window
) -> None:
    case = voice(tree)
    recorder = make_staff(tree.mine1, Role.RECORDER)

    links = LINK.findall(page(client, recorder, case))
    assert links == [f"/proposals/from-case/?case={case.case_no}"]

    form = client.get(links[0]).content.decode()
    assert f'value="{case.case_no}"' in form
    response = client.post(links[0], {"case_no": case.case_no, "window": window.pk})

    proposal = Proposal.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:detail", args=[proposal.proposal_no])
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert proposal.proposal_no in case.answer
    # Once converted, the case page offers it no more.
    assert not LINK.findall(page(client, recorder, case))


@pytest.mark.django_db
def test_a_complaint_gets_no_such_button(client: Client, tree: Tree, window: Window) -> None:
    case = voice(tree, CaseKind.COMPLAINT)
    recorder = make_staff(tree.mine1, Role.RECORDER)

    assert not LINK.findall(page(client, recorder, case))


@pytest.mark.django_db
def test_an_anonymous_or_closed_suggestion_gets_no_such_button(
    client: Client, tree: Tree, window: Window
) -> None:
    anonymous = voice(tree, anonymous=True)
    closed = voice(tree)
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    closed.refresh_from_db()
    recorder = make_staff(tree.mine1, Role.RECORDER)

    assert not LINK.findall(page(client, recorder, anonymous))
    assert not LINK.findall(page(client, recorder, closed))


@pytest.mark.django_db
def test_a_user_who_may_not_record_proposals_gets_no_such_button(
    client: Client, tree: Tree, window: Window
) -> None:
    case = voice(tree)
    leader = make_staff(tree.mine1, Role.LEADER)
    elsewhere = make_staff(tree.mine2, Role.RECORDER)
    group_leader = make_staff(tree.group, Role.LEADER, Role.RECORDER)

    html = page(client, leader, case)
    assert case.title in html  # the leader sees the case ...
    assert not LINK.findall(html)  # ... but may not record proposals
    assert LINK.findall(page(client, group_leader, case))
    client.force_login(elsewhere)
    assert client.get(reverse("cases:detail", args=[case.case_no])).status_code == 404


@pytest.mark.django_db
def test_the_button_costs_those_who_may_not_use_it_no_query(
    client: Client, tree: Tree, window: Window
) -> None:
    case = voice(tree)
    leader = make_staff(tree.mine1, Role.LEADER)
    recorder = make_staff(tree.mine1, Role.LEADER, Role.RECORDER)

    page(client, leader, case)  # warm the caches of the first request
    with CaptureQueriesContext(connection) as without:
        page(client, leader, case)
    with CaptureQueriesContext(connection) as with_button:
        html = page(client, recorder, case)

    assert LINK.findall(html)
    proposal_queries = [q for q in with_button if "proposals_proposal" in q["sql"]]
    assert len(proposal_queries) == 1
    assert not [q for q in without if "proposals_proposal" in q["sql"]]
