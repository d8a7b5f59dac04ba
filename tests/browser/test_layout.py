"""Staff pages fit their screen: every staff table in English on a laptop, every page on a phone.

On a 1366-pixel laptop in English (the longer language) no cell of a table is squeezed below six
characters and no status is cut; each table wraps, truncates with a tooltip or hides its less
important columns instead. On a 390-pixel phone, in both languages, no page scrolls sideways:
the top bar folds into a menu and wide tables scroll inside their card.
"""

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page

from tests.browser.conftest import OpenPage, sign_in
from tests.cases.factories import dispatched, make_cast, submit
from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff
from tests.projects.factories import make_project
from tests.talks.records.factories import record
from xinsheng.cases import services
from xinsheng.org.choices import Role

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
MIN_CHARACTERS = 6

# The main staff pages, each with a table when there is something to list.
STAFF_PAGES = (
    "home",
    "cases:ledger",
    "cases:dispatcher_inbox",
    "cases:handler_inbox",
    "cases:supervision",
    "cases:notebook",
    "projects:list",
    "projects:commitments",
    "talks:records",
    "talk_cycles:list",
    "talk_requests:list",
    "meetings:list",
    "supervision:coverage",
    "reports:dashboard",
    "reports:briefing_list",
    "org:people",
    "notifications",
)

# Each visible cell of each table: its width against six characters of its own font, and
# whether a status badge in it is cut.
MEASURE_CELLS = """() => {
  const found = [];
  for (const cell of document.querySelectorAll("main table td, main table th")) {
    const box = cell.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(cell).display === "none") { continue; }
    const probe = document.createElement("span");
    probe.textContent = "000000";
    probe.style.position = "absolute";
    probe.style.whiteSpace = "nowrap";
    probe.style.visibility = "hidden";
    cell.appendChild(probe);
    const six = probe.getBoundingClientRect().width;
    probe.remove();
    const style = getComputedStyle(cell);
    const inner = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const clipped = Array.from(cell.querySelectorAll(".status, .badge")).some(
      (badge) => badge.scrollWidth > badge.clientWidth + 1 ||
        badge.getBoundingClientRect().right > box.right + 1);
    const table = cell.closest("table").className;
    found.push({table, text: cell.innerText.slice(0, 30), inner, six, clipped});
  }
  return found;
}"""


def in_english(page: Page) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.url}]
    )


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def staff_user(tree: Tree) -> User:
    """Return someone who may open every staff page: all the staff roles at the group."""
    return make_staff(
        tree.group,
        Role.ADMINISTRATOR,
        Role.DISPATCHER,
        Role.HANDLER,
        Role.UNIT_HEAD,
        Role.SUPERVISOR,
        Role.LEADER,
        Role.RECORDER,
    )


def something_in_every_table(tree: Tree) -> User:
    """Return the staff user, with cases in every state, a project and a talk to list."""
    cast = make_cast(tree)
    user = staff_user(tree)
    for _ in range(3):
        submit(tree, "综采一区澡堂热水经常不够用，夜班下井前洗不上热水澡，希望尽快改造。")
    late = dispatched(tree, cast).case
    services.case_sign(case=late, actor=cast.handler)
    make_project(user, tree.area1, title="综采一区澡堂热水改造及更衣柜更换工程")
    PersonFactory(unit=tree.team1, employee_no="W001", name="王强")
    record(tree, user)
    return user


def test_every_english_staff_table_fits_a_laptop(open_page: OpenPage, tree: Tree) -> None:
    user = something_in_every_table(tree)
    page = open_page(**LAPTOP)
    sign_in(page, user)
    in_english(page)

    problems: list[str] = []
    for name in STAFF_PAGES:
        response = page.goto(reverse(name))
        assert response is not None, name
        assert response.status == 200, name
        assert page.locator("html").get_attribute("lang") == "en"
        if page_width(page) > 1366:
            problems.append(f"{name} is {page_width(page)} px wide")
        cells: list[dict[str, Any]] = page.evaluate(MEASURE_CELLS)
        narrow = [c for c in cells if c["inner"] < c["six"] - 0.5]
        if narrow:
            problems.append(f"{name}: cells narrower than six characters: {narrow[:3]}")
        clipped = [c for c in cells if c["clipped"]]
        if clipped:
            problems.append(f"{name}: statuses cut: {clipped[:3]}")
        for wrap in page.locator("main .table-wrap").all():
            overflow = wrap.evaluate("wrap => wrap.scrollWidth - wrap.clientWidth")
            if overflow > 1:
                problems.append(f"{name}: a table scrolls sideways by {overflow} px")
    assert not problems, "\n".join(problems)


def test_the_english_ledger_keeps_its_title_and_status_readable(
    open_page: OpenPage, tree: Tree
) -> None:
    user = something_in_every_table(tree)
    page = open_page(**LAPTOP)
    sign_in(page, user)
    in_english(page)

    page.goto(reverse("cases:ledger"))

    title = page.locator("#ledger-table td.title").first.bounding_box()
    assert title is not None
    assert title["width"] >= 150  # not squeezed to three characters
    assert page.locator("#ledger-table thead th").last.inner_text() == "Status"
    assert "cases in all" in page.locator(".ledger-total").inner_text()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_staff_pages_on_a_phone_are_no_wider_than_the_phone(
    open_page: OpenPage, tree: Tree, language: str
) -> None:
    user = something_in_every_table(tree)
    page = open_page(**PHONE)
    sign_in(page, user)
    if language == "en":
        in_english(page)

    problems: list[str] = []
    for name in STAFF_PAGES:
        response = page.goto(reverse(name))
        assert response is not None, name
        assert response.status == 200, name
        if page_width(page) > 390:
            problems.append(f"{name} is {page_width(page)} px wide")
        bar = page.locator("header.topbar").bounding_box()
        assert bar is not None
        if bar["height"] >= 70:
            problems.append(f"the top bar of {name} wraps")
    assert not problems, "\n".join(problems)
