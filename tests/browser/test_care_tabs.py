"""One 帮扶 entry in the menu; on a phone its pages reach each other through a tab bar that
fits the screen."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.org.choices import Role

pytestmark = pytest.mark.browser


def test_the_assistance_pages_are_tabs_of_one_menu_entry_on_a_phone(
    phone: Page, tree: Tree
) -> None:
    union = make_staff(tree.company1, Role.UNION)
    sign_in(phone, union)
    phone.goto("/care/families/")
    tabs = phone.get_by_role("navigation", name="帮扶")

    for name in ("帮扶申请", "帮扶项目", "帮扶发放", "疗休养", "困难帮扶"):
        tabs.get_by_role("link", name=name).click()
        current = tabs.locator("[aria-current=page]")
        expect(current).to_have_text(name)
        box = current.bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= 390
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
