"""The dispatcher at a desktop: sign in, accept a new voice and dispatch it to a unit."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD
from tests.cases.factories import make_cast, make_category, submit
from tests.conftest import Tree
from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case

pytestmark = pytest.mark.browser


def test_a_dispatcher_signs_in_accepts_and_dispatches_a_case(page: Page, tree: Tree) -> None:
    cast = make_cast(tree)
    make_category("canteen", "食堂", days=5)
    case = submit(tree).case

    # The link to the case asks for a sign-in first, then leads to it
    page.goto(reverse("cases:detail", args=[case.case_no]))
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    page.get_by_label("用户名").fill(cast.dispatcher.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(reverse("cases:detail", args=[case.case_no]))
    status = page.locator(".page-head .status")
    expect(status).to_have_text("待受理")

    # Accept: a category, normal urgency
    page.locator(".case-actions").get_by_role("link", name="受理", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("受理")
    page.get_by_label("类别").select_option(label="食堂")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(status).to_have_text("已受理")
    expect(page.locator(".messages")).to_be_visible()

    # Dispatch to area A1: typing its name lists it with its path, the deadline is filled in
    page.locator(".case-actions").get_by_role("link", name="派单", exact=True).click()
    page.wait_for_load_state()  # htmx listens to the box once the page has loaded
    unit = page.get_by_label("责任单位")
    unit.fill("综采一区")
    found = page.locator(".unit-candidate[data-unit-code=A1]")
    expect(found).to_contain_text("一矿 › 综采一区")
    found.click()
    expect(unit).to_have_value("一矿 › 综采一区")
    expect(page.get_by_label("办理时限")).not_to_have_value("")
    page.get_by_role("button", name="派单", exact=True).click()

    # The case page shows the new state and who must act
    expect(status).to_have_text("已派单")
    expect(page.locator(".messages")).to_contain_text("已派单给综采一区")
    facts = page.locator("dl.facts").last
    expect(facts).to_contain_text("食堂")
    expect(facts).to_contain_text("综采一区")
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.responsible_unit) == (CaseStatus.DISPATCHED, tree.area1)
