"""The closed loop through its services: every step, its event, and the rules that guard it."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.cases.factories import (
    Cast,
    answered,
    dispatched,
    make_cast,
    make_category,
    reload,
    submit,
)
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus, CloseReason, EventKind
from xinsheng.cases.models import CaseEvent
from xinsheng.cases.selectors import case_actions_for, case_rating_open_for, intake_unit_get
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.core.models import Notification
from xinsheng.org.choices import Role


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def kinds(case: object) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_a_voice_goes_round_the_whole_loop(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # Given an anonymous voice from team T1
    submitted = submit(tree)
    case = submitted.case
    assert case.status == CaseStatus.SUBMITTED
    assert case.title == "食堂晚班没有热饭，希望延长供餐时间"
    assert services.case_for_receipt(submitted.receipt_code) == case

    # When the dispatcher accepts and dispatches it, the unit signs, answers, and it is rated
    category = make_category(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_accept(case=case, actor=cast.dispatcher, category=category)
        services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
        services.case_sign(case=case, actor=cast.handler)
        services.case_note(case=case, actor=cast.handler, text="已联系食堂。")
        services.case_answer(case=case, actor=cast.handler, text="夜班热饭已安排。", solved=True)
        services.case_rate(
            receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True
        )

    # Then it is closed as rated, and every step is an event
    case = reload(case)
    assert case.status == CaseStatus.CLOSED
    assert case.close_reason == CloseReason.RATED
    assert case.responsible_unit == tree.area1
    assert kinds(case) == [
        "submitted",
        "accepted",
        "dispatched",
        "signed",
        "note",
        "answered",
        "rated",
        "closed",
    ]
    # The unit was told about the dispatch and the rating
    texts = list(Notification.objects.filter(user=cast.handler).values_list("text", flat=True))
    assert any("新派单" in t for t in texts)
    assert any("群众评价" in t for t in texts)


def test_an_anonymous_case_keeps_no_identity(tree: Tree) -> None:
    case = services.case_submit(
        unit=tree.team1,
        kind="complaint",
        title="",
        text="班组长经常骂人，希望处理。",
        identity=services.Identity(anonymous=True, name="王强", employee_no="JT1", phone="1390"),
    ).case
    assert (case.submitter_name, case.submitter_employee_no, case.submitter_phone) == ("", "", "")
    assert case.receipt_hash is not None
    assert len(case.receipt_hash) == 64


def test_a_double_tap_makes_one_case_with_the_same_receipt(tree: Tree) -> None:
    identity = services.Identity(anonymous=True)
    first = services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text="澡堂热水不够用。",
        identity=identity,
        intake_key="k-123",
    )
    again = services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text="澡堂热水不够用。",
        identity=identity,
        intake_key="k-123",
    )
    assert (again.case.pk, again.receipt_code, again.created) == (
        first.case.pk,
        first.receipt_code,
        False,
    )


@pytest.mark.parametrize("text", ["", "太短", "字" * 2001])
def test_bad_text_is_refused_and_nothing_saved(tree: Tree, text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        services.case_submit(
            unit=tree.team1,
            kind="demand",
            title="",
            text=text,
            identity=services.Identity(anonymous=True),
        )
    assert "text" in error.value.fields
    assert not services.Case.objects.exists()


def test_a_disabled_or_rotated_code_takes_no_voice(tree: Tree, cast: Cast) -> None:
    point = services.intake_point_set(actor=cast.dispatcher, unit=tree.team1, rotate=True)
    with pytest.raises(Conflict) as rotated:
        services.case_submit(
            unit=intake_unit_get("T1"),
            kind="demand",
            title="",
            text="旧海报上的二维码",
            identity=services.Identity(anonymous=True),
            token="OLDTOKEN",
        )
    assert rotated.value.code == "intake_code_rotated"
    services.case_submit(
        unit=intake_unit_get("T1"),
        kind="demand",
        title="",
        text="新海报上的二维码",
        identity=services.Identity(anonymous=True),
        token=point.token,
    )
    services.intake_point_set(actor=cast.dispatcher, unit=tree.team1, enabled=False)
    with pytest.raises(Conflict):
        services.case_submit(
            unit=intake_unit_get("T1"),
            kind="demand",
            title="",
            text="停用后再提交",
            identity=services.Identity(anonymous=True),
        )


def test_the_deadline_counts_working_days_from_dispatch(
    tree: Tree, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dispatched on Friday 13 Feb 2026 with 3 working days: due Wednesday 25 Feb
    monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 2, 13))
    case = dispatched(tree, cast, make_category(days=3)).case
    case = reload(case)
    assert case.deadline == dt.date(2026, 2, 25)
    assert case.response_deadline == dt.date(2026, 2, 14)  # a make-up Saturday


def test_unsatisfied_reopens_twice_then_goes_to_supervision(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    submitted = answered(tree, cast)
    case = submitted.case
    for round_ in (1, 2):
        services.case_rate(
            receipt_code=submitted.receipt_code, satisfaction="unsatisfied", solved=False
        )
        case = reload(case)
        assert (case.status, case.reopen_count) == (CaseStatus.IN_PROGRESS, round_)
        services.case_answer(case=case, actor=cast.handler, text=f"第{round_ + 1}次答复")
    with django_capture_on_commit_callbacks(execute=True):
        services.case_rate(
            receipt_code=submitted.receipt_code, satisfaction="unsatisfied", solved=False
        )
    case = reload(case)
    assert (case.status, case.close_reason, case.escalated) == (
        CaseStatus.CLOSED,
        CloseReason.SUPERVISION,
        True,
    )
    assert Notification.objects.filter(user=cast.supervisor, text__contains="转督办").exists()
    # The supervisor's notice reopens it for the unit
    services.case_supervise(case=case, actor=cast.supervisor, text="请分管领导牵头解决。")
    case = reload(case)
    assert (case.status, case.supervision_count, case.escalated) == (
        CaseStatus.IN_PROGRESS,
        1,
        False,
    )


def test_one_rating_per_answer(tree: Tree, cast: Cast) -> None:
    submitted = answered(tree, cast)
    services.case_rate(receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True)
    with pytest.raises(Conflict) as again:
        services.case_rate(
            receipt_code=submitted.receipt_code, satisfaction="unsatisfied", solved=False
        )
    assert again.value.code == "already_rated"


def test_a_wrong_receipt_looks_like_a_missing_one(tree: Tree) -> None:
    submit(tree)
    with pytest.raises(NotFound) as wrong:
        services.case_for_receipt("AAAA-BBBB-CCCC-DDDD-EEEE")
    with pytest.raises(NotFound) as junk:
        services.case_for_receipt("nonsense")
    assert str(wrong.value) == str(junk.value)


def test_a_merged_case_follows_its_target_and_its_submitter_can_rate(
    tree: Tree, cast: Cast
) -> None:
    target = dispatched(tree, cast)
    duplicate = submit(tree, "食堂夜班没饭吃，请解决。")
    services.case_merge(case=duplicate.case, actor=cast.dispatcher, into=target.case)
    assert reload(duplicate.case).status == CaseStatus.MERGED
    assert reload(target.case).supporters == 1
    services.case_sign(case=target.case, actor=cast.handler)
    services.case_answer(case=target.case, actor=cast.handler, text="已解决。", solved=True)
    # The merged submitter sees the target's answer and rates it
    followed = services.case_for_receipt(duplicate.receipt_code).followed_case
    assert followed.answer == "已解决。"
    services.case_rate(receipt_code=duplicate.receipt_code, satisfaction="satisfied", solved=True)
    assert reload(target.case).status == CaseStatus.CLOSED


def test_return_and_redispatch(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    case = dispatched(tree, cast).case
    with django_capture_on_commit_callbacks(execute=True):
        services.case_return(case=case, actor=cast.handler, reason="属于后勤服务中心职责。")
    assert reload(case).status == CaseStatus.RETURNED
    assert Notification.objects.filter(user=cast.dispatcher, text__contains="退单").exists()
    services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.mine1)
    assert reload(case).responsible_unit == tree.mine1


def test_extension_requested_granted_and_refused(tree: Tree, cast: Cast) -> None:
    case = dispatched(tree, cast).case
    services.case_sign(case=case, actor=cast.handler)
    case = reload(case)
    later = case.deadline + dt.timedelta(days=10)
    with pytest.raises(InvalidInput):
        services.case_extension_request(
            case=case, actor=cast.handler, until=case.deadline, reason="需要采购"
        )
    services.case_extension_request(case=case, actor=cast.handler, until=later, reason="需要采购")
    services.case_extension_grant(case=case, actor=cast.dispatcher)
    assert reload(case).deadline == later
    services.case_extension_request(
        case=case, actor=cast.handler, until=later + dt.timedelta(days=5), reason="再延"
    )
    services.case_extension_refuse(case=case, actor=cast.dispatcher, note="不同意")
    case = reload(case)
    assert (case.deadline, case.extension_until) == (later, None)


@pytest.mark.parametrize(
    ("step", "who"),
    [
        ("accept", "handler"),
        ("accept", "recorder"),
        ("dispatch", "handler"),
        ("sign", "dispatcher"),
        ("answer", "dispatcher"),
        ("answer", "supervisor"),
        ("supervise", "handler"),
        ("reject", "head"),
    ],
)
def test_roles_that_may_not_do_a_step_are_refused(
    tree: Tree, cast: Cast, step: str, who: str
) -> None:
    submitted = dispatched(tree, cast) if step in {"sign", "answer", "supervise"} else submit(tree)
    case = submitted.case
    actor = getattr(cast, who)
    calls = {
        "accept": lambda: services.case_accept(case=case, actor=actor, category=make_category()),
        "dispatch": lambda: services.case_dispatch(case=case, actor=actor, unit=tree.area1),
        "sign": lambda: services.case_sign(case=case, actor=actor),
        "answer": lambda: services.case_answer(case=case, actor=actor, text="答复"),
        "supervise": lambda: services.case_supervise(case=case, actor=actor, text="督办"),
        "reject": lambda: services.case_reject(case=case, actor=actor, reason="不属实"),
    }
    before = kinds(case)
    with pytest.raises(Forbidden):
        calls[step]()
    assert kinds(case) == before


def test_a_unit_outside_scope_may_not_act(tree: Tree, cast: Cast) -> None:
    case = dispatched(tree, cast).case
    stranger = make_staff(tree.mine2, Role.HANDLER)
    with pytest.raises(Forbidden):
        services.case_sign(case=case, actor=stranger)


@pytest.mark.parametrize(
    ("state", "step"),
    [
        ("submitted", "dispatch"),
        ("returned", "sign"),
        ("returned", "answer"),
        ("dispatched", "accept"),
        ("dispatched", "answer"),
        ("closed", "answer"),
        ("closed", "sign"),
        ("closed", "reject"),
    ],
)
def test_forbidden_transitions_are_refused(tree: Tree, cast: Cast, state: str, step: str) -> None:
    if state == "submitted":
        submitted = submit(tree)
        services.case_accept(
            case=submitted.case, actor=cast.dispatcher, category=make_category()
        ) if step == "dispatch" else None
        if step == "dispatch":
            services.case_reject(case=submitted.case, actor=cast.dispatcher, reason="重复")
    elif state == "dispatched":
        submitted = dispatched(tree, cast)
    elif state == "returned":
        submitted = dispatched(tree, cast)
        services.case_return(case=submitted.case, actor=cast.handler, reason="不属于本单位")
    else:
        submitted = answered(tree, cast)
        services.case_rate(
            receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True
        )
    case = reload(submitted.case)
    calls = {
        "dispatch": lambda: services.case_dispatch(
            case=case, actor=cast.dispatcher, unit=tree.area1
        ),
        "sign": lambda: services.case_sign(case=case, actor=cast.handler),
        "answer": lambda: services.case_answer(case=case, actor=cast.handler, text="答复"),
        "accept": lambda: services.case_accept(
            case=case, actor=cast.dispatcher, category=make_category("x", "其他")
        ),
        "reject": lambda: services.case_reject(case=case, actor=cast.dispatcher, reason="重复"),
    }
    status_before = case.status
    with pytest.raises(Conflict) as error:
        calls[step]()
    assert error.value.code == "invalid_transition"
    assert reload(case).status == status_before


def test_two_people_acting_at_once_cannot_both_succeed(tree: Tree, cast: Cast) -> None:
    # Given the handler and the head both holding the same stale copy of a dispatched case
    case = dispatched(tree, cast).case
    stale = reload(case)
    services.case_sign(case=case, actor=cast.handler)
    # Then the second signature sees the new state and is refused
    with pytest.raises(Conflict):
        services.case_sign(case=stale, actor=cast.head)
    assert kinds(case).count(EventKind.SIGNED) == 1


def test_the_sweep_marks_overdue_reminds_and_closes_unrated(tree: Tree, cast: Cast) -> None:
    case = dispatched(tree, cast).case
    case = reload(case)
    assert case.deadline is not None
    assert services.cases_remind_due(today=case.deadline - dt.timedelta(days=1)) in {0, 1}
    assert services.cases_mark_overdue(today=case.deadline + dt.timedelta(days=1)) == 1
    assert services.cases_mark_overdue(today=case.deadline + dt.timedelta(days=2)) == 0
    assert reload(case).is_overdue
    rated_later = answered(tree, cast)
    closed = services.cases_close_unrated(now=timezone.now() + dt.timedelta(days=8))
    assert closed == 1
    assert reload(rated_later.case).close_reason == CloseReason.NOT_RATED


def test_the_notebook_records_a_voice_heard_face_to_face(tree: Tree, cast: Cast) -> None:
    submitted = services.case_record(
        actor=cast.recorder,
        unit=tree.team1,
        channel="face",
        kind="suggestion",
        title="",
        text="建议井口增设自动烘干机。",
        identity=services.Identity(anonymous=False, name="李明", employee_no="JT0002"),
        heard_on=timezone.localdate(),
        heard_place="区队会议室",
    )
    case = submitted.case
    assert (case.channel, case.recorded_by, case.submitter_name) == ("face", cast.recorder, "李明")
    with pytest.raises(Forbidden):
        services.case_record(
            actor=cast.recorder,
            unit=tree.mine2,
            channel="face",
            kind="demand",
            title="",
            text="外单位的声音不能记",
            identity=services.Identity(anonymous=True),
        )


def test_the_actions_offered_follow_role_and_state(tree: Tree, cast: Cast) -> None:
    case = submit(tree).case
    assert case_actions_for(actor=cast.dispatcher, case=case) == ["accept", "reject", "merge"]
    assert case_actions_for(actor=cast.handler, case=case) == []
    case = reload(dispatched(tree, cast).case)
    assert case_actions_for(actor=cast.handler, case=case) == ["sign", "note", "return", "extend"]
    assert case_actions_for(actor=cast.supervisor, case=case) == ["supervise"]


def test_a_follower_of_a_merged_case_may_rate_after_the_first_submitter(
    tree: Tree, cast: Cast
) -> None:
    target = dispatched(tree, cast)
    follower = submit(tree, "夜班食堂没有热饭。")
    services.case_merge(case=follower.case, actor=cast.dispatcher, into=target.case)
    services.case_sign(case=target.case, actor=cast.handler)
    services.case_answer(case=target.case, actor=cast.handler, text="已安排。", solved=True)
    services.case_rate(receipt_code=target.receipt_code, satisfaction="satisfied", solved=True)

    assert not case_rating_open_for(via=reload(target.case))
    assert case_rating_open_for(via=reload(follower.case))
    services.case_rate(
        receipt_code=follower.receipt_code, satisfaction="basically_satisfied", solved=True
    )
    assert not case_rating_open_for(via=reload(follower.case))
    assert reload(target.case).ratings.count() == 2


def test_an_answer_after_a_supervision_notice_can_be_rated(tree: Tree, cast: Cast) -> None:
    # Given a case escalated after three 不满意 and reopened by a supervision notice
    submitted = answered(tree, cast)
    for round_ in (1, 2, 3):
        services.case_rate(
            receipt_code=submitted.receipt_code, satisfaction="unsatisfied", solved=False
        )
        if round_ < 3:
            services.case_answer(case=submitted.case, actor=cast.handler, text=f"答复{round_}")
    services.case_supervise(case=submitted.case, actor=cast.supervisor, text="限期解决。")
    # When the unit answers again
    services.case_answer(case=submitted.case, actor=cast.handler, text="已彻底解决。", solved=True)
    # Then the employee can rate that answer, and the case closes
    assert case_rating_open_for(via=reload(submitted.case))
    services.case_rate(receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True)
    assert reload(submitted.case).status == CaseStatus.CLOSED
    assert reload(submitted.case).ratings.count() == 4
