"""Staff open and change collection windows (征集活动) from a page: every field checked with a
clear message, nothing written on bad input, and nothing changed that would leave scores or
rewards the window no longer explains."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_evaluator, make_window, make_worker, submit
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.proposals import services
from xinsheng.proposals.models import Proposal, Window

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def form_data(**extra: Any) -> dict[str, Any]:
    return {
        "title": "2027年度降本增效金点子征集",
        "unit": "一矿",
        "unit_choice": "M1",
        "opens_on": "2027-01-01",
        "closes_on": "2027-03-31",
        "categories": "安全生产\n降本增效、技术革新",
        "criteria": "innovation 创新性 30\nfeasibility 可行性 30\nbenefit 效益 40",
        "tiers": "first 一等奖 3000.50\nsecond 二等奖 1000",
        "committee": "",
        "notice_days": "7",
        "note": "",
        **extra,
    }


def test_a_dispatcher_opens_a_window_from_the_windows_page(tree: Tree) -> None:
    dispatcher = make_staff(tree.mine1, Role.DISPATCHER)
    _user, member = make_evaluator(tree.mine1, name="李评委")
    client = signed_in(dispatcher)
    listing = client.get(reverse("proposals:windows")).content.decode()
    assert reverse("proposals:window_new") in listing
    page = client.get(reverse("proposals:window_new"))
    assert page.status_code == 200
    assert "viewport" in page.content.decode()

    response = client.post(reverse("proposals:window_new"), form_data(committee=member.employee_no))

    assert response.status_code == 302
    window = Window.objects.get()
    assert window.unit == tree.mine1
    assert window.categories == ["安全生产", "降本增效", "技术革新"]
    assert window.criteria[2] == {"code": "benefit", "name": "效益", "max": 40}
    assert window.tiers[0]["amount"] == "3000.50"
    assert list(window.committee.all()) == [member]
    assert window.notice_days == 7
    assert AuditEvent.objects.filter(action="proposal.window.create").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "请填写活动名称"),
        ("unit", "没有这个单位", "找不到该单位"),
        ("closes_on", "2026-12-01", "截止日期不能早于开始日期"),
        ("opens_on", "明天", "请输入有效的日期"),
        ("categories", " \n ", "请至少设定一个类别"),
        ("criteria", "innovation 创新性 300", "满分为1至100的整数"),
        ("criteria", "innovation 创新性 30\ninnovation 新颖 20", "代码不能重复"),
        ("tiers", "first 一等奖 三千", "须为金额"),
        ("tiers", "first 一等奖 10.005", "最多保留两位小数"),
        ("tiers", "first 一等奖", "代码 名称 奖金"),
        ("committee", "NO-SUCH-9", "找不到工号为“NO-SUCH-9”的职工"),
        ("notice_days", "45", "公示天数须为1至30天"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    tree: Tree, field: str, value: str, message: str
) -> None:
    client = signed_in(make_staff(tree.mine1, Role.DISPATCHER))
    extra = {field: value, "unit_choice": ""} if field == "unit" else {field: value}

    response = client.post(reverse("proposals:window_new"), form_data(**extra))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Window.objects.exists()


def test_staff_without_the_right_or_the_scope_cannot_open_or_change_a_window(tree: Tree) -> None:
    window = make_window(tree.mine1, [])
    recorder = signed_in(make_staff(tree.mine1, Role.RECORDER))
    assert recorder.get(reverse("proposals:window_new")).status_code == 403
    assert reverse("proposals:window_new") not in (
        recorder.get(reverse("proposals:windows")).content.decode()
    )
    edit = reverse("proposals:window_edit", args=[window.pk])
    assert recorder.post(edit, form_data(title="改名")).status_code == 403

    other = signed_in(make_staff(tree.mine2, Role.DISPATCHER))
    assert other.get(edit).status_code == 404
    response = other.post(reverse("proposals:window_new"), form_data())
    assert "找不到该单位" in response.content.decode()
    assert Window.objects.count() == 1
    window.refresh_from_db()
    assert window.title != "改名"


def test_a_window_is_edited_and_its_change_is_audited(tree: Tree) -> None:
    window = make_window(tree.mine1, [])
    client = signed_in(make_staff(tree.mine1, Role.DISPATCHER))
    edit = reverse("proposals:window_edit", args=[window.pk])
    page = client.get(edit).content.decode()
    assert window.title in page
    assert "innovation 创新性 30" in page

    response = client.post(
        edit, form_data(unit="综采一区", unit_choice="A1", closes_on="2027-06-30")
    )

    assert response.status_code == 302
    window.refresh_from_db()
    assert window.title == "2027年度降本增效金点子征集"
    assert window.unit == tree.area1
    assert window.unit_path == tree.area1.path
    assert window.closes_on == dt.date(2027, 6, 30)
    event = AuditEvent.objects.get(action="proposal.window.update")
    assert event.before["title"] != event.after["title"]


def test_edits_that_would_invalidate_scores_or_rewards_are_refused(tree: Tree) -> None:
    evaluator_user, evaluator = make_evaluator(tree.mine1)
    window = make_window(tree.mine1, [evaluator], categories=["安全生产", "降本增效"])
    proposal, _code = submit(tree.area1, make_worker(tree.area1), category="安全生产")
    manager = make_staff(tree.mine1, Role.ADMINISTRATOR)
    services.evaluators_assign(actor=manager, proposal=proposal, evaluators=[evaluator])
    services.proposal_score(
        actor=evaluator_user,
        proposal=proposal,
        scores={"innovation": 20, "feasibility": 20, "benefit": 30},
    )
    Proposal.objects.filter(pk=proposal.pk).update(reward_tier="first")
    client = signed_in(make_staff(tree.mine1, Role.DISPATCHER))
    edit = reverse("proposals:window_edit", args=[window.pk])
    kept = {
        "criteria": "innovation 创新性 30\nfeasibility 可行性 30\nbenefit 效益 40",
        "tiers": "first 一等奖 3000\nsecond 二等奖 1000\nthird 三等奖 500",
        "categories": "安全生产\n降本增效",
    }
    refusals = [
        ({"criteria": "innovation 创新性 50\nfeasibility 可行性 50"}, "不能再更改评审标准"),
        ({"tiers": "first 一等奖 5000"}, "已评定奖励，不能更改或删除"),
        ({"categories": "降本增效"}, "类别“安全生产”已有建议使用"),
        ({"unit": "二矿", "unit_choice": "M2"}, "找不到该单位"),
        ({"unit": "综采一区", "unit_choice": "A1"}, "不能再更改征集范围"),
    ]
    for change, message in refusals:
        response = client.post(edit, form_data(**{**kept, **change}))
        assert response.status_code == 200
        assert message in response.content.decode(), message
    window.refresh_from_db()
    assert window.title != "2027年度降本增效金点子征集"
    assert not AuditEvent.objects.filter(action="proposal.window.update").exists()

    response = client.post(edit, form_data(**kept, committee=evaluator.employee_no))
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.title == "2027年度降本增效金点子征集"
