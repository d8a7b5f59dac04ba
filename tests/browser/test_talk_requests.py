"""On a phone, in a real browser: an employee asks for a talk from the unit's QR page and follows
it; a work area head marks their talks held or waived on the cycle's page."""

import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser import conftest as kit
from tests.conftest import Tree
from tests.org.factories import UserFactory, make_staff
from tests.talks.cycles.mine import make_mine
from xinsheng.org.choices import Role
from xinsheng.talks.choices import PairStatus, RequestStatus
from xinsheng.talks.cycles import services as cycle_services
from xinsheng.talks.models import TalkPair, TalkRequest, TierRule
from xinsheng.talks.requests import services

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"^[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}$")
TOPIC = "想和区长谈谈轮岗学习机电维修的事。"


def fits_the_phone(page: Page) -> bool:
    """Return whether the page is no wider than the phone's screen (nothing to scroll sideways)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_an_employee_asks_for_a_talk_on_a_phone_and_follows_it(
    open_page: kit.OpenPage, browser_errors: kit.BrowserErrors, tree: Tree
) -> None:
    mine = make_mine(tree.company1)
    phone = open_page(**kit.PHONE)

    phone.goto("/v/YK-ZC1/")
    phone.get_by_role("link", name="申请约谈").tap()
    expect(phone.get_by_role("heading", name="申请约谈")).to_contain_text("综采一区")
    phone.get_by_label("姓名").fill("韩磊")
    phone.get_by_label("工号").fill("YK0016")
    phone.get_by_label("想谈的事").fill(TOPIC)
    phone.get_by_label("希望约谈的人（可选）").fill("卫区长")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="提交约谈申请").tap()

    expect(phone.get_by_role("heading", name="申请已提交")).to_be_visible()
    code = phone.locator("#receipt-code").inner_text().strip()
    assert RECEIPT.match(code), code
    talk = TalkRequest.objects.get()
    assert talk.person == mine.people["韩磊"]

    handler = make_staff(mine.units["A1"], Role.UNIT_HEAD)
    services.request_decline(actor=handler, request=talk, reason="区长外出学习，请下周再约。")
    phone.get_by_role("link", name="查询约谈安排").tap()
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").tap()
    expect(phone.locator(".status")).to_have_text("当前状态：未安排")
    expect(phone.get_by_text("区长外出学习，请下周再约。")).to_be_visible()
    assert fits_the_phone(phone)
    assert TalkRequest.objects.get().status == RequestStatus.DECLINED
    browser_errors.check()


def test_a_work_area_head_marks_their_talks_on_a_phone(
    open_page: kit.OpenPage, browser_errors: kit.BrowserErrors, tree: Tree
) -> None:
    mine = make_mine(tree.company1)
    # A live server's database is emptied between tests: the tier this test needs is written here.
    TierRule.objects.update(is_active=False)
    TierRule.objects.create(
        name="部门区队负责人谈党员、管理人员、班组长和业务骨干",
        order=3,
        host_unit_kinds=["department", "area"],
        host_principal=True,
        reach="own_unit",
        target_groups=["party_member", "manager", "team_leader", "backbone"],
    )
    planner = make_staff(tree.company1, Role.LEADER)
    today = timezone.localdate()
    cycle = cycle_services.cycle_create(
        actor=planner,
        title="2026年第一季度双向约谈",
        unit=mine.units["A1"],
        starts_on=today.replace(day=1),
        ends_on=today.replace(day=28),
    )
    head: User = UserFactory()
    person = mine.people["卫建军"]
    person.user = head
    person.save()

    phone = open_page(**kit.PHONE)
    kit.sign_in(phone, head)
    phone.goto(f"/talks/cycles/{cycle.pk}/")
    expect(phone.get_by_role("heading", name="2026年第一季度双向约谈")).to_be_visible()
    expect(phone.get_by_text("共 7 对")).to_be_visible()
    assert fits_the_phone(phone)

    row = phone.locator("tr", has_text="韩磊")
    row.get_by_role("button", name="已谈").tap()
    expect(phone.get_by_text("已记录：卫建军与韩磊已谈。")).to_be_visible()

    row = phone.locator("tr", has_text="尤佳")
    row.locator("summary", has_text="免谈").tap()
    row.get_by_label("免谈原因").fill("长期病假")
    row.get_by_role("button", name="确认免谈").tap()
    expect(phone.get_by_text("已记录：卫建军与尤佳免谈。")).to_be_visible()

    statuses = dict(TalkPair.objects.filter(cycle=cycle).values_list("person__name", "status"))
    assert statuses["韩磊"] == PairStatus.HELD
    assert statuses["尤佳"] == PairStatus.WAIVED
    assert fits_the_phone(phone)
    browser_errors.check()
