"""Read an uploaded ledger (.xlsx or .csv) into its rows, keyed by the ledger's columns.

A problem with the file as a whole (its type, its size, a missing column) raises ``InvalidInput``
with a Chinese message; problems of single rows are the checker's business. The header may sit
below a title line or two, as hand-made ledgers often have one.
"""

from collections.abc import Callable, Iterable

from django.utils.translation import gettext

from xinsheng.cases.ledger.columns import COLUMNS, SHEET_TITLE, column
from xinsheng.core.errors import InvalidInput
from xinsheng.core.sheets import table as kit
from xinsheng.core.sheets.reader import first_table
from xinsheng.core.sheets.xlsx import Values

MAX_ROWS = 200_000  # per file; far above a unit's paper ledgers, low enough to bound memory
REQUIRED = ("case_no", "channel", "created_at", "origin", "text", "status")


class LedgerData(kit.TableData):
    """The ledger table of a file: which column holds which field, and its rows."""


def read_ledger(upload: kit.Upload) -> LedgerData:
    """Return the ledger table of an uploaded .xlsx or .csv file."""
    headers_only, progress = upload.headers_only, upload.progress
    return first_table(
        upload.content,
        upload.file_name,
        read=lambda title, rows: _read_table(title, rows, headers_only, progress),
        csv_title=gettext(SHEET_TITLE),
        max_rows=MAX_ROWS,
        no_header=_no_header,
        too_big=gettext("文件太大，请拆分成几个文件分别导入。"),
    )


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
    header = kit.find_header(iterator, kit.header_names(column("case_no")))
    if header is None:
        return None
    positions = kit.column_positions(header, COLUMNS, required=lambda col: col.key in REQUIRED)
    data = LedgerData(title=title, positions=positions)
    if headers_only:
        return data
    kit.collect_rows(data, iterator, kit.RowCounter(MAX_ROWS, progress))
    if not data.rows:
        raise InvalidInput(gettext("文件中没有数据行。"))
    return data
