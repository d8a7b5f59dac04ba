"""Open an uploaded .xlsx or .csv file as tables of rows, within the limits of every import.

Everything that concerns the file as a whole is here: it must not be empty, too big, an old .xls
or of another type; an .xlsx must not unpack to much more than it weighs, and no cell may lie
beyond the rows and columns an import reads. Each problem raises ``InvalidInput`` with a
Chinese message. What the tables mean (their headers and rows) is the import kind's business.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import TypeVar

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from xinsheng.core.errors import InvalidInput
from xinsheng.core.sheets.xlsx import OutOfBounds, Values, Workbook, XlsxError

UNZIPPED_RATIO = 20  # an .xlsx may unpack to this many times the upload limit, no more
MAX_COLUMNS = 500  # far more than any import has; a cell further right refuses the file
ROW_SLACK = 10_000  # blank and title rows an .xlsx may have above its row limit

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"

Rows = Iterator[tuple[int, Values]]
T = TypeVar("T")


def max_bytes() -> int:
    """Return the largest upload accepted, in bytes."""
    return int(str(settings.XINSHENG["IMPORT_MAX_BYTES"]))


@dataclass(frozen=True)
class Table:
    """A sheet of the file: its title (empty for a CSV file) and its rows as a stream."""

    title: str
    rows: Rows


def file_type(content: bytes, file_name: str, *, too_big: str | None = None) -> str:
    """Return ``"xlsx"`` or ``"csv"`` for an upload, or raise ``InvalidInput`` saying what is wrong.

    ``too_big`` replaces the message for a file over the size limit.
    """
    if not content:
        raise InvalidInput(gettext("文件是空的。"))
    if len(content) > max_bytes():
        raise InvalidInput(
            too_big
            or gettext("文件太大，上限为 %(limit)s。") % {"limit": filesizeformat(max_bytes())}
        )
    suffix = PurePath(file_name).suffix.lower()
    if content.startswith(XLS_MAGIC) or suffix == ".xls":
        raise InvalidInput(gettext("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再上传。"))
    if content.startswith(XLSX_MAGIC) and suffix in {".xlsx", ".xlsm", ""}:
        return "xlsx"
    if suffix in {".csv", ".txt"}:
        return "csv"
    if suffix in {".xlsx", ".xlsm"}:
        raise InvalidInput(gettext("该文件不是有效的 Excel (.xlsx) 文件。"))
    raise InvalidInput(gettext("不支持的文件类型：请上传 .xlsx 或 .csv 文件。"))


def broken_message() -> str:
    """Return the message for an .xlsx file that cannot be read."""
    return gettext("无法读取该 Excel 文件，文件可能已损坏。")


def out_of_bounds_message(error: OutOfBounds, *, max_rows: int) -> str:
    """Return the message for a cell beyond the bounds of an import."""
    return gettext(
        "工作表“%(sheet)s”第%(row)d行的单元格 %(cell)s 超出了可导入的范围"
        "（最多 %(rows)d 行、%(columns)d 列）。请删除表格以外多余的单元格后再上传。"
    ) % {
        "sheet": error.sheet,
        "row": error.row,
        "cell": error.cell,
        "rows": max_rows,
        "columns": MAX_COLUMNS,
    }


class XlsxTables:
    """The sheets of an .xlsx file, each read as a stream of rows; use as a context manager.

    Iterating the rows of a sheet raises ``InvalidInput`` for a damaged file or a cell beyond
    ``max_rows`` (plus some blank rows) or :data:`MAX_COLUMNS`.
    """

    def __init__(self, content: bytes, *, max_rows: int) -> None:
        check_unzipped_size(content)
        self.max_rows = max_rows
        try:
            self.book = Workbook(
                io.BytesIO(content), max_row=max_rows + ROW_SLACK, max_column=MAX_COLUMNS
            )
        except XlsxError as exc:
            raise InvalidInput(broken_message()) from exc

    def __enter__(self) -> "XlsxTables":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.book.close()

    def __iter__(self) -> Iterator[Table]:
        for title, part in self.book.sheets:
            yield Table(title, self._rows(part))

    def _rows(self, part: str) -> Rows:
        try:
            yield from self.book.rows(part)
        except OutOfBounds as exc:
            raise InvalidInput(out_of_bounds_message(exc, max_rows=self.max_rows)) from exc
        except XlsxError as exc:
            raise InvalidInput(broken_message()) from exc


def check_unzipped_size(content: bytes) -> None:
    """Refuse an .xlsx that is no zip, or unpacks to more than the limit allows."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise InvalidInput(broken_message()) from exc
    if unzipped > UNZIPPED_RATIO * max_bytes():
        raise InvalidInput(gettext("文件内容过大，请拆分成几个文件分别导入。"))


def decode_text(content: bytes) -> str:
    """Return the text of a CSV file saved as UTF-8 (with or without BOM) or GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(gettext("无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV 文件。"))


def csv_rows(content: bytes) -> Rows:
    """Return the records of a CSV (or tab-separated) file as numbered rows."""
    text = decode_text(content)
    if "\x00" in text:
        raise InvalidInput(gettext("不支持的文件类型：请上传 .xlsx 或 .csv 文件。"))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return ((number, tuple(record)) for number, record in enumerate(records, 1))


def is_blank(values: Values) -> bool:
    """Return whether a row has nothing but empty cells."""
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def first_table(
    content: bytes,
    file_name: str,
    *,
    read: Callable[[str, Rows], T | None],
    csv_title: str,
    max_rows: int,
    no_header: Callable[[], str],
    too_big: str | None = None,
) -> T:
    """Return what ``read(title, rows)`` makes of the first table it recognises: the first such
    sheet of an .xlsx, or a .csv (titled ``csv_title``); ``InvalidInput(no_header())`` when
    ``read`` recognises none (it answers None for a table without its header)."""
    if file_type(content, file_name, too_big=too_big) == "xlsx":
        with XlsxTables(content, max_rows=max_rows) as tables:
            for table in tables:
                data = read(table.title, table.rows)
                if data is not None:
                    return data
        raise InvalidInput(no_header())
    data = read(csv_title, csv_rows(content))
    if data is None:
        raise InvalidInput(no_header())
    return data
