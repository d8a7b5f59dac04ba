"""A dispatcher opens a collection window from the windows page (unit, dates, categories, rubric,
tiers, committee and category experts), is told what is wrong without losing what was typed,
then edits it; a change that would orphan proposals is refused with its reason."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_evaluator, make_worker, submit
from xinsheng.org.choices import Role
from xinsheng.proposals.models import Window

pytestmark = pytest.mark.browser

TITLE = "2027年度“爱矿山、献良策”合理化建议征集"


def test_a_dispatcher_opens_a_window_and_then_edits_it(page: Page, tree: Tree) -> None:
    dispatcher = make_staff(tree.mine1, Role.DISPATCHER)
    _u1, member = make_evaluator(tree.mine1, "李评委")
    _u2, safety = make_evaluator(tree.mine1, "张安全")
    sign_in(page, dispatcher)

    page.goto(reverse("proposals:windows"))
    page.get_by_role("link", name="新建征集活动").click()
    expect(page.get_by_role("heading", name="新建征集活动")).to_be_visible()

    page.get_by_label("活动名称").fill(TITLE)
    unit = page.get_by_label("征集范围")
    unit.click()
    unit.press_sequentially("一矿")
    page.locator(".unit-candidate").filter(has_text="一矿").first.click()
    expect(page.locator(".unit-picked")).to_contain_text("一矿")
    page.get_by_label("开始日期").fill("2027-01-01")
    page.get_by_label("截止日期").fill("2027-03-31")
    page.get_by_label("类别").fill("安全生产\n降本增效\n技术革新")
    # A maximum above 100: refused, and everything typed stays.
    page.get_by_label("评审标准").fill("innovation 创新性 300\nbenefit 效益 60")
    page.get_by_label("奖励等级").fill("first 一等奖 3000\nsecond 二等奖 1000")
    page.get_by_label("评审委员会（工号）").fill(member.employee_no)
    page.get_by_label("分类评审专家（可不填）").fill(f"安全生产 {safety.employee_no}")
    page.get_by_label("公示天数").fill("7")
    page.get_by_role("button", name="保存").click()

    expect(
        page.get_by_text("评审标准第1行须为“代码 名称 满分”，满分为1至100的整数。")
    ).to_be_visible()
    expect(page.get_by_label("活动名称")).to_have_value(TITLE)
    expect(page.get_by_label("奖励等级")).to_have_value("first 一等奖 3000\nsecond 二等奖 1000")
    assert not Window.objects.exists()

    page.get_by_label("评审标准").fill("innovation 创新性 40\nbenefit 效益 60")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已创建征集活动“{TITLE}”。")).to_be_visible()
    window = Window.objects.get()
    assert window.unit == tree.mine1
    assert window.categories == ["安全生产", "降本增效", "技术革新"]
    assert [row["max"] for row in window.criteria] == [40, 60]
    assert [row["amount"] for row in window.tiers] == ["3000.00", "1000.00"]
    assert list(window.committee.all()) == [member]
    assert [(row.category, row.person) for row in window.experts.all()] == [("安全生产", safety)]
    assert window.notice_days == 7

    # A proposal comes in under 安全生产; the window is then edited.
    Window.objects.filter(pk=window.pk).update(opens_on="2020-01-01", closes_on="2099-12-31")
    submit(tree.team1, make_worker(tree.team1), "大巷弯道增设声光预警", category="安全生产")
    page.goto(reverse("proposals:windows"))
    page.get_by_role("link", name="编辑").click()
    expect(page.get_by_role("heading", name="编辑征集活动")).to_be_visible()
    expect(page.get_by_label("分类评审专家（可不填）")).to_have_value(
        f"安全生产 {safety.employee_no}"
    )
    expect(page.get_by_label("征集范围")).to_have_value("一矿")

    page.get_by_label("类别").fill("降本增效\n技术革新")
    page.get_by_label("分类评审专家（可不填）").fill("")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("类别“安全生产”已有建议使用，不能删除。")).to_be_visible()
    window.refresh_from_db()
    assert "安全生产" in window.categories

    page.get_by_label("类别").fill("安全生产\n降本增效\n技术革新\n职工生活")
    page.get_by_label("奖励等级").fill("first 一等奖 3000\nsecond 二等奖 1000\nthird 三等奖 500")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(f"已保存征集活动“{TITLE}”。")).to_be_visible()
    window.refresh_from_db()
    assert window.categories[-1] == "职工生活"
    assert [row["code"] for row in window.tiers] == ["first", "second", "third"]
    assert not window.experts.exists()
