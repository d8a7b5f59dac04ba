"""Read the cell values of an .xlsx workbook, sheet by sheet and row by row.

An import needs only values: no styles and no formulas (their cached results are read). The
reading is done by calamine (``python-calamine``), a compiled reader several times faster than a
general spreadsheet library, which matters at 100,000 rows; openpyxl still writes the template.
"""

from collections.abc import Iterator
from typing import IO

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

Values = tuple[object, ...]


class XlsxError(Exception):
    """The workbook is damaged or not a spreadsheet."""


class Workbook:
    """An .xlsx file opened for reading values."""

    def __init__(self, source: IO[bytes]) -> None:
        try:
            self.book = CalamineWorkbook.from_filelike(source)
        except (CalamineError, PasswordError, XmlError, ZipError, ValueError, OSError) as exc:
            raise XlsxError(str(exc)) from exc
        # (sheet name, the name again): callers pass the second item back to ``rows``.
        self.sheets = [(name, name) for name in self.book.sheet_names]

    def close(self) -> None:
        self.book.close()

    def rows(self, part: str) -> Iterator[tuple[int, Values]]:
        """Yield (Excel row number, cell values) of the worksheet ``part``.

        Calamine yields rows from the sheet's first row and cells from its first used column,
        which keeps the columns of the header and the data aligned.
        """
        try:
            sheet = self.book.get_sheet_by_name(part)
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                yield number, tuple(_value(cell) for cell in cells)
        except (CalamineError, XmlError, ZipError, ValueError) as exc:
            raise XlsxError(str(exc)) from exc


def _value(cell: object) -> object:
    """Return ``cell`` as the import reads it: blanks as None, whole numbers as int."""
    if cell == "":
        return None
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    return cell
