"""Real-browser tests: Debian's Chromium, driven by Playwright, against the live test server.

One browser per test session (one per xdist worker); every test gets fresh contexts, so cookies
and storage never leak between tests. A test fails when a page it opened throws an uncaught
exception or logs an error to the console (a broken script, a missing static file, a failed
request), even if everything it asserted held.
"""

import contextlib
import os
import shutil
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/130.0.0.0 Mobile Safari/537.36"
    ),
}
TIMEOUT_MS = 10_000
PASSWORD = "pw-for-tests"  # the password tests.org.factories gives every user
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def chromium_path() -> str:
    """Return the system's Chromium, which `make test` installs when it is missing."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if found is None:
        pytest.fail(
            "Chromium is missing: the browser tests need Debian's chromium package "
            "(`make test` installs it; or `apt-get install chromium`).",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Start Playwright's driver, once per session.

    Its synchronous API keeps an asyncio loop marked as running in this thread, which Django
    takes for an async context and refuses database access from; the tests are synchronous code
    (set-up through the services, checks on the rows), so that guard is lifted while the driver
    runs.
    """
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if before is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = before


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@dataclass
class BrowserErrors:
    """What the pages of one test reported: uncaught exceptions and console errors."""

    messages: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        self.pages.append(page)
        page.on("pageerror", self._on_page_error)
        page.on("console", self._on_console)

    def _on_page_error(self, error: Error) -> None:
        self.messages.append(f"uncaught {error.name}: {error.message}")

    def _on_console(self, message: ConsoleMessage) -> None:
        url = message.location["url"]
        if message.type == "error":
            self.messages.append(f"console error ({url}): {message.text}")

    def flush(self) -> None:
        """Receive what the open pages have reported so far (events come with replies)."""
        for page in self.pages:
            if not page.is_closed():
                with contextlib.suppress(Error):  # navigating or gone: nothing more to come
                    page.evaluate("0")

    def check(self) -> None:
        """Fail the test if a page reported an error; forget the errors reported."""
        self.flush()
        found, self.messages = self.messages, []
        if found:
            pytest.fail("The browser reported errors:\n  " + "\n  ".join(found), pytrace=False)


ERRORS = pytest.StashKey[BrowserErrors]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """After the test body, fail the test on any error its pages reported."""
    errors = item.stash.get(ERRORS, None)
    try:
        result = yield
    except BaseException:
        if errors is not None:
            errors.flush()
            if errors.messages:
                item.add_report_section("call", "browser errors", "\n".join(errors.messages))
        raise
    if errors is not None:
        errors.check()
    return result


@pytest.fixture
def browser_errors(request: pytest.FixtureRequest) -> BrowserErrors:
    errors = BrowserErrors()
    request.node.stash[ERRORS] = errors
    return errors


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(
    browser: Browser, live_server: LiveServer, browser_errors: BrowserErrors
) -> Iterator[OpenPage]:
    """Return a function opening a page in a fresh context; ``options`` go to the context."""
    contexts: list[BrowserContext] = []
    cache.clear()  # the rate limits of the public pages count per client address

    def open_(**options: Any) -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        browser_errors.watch(page)
        return page

    yield open_
    for context in contexts:
        context.close()
    cache.clear()


def sign_in(page: Page, user: User, password: str = PASSWORD) -> None:
    """Sign ``user`` in through the login form, as a person would."""
    page.goto(reverse("login"))
    page.get_by_label("用户名").fill(user.get_username())
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    # The page's scripts listen only once it has loaded; a tap before then is lost
    page.wait_for_load_state()


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """A desktop page (1280×800), as staff use."""
    return open_page(**DESKTOP)


@pytest.fixture
def phone(open_page: OpenPage) -> Page:
    """A phone page (390×844, touch), as employees use."""
    return open_page(**PHONE)
