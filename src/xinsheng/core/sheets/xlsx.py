"""Stream the cell values of an .xlsx workbook, row by row, within fixed bounds.

A worksheet says how big it is (its ``<dimension>``, and the addresses of its cells), and a
reader that builds a grid of that size can be made to allocate gigabytes by a tiny file with
one cell at A1 and another at XFD1048576. This reader never builds a grid: it walks the sheet's
XML as a stream, keeps only the cells of the current row, and stops at the first cell beyond
``max_row`` or ``max_column`` with :class:`OutOfBounds`.

Values only: no styles, no formulas (their cached results are read), dates as ``datetime``.
"""

from collections.abc import Iterator
from typing import IO, Any

from openpyxl.reader.excel import load_workbook
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

Values = tuple[object, ...]

ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
CELL_TAG = f"{{{SHEET_MAIN_NS}}}c"


class XlsxError(Exception):
    """The workbook is damaged or not a spreadsheet."""


class OutOfBounds(XlsxError):
    """A cell lies beyond the rows or columns a reader accepts."""

    def __init__(self, sheet: str, row: int, column: int) -> None:
        super().__init__(f"{sheet}!{get_column_letter(min(column, 18278))}{row}")
        self.sheet = sheet
        self.row = row
        self.column = column

    @property
    def cell(self) -> str:
        """Return the cell's address as Excel shows it (e.g. ``XFD1048576``)."""
        return f"{get_column_letter(min(self.column, 18278))}{self.row}"


class Workbook:
    """An .xlsx file opened for streaming its values."""

    def __init__(self, source: IO[bytes], *, max_row: int, max_column: int) -> None:
        try:
            self.book: Any = load_workbook(source, read_only=True, data_only=True)
        except (InvalidFileException, KeyError, ValueError, OSError, SyntaxError) as exc:
            raise XlsxError(str(exc)) from exc
        except Exception as exc:  # a damaged part can break the library anywhere
            raise XlsxError(repr(exc)) from exc
        self.max_row = max_row
        self.max_column = max_column
        # (sheet name, the name again): callers pass the second item back to ``rows``.
        self.sheets = [(name, name) for name in self.book.sheetnames]

    def close(self) -> None:
        self.book.close()

    def rows(self, part: str) -> Iterator[tuple[int, Values]]:
        """Yield (Excel row number, cell values from column A) of the worksheet ``part``.

        Rows without cells are not yielded. Raises :class:`OutOfBounds` at the first cell past
        the bounds, before anything of its size is allocated.
        """
        try:
            sheet = self.book[part]
            parser = WorkSheetParser(
                None,
                sheet._shared_strings,
                data_only=True,
                epoch=self.book.epoch,
                date_formats=self.book._date_formats,
                timedelta_formats=self.book._timedelta_formats,
            )
            with sheet._get_source() as source:
                yield from self._stream(part, parser, source)
        except XlsxError:
            raise
        except Exception as exc:  # damaged XML, a bad shared-string index, an odd number
            raise XlsxError(repr(exc)) from exc

    def _stream(
        self, title: str, parser: WorkSheetParser, source: IO[bytes]
    ) -> Iterator[tuple[int, Values]]:
        cells: dict[int, object] = {}
        for event, element in iterparse(source, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == ROW_TAG:
                    number = element.get("r")
                    parser.row_counter = int(number) if number else parser.row_counter + 1
                    parser.col_counter = 0
                    cells = {}
                continue
            if tag == CELL_TAG:
                cell = parser.parse_cell(element)
                element.clear()
                row, column = cell["row"], cell["column"]
                if row > self.max_row or column > self.max_column:
                    raise OutOfBounds(title, row, column)
                if cell["value"] is not None:
                    cells[column] = _value(cell["value"])
            elif tag == ROW_TAG:
                element.clear()
                if cells:
                    width = max(cells)
                    yield parser.row_counter, tuple(cells.get(i) for i in range(1, width + 1))
                cells = {}


def _value(cell: object) -> object:
    """Return ``cell`` as an import reads it: blanks as None, whole numbers as int."""
    if cell == "":
        return None
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    return cell
