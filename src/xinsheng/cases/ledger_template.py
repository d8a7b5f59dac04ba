"""The downloadable .xlsx template of a ledger import: the ledger's columns and one example row."""

import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext

from xinsheng.cases.choices import CaseStatus, Channel, Satisfaction
from xinsheng.cases.ledger_columns import COLUMNS, SHEET_TITLE, Cell, display_width, yes_no

HEADER_FILL = "B71C1C"  # the red of the staff pages
SAMPLE_FONT = "667085"  # grey: the example row is to be replaced
VALIDATED_ROWS = 100_000  # rows covered by the drop-down lists


def template_file_name() -> str:
    """Return the name the template downloads under."""
    return gettext("台账导入模板") + ".xlsx"


def _sample() -> dict[str, Any]:
    return {
        "seq": 1,
        "case_no": "2019-0001",
        "channel": str(Channel.FACE_TO_FACE.label),
        "created_at": dt.datetime(2019, 3, 12, 9, 30),
        "submitter": gettext("匿名"),
        "origin": gettext("综采一区"),
        "category": gettext("食堂"),
        "text": gettext("井口食堂夜班供应的饭菜品种少，希望增加热菜。"),
        "responsible": gettext("后勤服务中心"),
        "handler": "",
        "deadline": dt.date(2019, 3, 19),
        "status": str(CaseStatus.CLOSED.label),
        "answer": gettext("已增加夜班热菜两种，自3月18日起供应。"),
        "answered_at": dt.datetime(2019, 3, 18, 16, 0),
        "satisfaction": str(Satisfaction.SATISFIED.label),
        "solved": yes_no(True),
        "closed_at": dt.datetime(2019, 3, 20, 10, 0),
        "supervisions": 0,
    }


def template_workbook() -> bytes:
    """Return the template as .xlsx bytes: header with notes, an example row, drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = gettext(SHEET_TITLE)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    sample_font = Font(italic=True, color=SAMPLE_FONT)
    sample = _sample()
    for index, col in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=col.label)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if col.note:
            cell.comment = Comment(gettext(col.note), gettext("心声"), width=260, height=110)
        value = sample[col.key]
        example = sheet.cell(row=2, column=index, value=value if value != "" else None)
        example.font = sample_font
        if col.cell == Cell.DATE:
            example.number_format = "yyyy-mm-dd"
        elif col.cell == Cell.DATETIME:
            example.number_format = "yyyy-mm-dd hh:mm"
        elif col.cell in {Cell.TEXT, Cell.LONG_TEXT}:
            sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = max(col.width, display_width(col.label) + 4)
    sheet.row_dimensions[1].height = 22
    sheet.freeze_panes = "C2"
    _choices(sheet, COLUMNS, "channel", [str(c.label) for c in Channel])
    _choices(sheet, COLUMNS, "status", [str(s.label) for s in CaseStatus if s != CaseStatus.MERGED])
    _choices(sheet, COLUMNS, "satisfaction", [str(s.label) for s in Satisfaction])
    _choices(sheet, COLUMNS, "solved", [yes_no(True), yes_no(False)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _choices(sheet: Any, columns: Any, key: str, options: list[str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(next(i for i, c in enumerate(columns, 1) if c.key == key))
    validation = DataValidation(
        type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
    )
    validation.error = gettext("请从下拉列表中选择。")
    validation.errorTitle = gettext("输入有误")
    validation.showErrorMessage = True
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
    sheet.add_data_validation(validation)
