"""A historical payment roster imports from Excel into a programme: the ledger a programme exports
imports into another with the same totals; a roster with a wrong total, an unknown employee or
an ambiguous name is refused row by row and nothing is written; a dry run writes nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.care.applications.conftest import Care
from tests.care.applications.test_figures import two_paid_one_refused
from tests.care.factories import make_person, make_programme
from tests.conftest import Tree
from xinsheng.care.applications import roster
from xinsheng.care.applications.export import ledger_write
from xinsheng.care.choices import MoneySource, ProgrammeKind
from xinsheng.care.models import Payment, Programme
from xinsheng.care.money.selectors import fund_balance, payment_list_for, programme_spent
from xinsheng.care.money.services import payment_reverse
from xinsheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = ("序号", "姓名", "单位", "类别", "金额", "发放日期", "经办人", "备注")
LAST_YEAR = dt.date.today().year - 1


def _xlsx(rows: list[tuple[object, ...]], header: tuple[str, ...] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _post(client: Client, programme: Programme, content: bytes, *, apply: bool) -> str:
    url = reverse("care_programmes:roster", args=[programme.pk])
    data = {"file": SimpleUploadedFile("2024金秋助学台账.xlsx", content)}
    data["apply" if apply else "check"] = "1"
    answer = client.post(url, data, follow=True)
    return str(answer.content.decode())


def _festival(care: Care) -> Programme:
    return make_programme(
        care.aid.unit, kind=ProgrammeKind.DISTRIBUTION, title="节日送温暖", fund=care.fund
    )


def test_a_programmes_ledger_imports_into_another_programme_with_the_same_totals(
    care: Care, client: Client
) -> None:
    paid = two_paid_one_refused(care)
    payment_reverse(actor=care.union, payment=paid[1], reason="重复发放")
    ledger = io.BytesIO()
    ledger_write(payments=payment_list_for(actor=care.union, programme=care.aid), target=ledger)
    other = make_programme(care.aid.unit, title="金秋助学（补录）", year=LAST_YEAR, fund=care.fund)
    balance = fund_balance(care.fund)
    client.force_login(care.union)

    page = _post(client, other, ledger.getvalue(), apply=True)

    assert "已导入2笔发放、1笔冲销，合计5000.00元" in page
    assert programme_spent(other) == programme_spent(care.aid) == Decimal("5000.00")
    imported = Payment.objects.filter(programme=other).order_by("id")
    assert [(p.person.name, p.amount) for p in imported] == [
        ("张立军", Decimal("5000.00")),
        ("李国强", Decimal("3000.00")),
        ("李国强", Decimal("-3000.00")),
    ]
    assert imported[2].reverses_id == imported[1].pk
    assert imported[2].note == "重复发放"
    assert "第2行" in imported[0].imported_from
    # The money came out of the fund once more; each payment and the import were audited.
    assert fund_balance(care.fund) == balance - Decimal("5000.00")
    assert AuditEvent.objects.filter(action="care.payment", object_id=str(imported[0].pk)).exists()
    assert AuditEvent.objects.filter(action="care.roster.import").count() == 1


def test_a_dry_run_lists_what_would_be_written_and_writes_nothing(
    care: Care, client: Client
) -> None:
    festival = _festival(care)
    content = _xlsx(
        [
            (1, "张立军", "综采一区一班", "基金", 500, f"{LAST_YEAR}-02-01", "刘会计", ""),
            (2, "王建华", "", "个人", 300, f"{LAST_YEAR}/02/02", "", "干部自费"),
            (None, None, None, "合计", 800, None, None, None),
        ]
    )
    client.force_login(care.union)

    page = _post(client, festival, content, apply=False)

    assert "预检通过" in page
    assert "共2行：2笔发放、0笔冲销，2人，合计800.00元。" in page
    assert not Payment.objects.filter(programme=festival).exists()
    _post(client, festival, content, apply=True)
    assert programme_spent(festival) == Decimal("500.00")
    assert programme_spent(festival, source=MoneySource.PERSONAL) == Decimal("300.00")


def test_a_wrong_total_or_an_unknown_employee_refuses_the_whole_roster(
    care: Care, client: Client, tree: Tree
) -> None:
    festival = _festival(care)
    client.force_login(care.union)
    wrong_total = _xlsx(
        [
            (1, "张立军", "", "基金", 500, f"{LAST_YEAR}-02-01", "", ""),
            (2, "李国强", "", "基金", 500, f"{LAST_YEAR}-02-01", "", ""),
            (None, None, None, "合计", 1500, None, None, None),
        ]
    )

    page = _post(client, festival, wrong_total, apply=True)

    assert "预检发现错误，未写入任何数据" in page
    assert "合计1500.00元与各行金额之和1000.00元不符，请核对。" in page
    assert not Payment.objects.filter(programme=festival).exists()

    make_person(tree.team1, name="张立军")  # a second 张立军 in the same team
    unknown = _xlsx(
        [
            (1, "张立军", "", "基金", 500, f"{LAST_YEAR}-02-01", "", ""),
            (2, "赵无名", "", "基金", 500, f"{LAST_YEAR}-02-01", "", ""),
            (3, "李国强", "", "基金", 500, f"{LAST_YEAR}-02-01", "", ""),
            (None, None, None, "合计", 1500, None, None, None),
        ]
    )
    page = _post(client, festival, unknown, apply=True)

    assert "有2名职工叫“张立军”，无法区分，请加一列“工号”。" in page
    assert "找不到职工“赵无名”（或不在您的发放范围内）。" in page
    assert not Payment.objects.filter(programme=festival).exists()


def test_an_employee_number_tells_two_people_of_the_same_name_apart(care: Care, tree: Tree) -> None:
    twin = make_person(tree.team1, name="张立军")
    festival = _festival(care)
    content = _xlsx(
        [
            (
                1,
                twin.employee_no,
                "张立军",
                "综采一区一班",
                "基金",
                200,
                f"{LAST_YEAR}-09-10",
                "",
                "",
            )
        ],
        header=("序号", "工号", "姓名", "单位", "类别", "金额", "发放日期", "经办人", "备注"),
    )

    plan = roster.roster_import(
        actor=care.union, programme=festival, content=content, file_name="roster.xlsx"
    )

    assert not plan.errors
    assert Payment.objects.get(programme=festival).person == twin
    # Another company's officer finds no one of this company on the roster.
    outsider = roster.roster_check(
        actor=care.outsider,
        programme=make_programme(tree.company2, title="送温暖"),
        content=content,
        file_name="roster.xlsx",
    )
    assert "不存在或不在您的发放范围内" in outsider.errors[0].message


def test_a_roster_beyond_the_funds_balance_is_refused_at_the_row_that_exceeds_it(
    care: Care,
) -> None:
    festival = _festival(care)
    balance = fund_balance(care.fund)
    content = _xlsx(
        [
            (1, "张立军", "", "基金", float(balance) - 100, f"{LAST_YEAR}-02-01", "", ""),
            (2, "李国强", "", "基金", 200, f"{LAST_YEAR}-02-01", "", ""),
        ]
    )

    plan = roster.roster_import(
        actor=care.union, programme=festival, content=content, file_name="roster.xlsx"
    )

    assert [(error.row, error.column) for error in plan.errors] == [(3, "金额")]
    assert "余额不足" in plan.errors[0].message
    assert not Payment.objects.filter(programme=festival).exists()


def test_the_exported_ledger_reads_back_as_a_roster(care: Care) -> None:
    two_paid_one_refused(care)
    ledger = io.BytesIO()
    ledger_write(payments=payment_list_for(actor=care.union, programme=care.aid), target=ledger)
    rows = list(load_workbook(io.BytesIO(ledger.getvalue())).active.iter_rows(values_only=True))

    data = roster.read_roster(ledger.getvalue(), "ledger.xlsx")

    assert len(data.rows) == len(rows) - 1  # every row but the header, the 合计 row included
