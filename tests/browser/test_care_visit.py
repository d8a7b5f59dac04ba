"""A paired cadre records a care visit on a phone at the family's door."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.care.families.factories import make_carers, make_file
from tests.conftest import Tree
from xinsheng.care.models import CareVisit, Payment

pytestmark = pytest.mark.browser


def test_a_cadre_records_a_care_visit_on_a_phone(phone: Page, tree: Tree) -> None:
    carers = make_carers(tree)
    file = make_file(tree, carers, name="王强")
    sign_in(phone, carers.cadre_user)
    phone.goto(reverse("care_families:detail", args=[file.pk]))
    expect(phone.get_by_role("heading", name="王强")).to_be_visible()

    phone.get_by_role("link", name="登记走访").click()
    phone.get_by_label("慰问物品").fill("米面油")
    phone.get_by_label("物品价值（元）").fill("300")
    phone.get_by_label("慰问金（元）").fill("500")
    phone.get_by_label("干部个人").check()
    phone.get_by_label("走访情况").fill("孩子学习情况良好。")
    save = phone.get_by_role("button", name="保存走访")
    box = save.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390  # the whole form fits the phone's width
    save.click()

    expect(phone.get_by_text("走访已记录。")).to_be_visible()
    expect(phone.get_by_text("孩子学习情况良好。")).to_be_visible()
    visit = CareVisit.objects.get()
    assert list(visit.visitors.all()) == [carers.cadre]
    assert Payment.objects.get().source == "personal"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # The list of files fits the phone too, the family no longer waiting for this quarter's visit
    phone.goto(reverse("care_families:list"))
    expect(phone.locator("#pledge-unvisited strong")).to_have_text("0")
    expect(phone.get_by_role("link", name="王强")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
