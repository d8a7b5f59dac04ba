"""A programme's ledger exports to Excel in the union office's layout, reversals included so that
the total is what stands; another company's officer cannot download it."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.care.applications.conftest import Care
from tests.care.applications.test_figures import two_paid_one_refused
from xinsheng.care.money.services import payment_reverse

pytestmark = pytest.mark.django_db


def test_the_ledger_lists_each_payment_and_the_reversal_with_the_total(
    care: Care, client: Client
) -> None:
    paid = two_paid_one_refused(care)
    payment_reverse(actor=care.union, payment=paid[1], reason="重复发放")
    client.force_login(care.union)
    page = client.get(reverse("care_programmes:detail", args=[care.aid.pk])).content.decode()
    url = reverse("care_programmes:ledger", args=[care.aid.pk])
    assert url in page

    answer = client.get(url)

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    rows = [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ("序号", "姓名", "单位", "类别", "金额", "发放日期", "经办人", "备注")
    assert [(row[0], row[1], row[3], row[4]) for row in rows[1:4]] == [
        (1, "张立军", "本科", 5000),
        (2, "李国强", "大专", 3000),
        (3, "李国强", "大专（冲销）", -3000),
    ]
    assert rows[3][7] == "重复发放"
    assert rows[4][3:5] == ("合计", 5000)
    client.force_login(care.outsider)
    assert client.get(url).status_code == 404
