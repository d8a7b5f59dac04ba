"""A cycle's pairs as an .xlsx file (约谈对子清单), in constant memory for any number of rows.

The rows are the pairs list's, as filtered and as the reader may see them, read as plain tuples
in chunks and written by xlsxwriter in ``constant_memory`` mode, which flushes each row as it
goes.
"""

from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from django.db.models import QuerySet
from django.utils.translation import gettext

from xinsheng.talks.choices import PairStatus
from xinsheng.talks.models import TalkPair

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "#B71C1C"  # the red of the staff pages
CHUNK = 2000
EXCEL_EPOCH_ORDINAL = 693594  # date(1899, 12, 30).toordinal(): day 0 of Excel's dates
FIELDS = (
    "rule__name",
    "host__name",
    "host__unit__name",
    "person__name",
    "person__unit__name",
    "status",
    "held_on",
    "reason",
)


def _columns() -> list[tuple[str, int]]:
    return [
        (gettext("层级"), 36),
        (gettext("谈话人"), 12),
        (gettext("谈话人单位"), 18),
        (gettext("谈话对象"), 12),
        (gettext("对象单位"), 18),
        (gettext("状态"), 10),
        (gettext("谈话日期"), 12),
        (gettext("原因"), 30),
    ]


def pairs_write(*, pairs: QuerySet[TalkPair], target: str | IO[bytes]) -> int:
    """Write ``pairs`` (as listed for the reader) to ``target``; return the number of rows."""
    book = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    try:
        sheet = book.add_worksheet(gettext("约谈对子清单")[:31])
        text, date = _formats(book, sheet)
        statuses = {value: str(label) for value, label in PairStatus.choices}
        written = 0
        for row in pairs.values_list(*FIELDS).iterator(chunk_size=CHUNK):
            rule, host, host_unit, person, person_unit, status, held_on, reason = row
            written += 1
            for column, value in enumerate((rule, host, host_unit, person, person_unit)):
                sheet.write_string(written, column, value or "", text)
            sheet.write_string(written, 5, statuses.get(status, status), text)
            if held_on is not None:
                sheet.write_number(written, 6, held_on.toordinal() - EXCEL_EPOCH_ORDINAL, date)
            if reason:
                sheet.write_string(written, 7, gettext(reason), text)
        sheet.autofilter(0, 0, max(written, 1), len(FIELDS) - 1)
    finally:
        book.close()
    return written


def _formats(book: Any, sheet: Any) -> tuple[Any, Any]:
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
    date = book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"})
    for index, (label, width) in enumerate(_columns()):
        sheet.set_column(index, index, width)
        sheet.write_string(0, index, label, header)
    sheet.set_row(0, 22)
    sheet.freeze_panes(1, 0)
    return text, date
