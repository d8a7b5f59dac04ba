"""The notebook (民情记事本): several voices heard face to face, entered one after another."""

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import Cast, make_cast
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.choices import Channel
from xinsheng.cases.models import Case, CaseEvent

NOTEBOOK = reverse("cases:notebook")
RECEIPT = re.compile(r'receipt-code">([0-9A-Z-]{24})<')


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def hidden(text: str, name: str) -> str:
    """Return the value of the hidden input ``name`` of the page, or "" when it has none."""
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', text)
    return html.unescape(match[1]) if match else ""


def selected(text: str, name: str) -> str:
    """Return the selected option of the select ``name``."""
    block = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', text, re.S)
    assert block is not None, name
    match = re.search(r'<option value="([^"]*)"[^>]*selected', block[1])
    return match[1] if match else ""


def value(text: str, name: str) -> str:
    match = re.search(rf'<input type="[a-z]+" name="{name}" value="([^"]*)"', text)
    return html.unescape(match[1]) if match else ""


def open_notebook(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get(NOTEBOOK)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def entry(previous: str, **fields: Any) -> dict[str, Any]:
    """Return the data of the next entry: the kept fields and tokens of the page, and ``fields``."""
    data = {
        "unit": selected(previous, "unit"),
        "heard_on": value(previous, "heard_on"),
        "heard_place": value(previous, "heard_place"),
        "channel": selected(previous, "channel"),
        "kind": selected(previous, "kind"),
        "token": hidden(previous, "token"),
        "sitting": hidden(previous, "sitting"),
        "text": "",
    }
    data.update(fields)
    return {key: val for key, val in data.items() if val is not None}


def post(client: Client, data: dict[str, Any], status: int = 200) -> str:
    response = client.post(NOTEBOOK, data)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def test_a_recorder_enters_several_voices_in_a_row(client: Client, tree: Tree, cast: Cast) -> None:
    # given the recorder of area A1 opens the notebook
    text = open_notebook(client, cast.recorder)
    # then it starts at their own unit, today, face to face, and offers no QR channel
    assert selected(text, "unit") == "A1"
    assert value(text, "heard_on") == timezone.localdate().isoformat()
    assert selected(text, "channel") == Channel.FACE_TO_FACE
    assert "扫码" not in text
    for label in ["当面", "热线", "意见箱", "谈心", "走访", "问卷", "职代会"]:
        assert f">{label}</option>" in text

    # when they enter three voices, one after another, after a talk at the pithead
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    first = post(
        client,
        entry(
            text,
            unit="T1",
            heard_on=yesterday,
            heard_place="井口会议室",
            channel="talk",
            text="澡堂热水时有时无，下井回来洗不上澡。",
        ),
    )
    second = post(
        client,
        entry(
            first,
            kind="suggestion",
            text="建议班车增加晚班一趟。",
            named="on",
            name="李娜",
            employee_no="JT0000777",
            phone="13912345678",
        ),
    )
    third = post(client, entry(second, kind="complaint", text="劳保鞋质量差，两个月就坏。"))

    # then each page gave the case number and receipt code, and kept unit, date, place, channel
    cases = list(Case.objects.order_by("id"))
    assert len(cases) == 3
    for page_text, case in zip([first, second, third], cases, strict=True):
        assert f"已记录，编号 {case.case_no}" in page_text
    assert selected(third, "unit") == "T1"
    assert value(third, "heard_on") == yesterday
    assert value(third, "heard_place") == "井口会议室"
    assert selected(third, "channel") == "talk"
    assert selected(third, "kind") == "demand"  # the kind starts again
    assert "劳保鞋质量差" not in third.split("<textarea")[1].split("</textarea>")[0]
    assert value(third, "name") == ""
    # and the list of this sitting holds all three, each with a receipt code that works
    assert "本次已记录 3 条" in third
    receipts = RECEIPT.findall(third)
    assert len(set(receipts)) == 3
    listed = {services.case_for_receipt(code).case_no for code in receipts}
    assert listed == {case.case_no for case in cases}
    for case in cases:
        assert case.case_no in third

    # and the cases are written as heard: channel, place, date, recorder, identity
    first_case, named_case, third_case = cases
    assert first_case.channel == "talk"
    assert first_case.origin_unit == tree.team1
    assert first_case.heard_place == "井口会议室"
    assert first_case.heard_on.isoformat() == yesterday  # type: ignore[union-attr]
    assert first_case.recorded_by == cast.recorder
    assert first_case.is_anonymous
    assert (named_case.submitter_name, named_case.submitter_employee_no) == ("李娜", "JT0000777")
    assert named_case.kind == "suggestion"
    assert third_case.kind == "complaint"
    assert third_case.is_anonymous
    assert third_case.submitter_name == ""
    assert list(CaseEvent.objects.values_list("kind", flat=True)) == ["recorded"] * 3


def test_sending_the_same_entry_again_records_it_once(
    client: Client, tree: Tree, cast: Cast
) -> None:
    text = open_notebook(client, cast.recorder)
    data = entry(text, text="食堂菜价上涨太快。")
    saved = post(client, data)
    again = post(client, data)  # the browser's "resend" after a reload
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert f"这一条已保存为 {case.case_no}，未重复记录" in again
    assert f"已记录，编号 {case.case_no}" in saved


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "太短"}, "请至少写5个字"),
        ({"text": "字" * 2001}, "2000"),
        ({"named": "on", "name": "", "employee_no": "JT1"}, "请填写姓名。"),
        ({"named": "on", "name": "张三", "employee_no": ""}, "请填写工号。"),
        ({"named": "on", "name": "张三", "employee_no": "工号一"}, "工号须为"),
        ({"named": "on", "name": "张三", "employee_no": "JT1", "phone": "123"}, "手机号格式不正确"),
        ({"name": "张三"}, "本人同意具名"),
        ({"unit": "M2"}, "您无权为该单位记录"),
        ({"channel": "qr"}, "选择一个有效的选项"),
        ({"heard_on": "2999-01-01"}, "听取日期不能晚于今天"),
    ],
)
def test_bad_input_says_why_and_records_nothing(
    client: Client, tree: Tree, cast: Cast, fields: dict[str, Any], message: str
) -> None:
    text = open_notebook(client, cast.recorder)
    data = entry(text, text="通勤班车经常晚点，希望调整。")
    data.update(fields)
    refused = post(client, data, status=400)
    assert message in refused
    assert not Case.objects.exists()
    # what was typed is still there to correct
    assert "通勤班车经常晚点" in refused or fields.get("text")


def test_a_dispatcher_may_record_for_any_unit_of_their_company(
    client: Client, tree: Tree, cast: Cast
) -> None:
    text = open_notebook(client, cast.dispatcher)
    for code in ["C1", "M1", "A1", "T1"]:
        assert f'<option value="{code}"' in text
    assert '<option value="M2"' not in text
    post(client, entry(text, unit="M1", channel="hotline", text="热线：矿区路灯坏了好几盏。"))
    case = Case.objects.get()
    assert (case.origin_unit, case.channel) == (tree.mine1, "hotline")


def test_only_recorders_may_open_the_notebook(client: Client, tree: Tree, cast: Cast) -> None:
    client.force_login(cast.handler)
    assert client.get(NOTEBOOK).status_code == 403
    assert client.post(NOTEBOOK, {"text": "不应被记录的内容。"}).status_code == 403
    assert not Case.objects.exists()
    client.logout()
    response = client.get(NOTEBOOK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_receipt_codes_stay_with_the_recorder_who_took_them(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given a recorder's sitting with one entry
    saved = post(
        client, entry(open_notebook(client, cast.recorder), text="宿舍楼热水器坏了一个月。")
    )
    client.force_login(cast.recorder)
    response = client.get(NOTEBOOK)
    # then the browser is told not to keep the page, which shows receipt codes
    assert "no-store" in response["Cache-Control"]
    # and the list carried in the form means nothing to another recorder
    sitting = hidden(saved, "sitting")
    assert sitting
    other = open_notebook(client, cast.dispatcher)
    shown = post(client, entry(other, unit="A1", text="班车座位不够坐。", sitting=sitting))
    assert "本次已记录 1 条" in shown
    first = Case.objects.order_by("id")[0]
    assert first.case_no not in shown
    assert first.title not in shown
