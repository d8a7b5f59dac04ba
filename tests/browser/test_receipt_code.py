"""The receipt code on a 390 px phone: groups of four, each on one line, nothing overflowing,
with copy, save as a picture, and send to the contact given."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import Tree
from xinsheng.cases.models import Case

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
