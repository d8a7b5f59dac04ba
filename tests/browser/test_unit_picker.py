"""The dispatcher's unit picker on a phone: three units named 综采一队, told apart by their paths.

With JavaScript the units found are listed as one types, and a tap chooses one; without it, the
form comes back asking which of them was meant. Both end with the case at the unit chosen.
"""

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, BrowserErrors, OpenPage, sign_in
from tests.cases.factories import Cast, make_cast, reload
from tests.cases.picker_units import Mines, make_mines
from tests.cases.test_dispatch_picker import BATH, accepted, handled_to_satisfaction
from tests.conftest import Tree
from xinsheng.cases.choices import CaseStatus
from xinsheng.insight import similar_store

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    similar_store.index_reset()
    yield
    similar_store.index_reset()


@pytest.fixture
def mines(tree: Tree) -> Mines:
    return make_mines(tree)


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def fits_the_screen(phone: Page) -> bool:
    """Return whether the page needs no sideways scrolling."""
    return bool(phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_dispatcher_finds_one_of_three_equal_names_on_a_phone(
    phone: Page, tree: Tree, mines: Mines, cast: Cast
) -> None:
    case = accepted(tree, cast)
    sign_in(phone, cast.dispatcher)
    phone.goto(reverse("cases:act", args=[case.case_no, "dispatch"]))

    # typing the name lists the three, each with its path, and nothing of the other company
    unit = phone.get_by_label("责任单位")
    unit.tap()
    unit.press_sequentially("综采一队")
    listed = phone.locator(".unit-candidate")
    expect(listed).to_have_count(3)
    expect(listed.nth(0)).to_contain_text("一矿 › 综采一队")
    expect(listed.nth(1)).to_contain_text("二矿 › 综采一队")
    expect(listed.nth(2)).to_contain_text("三矿 › 综采一队")
    expect(unit).to_have_attribute("aria-expanded", "true")
    assert fits_the_screen(phone)
    box = listed.nth(1).bounding_box()
    assert box is not None
    assert box["height"] >= 40  # big enough for a thumb

    # a tap on 二矿's takes it: the box shows its path, and the list closes
    listed.filter(has_text="二矿 › 综采一队").tap()
    expect(unit).to_have_value("二矿 › 综采一队")
    expect(phone.locator(".unit-picked")).to_have_text("已选择：二矿 › 综采一队")
    expect(listed).to_have_count(0)

    phone.get_by_role("button", name="派单", exact=True).tap()
    expect(phone.locator(".messages")).to_contain_text("已派单给综采一队")
    case = reload(case)
    assert (case.status, case.responsible_unit) == (CaseStatus.DISPATCHED, mines.second)


def test_the_suggested_unit_is_there_already_and_typing_over_it_forgets_it(
    phone: Page, tree: Tree, mines: Mines, cast: Cast
) -> None:
    # the same voice went to 三矿's 综采一队 before, and its answer satisfied the employee
    handled_to_satisfaction(tree, cast, mines.third)
    case = accepted(tree, cast, BATH + "已经一个月了。")
    sign_in(phone, cast.dispatcher)
    phone.goto(reverse("cases:act", args=[case.case_no, "dispatch"]))

    # the form starts with the unit the similar voice went to
    unit = phone.get_by_label("责任单位")
    expect(unit).to_have_value("三矿 › 综采一队")
    expect(phone.locator(".suggested-unit")).to_contain_text("已按智能建议预填")

    # typing another path over it, and choosing with the keyboard, takes the new one
    unit.fill("")
    unit.press_sequentially("一矿 综采一队")
    expect(phone.locator(".unit-candidate")).to_have_count(1)
    unit.press("Enter")
    expect(unit).to_have_value("一矿 › 综采一队")

    phone.get_by_role("button", name="派单", exact=True).tap()
    expect(phone.locator(".messages")).to_contain_text("已派单")
    assert reload(case).responsible_unit == mines.first


def forget_the_refusal(errors: BrowserErrors, url: str) -> None:
    """Take the browser's note of the form refused (400) at ``url`` as expected; nothing else."""
    errors.flush()
    assert errors.messages
    for message in errors.messages:
        assert message.startswith("console error ("), message
        assert f"{url})" in message, message
        assert "status of 400" in message, message
    errors.messages.clear()


def test_without_javascript_the_form_asks_which_one(
    open_page: OpenPage, tree: Tree, mines: Mines, cast: Cast, browser_errors: BrowserErrors
) -> None:
    phone = open_page(**PHONE, java_script_enabled=False)
    case = accepted(tree, cast)
    sign_in(phone, cast.dispatcher)
    url = reverse("cases:act", args=[case.case_no, "dispatch"])
    phone.goto(url)

    # the name alone is sent: the form comes back (400) with the three to choose among
    phone.get_by_label("责任单位").fill("综采一队")
    phone.get_by_role("button", name="派单", exact=True).tap()
    expect(phone.get_by_text("有 3 个单位名为“综采一队”，请从下面选择一个。")).to_be_visible()
    forget_the_refusal(browser_errors, url)
    choices = phone.locator(".unit-choice")
    expect(choices).to_have_count(3)
    assert fits_the_screen(phone)
    assert reload(case).status == CaseStatus.ACCEPTED

    # choosing 三矿's and sending again dispatches there
    choices.filter(has_text="三矿 › 综采一队").tap()
    phone.get_by_role("button", name="派单", exact=True).tap()
    expect(phone.locator(".messages")).to_contain_text("已派单给综采一队")
    assert reload(case).responsible_unit == mines.third
