"""The downloadable .xlsx template of an import: a units sheet and a people sheet."""

import io
import unicodedata
from typing import Any

from django.utils.translation import gettext

from xinsheng.org.choices import UnitKind
from xinsheng.org.import_columns import (
    PEOPLE_COLUMNS,
    UNIT_COLUMNS,
    Column,
    SheetKind,
    flag_label,
    kind_label,
    sheet_title,
)

HEADER_FILL = "B71C1C"  # the red of the staff pages
SAMPLE_FONT = "667085"  # grey: sample rows are to be replaced
VALIDATED_ROWS = 100_000  # rows covered by the drop-down lists


def template_file_name() -> str:
    """Return the name the template downloads under."""
    return gettext("组织与人员导入模板") + ".xlsx"


def template_workbook() -> bytes:
    """Return the template as .xlsx bytes, with headers, notes, samples and drop-down lists."""
    from openpyxl import Workbook

    book = Workbook()
    units = book.active
    units.title = sheet_title(SheetKind.UNITS)
    yes = flag_label(True)
    _fill(units, UNIT_COLUMNS, _unit_samples(yes))
    _choices(units, "C", [kind_label(kind) for kind in UnitKind.values])
    _choices(units, "E", [yes, flag_label(False)])
    people = book.create_sheet(sheet_title(SheetKind.PEOPLE))
    _fill(people, PEOPLE_COLUMNS, _people_samples(yes))
    _choices(people, "F", [yes, flag_label(False)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _unit_samples(yes: str) -> list[list[str]]:
    return [
        ["C1-M9", gettext("示例煤矿"), kind_label(UnitKind.MINE), "C1", yes],
        ["C1-M9-A01", gettext("综采一区"), kind_label(UnitKind.AREA), "C1-M9", yes],
    ]


def _people_samples(yes: str) -> list[list[str]]:
    return [
        ["100001", gettext("张伟"), "C1-M9-A01", gettext("采煤工"), "13800000001", yes],
        ["100002", gettext("王芳"), "C1-M9-A01", gettext("班组长"), "13900000002", yes],
    ]


def display_width(text: str) -> int:
    """Return how many narrow characters ``text`` takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fill(sheet: Any, columns: tuple[Column, ...], samples: list[list[str]]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    sample_font = Font(italic=True, color=SAMPLE_FONT)
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=col.label)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if col.note:
            cell.comment = Comment(gettext(col.note), gettext("心声"), width=260, height=110)
        for row, values in enumerate(samples, start=2):
            sample = sheet.cell(row=row, column=index, value=values[index - 1])
            sample.font = sample_font
            if col.text:
                sample.number_format = "@"
        if col.text:
            sheet.column_dimensions[letter].number_format = "@"
        widest = max(
            display_width(str(text)) for text in [col.label, *(v[index - 1] for v in samples)]
        )
        sheet.column_dimensions[letter].width = max(col.width, widest + 4)
    sheet.row_dimensions[1].height = 22
    sheet.freeze_panes = "A2"


def _choices(sheet: Any, letter: str, options: list[str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(
        type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
    )
    validation.error = gettext("请从下拉列表中选择。")
    validation.errorTitle = gettext("输入有误")
    validation.showErrorMessage = True
    validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
    sheet.add_data_validation(validation)
