"""Read and write labelled texts (text, category) as .xlsx or .csv, for ``xinsheng insight``."""

import csv
import io
from pathlib import Path

from django.db.models import QuerySet

from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case
from xinsheng.core.sheets.reader import MAX_COLUMNS, decode_text
from xinsheng.core.sheets.xlsx import Workbook


class LabelledFileError(Exception):
    """The file cannot be read as labelled texts; the message says why."""


def read_labelled(
    path: Path, *, text: str, label: str, sheet: str | None = None
) -> tuple[list[str], list[str]]:
    """Return the texts and labels of the columns named ``text`` and ``label`` of ``path``.

    The first row holds the column names; a column may also be given by its number (from 1).
    Rows with an empty text or label are skipped.
    """
    rows = _rows(path, sheet=sheet)
    if not rows:
        raise LabelledFileError(f"{path} is empty")
    header = [str(cell if cell is not None else "").strip() for cell in rows[0]]
    text_at, label_at = _column(header, text), _column(header, label)
    texts: list[str] = []
    labels: list[str] = []
    for row in rows[1:]:
        cells = [str(cell).strip() if cell is not None else "" for cell in row]
        if max(text_at, label_at) >= len(cells):
            continue
        if cells[text_at] and cells[label_at]:
            texts.append(cells[text_at])
            labels.append(cells[label_at])
    return texts, labels


LABELLED_MAX_ROWS = 2_000_000  # an operator's training file, read from disk


def _rows(path: Path, *, sheet: str | None) -> list[tuple[object, ...]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        with path.open("rb") as source:
            book = Workbook(source, max_row=LABELLED_MAX_ROWS, max_column=MAX_COLUMNS)
            try:
                names = [name for name, _ in book.sheets]
                if sheet is not None and sheet not in names:
                    raise LabelledFileError(f"no sheet {sheet!r}; the workbook has {names}")
                return [values for _, values in book.rows(sheet or names[0])]
            finally:
                book.close()
    if suffix in {".csv", ".txt", ".tsv"}:
        content = decode_text(path.read_bytes())
        first_line = content.split("\n", 1)[0]
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
        return [
            tuple(row) for row in csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
        ]
    raise LabelledFileError(f"{path}: give an .xlsx or a .csv file")


def _column(header: list[str], name: str) -> int:
    if name in header:
        return header.index(name)
    if name.isdigit() and 1 <= int(name) <= len(header):
        return int(name) - 1
    raise LabelledFileError(f"no column {name!r}; the columns are {header}")


def labelled_cases() -> QuerySet[Case]:
    """Return the cases whose category a dispatcher confirmed (accepted, not merged away)."""
    return (
        Case.objects.filter(category__isnull=False)
        .exclude(status__in=[CaseStatus.MERGED, CaseStatus.REJECTED])
        .order_by("pk")
    )


def write_labelled(rows: list[tuple[str, str]], target: io.TextIOBase) -> int:
    """Write ``(text, label)`` rows as CSV with the header ``text,label``; return the row count."""
    writer = csv.writer(target)
    writer.writerow(["text", "label"])
    writer.writerows(rows)
    return len(rows)
