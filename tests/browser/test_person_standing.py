"""On a phone, an administrator sets a leader's standing and units in charge with the picker."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff, make_unit
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import UnitCharge

pytestmark = pytest.mark.browser


def test_a_leader_is_put_in_charge_of_two_units_on_a_phone(phone: Page, tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    make_unit(tree.mine1, name="机电科", kind=UnitKind.DEPARTMENT, code="M1-D01")
    leader = PersonFactory(unit=tree.mine1, name="李副矿", position="副矿长")
    sign_in(phone, admin)
    phone.goto(reverse("org:person_edit", args=[leader.employee_no]))

    # The rank is a select, the groups are boxes to tick
    phone.get_by_label("干部级别").select_option(label="矿领导")
    phone.get_by_label("党员").check()
    # Searching offers the units the administrator manages; ticking one keeps it
    search = phone.get_by_placeholder("添加：输入单位代码或名称查找")
    search.fill("综采")
    phone.locator("[data-charge-options] label:has(input[value=A1])").click()
    chosen = phone.locator("[data-charge-chosen]")
    expect(chosen).to_contain_text("综采一区")
    expect(search).to_have_value("")
    # a second search replaces the suggestions, not what was ticked
    search.fill("机电")
    phone.locator("[data-charge-options] label:has(input[value=M1-D01])").click()
    expect(chosen).to_contain_text("综采一区")
    expect(chosen).to_contain_text("机电科")
    # and the form fits the phone's width
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("button", name="保存").click()

    # The person page says it
    expect(phone.locator("dd.standing")).to_have_text("党员 · 矿领导")
    expect(phone.locator("dd.units-in-charge")).to_have_text("综采一区、机电科")
    codes = UnitCharge.objects.filter(person=leader).values_list("unit__code", flat=True)
    assert sorted(codes) == ["A1", "M1-D01"]
