"""Staff pages fit their screen: the English ledger on a laptop, every page on a phone."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import OpenPage, sign_in
from tests.cases.factories import make_cast, submit
from tests.conftest import Tree
from tests.projects.factories import make_project

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def in_english(page: Page) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.url}]
    )


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_the_english_ledger_shows_every_column_on_a_laptop(open_page: OpenPage, tree: Tree) -> None:
    cast = make_cast(tree)
    for _ in range(3):
        submit(tree)
    page = open_page(**LAPTOP)
    sign_in(page, cast.dispatcher)
    in_english(page)

    page.goto(reverse("cases:ledger"))

    table = page.locator("#ledger-table .table-wrap")
    overflow = table.evaluate("wrap => wrap.scrollWidth - wrap.clientWidth")
    assert overflow <= 1, f"the ledger scrolls sideways by {overflow} px"
    title = page.locator("#ledger-table td.title").first.bounding_box()
    assert title is not None
    assert title["width"] >= 150  # not squeezed to three characters
    assert page.locator("#ledger-table thead th").last.inner_text() == "Status"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_staff_pages_on_a_phone_are_no_wider_than_the_phone(
    open_page: OpenPage, tree: Tree, language: str
) -> None:
    cast = make_cast(tree)
    make_project(cast.dispatcher, tree.area1, title="综采一区澡堂热水改造及更衣柜更换工程")
    submit(tree)
    page = open_page(**PHONE)
    sign_in(page, cast.dispatcher)
    if language == "en":
        in_english(page)

    for name in ("home", "cases:ledger", "projects:list", "reports:dashboard"):
        page.goto(reverse(name))
        assert page_width(page) <= 390, f"{name} is {page_width(page)} px wide"
        bar = page.locator("header.topbar").bounding_box()
        assert bar is not None
        assert bar["height"] < 70, f"the top bar of {name} wraps"
