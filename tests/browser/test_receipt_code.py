"""The receipt code on a 390 px phone: groups of four, each on one line, nothing overflowing,
with copy, save as a picture, and send to the contact given."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import Tree
from tests.org.factories import PersonFactory
from xinsheng.cases import services
from xinsheng.cases.models import Case
from xinsheng.core import sms

pytestmark = pytest.mark.browser

TEXT = "二号井口更衣室的储物柜锁坏了好几个，夜班下井前衣物没处放，希望尽快更换。"


def test_a_named_employee_keeps_the_code_on_a_phone(phone: Page, tree: Tree) -> None:
    # A named employee sends a voice and leaves a mobile number to be told
    phone.goto(reverse("public:intake", args=[tree.team1.code]))
    phone.get_by_label("内容").fill(TEXT)
    phone.get_by_text("实名", exact=True).tap()
    phone.get_by_label("姓名").fill("王强")
    phone.get_by_label("工号").fill("JT0000001")
    phone.get_by_label("手机号（可选）").fill("13900001111")
    expect(phone.get_by_label("电子邮箱（可选）")).to_be_visible()
    phone.get_by_role("button", name="提交").tap()
    expect(phone.get_by_role("heading", name="提交成功")).to_be_visible()
    assert Case.objects.get(text=TEXT).submitter_phone == "13900001111"

    # The code shows in five groups of four, each on a line of its own height, inside the page
    groups = phone.locator("#receipt-code .group")
    expect(groups).to_have_count(5)
    code = phone.locator("#receipt-code").get_attribute("data-code") or ""
    assert [groups.nth(i).inner_text() for i in range(5)] == code.split("-")
    line_height = groups.first.bounding_box()["height"]  # type: ignore[index]
    for i in range(5):
        box = groups.nth(i).bounding_box()
        assert box is not None
        assert box["height"] <= line_height * 1.2, "a group broke over two lines"
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.evaluate(
        "(() => { const e = document.getElementById('receipt-code');"
        " return e.scrollWidth <= e.clientWidth; })()"
    )

    # Copy, save as a picture and send to oneself are there; the picture downloads as a PNG
    expect(phone.get_by_role("button", name="复制查询码")).to_be_visible()
    copy = phone.locator("button.copy")
    expect(phone.get_by_role("button", name="发送到尾号1111的手机")).to_be_visible()
    with phone.expect_download() as download:
        phone.get_by_role("button", name="保存为图片").tap()
    assert download.value.suggested_filename.endswith(".png")
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    copy.tap()
    expect(copy).to_have_text("已复制")


def test_a_verified_employee_recovers_a_code_on_a_phone(phone: Page, tree: Tree) -> None:
    # Given a voice of 李娜, whose number and name are in the roster, with her mobile number
    PersonFactory(unit=tree.team1, name="李娜", employee_no="JT0000777")
    services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text=TEXT,
        identity=services.Identity(
            anonymous=False, name="李娜", employee_no="JT0000777", phone="13900007777"
        ),
    )
    sms.outbox.clear()

    # She follows the link on the look-up page, asks with her number and types the code texted
    phone.goto(reverse("public:receipt"))
    phone.get_by_role("link", name="查询码遗失？实名提交的可凭工号找回").tap()
    phone.get_by_label("工号").fill("JT0000777")
    phone.get_by_role("button", name="获取验证码").tap()
    expect(phone.get_by_role("status")).to_contain_text("验证码已发送")
    match = re.search(r"验证码 (\d{6})", sms.outbox[-1].text)
    assert match is not None
    phone.get_by_label("验证码").fill(match.group(1))
    phone.get_by_role("button", name="找回查询码", exact=True).tap()

    # A fresh code shows in groups, inside the phone's width
    expect(phone.get_by_role("heading", name="新的查询码")).to_be_visible()
    expect(phone.locator(".receipt-code .group")).to_have_count(5)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
