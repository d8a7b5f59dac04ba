"""Stream the cell values of an .xlsx workbook, row by row, within fixed bounds.

A worksheet says how big it is (its ``<dimension>``, and the addresses of its cells), and a
reader that builds a grid of that size can be made to allocate gigabytes by a tiny file with
one cell at A1 and another at XFD1048576. This reader never builds a grid: it walks the sheet's
XML as a stream (lxml, entities unresolved), keeps only the current row, drops each row once
read, and stops at the first cell beyond ``max_row`` or ``max_column`` (or a row of more cells
than ``max_column``) with :class:`OutOfBounds`. The workbook's parts other than the sheets
(shared strings, styles) are read by openpyxl.

Values only: no styles, no formulas (their cached results are read), dates as ``datetime``.
"""

import datetime as dt
import functools
from collections.abc import Iterator
from typing import IO, Any

# openpyxl and lxml are imported where a workbook is opened: a web worker that never reads a
# spreadsheet does not load them.

Values = tuple[object, ...]

SHEET_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
CELL_TAG = f"{{{SHEET_MAIN_NS}}}c"
VALUE_TAG = f"{{{SHEET_MAIN_NS}}}v"
INLINE_TAG = f"{{{SHEET_MAIN_NS}}}is"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"


class XlsxError(Exception):
    """The workbook is damaged or not a spreadsheet."""


class OutOfBounds(XlsxError):
    """A cell lies beyond the rows or columns a reader accepts."""

    def __init__(self, sheet: str, row: int, column: int) -> None:
        super().__init__(f"{sheet}!{_letters(column)}{row}")
        self.sheet = sheet
        self.row = row
        self.column = column

    @property
    def cell(self) -> str:
        """Return the cell's address as Excel shows it (e.g. ``XFD1048576``)."""
        return f"{_letters(self.column)}{self.row}"


class Workbook:
    """An .xlsx file opened for streaming its values."""

    def __init__(self, source: IO[bytes], *, max_row: int, max_column: int) -> None:
        from openpyxl.reader.excel import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

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

        Rows without values are not yielded. Raises :class:`OutOfBounds` at the first cell past
        the bounds, before anything of its size is allocated.
        """
        try:
            sheet = self.book[part]
            cells = _Cells(
                sheet._shared_strings,
                self.book._date_formats,
                self.book._timedelta_formats,
                self.book.epoch,
            )
            with sheet._get_source() as source:
                yield from self._stream(part, cells, source)
        except XlsxError:
            raise
        except Exception as exc:  # damaged XML, a bad shared-string index, an odd number
            raise XlsxError(repr(exc)) from exc

    def _stream(
        self, title: str, cells: "_Cells", source: IO[bytes]
    ) -> Iterator[tuple[int, Values]]:
        """Yield the rows of one sheet, each dropped once read.

        The parser reports every cell as it ends, so that a row of too many cells is refused as
        soon as it has one too many; the row's values are read when the row ends.
        """
        from lxml.etree import iterparse  # type: ignore[import-untyped]

        max_row, max_column = self.max_row, self.max_column
        number = count = 0
        events = iterparse(source, tag=(ROW_TAG, CELL_TAG), resolve_entities=False, no_network=True)
        for _event, element in events:
            if element.tag == CELL_TAG:
                count += 1
                if count > max_column:
                    row = element.getparent().get("r")
                    raise OutOfBounds(title, int(row) if row else number + 1, count)
                continue
            where = element.get("r")
            number = int(where) if where else number + 1
            count = 0
            values = cells.read(element, title, number, max_row, max_column)
            if values:
                yield number, values
            element.clear()
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)


class _Cells:
    """Reads the values of a row's cells as an import wants them."""

    def __init__(
        self, strings: Any, dates: set[int], durations: set[int], epoch: dt.datetime
    ) -> None:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.from_excel = from_excel
        self.from_iso8601 = from_ISO8601
        self.strings = strings
        self.dates = dates
        self.durations = durations
        self.epoch = epoch

    def read(self, row: Any, title: str, number: int, max_row: int, max_column: int) -> Values:
        """Return the values of ``row`` from column A to its last value (empty when none)."""
        found: dict[int, object] = {}
        column = 0
        for cell in row:
            if cell.tag != CELL_TAG:
                continue
            where = cell.get("r")
            column = _column(where) if where else column + 1
            if number > max_row or column > max_column:
                raise OutOfBounds(title, number, column)
            value = self.value(cell)
            if value is not None and value != "":
                found[column] = value
        if not found:
            return ()
        return tuple(_value(found.get(index)) for index in range(1, max(found) + 1))

    def value(self, cell: Any) -> object:
        """Return the value of ``cell`` (children are walked, not searched: it is faster)."""
        kind = cell.get("t")
        text = None
        for child in cell:
            tag = child.tag
            if tag == VALUE_TAG:
                text = child.text
                break
            if tag == INLINE_TAG:
                return _inline_text(child)
        if not text:
            return None
        if kind == "s":
            return self.strings[int(text)]
        if kind is None or kind == "n":
            value = _number(text)
            style = cell.get("s")
            if style and int(style) in self.dates:
                return self.from_excel(value, self.epoch, timedelta=int(style) in self.durations)
            return value
        if kind == "b":
            return text == "1"
        if kind == "d":
            return self.from_iso8601(text)
        return text  # "str" (a formula's text) and "e" (an error such as #N/A)


def _inline_text(inline: Any) -> str:
    """Return the text of an inline string: its plain text and its runs, not its phonetics."""
    parts = []
    for part in inline:
        if part.tag == TEXT_TAG:
            parts.append(part.text or "")
        elif part.tag == RUN_TAG:
            parts.extend(piece.text or "" for piece in part if piece.tag == TEXT_TAG)
    return "".join(parts)


def _letters(column: int) -> str:
    """Return the letters of column number ``column`` (past XFD, those of the last Excel has)."""
    from openpyxl.utils.cell import get_column_letter

    return str(get_column_letter(min(column, 18278)))


@functools.cache
def _column_of_letters(letters: str) -> int:
    from openpyxl.utils.cell import column_index_from_string

    return int(column_index_from_string(letters))


def _column(where: str) -> int:
    """Return the column number of a cell address such as ``AB12``."""
    return _column_of_letters(where.rstrip("0123456789"))


def _number(text: str) -> int | float:
    """Return the number a numeric cell holds."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def _value(cell: object) -> object:
    """Return ``cell`` as an import reads it: blanks as None, whole numbers as int."""
    if cell == "":
        return None
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return int(cell)
    return cell
