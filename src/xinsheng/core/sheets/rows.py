"""The row errors of an import: where a row went wrong (sheet, row, column) and why.

Every import kind's checker reports its errors as :class:`RowError`; the report keeps the first
:data:`REPORT_ERRORS` of them, and the pages and commands show them the same way.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

REPORT_ERRORS = 1000  # errors listed in a report; the rest are counted


@dataclass(frozen=True)
class RowError:
    """A row that cannot be imported, and why."""

    sheet: str  # the sheet's title as the file names it
    row: int  # the Excel row number (the line number of a CSV file)
    column: str  # the column's header in the active language, or "" for the whole row
    message: str

    def as_json(self) -> dict[str, Any]:
        """Return the error as it is stored in the report."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def errors_report(errors: Sequence[RowError], *, limit: int = REPORT_ERRORS) -> dict[str, Any]:
    """Return the report's part on errors: their count, the first ``limit`` and how many more."""
    return {
        "error_count": len(errors),
        "errors": [error.as_json() for error in errors[:limit]],
        "more_errors": max(0, len(errors) - limit),
    }


def changes_text(changes: Iterable[dict[str, Any]]) -> str:
    """Return the changes of a row as the command prints them: ``列：前 → 后；列：前 → 后``."""
    return "；".join(
        f"{change['column']}：{change['before']} → {change['after']}" for change in changes
    )
