"""An employee sends a proposal with a photo and a document from the proposal tab on a phone; a
file that is not a document is refused with a clear message and what was typed stays."""

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from tests.browser.conftest import BrowserErrors
from tests.conftest import Tree
from tests.proposals.factories import make_window, make_worker
from xinsheng.proposals.models import Proposal

pytestmark = pytest.mark.browser


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def test_a_proposal_with_files_from_a_phone(
    phone: Page, tree: Tree, settings: Settings, tmp_path: Path, browser_errors: BrowserErrors
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_window(tree.mine1, [])
    worker = make_worker(tree.team1, "吴建华")
    phone.goto(f"/v/{tree.team1.code}/jianyi/")

    phone.get_by_label("题目").fill("主洗车间循环水泵加装变频器")
    phone.get_by_label("类别").select_option("降本增效")
    phone.get_by_label("存在问题").fill("循环水泵长期满负荷运行，电耗高。")
    phone.get_by_label("建议措施").fill("加装变频器，按来煤量调节转速。")
    phone.get_by_label("照片（可不填，最多6张）").set_input_files(
        [{"name": "水泵.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    documents = phone.get_by_label("文件（可不填，最多5个）")
    documents.set_input_files(
        [{"name": "测算.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}]
    )
    phone.get_by_label("姓名").fill(worker.name)
    phone.get_by_label("工号").fill(worker.employee_no)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="提交建议").click()

    expect(phone.get_by_text("文件“测算.pdf”不是 PDF")).to_be_visible()
    expect(phone.get_by_text("照片和文件需要重新选择")).to_be_visible()
    expect(phone.get_by_label("题目")).to_have_value("主洗车间循环水泵加装变频器")
    expect(phone.get_by_label("建议措施")).to_have_value("加装变频器，按来煤量调节转速。")
    assert not Proposal.objects.exists()
    # The refused form is answered 400 on purpose; the browser logs that, and only that.
    browser_errors.flush()
    expected = [text for text in browser_errors.messages if "400 (Bad Request)" in text]
    assert len(expected) == 1
    browser_errors.messages.remove(expected[0])

    phone.get_by_label("照片（可不填，最多6张）").set_input_files(
        [{"name": "水泵.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    phone.get_by_label("文件（可不填，最多5个）").set_input_files(
        [{"name": "测算.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    phone.get_by_role("button", name="提交建议").click()
    expect(phone.get_by_text("您的查询码")).to_be_visible()
    proposal = Proposal.objects.get()
    assert proposal.photos.count() == 1
    assert list(proposal.documents.values_list("name", flat=True)) == ["测算.pdf"]
