"""The downloadable .xlsx template of an import: its sheets, headers with notes, grey samples,
and drop-down lists where a column takes one of a few words."""

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext

HEADER_FILL = "B71C1C"  # the red of the staff pages
SAMPLE_FONT = "667085"  # grey: sample rows are to be replaced
VALIDATED_ROWS = 100_000  # rows covered by the drop-down lists


@dataclass(frozen=True)
class TemplateColumn:
    """A column of a template sheet."""

    label: str  # the header, in the active language
    note: str = ""  # the header's comment, a msgid translated when written
    width: int = 12  # the least width, in narrow characters (a Chinese character takes two)
    column_format: str = ""  # the number format of the whole column ("@" keeps leading zeros)
    sample_format: str = ""  # the number format of the sample cells
    choices: Sequence[str | Promise] = ()  # the words of a drop-down list, if any


@dataclass(frozen=True)
class TemplateSheet:
    """A sheet of a template: its title, columns and sample rows (values in column order)."""

    title: str
    columns: Sequence[TemplateColumn]
    samples: Sequence[Sequence[object]]
    freeze: str = "A2"  # the first cell that scrolls
    fit_samples: bool = True  # widen columns to their samples too, not only to their header


def display_width(text: str) -> int:
    """Return how many narrow characters ``text`` takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def template_workbook(sheets: Sequence[TemplateSheet]) -> bytes:
    """Return a workbook of ``sheets`` as .xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _fill(book.create_sheet(sheet.title), sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Any, spec: TemplateSheet) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    sample_font = Font(italic=True, color=SAMPLE_FONT)
    for index, col in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=col.label)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        if col.note:
            cell.comment = Comment(gettext(col.note), gettext("心声"), width=260, height=110)
        samples = [values[index - 1] for values in spec.samples]
        for row, value in enumerate(samples, start=2):
            sample = sheet.cell(row=row, column=index, value=None if value == "" else value)
            sample.font = sample_font
            if col.sample_format:
                sample.number_format = col.sample_format
        if col.column_format:
            sheet.column_dimensions[letter].number_format = col.column_format
        texts = [col.label, *(str(value) for value in samples)] if spec.fit_samples else [col.label]
        sheet.column_dimensions[letter].width = max(
            col.width, max(display_width(text) for text in texts) + 4
        )
        if col.choices:
            _choices(sheet, letter, [str(choice) for choice in col.choices])
    sheet.row_dimensions[1].height = 22
    sheet.freeze_panes = spec.freeze


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
