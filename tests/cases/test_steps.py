"""The table of steps and what is derived from it.

The allowed moves are written out here, independently of the table: a change to the loop must
change both.
"""

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases import steps, workflow
from xinsheng.cases.api.actions import ACTION_VIEWS
from xinsheng.cases.choices import CaseStatus as S
from xinsheng.cases.models import Case
from xinsheng.cases.plugins import ACTIONS
from xinsheng.cases.work.views import ACTIONS as PAGES

EXPECTED_MOVES: dict[S, set[S]] = {
    S.SUBMITTED: {S.ACCEPTED, S.REJECTED, S.MERGED},
    S.ACCEPTED: {S.DISPATCHED, S.REJECTED, S.MERGED},
    S.RETURNED: {S.DISPATCHED, S.REJECTED, S.MERGED},
    S.DISPATCHED: {S.IN_PROGRESS, S.RETURNED},
    S.IN_PROGRESS: {S.ANSWERED, S.RETURNED},
    S.ANSWERED: {S.CLOSED, S.IN_PROGRESS},
    S.CLOSED: {S.IN_PROGRESS},  # a supervision notice reopens a case closed for supervision
    S.REJECTED: set(),
    S.MERGED: set(),
}


def test_the_moves_follow_from_the_steps() -> None:
    assert workflow.TRANSITIONS == EXPECTED_MOVES


def test_every_staff_step_has_its_permission_unit_page_and_endpoint() -> None:
    names = [step.name for step in steps.STAFF_STEPS]
    assert list(PAGES) == names
    assert list(ACTION_VIEWS) == names
    for step in steps.STAFF_STEPS:
        assert ACTIONS[step.permission] == step.roles
        assert case_permissions.BASIS[step.permission] == step.basis


def test_the_main_line_moves_one_stage_on() -> None:
    line = ["accept", "dispatch", "sign", "answer", "close"]
    for name in line:
        step = steps.STEP[name]
        for state in step.start - {S.RETURNED}:
            target = step.target(state)
            assert target is not None
            assert workflow.STAGE_ORDER[target] == workflow.STAGE_ORDER[state] + 1


def test_guards_are_functions_of_the_case_alone() -> None:
    case = Case(status=S.IN_PROGRESS, reopen_count=0)
    assert steps.STEP["extend"].open_for(case)
    assert not steps.STEP["grant-extension"].open_for(case)
    case.reopen_count = steps.MAX_REOPENINGS
    case.status = S.ANSWERED
    assert not steps.STEP["reopen"].open_for(case)
    case.status = S.CLOSED
    assert not steps.STEP["supervise"].open_for(case)
    case.escalated = True
    assert steps.STEP["supervise"].open_for(case)
    assert steps.STEP["supervise"].target(case.status) == S.IN_PROGRESS
