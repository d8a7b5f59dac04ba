"""The employee's side on a phone: say something behind a unit's QR code, follow it, rate it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.cases.factories import make_cast, make_category
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus, CloseReason
from xinsheng.cases.models import Case

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"^[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}$")
TEXT = "三号井口更衣室的暖气坏了一个星期，夜班下井前换衣服很冷，希望尽快修好。"
ANSWER = "已更换更衣室暖气阀门，今天起恢复供暖。"


def look_up(phone: Page, receipt_code: str) -> None:
    """Open the follow-up page and ask with the receipt code."""
    phone.goto(reverse("public:receipt"))
    phone.get_by_label("查询码").fill(receipt_code)
    phone.get_by_role("button", name="查询").tap()
    expect(phone.get_by_role("heading", name="办理进度")).to_be_visible()


def test_an_employee_says_follows_and_rates_a_voice_on_a_phone(phone: Page, tree: Tree) -> None:
    cast = make_cast(tree)
    category = make_category()

    # The QR code of team T1 opens its form: the employee types a voice and sends it anonymously
    phone.goto(reverse("public:intake", args=[tree.team1.code]))
    expect(phone.get_by_role("heading", name="我要反映")).to_contain_text(tree.team1.name)
    assert phone.evaluate("window.innerWidth") == 390
    phone.get_by_label("内容").fill(TEXT)
    expect(phone.locator("#text-count")).to_have_text(str(len(TEXT)))
    expect(phone.get_by_role("radio", name="匿名")).to_be_checked()
    phone.get_by_role("button", name="提交").tap()

    # The receipt code is shown once, with the case number
    expect(phone.get_by_role("heading", name="提交成功")).to_be_visible()
    receipt_code = phone.locator("#receipt-code").get_attribute("data-code") or ""
    assert RECEIPT.match(receipt_code), receipt_code
    case = Case.objects.get(text=TEXT)
    expect(phone.get_by_text(case.case_no)).to_be_visible()

    # With that code the follow-up page shows the case, waiting to be accepted
    phone.get_by_role("link", name="查询办理进度").tap()
    phone.get_by_label("查询码").fill(receipt_code)
    phone.get_by_role("button", name="查询").tap()
    expect(phone.get_by_text(case.case_no)).to_be_visible()
    expect(phone.get_by_text(TEXT)).to_be_visible()
    expect(phone.locator(".status")).to_have_text("当前状态：待受理")

    # Staff accept, dispatch, sign and answer it
    services.case_accept(case=case, actor=cast.dispatcher, category=category)
    services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
    services.case_sign(case=case, actor=cast.handler)
    services.case_answer(case=case, actor=cast.handler, text=ANSWER, solved=True)

    # The employee reads the answer and rates it: satisfied, solved
    look_up(phone, receipt_code)
    expect(phone.locator(".status")).to_have_text("当前状态：已答复")
    expect(phone.locator(".answer")).to_contain_text(ANSWER)
    rating = phone.locator("form.rating")
    rating.get_by_text("满意", exact=True).tap()
    rating.get_by_text("已解决", exact=True).tap()
    expect(rating.get_by_role("radio", name="满意", exact=True)).to_be_checked()
    rating.get_by_role("button", name="提交评价").tap()

    # Thanked, the case is closed, and there is nothing left to rate
    expect(phone.get_by_role("status")).to_have_text("感谢您的评价。")
    expect(phone.locator(".status")).to_have_text("当前状态：已办结")
    expect(phone.locator("form.rating")).to_have_count(0)
    case.refresh_from_db()
    assert (case.status, case.close_reason) == (CaseStatus.CLOSED, CloseReason.RATED)
