"""The staff home on a phone: a handler sees the dispatch waiting to be signed and taps to it."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.cases.factories import dispatched, make_cast
from tests.conftest import Tree

pytestmark = pytest.mark.browser


def test_a_handler_finds_the_case_to_sign_on_the_home_page(phone: Page, tree: Tree) -> None:
    cast = make_cast(tree)
    case = dispatched(tree, cast).case
    sign_in(phone, cast.handler)

    phone.goto(reverse("home"))
    waiting = phone.locator(".todo-item").filter(has_text="待签收的派单")
    expect(waiting.locator(".todo-count")).to_have_text("1")
    expect(waiting).to_contain_text("承办事项")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(phone.get_by_role("heading", name="我负责的单位")).to_be_visible()

    waiting.get_by_role("link").tap()
    expect(phone).to_have_url(f"{reverse('cases:handler_inbox')}?show=to_sign")
    expect(phone.get_by_role("link", name=case.case_no)).to_be_visible()
    expect(phone.locator(".work-counts .current")).to_contain_text("待签收")
