"""Staff work pages: the action forms on a case, and the inboxes of each role."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
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
from tests.org.factories import make_staff, make_unit
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus, EventKind
from xinsheng.cases.models import Case, CaseEvent
from xinsheng.core.calendar import add_working_days
from xinsheng.core.models import Notification
from xinsheng.org.choices import Role


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def act_url(case: Case, action: str) -> str:
    return reverse("cases:act", args=[case.case_no, action])


def show(client: Client, case: Case, action: str) -> str:
    response = client.get(act_url(case, action))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def send(client: Client, case: Case, action: str, data: dict[str, Any]) -> HttpResponse:
    response: HttpResponse = client.post(act_url(case, action), data)
    return response


def done(client: Client, case: Case, action: str, data: dict[str, Any]) -> str:
    """Post the form of ``action``; return the case page it leads to (with its message)."""
    response = send(client, case, action, data)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("cases:detail", args=[case.case_no])
    return client.get(response["Location"]).content.decode()


def kinds(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def in_progress(tree: Tree, cast: Cast) -> Case:
    case = dispatched(tree, cast).case
    services.case_sign(case=case, actor=cast.handler)
    return reload(case)


def page(client: Client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


# --- Every action through its form --------------------------------------------------------------


def test_accept_shows_the_case_and_files_it_under_a_category(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a new voice and two categories
    case = submit(tree).case
    make_category()
    bus = make_category("bus", "通勤班车", days=3)
    as_user(client, cast.dispatcher)
    # when the dispatcher opens the accept form
    html = show(client, case, "accept")
    # then it shows the case itself and the categories to choose from
    assert case.case_no in html
    assert "食堂晚班没有热饭，希望延长供餐时间。" in html
    assert "通勤班车" in html
    # and sending it accepts the case, with a message on the case page
    html = done(client, case, "accept", {"category": "bus", "urgency": "urgent", "note": "核实"})
    case = reload(case)
    assert (case.status, case.category, case.urgency) == (CaseStatus.ACCEPTED, bus, "urgent")
    assert kinds(case)[-1] == EventKind.ACCEPTED
    assert "已受理，类别：通勤班车。" in html


def test_reject_says_the_reason_reaches_the_submitter(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = submit(tree).case
    as_user(client, cast.dispatcher)
    assert "原因将告知提出人" in show(client, case, "reject")
    html = done(client, case, "reject", {"reason": "属于个人劳动争议，请走仲裁渠道。"})
    case = reload(case)
    assert case.status == CaseStatus.REJECTED
    assert case.reject_reason == "属于个人劳动争议，请走仲裁渠道。"
    assert "已不予受理" in html


def test_merge_into_a_case_the_user_can_see(client: Client, tree: Tree, cast: Cast) -> None:
    target = submit(tree, "食堂夜班没有热饭菜。").case
    duplicate = submit(tree, "夜班食堂饭菜是凉的。").case
    as_user(client, cast.dispatcher)
    html = done(client, duplicate, "merge", {"into": target.case_no, "note": "重复"})
    duplicate = reload(duplicate)
    assert (duplicate.status, duplicate.merged_into) == (CaseStatus.MERGED, target)
    assert reload(target).supporters == 1
    assert f"已合并到 {target.case_no}" in html


def test_merge_refuses_a_case_out_of_sight_or_itself(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a case of the other company, which this dispatcher may not see
    elsewhere = services.case_submit(
        unit=tree.mine2,
        kind="demand",
        title="",
        text="二矿澡堂热水不够。",
        identity=services.Identity(anonymous=True),
    ).case
    case = submit(tree).case
    as_user(client, cast.dispatcher)
    response = send(client, case, "merge", {"into": elsewhere.case_no})
    assert response.status_code == 400
    assert "找不到该编号的诉求，或它不在您的范围内。" in response.content.decode()
    response = send(client, case, "merge", {"into": case.case_no})
    assert response.status_code == 400
    assert "不能合并到自身。" in response.content.decode()
    assert reload(case).status == CaseStatus.SUBMITTED


def test_dispatch_defaults_to_the_categorys_working_days(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given an accepted case in a category with 3 working days
    case = submit(tree).case
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category(days=3))
    expected = add_working_days(timezone.localdate(), 3)
    as_user(client, cast.dispatcher)
    # when the dispatcher opens the dispatch form, it offers that date and says why
    html = show(client, case, "dispatch")
    assert f'value="{expected.isoformat()}"' in html
    assert "默认 3 个工作日" in html
    assert reverse("org:unit_picker_options") in html  # the unit picker's look-up
    # when it is sent with the unit's code, the unit gets the case and is told
    with django_capture_on_commit_callbacks(execute=True):
        html = done(client, case, "dispatch", {"unit": "A1", "deadline": expected.isoformat()})
    case = reload(case)
    assert (case.status, case.responsible_unit, case.deadline) == (
        CaseStatus.DISPATCHED,
        tree.area1,
        expected,
    )
    assert f"已派单给综采一区，办理时限 {expected.isoformat()}。" in html
    assert Notification.objects.filter(user=cast.handler, text__contains="新派单").exists()


def test_dispatch_finds_a_unit_by_its_exact_name(client: Client, tree: Tree, cast: Cast) -> None:
    case = submit(tree).case
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    as_user(client, cast.dispatcher)
    deadline = add_working_days(timezone.localdate(), 5).isoformat()
    done(client, case, "dispatch", {"unit": "一矿", "deadline": deadline})
    assert reload(case).responsible_unit == tree.mine1


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ("NOPE", "找不到该单位"),
        ("M2", "找不到该单位"),  # the other company: not in this dispatcher's sight
        ("OLD", "该单位已停用，不能派单。"),
    ],
)
def test_dispatch_refuses_a_unit_it_cannot_use(
    client: Client, tree: Tree, cast: Cast, unit: str, message: str
) -> None:
    make_unit(tree.mine1, name="已撤销的区队", code="OLD", is_active=False)
    case = submit(tree).case
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    as_user(client, cast.dispatcher)
    deadline = add_working_days(timezone.localdate(), 5).isoformat()
    response = send(client, case, "dispatch", {"unit": unit, "deadline": deadline})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert reload(case).status == CaseStatus.ACCEPTED


def test_dispatch_refuses_a_deadline_in_the_past(client: Client, tree: Tree, cast: Cast) -> None:
    case = submit(tree).case
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    as_user(client, cast.dispatcher)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = send(client, case, "dispatch", {"unit": "A1", "deadline": yesterday})
    assert response.status_code == 400
    assert "办理时限不能早于今天。" in response.content.decode()
    response = send(client, case, "dispatch", {"unit": "A1", "deadline": "明天"})
    assert response.status_code == 400
    assert "请输入有效的日期" in response.content.decode()
    assert reload(case).status == CaseStatus.ACCEPTED


def test_sign_is_one_button(client: Client, tree: Tree, cast: Cast) -> None:
    case = dispatched(tree, cast).case
    as_user(client, cast.handler)
    assert "确认签收" in show(client, case, "sign")
    html = done(client, case, "sign", {})
    case = reload(case)
    assert (case.status, case.handler) == (CaseStatus.IN_PROGRESS, cast.handler)
    assert case.signed_at is not None
    assert "已签收" in html


def test_a_note_stays_internal(client: Client, tree: Tree, cast: Cast) -> None:
    case = in_progress(tree, cast)
    as_user(client, cast.head)
    assert "提出人看不到" in show(client, case, "note")
    done(client, case, "note", {"text": "已与食堂管理科联系。"})
    note = CaseEvent.objects.get(case=case, kind=EventKind.NOTE)
    assert (note.note, note.is_public, note.actor) == ("已与食堂管理科联系。", False, cast.head)


def test_answer_says_the_submitter_will_see_it(client: Client, tree: Tree, cast: Cast) -> None:
    case = in_progress(tree, cast)
    as_user(client, cast.handler)
    assert "答复将公开给提出人" in show(client, case, "answer")
    html = done(client, case, "answer", {"text": "夜班热饭已于本周一起供应。", "solved": "on"})
    case = reload(case)
    assert (case.status, case.answer, case.solved_by_unit) == (
        CaseStatus.ANSWERED,
        "夜班热饭已于本周一起供应。",
        True,
    )
    assert "已答复，等待提出人评价。" in html


def test_answer_without_the_checkbox_does_not_claim_it_solved(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = in_progress(tree, cast)
    done(as_user(client, cast.handler), case, "answer", {"text": "正在协调，下月解决。"})
    assert reload(case).solved_by_unit is False


def test_return_sends_it_back_to_the_dispatcher(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    case = dispatched(tree, cast).case
    as_user(client, cast.handler)
    with django_capture_on_commit_callbacks(execute=True):
        html = done(client, case, "return", {"reason": "食堂归后勤服务中心管理。"})
    assert reload(case).status == CaseStatus.RETURNED
    assert "已退单" in html
    assert Notification.objects.filter(user=cast.dispatcher, text__contains="退单").exists()
    # and the dispatcher's re-dispatch form shows why it came back
    as_user(client, cast.dispatcher)
    assert "食堂归后勤服务中心管理。" in show(client, case, "dispatch")


def test_extension_needs_a_later_date_and_a_reason(client: Client, tree: Tree, cast: Cast) -> None:
    case = in_progress(tree, cast)
    assert case.deadline is not None
    as_user(client, cast.handler)
    response = send(client, case, "extend", {"until": case.deadline.isoformat(), "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "延期日期须晚于当前办理时限。" in html
    assert "此项为必填项。" in html
    assert reload(case).extension_until is None
    later = case.deadline + dt.timedelta(days=10)
    html = done(client, case, "extend", {"until": later.isoformat(), "reason": "需采购设备。"})
    assert reload(case).extension_until == later
    assert f"已申请延期至 {later.isoformat()}" in html


def test_grant_and_refuse_an_extension(client: Client, tree: Tree, cast: Cast) -> None:
    case = in_progress(tree, cast)
    assert case.deadline is not None
    later = case.deadline + dt.timedelta(days=10)
    services.case_extension_request(case=case, actor=cast.handler, until=later, reason="采购")
    as_user(client, cast.dispatcher)
    html = show(client, case, "grant-extension")
    assert f"申请延期至 {later.isoformat()}：采购" in html
    html = done(client, case, "grant-extension", {"note": "同意"})
    assert (reload(case).deadline, reload(case).extension_until) == (later, None)
    assert f"已同意延期，办理时限改为 {later.isoformat()}。" in html

    even_later = later + dt.timedelta(days=10)
    services.case_extension_request(case=case, actor=cast.handler, until=even_later, reason="再等")
    done(client, case, "refuse-extension", {})
    assert (reload(case).deadline, reload(case).extension_until) == (later, None)
    assert kinds(case)[-1] == EventKind.EXTENSION_REFUSED


def test_supervise_counts_the_notice(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    case = in_progress(tree, cast)
    as_user(client, cast.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        html = done(client, case, "supervise", {"text": "请本周内答复职工。"})
    case = reload(case)
    assert case.supervision_count == 1
    assert kinds(case)[-1] == EventKind.SUPERVISED
    assert "已发出督办通知。" in html
    assert Notification.objects.filter(user=cast.handler, text__contains="督办通知").exists()


# --- Refusals ----------------------------------------------------------------------------------


def test_an_action_the_user_may_not_take_is_forbidden(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = submit(tree).case
    make_category()
    as_user(client, cast.handler)
    assert client.get(act_url(case, "accept")).status_code == 403
    assert send(client, case, "accept", {"category": "canteen"}).status_code == 403
    assert reload(case).status == CaseStatus.SUBMITTED
    # an action of the dispatcher's own, but not in this state, is not offered either
    as_user(client, cast.dispatcher)
    assert client.get(act_url(case, "sign")).status_code == 403
    assert kinds(case) == [EventKind.SUBMITTED]


def test_a_step_of_ones_own_opened_too_early_says_the_case_is_not_there_yet(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = submit(tree).case
    as_user(client, cast.dispatcher)
    response = client.get(act_url(case, "dispatch"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "这条诉求还没有受理（当前状态：待受理），受理后才能派单。" in html
    assert "无权" not in html
    assert 'type="submit" class="primary"' not in html  # nothing to send
    assert kinds(case) == [EventKind.SUBMITTED]


def test_a_case_out_of_scope_is_not_found(client: Client, tree: Tree, cast: Cast) -> None:
    case = submit(tree).case
    other = make_staff(tree.company2, Role.DISPATCHER)
    as_user(client, other)
    assert client.get(act_url(case, "accept")).status_code == 404
    assert send(client, case, "reject", {"reason": "不是本公司的"}).status_code == 404
    assert reload(case).status == CaseStatus.SUBMITTED
    as_user(client, cast.dispatcher)
    assert client.get(act_url(case, "fly")).status_code == 404
    assert client.get(reverse("cases:act", args=["2099-999999", "accept"])).status_code == 404


def test_the_forms_need_a_login(client: Client, tree: Tree) -> None:
    case = submit(tree).case
    response = client.get(act_url(case, "accept"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("reject", {"reason": "   "}, "此项为必填项。"),
        ("reject", {"reason": "长" * 501}, "内容不能超过500字。"),
        ("accept", {"category": "nope"}, "请从列表中选择类别。"),
        ("accept", {"category": "canteen", "urgency": "whenever"}, "选择一个有效的选项"),
    ],
)
def test_bad_input_is_shown_in_chinese_and_changes_nothing(
    client: Client, tree: Tree, cast: Cast, action: str, data: dict[str, Any], message: str
) -> None:
    case = submit(tree).case
    make_category()
    as_user(client, cast.dispatcher)
    response = send(client, case, action, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert reload(case).status == CaseStatus.SUBMITTED
    assert kinds(case) == [EventKind.SUBMITTED]


def test_a_long_note_is_refused(client: Client, tree: Tree, cast: Cast) -> None:
    case = in_progress(tree, cast)
    response = send(as_user(client, cast.handler), case, "note", {"text": "记" * 2001})
    assert response.status_code == 400
    assert "内容不能超过2000字。" in response.content.decode()
    assert EventKind.NOTE not in kinds(case)


def test_a_stale_form_shows_who_acted_first(client: Client, tree: Tree, cast: Cast) -> None:
    # given two dispatchers who both opened the accept form of one case
    case = submit(tree).case
    canteen = make_category()
    bus = make_category("bus", "通勤班车")
    other = make_staff(tree.company1, Role.DISPATCHER)
    show(as_user(client, cast.dispatcher), case, "accept")
    # when the other accepts first, and then the first sends the form
    services.case_accept(case=case, actor=other, category=bus)
    response = send(client, case, "accept", {"category": "canteen", "urgency": "normal"})
    # then the form says what happened, the case is as the other left it, nothing is added
    assert response.status_code == 409
    html = response.content.decode()
    assert "当前状态为“已受理”，不能执行此操作。" in html
    assert "该诉求当前已不能执行此操作。" in html  # no button to try again
    case = reload(case)
    assert case.category == bus != canteen
    assert kinds(case) == [EventKind.SUBMITTED, EventKind.ACCEPTED]


def test_two_handlers_cannot_both_sign(client: Client, tree: Tree, cast: Cast) -> None:
    case = dispatched(tree, cast).case
    done(as_user(client, cast.head), case, "sign", {})
    response = send(as_user(client, cast.handler), case, "sign", {})
    assert response.status_code == 409
    assert "当前状态为“办理中”" in response.content.decode()
    assert reload(case).handler == cast.head
    assert kinds(case).count(EventKind.SIGNED) == 1


def test_a_second_extension_request_is_a_conflict_with_the_text_kept(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = in_progress(tree, cast)
    assert case.deadline is not None
    later = (case.deadline + dt.timedelta(days=5)).isoformat()
    show(as_user(client, cast.handler), case, "extend")
    services.case_extension_request(
        case=case, actor=cast.head, until=case.deadline + dt.timedelta(days=3), reason="等配件"
    )
    response = send(client, case, "extend", {"until": later, "reason": "需采购设备，请宽限。"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "已有待审批的延期申请。" in html
    assert "需采购设备，请宽限。" in html  # what was typed is kept


# --- Inboxes -----------------------------------------------------------------------------------


def test_the_dispatcher_inbox_has_a_section_per_kind_of_work(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a new case, an accepted one, a returned one, an extension request, and a closed one
    new = submit(tree, "澡堂热水不够用。").case
    accepted = submit(tree, "通勤班车太挤了。").case
    services.case_accept(case=accepted, actor=cast.dispatcher, category=make_category())
    returned = dispatched(tree, cast).case
    services.case_return(case=returned, actor=cast.handler, reason="不归我们管。")
    asking = in_progress(tree, cast)
    assert asking.deadline is not None
    services.case_extension_request(
        case=asking, actor=cast.handler, until=asking.deadline + dt.timedelta(days=9), reason="等"
    )
    done_case = answered(tree, cast).case
    elsewhere = services.case_submit(
        unit=tree.mine2,
        kind="demand",
        title="二矿食堂",
        text="二矿食堂饭菜太咸。",
        identity=services.Identity(anonymous=True),
    ).case
    # when the dispatcher opens the inbox
    html = page(as_user(client, cast.dispatcher), "cases:dispatcher_inbox")
    # then each kind of work has its section with a count and quick actions
    for title in ("待受理", "待派单", "退单待重新派单", "延期申请待审批"):
        assert title in html
    for case, action in (
        (new, "accept"),
        (new, "reject"),
        (new, "merge"),
        (accepted, "dispatch"),
        (returned, "dispatch"),
        (asking, "grant-extension"),
        (asking, "refuse-extension"),
    ):
        assert act_url(case, action) in html
    assert "重新派单" in html
    assert asking.deadline + dt.timedelta(days=9) == reload(asking).extension_until
    assert (asking.deadline + dt.timedelta(days=9)).isoformat() in html
    assert done_case.case_no not in html
    assert elsewhere.case_no not in html
    # on a phone the rows turn into cards (and a wide table scrolls)
    assert '<div class="table-wrap">' in html
    assert 'data-label="操作"' in html
    # an anonymous voice from a small team shows a bigger unit as its origin
    assert "综采一区一班" not in html


def test_the_dispatcher_inbox_lists_oldest_first(client: Client, tree: Tree, cast: Cast) -> None:
    first = submit(tree, "第一条：澡堂热水不够用。").case
    second = submit(tree, "第二条：通勤班车太挤了。").case
    html = page(as_user(client, cast.dispatcher), "cases:dispatcher_inbox")
    assert html.index(first.case_no) < html.index(second.case_no)


def test_the_handler_inbox_puts_the_soonest_due_first_and_marks_late_ones(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given three cases of the area: one overdue, one due today, one due in a week
    today = timezone.localdate()
    category = make_category()

    def dispatched_until(text: str, due: dt.date) -> Case:
        case = submit(tree, text).case
        services.case_accept(case=case, actor=cast.dispatcher, category=category)
        services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1, deadline=due)
        return case

    late = dispatched_until("已经超期的诉求。", today)
    services.case_sign(case=late, actor=cast.handler)
    services.cases_mark_overdue(today=today + dt.timedelta(days=1))
    later = dispatched_until("一周后到期的诉求。", today + dt.timedelta(days=7))
    due_today = dispatched_until("今天到期的诉求。", today)
    # and one of the mine, which the area's handler does not hold
    mine_case = submit(tree, "矿上的诉求。").case
    services.case_accept(case=mine_case, actor=cast.dispatcher, category=category)
    services.case_dispatch(case=mine_case, actor=cast.dispatcher, unit=tree.mine1)
    # when the handler opens the inbox
    html = page(as_user(client, cast.handler), "cases:handler_inbox")
    # then the soonest due come first, the overdue and due-today ones stand out
    assert html.index(late.case_no) < html.index(due_today.case_no) < html.index(later.case_no)
    assert '<tr class="overdue">' in html
    assert '<tr class="due-today">' in html
    assert "今日到期" in html
    assert "超期" in html
    assert act_url(later, "sign") in html
    assert act_url(late, "answer") in html
    assert mine_case.case_no not in html


def test_the_handler_inbox_shows_supervision_notices(
    client: Client, tree: Tree, cast: Cast
) -> None:
    case = in_progress(tree, cast)
    services.case_supervise(case=case, actor=cast.supervisor, text="请尽快办理。")
    html = page(as_user(client, cast.handler), "cases:handler_inbox")
    assert "督办 1 次" in html


def test_the_supervision_page_lists_overdue_reopened_and_escalated(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given an overdue case, a reopened one, an escalated one, and one on time
    late = in_progress(tree, cast)
    assert late.deadline is not None
    services.cases_mark_overdue(today=late.deadline + dt.timedelta(days=1))
    services.case_supervise(case=reload(late), actor=cast.supervisor, text="抓紧。")
    reopened = answered(tree, cast)
    services.case_rate(receipt_code=reopened.receipt_code, satisfaction="unsatisfied", solved=False)
    escalated = answered(tree, cast)
    for _round in range(3):
        services.case_rate(
            receipt_code=escalated.receipt_code, satisfaction="unsatisfied", solved=False
        )
        if reload(escalated.case).status == CaseStatus.IN_PROGRESS:
            services.case_answer(case=escalated.case, actor=cast.handler, text="再次答复。")
    assert reload(escalated.case).escalated
    on_time = dispatched(tree, cast).case
    # when the supervisor opens the page
    html = page(as_user(client, cast.supervisor), "cases:supervision")
    # then the three are there with their reasons, counts and 督办 links; the fourth is not
    for case in (late, reopened.case, escalated.case):
        assert act_url(case, "supervise") in html
    assert "重办 1 次" in html
    assert "多次不满意，已转督办" in html
    assert on_time.case_no not in html
    assert "<strong>1</strong>" in html


def test_inboxes_are_empty_for_someone_without_the_role(client: Client, tree: Tree) -> None:
    recorder = make_staff(tree.area1, Role.RECORDER)
    case = submit(tree).case
    as_user(client, recorder)
    for name in ("cases:dispatcher_inbox", "cases:handler_inbox", "cases:supervision"):
        assert case.case_no not in page(client, name)
