"""A table of an uploaded file: its header found, its columns placed, its data rows collected.

Hand-made spreadsheets put a title line or two above the header, name columns in Chinese or in
the interface's other language, and leave blank rows; every import reads them the same way. A
kind declares its columns (anything with a ``key``, a Chinese ``header`` and its translated
``label``) and the kit finds them: :func:`find_header`, :func:`column_positions` and
:func:`collect_rows`, into a :class:`TableData`; :func:`read_first_table` does all of it for a
kind whose file holds one table.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from django.utils.translation import gettext

from xinsheng.core.errors import InvalidInput
from xinsheng.core.sheets.reader import first_table, is_blank
from xinsheng.core.sheets.xlsx import Values

HEADER_SEARCH_ROWS = 10  # non-blank rows looked at for the header
PROGRESS_EVERY = 5000  # rows read between two progress reports


@dataclass(frozen=True)
class Upload:
    """An uploaded file as a kind's ``read`` gets it.

    With ``headers_only`` only the header and the first data row are read (to refuse a wrong
    file while the upload request waits); ``progress`` is told how many rows were read so far.
    """

    content: bytes
    file_name: str
    headers_only: bool = False
    progress: Callable[[int], None] | None = None


class HeaderColumn(Protocol):
    """What the kit needs of a kind's column to find it in a header."""

    @property
    def key(self) -> str: ...

    @property
    def header(self) -> str: ...  # the Chinese header, also the msgid of its translation

    @property
    def label(self) -> str: ...  # the header in the current language


def normalise_header(value: object) -> str:
    """Return a header cell as text, without spaces and the asterisks that mark required columns."""
    text = "" if value is None else str(value)
    return "".join(text.split()).strip("*＊").replace("（", "(").replace("）", ")").lower()


def header_names(column: HeaderColumn) -> set[str]:
    """Return the headers accepted for ``column``: the Chinese one and its translation."""
    return {normalise_header(column.header), normalise_header(column.label)}


C = TypeVar("C", bound=HeaderColumn)


@dataclass
class TableData:
    """One table of a file: which column holds which field, and its rows by row number."""

    title: str
    positions: dict[str, int]
    rows: list[tuple[int, Values]] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        """Return the number of data rows."""
        return len(self.rows)

    def has(self, key: str) -> bool:
        """Return whether the file has the column ``key``."""
        return key in self.positions

    def get(self, values: Values, key: str) -> object:
        """Return the cell of column ``key`` in ``values`` (None when absent or blank)."""
        index = self.positions.get(key)
        if index is None or index >= len(values):
            return None
        value = values[index]
        if isinstance(value, str) and not value.strip():
            return None
        return value


T = TypeVar("T", bound=TableData)


def find_header(
    rows: Iterator[tuple[int, Values]], keys: set[str], *, first_if_none: bool = False
) -> list[str] | None:
    """Return the normalised header: the first row naming one of ``keys`` among the first few
    non-blank rows, so that a title line above the table is passed over.

    Failing that, the first non-blank row when ``first_if_none`` (its missing columns are then
    reported), else None. ``rows`` is left just after the header.
    """
    first: list[str] | None = None
    seen = 0
    for _number, values in rows:
        if is_blank(values):
            continue
        cells = [normalise_header(value) for value in values]
        if keys & set(cells):
            return cells
        first = first or cells
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return first if first_if_none else None


def column_positions(
    header: Sequence[str],
    columns: Iterable[C],
    *,
    required: Callable[[C], bool],
    sheet: str = "",
) -> dict[str, int]:
    """Return the position of each of ``columns`` found in ``header``.

    A column named twice, or a required column missing, raises ``InvalidInput`` (naming
    ``sheet`` when the file may hold several tables).
    """
    positions: dict[str, int] = {}
    missing: list[str] = []
    for column in columns:
        names = header_names(column)
        found = [index for index, cell in enumerate(header) if cell in names]
        if len(found) > 1:
            message = (
                gettext("“%(sheet)s”表中的列“%(column)s”出现了不止一次。")
                if sheet
                else gettext("列“%(column)s”出现了不止一次。")
            )
            raise InvalidInput(message % {"sheet": sheet, "column": column.label})
        if found:
            positions[column.key] = found[0]
        elif required(column):
            missing.append(column.label)
    if missing:
        message = (
            gettext("“%(sheet)s”表缺少列：%(columns)s。")
            if sheet
            else gettext("缺少列：%(columns)s。")
        )
        raise InvalidInput(message % {"sheet": sheet, "columns": "、".join(missing)})
    return positions


@dataclass
class RowCounter:
    """Counts the data rows of a whole file, reports progress and stops at ``max_rows``."""

    max_rows: int
    progress: Callable[[int], None] | None = None
    read: int = 0

    def count(self) -> None:
        """Count one row; report every few thousand; refuse a file of too many rows."""
        self.read += 1
        if self.progress is not None and self.read % PROGRESS_EVERY == 0:
            self.progress(self.read)
        if self.read > self.max_rows:
            raise InvalidInput(too_many_rows(self.max_rows))


def too_many_rows(limit: int) -> str:
    """Return the message for a file of more than ``limit`` data rows."""
    return gettext("行数超过 %(limit)d 行，请拆分成几个文件分别导入。") % {"limit": limit}


def collect_rows(
    table: T,
    rows: Iterator[tuple[int, Values]],
    counter: RowCounter,
    *,
    headers_only: bool = False,
) -> T:
    """Add the non-blank rows left in ``rows`` to ``table``; with ``headers_only``, the first."""
    for number, values in rows:
        if is_blank(values):
            continue
        table.rows.append((number, values))
        if headers_only:
            break
        counter.count()
    return table


def read_first_table(
    upload: Upload,
    data_class: type[T],
    *,
    key: HeaderColumn,
    columns: Iterable[C],
    required: Callable[[C], bool],
    csv_title: str,
    max_rows: int,
    no_header: Callable[[], str],
) -> T:
    """Return the first table of ``upload`` whose header names the ``key`` column, as a
    ``data_class`` holding ``columns`` (``required`` tells which must be there) and its rows.

    A .csv file's table is titled ``csv_title``; a file without such a header raises
    ``InvalidInput(no_header())``, more than ``max_rows`` data rows or none at all (unless only
    the header is read) an ``InvalidInput`` of the kit's own.
    """
    names = header_names(key)

    def read(title: str, rows: Iterable[tuple[int, Values]]) -> T | None:
        iterator = iter(rows)
        header = find_header(iterator, names)
        if header is None:
            return None
        data = data_class(
            title=title, positions=column_positions(header, columns, required=required)
        )
        counter = RowCounter(max_rows, upload.progress)
        collect_rows(data, iterator, counter, headers_only=upload.headers_only)
        if not data.rows and not upload.headers_only:
            raise InvalidInput(gettext("文件中没有数据行。"))
        return data

    return first_table(
        upload.content,
        upload.file_name,
        read=read,
        csv_title=csv_title,
        max_rows=max_rows,
        no_header=no_header,
    )
