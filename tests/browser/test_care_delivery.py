"""A deliverer goes down a festival gift list on a phone, confirming each gift as it is
handed over."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.care.factories import make_person, make_programme
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import ProgrammeKind
from xinsheng.care.lists import distribution_services
from xinsheng.care.models import DistributionRecipient
from xinsheng.org.choices import Role

pytestmark = pytest.mark.browser


def test_a_deliverer_confirms_gifts_on_a_phone(phone: Page, tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    recorder = make_staff(tree.mine1, Role.RECORDER)
    make_person(tree.team1, name="张立军")
    make_person(tree.team1, name="李国强")
    programme = make_programme(
        tree.company1,
        kind=ProgrammeKind.DISTRIBUTION,
        title="春节送温暖",
        rules={"unit": "T1", "item": "米面油", "value": "300"},
    )
    distribution_services.recipients_build(actor=union, programme=programme)

    sign_in(phone, recorder)
    phone.goto(reverse("care_lists:distribution", args=[programme.pk]))
    expect(phone.get_by_text("待送达2人")).to_be_visible()
    card = phone.locator("li.card", has_text="张立军")
    signed = card.get_by_role("button", name="本人签收")
    box = signed.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390
    signed.click()

    expect(phone.get_by_text("已确认送达：张立军。")).to_be_visible()
    expect(phone.get_by_text("已送达1人")).to_be_visible()
    expect(phone.get_by_text("待送达1人")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert DistributionRecipient.objects.filter(delivered_on__isnull=False).count() == 1
