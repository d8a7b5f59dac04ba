"""What the imports that only create rows share: their plan, and how a choice is read from a cell.

An import kind's plan (see ``kinds.Plan``) says what the import would write, its row errors and
the dry run's report. The imports that create one row per line (questions of a bank, hardship
files, talk records) differ only in what a line becomes and how the report shows it: they subclass
:class:`CreatePlan` and say the latter in ``item_report``.
"""

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.utils import translation

from xinsheng.core.sheets.rows import RowError, errors_report
from xinsheng.core.sheets.table import normalise_header

REPORT_ITEMS = 200  # rows the dry run's report lists; the rest are counted

Item = TypeVar("Item")


@dataclass
class CreatePlan(Generic[Item]):
    """The rows an import would create, its row errors and its report."""

    title: str
    rows: int = 0
    creates: list[Item] = field(default_factory=list)
    unchanged: int = 0  # rows already written by an earlier import of the same lines
    errors: list[RowError] = field(default_factory=list)
    digest: str = ""

    @property
    def change_count(self) -> int:
        """Return the number of rows that would be written."""
        return len(self.creates)

    def counts(self) -> dict[str, int]:
        """Return the figures of the plan, as kept in the audit record."""
        return {"created": len(self.creates), "changed": 0, "unchanged": self.unchanged}

    def item_report(self, item: Item) -> dict[str, Any]:
        """Return how the dry run's report shows one row to create (JSON-safe)."""
        raise NotImplementedError

    def report(self) -> dict[str, Any]:
        """Return the report of the dry run, JSON-safe and of bounded size."""
        return {
            "title": self.title,
            "rows": self.rows,
            **self.counts(),
            "created_items": [self.item_report(item) for item in self.creates[:REPORT_ITEMS]],
            "more_created": max(0, len(self.creates) - REPORT_ITEMS),
            **errors_report(self.errors),
        }


def choice_lookup(choices: Any) -> dict[str, str]:
    """Return the values of ``choices`` by their labels (Chinese and the user's language) and by
    the values themselves, all as a header is normalised, for reading a choice from a cell."""
    lookup: dict[str, str] = {}
    for language in ("zh-hans", translation.get_language()):
        with translation.override(language):
            for choice in choices:
                lookup[normalise_header(choice.label)] = choice.value
    for choice in choices:
        lookup.setdefault(normalise_header(choice.value), choice.value)
    return lookup
