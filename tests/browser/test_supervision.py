"""A supervisor on a phone: the coverage board flags the lagging unit, a 督办 notice goes to it,
and the unit's head, on a phone too, reads it and answers."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import PHONE, OpenPage, sign_in
from tests.conftest import Tree
from tests.org.factories import make_staff, make_unit
from tests.talks.oversight.factories import make_people, make_record
from xinsheng.org.choices import Role, UnitKind
from xinsheng.talks.models import SupervisionGroup, SupervisionNotice

pytestmark = pytest.mark.browser

NOTICE = "掘进二区本年谈心覆盖率为零，请本月内安排到每名职工。"
ANSWER = "已排出补谈计划，月底前谈完。"


def fits_the_screen(phone: Page) -> None:
    """Fail when the page is wider than the phone (wide tables scroll inside themselves)."""
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def width(cell: Locator) -> float:
    """Return the width of ``cell`` on the screen, in CSS pixels."""
    box = cell.bounding_box()
    assert box is not None
    return box["width"]


def test_a_supervisor_flags_a_lagging_unit_and_its_head_answers_on_phones(
    phone: Page, open_page: OpenPage, tree: Tree
) -> None:
    area2 = make_unit(tree.mine1, name="掘进二区", kind=UnitKind.AREA, code="A2")
    reached = make_people(tree.area1, 2)
    make_people(area2, 3)
    make_record(tree.area1, reached, timezone.localdate().replace(day=1))
    supervisor = make_staff(tree.mine1, Role.SUPERVISOR)
    head = make_staff(area2, Role.UNIT_HEAD)
    group = SupervisionGroup.objects.create(name="第一督导组")
    group.units.set([tree.mine1])
    group.members.set([supervisor.person])  # type: ignore[attr-defined]

    # The board of the supervisor's mine: area 1 fully reached, area 2 flagged as lagging
    sign_in(phone, supervisor)
    phone.goto(reverse("supervision:coverage"))
    expect(phone.get_by_role("heading", name="督导覆盖")).to_be_visible()
    assert phone.evaluate("window.innerWidth") == 390
    fits_the_screen(phone)
    lagging = phone.locator("tr.lagging", has_text=area2.name)
    expect(lagging.locator(".flag").first).to_have_text("滞后")
    expect(phone.locator("tr", has_text=tree.area1.name).locator(".flag")).to_have_count(0)
    assert width(lagging.locator("td").first) >= 100  # the unit's name, not a column of letters

    # 督办 from the lagging row: the notice form knows the unit
    lagging.get_by_role("link", name="督办", exact=True).tap()
    expect(phone.get_by_role("heading", name="发出督办通知")).to_be_visible()
    expect(phone.get_by_label("单位代码")).to_have_value("A2")
    fits_the_screen(phone)
    phone.get_by_label("督办内容").fill(NOTICE)
    phone.get_by_role("button", name="发出").tap()
    expect(phone.locator(".messages")).to_contain_text("督办通知已发出")
    expect(phone.get_by_text(NOTICE)).to_be_visible()
    expect(phone.locator("tr", has_text=NOTICE).locator(".flag")).to_have_text("待回复")

    # The head of area 2, on their own phone, reads the notice and answers it
    head_phone = open_page(**PHONE)
    sign_in(head_phone, head)
    head_phone.goto(reverse("supervision:notices"))
    notice_row = head_phone.locator("tr", has_text=NOTICE)
    expect(notice_row).to_be_visible()
    fits_the_screen(head_phone)
    answer_box = notice_row.get_by_label("回复").bounding_box()
    assert answer_box is not None
    assert answer_box["x"] + answer_box["width"] <= 390  # in reach, no sideways scrolling
    notice_row.get_by_label("回复").fill(ANSWER)
    notice_row.get_by_role("button", name="回复").tap()
    expect(head_phone.locator(".messages")).to_contain_text("已回复督办通知")
    expect(head_phone.locator("tr", has_text=NOTICE)).to_contain_text(ANSWER)

    # The supervisor sees the answer, and the board counts the notice on the unit's row
    phone.reload()
    expect(phone.locator("tr", has_text=NOTICE)).to_contain_text(ANSWER)
    phone.goto(reverse("supervision:coverage"))
    expect(phone.locator("tr.lagging", has_text=area2.name).locator("td").nth(-2)).to_have_text("1")
    notice = SupervisionNotice.objects.get()
    assert (notice.unit, notice.answer) == (area2, ANSWER)
