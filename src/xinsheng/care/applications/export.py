"""A programme's ledger (发放台账) as an .xlsx file in the layout a union office keeps:
序号, 姓名, 单位, 类别, 金额, 发放日期, 经办人, 备注 — in constant memory for any number of rows.

The rows are the programme's payments the reader may see, reversals included (as negative
amounts marked 冲销, so that the column sums to what stands), oldest first, read as plain
tuples in chunks and written by xlsxwriter in ``constant_memory`` mode, which flushes each row
as it goes. Column widths follow the spreadsheet kit's templates (``display_width``).
"""

from decimal import Decimal
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from django.db.models import QuerySet
from django.utils.translation import gettext

from xinsheng.care.applications import rules
from xinsheng.care.choices import MoneySource
from xinsheng.care.models import Payment
from xinsheng.core.sheets.template import display_width

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "#B71C1C"  # the red of the staff pages
CHUNK = 2000
EXCEL_EPOCH_ORDINAL = 693594  # date(1899, 12, 30).toordinal(): day 0 of Excel's dates
FIELDS = (
    "person__name",
    "person__unit__name",
    "application__details__level",
    "source",
    "reverses_id",
    "amount",
    "paid_on",
    "actor__person__name",
    "actor__username",
    "note",
)


def _columns() -> list[tuple[str, int]]:
    return [
        (gettext("序号"), 8),
        (gettext("姓名"), 12),
        (gettext("单位"), 24),
        (gettext("类别"), 12),
        (gettext("金额"), 12),
        (gettext("发放日期"), 12),
        (gettext("经办人"), 12),
        (gettext("备注"), 30),
    ]


def ledger_rows(payments: QuerySet[Payment]) -> QuerySet[Any]:
    """Return the tuples the ledger is written from, oldest first."""
    return payments.order_by("paid_on", "id").values_list(*FIELDS)


def ledger_write(*, payments: QuerySet[Payment], target: str | IO[bytes]) -> tuple[int, Decimal]:
    """Write ``payments`` (a programme's, as the reader may see them) to ``target``; return the
    number of rows and their total."""
    book = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    sources = {value: str(label) for value, label in MoneySource.choices}
    reversal = gettext("冲销")
    total = Decimal("0")
    written = 0
    try:
        sheet = book.add_worksheet(gettext("发放台账")[:31])
        text, number, date = _formats(book, sheet)
        for row in ledger_rows(payments).iterator(chunk_size=CHUNK):
            name, unit, level, source, reverses, amount, paid_on, handler, username, note = row
            written += 1
            total += amount
            category = rules.level_label(level or "") or sources.get(source, source)
            if reverses is not None:
                category = f"{category}（{reversal}）"
            sheet.write_number(written, 0, written, text)
            sheet.write_string(written, 1, name or "", text)
            sheet.write_string(written, 2, unit or "", text)
            sheet.write_string(written, 3, category, text)
            sheet.write_number(written, 4, float(amount), number)
            sheet.write_number(written, 5, paid_on.toordinal() - EXCEL_EPOCH_ORDINAL, date)
            sheet.write_string(written, 6, handler or username or "", text)
            if note:
                sheet.write_string(written, 7, note, text)
        if written:
            sheet.write_string(written + 1, 3, gettext("合计"), text)
            sheet.write_number(written + 1, 4, float(total), number)
    finally:
        book.close()
    return written, total


def _formats(book: Any, sheet: Any) -> tuple[Any, Any, Any]:
    base = {"valign": "top", "font_size": 10}
    header = book.add_format(
        {
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": HEADER_FILL,
            "align": "center",
            "valign": "vcenter",
            "border": 1,
        }
    )
    text = book.add_format(base)
    number = book.add_format({**base, "num_format": "#,##0.00"})
    date = book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"})
    for index, (label, width) in enumerate(_columns()):
        sheet.set_column(index, index, max(width, display_width(label) + 2))
        sheet.write_string(0, index, label, header)
    sheet.set_row(0, 22)
    sheet.freeze_panes(1, 0)
    return text, number, date
