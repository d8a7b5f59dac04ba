"""Read an uploaded ledger (.xlsx or .csv) into its rows, keyed by the ledger's columns.

A problem with the file as a whole (its type, its size, a missing column) raises ``InvalidInput``
with a Chinese message; problems of single rows are the checker's business. The header may sit
below a title line or two, as hand-made ledgers often have one.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext

from xinsheng.cases.ledger_columns import (
    COLUMNS,
    SHEET_TITLE,
    column,
    header_names,
    normalise_header,
)
from xinsheng.core.errors import InvalidInput
from xinsheng.core.sheets.reader import XlsxTables, csv_rows, file_type, is_blank

MAX_ROWS = 200_000  # per file; far above a unit's paper ledgers, low enough to bound memory
PROGRESS_EVERY = 5000
HEADER_SEARCH_ROWS = 10
REQUIRED = ("case_no", "channel", "created_at", "origin", "text", "status")

Values = tuple[object, ...]


@dataclass
class LedgerData:
    """The ledger table of a file: which column holds which field, and its rows."""

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
        """Return the cell of column ``key`` in ``values`` (None when absent or empty)."""
        index = self.positions.get(key)
        if index is None or index >= len(values):
            return None
        value = values[index]
        if isinstance(value, str) and not value.strip():
            return None
        return value


def read_ledger(
    content: bytes,
    file_name: str,
    *,
    headers_only: bool = False,
    progress: Callable[[int], None] | None = None,
) -> LedgerData:
    """Return the ledger table of an .xlsx or .csv file; with ``headers_only``, just its header."""
    too_big = gettext("文件太大，请拆分成几个文件分别导入。")
    if file_type(content, file_name, too_big=too_big) == "xlsx":
        with XlsxTables(content, max_rows=MAX_ROWS) as tables:
            for table in tables:
                data = _read_table(table.title, table.rows, headers_only, progress)
                if data is not None:
                    return data
        raise InvalidInput(_no_header())
    data = _read_table(gettext(SHEET_TITLE), csv_rows(content), headers_only, progress)
    if data is None:
        raise InvalidInput(_no_header())
    return data


def _no_header() -> str:
    return gettext("文件中找不到台账的表头（须有“%(column)s”列，请使用导入模板）。") % {
        "column": column("case_no").label
    }


def _read_table(
    title: str,
    rows: Iterable[tuple[int, Values]],
    headers_only: bool,
    progress: Callable[[int], None] | None,
) -> LedgerData | None:
    """Return the table whose header names the 编号 column; None when this sheet has none."""
    iterator = iter(rows)
    keys = header_names(column("case_no"))
    header: list[str] | None = None
    seen = 0
    for _number, values in iterator:
        if is_blank(values):
            continue
        cells = [normalise_header(value) for value in values]
        if keys & set(cells):
            header = cells
            break
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            return None
    if header is None:
        return None
    data = LedgerData(title=title, positions=_positions(header))
    if headers_only:
        return data
    for number, values in iterator:
        if is_blank(values):
            continue
        data.rows.append((number, values))
        if progress is not None and len(data.rows) % PROGRESS_EVERY == 0:
            progress(len(data.rows))
        if len(data.rows) > MAX_ROWS:
            raise InvalidInput(
                gettext("行数超过 %(limit)d 行，请拆分成几个文件分别导入。") % {"limit": MAX_ROWS}
            )
    if not data.rows:
        raise InvalidInput(gettext("文件中没有数据行。"))
    return data


def _positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for col in COLUMNS:
        names = header_names(col)
        found = [index for index, cell in enumerate(header) if cell in names]
        if len(found) > 1:
            raise InvalidInput(gettext("列“%(column)s”出现了不止一次。") % {"column": col.label})
        if found:
            positions[col.key] = found[0]
    missing = [column(key).label for key in REQUIRED if key not in positions]
    if missing:
        raise InvalidInput(gettext("缺少列：%(columns)s。") % {"columns": "、".join(missing)})
    return positions
