"""The harness itself: a page whose script breaks fails the test that opened it."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import BrowserErrors

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
