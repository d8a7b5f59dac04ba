"""Read an uploaded .xlsx or .csv file into the rows of its units and people tables.

A problem with the file as a whole (its type, its size, a missing column) raises ``InvalidInput``
with a Chinese message; problems of single rows are the checker's business.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext

from xinsheng.core.errors import InvalidInput
from xinsheng.core.sheets import table as kit
from xinsheng.core.sheets.reader import XlsxTables, csv_rows, file_type, max_bytes
from xinsheng.core.sheets.xlsx import Values
from xinsheng.org.import_columns import COLUMNS, SheetKind, column, sheet_title, title_names

__all__ = ["ImportData", "Sheet", "max_bytes", "read_import"]

MAX_ROWS = 500_000  # per file; far above any real workforce, low enough to keep memory bounded


@dataclass
class Sheet(kit.TableData):
    """One table of the file: which column holds which field, and its rows by Excel row number."""

    kind: SheetKind = SheetKind.UNITS


@dataclass
class ImportData:
    """What a file holds: at most one units table and one people table."""

    sheets: dict[SheetKind, Sheet]

    @property
    def total_rows(self) -> int:
        """Return the number of data rows in all tables."""
        return sum(len(sheet.rows) for sheet in self.sheets.values())

    def sheet(self, kind: SheetKind) -> Sheet | None:
        """Return the table ``kind``, None when the file has none."""
        return self.sheets.get(kind)


def read_import(upload: kit.Upload) -> ImportData:
    """Return the units and people tables of an uploaded .xlsx or .csv file."""
    options = _Options(upload.headers_only, kit.RowCounter(MAX_ROWS, upload.progress))
    if file_type(upload.content, upload.file_name) == "xlsx":
        return _read_xlsx(upload.content, options)
    return _read_csv(upload.content, options)


@dataclass
class _Options:
    headers_only: bool
    counter: kit.RowCounter


# --- xlsx -----------------------------------------------------------------------------------------


def _read_xlsx(content: bytes, options: _Options) -> ImportData:
    sheets: dict[SheetKind, Sheet] = {}
    with XlsxTables(content, max_rows=MAX_ROWS) as tables:
        for table in tables:
            sheet = _read_table(table.title, table.rows, options)
            if sheet is not None:
                _add_sheet(sheets, sheet)
    if not sheets:
        raise InvalidInput(
            gettext("文件中没有“%(units)s”或“%(people)s”工作表（请使用导入模板）。")
            % {"units": sheet_title(SheetKind.UNITS), "people": sheet_title(SheetKind.PEOPLE)}
        )
    return _finish(sheets)


# --- csv ------------------------------------------------------------------------------------------


def _read_csv(content: bytes, options: _Options) -> ImportData:
    sheet = _read_table("", csv_rows(content), options)
    if sheet is None:
        raise InvalidInput(
            gettext(
                "无法识别表头：CSV 文件的第一行应为“单位”表或“人员”表的列名（请参照导入模板）。"
            )
        )
    return _finish({sheet.kind: sheet})


# --- both -----------------------------------------------------------------------------------------


def _read_table(title: str, rows: Iterator[tuple[int, Values]], options: _Options) -> Sheet | None:
    """Return the table in ``rows``, None if not ours.

    The header is the first row naming a key column (工号 or 单位代码) among the first few
    non-blank rows, so that a title line above the table is passed over; failing that, the first
    non-blank row, whose missing columns are then reported.
    """
    keys = kit.header_names(column(SheetKind.PEOPLE, "employee_no")) | kit.header_names(
        column(SheetKind.UNITS, "code")
    )
    header = kit.find_header(rows, keys, first_if_none=True)
    if header is None:
        return None
    kind = _classify(title, header)
    if kind is None:
        return None
    positions = kit.column_positions(
        header, COLUMNS[kind], required=lambda col: bool(col.required), sheet=sheet_title(kind)
    )
    sheet = Sheet(title=title or sheet_title(kind), positions=positions, kind=kind)
    return kit.collect_rows(sheet, rows, options.counter, headers_only=options.headers_only)


def _classify(title: str, header: list[str]) -> SheetKind | None:
    name = kit.normalise_header(title)
    for kind in SheetKind:
        if name and name in title_names(kind):
            return kind
    cells = set(header)
    if kit.header_names(column(SheetKind.PEOPLE, "employee_no")) & cells:
        return SheetKind.PEOPLE
    if kit.header_names(column(SheetKind.UNITS, "code")) & cells:
        return SheetKind.UNITS
    return None


def _add_sheet(sheets: dict[SheetKind, Sheet], sheet: Sheet) -> None:
    if sheet.kind in sheets:
        raise InvalidInput(
            gettext("文件中有不止一个“%(sheet)s”表，请合并后再导入。")
            % {"sheet": sheet_title(sheet.kind)}
        )
    sheets[sheet.kind] = sheet


def _finish(sheets: dict[SheetKind, Sheet]) -> ImportData:
    data = ImportData(sheets=dict(sorted(sheets.items(), key=lambda item: item[0] != "units")))
    if data.total_rows == 0:
        raise InvalidInput(gettext("文件中没有数据行。"))
    if data.total_rows > MAX_ROWS:
        raise InvalidInput(kit.too_many_rows(MAX_ROWS))
    return data
