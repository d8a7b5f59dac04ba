"""The harness itself: a page whose script breaks fails the test that opened it."""

from typing import cast

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import ERRORS, BrowserErrors, pytest_runtest_call

pytestmark = pytest.mark.browser

BROKEN = """<!doctype html><html><head><meta charset="utf-8"><title>broken</title></head>
<body><h1>still shown</h1>
<script>console.error("a console error"); null.boom();</script></body></html>"""


def test_a_page_that_throws_fails_the_test(
    page: Page, live_server: LiveServer, browser_errors: BrowserErrors
) -> None:
    # A page of the live server's origin whose script breaks on load.
    def broken(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=BROKEN)

    page.route(f"{live_server.url}/broken/", broken)
    page.goto("/broken/")
    expect(page.get_by_role("heading")).to_have_text("still shown")

    with pytest.raises(pytest.fail.Exception) as failed:
        browser_errors.check()
    assert "console error" in str(failed.value)
    assert "a console error" in str(failed.value)
    assert "uncaught TypeError" in str(failed.value)
    assert User.objects.count() == 0
    browser_errors.check()  # reported once: the test itself passes


def test_a_page_that_works_passes(page: Page, browser_errors: BrowserErrors) -> None:
    page.goto(reverse("login"))
    expect(page.locator("#id_username")).to_be_visible()
    browser_errors.check()


class StandInItem:
    """What the harness's hook uses of a test item."""

    def __init__(self, errors: BrowserErrors) -> None:
        self.stash = pytest.Stash()
        self.stash[ERRORS] = errors
        self.sections: list[tuple[str, str, str]] = []

    def add_report_section(self, when: str, key: str, content: str) -> None:
        self.sections.append((when, key, content))


def test_errors_left_after_the_test_body_fail_the_test() -> None:
    item = StandInItem(BrowserErrors(messages=["uncaught Error: boom"]))
    call = pytest_runtest_call(cast(pytest.Item, item))
    next(call)
    with pytest.raises(pytest.fail.Exception, match="uncaught Error: boom"):
        call.send(None)  # the body passed


def test_errors_are_shown_beside_a_test_that_failed_on_its_own() -> None:
    item = StandInItem(BrowserErrors(messages=["uncaught Error: boom"]))
    call = pytest_runtest_call(cast(pytest.Item, item))
    next(call)
    with pytest.raises(AssertionError, match="its own"):
        call.throw(AssertionError("its own"))
    assert item.sections == [("call", "browser errors", "uncaught Error: boom")]
