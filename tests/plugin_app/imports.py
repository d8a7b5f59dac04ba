"""A tiny import of the throwaway app: one column of names, through the spreadsheet kit.

``tests/core/test_sheets.py`` declares another kind with the same reading, checking and writing.
"""

from dataclasses import dataclass, field
from typing import Any

from xinsheng.core.sheets.kinds import ImportKind
from xinsheng.core.sheets.reader import csv_rows, file_type
from xinsheng.core.sheets.rows import RowError, errors_report
from xinsheng.core.sheets.table import Upload

WRITTEN: list[str] = []  # what the import wrote, for the test to see


@dataclass
class Names:
    rows: list[tuple[int, str]]

    @property
    def total_rows(self) -> int:
        return len(self.rows)


@dataclass
class NamesPlan:
    names: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    digest: str = ""

    @property
    def change_count(self) -> int:
        return len(self.names)

    def counts(self) -> dict[str, int]:
        return {"created": len(self.names)}

    def report(self) -> dict[str, Any]:
        return {"created": len(self.names), "changed": 0, **errors_report(self.errors)}


def read_names(upload: Upload) -> Names:
    file_type(upload.content, upload.file_name)
    return Names([(number, str(values[0])) for number, values in csv_rows(upload.content)])


def check_names(data: Names, *, actor: Any, progress: Any = None) -> NamesPlan:
    plan = NamesPlan()
    for number, name in data.rows:
        if name.strip():
            plan.names.append(name)
        else:
            plan.errors.append(RowError("names", number, "name", "必填。"))
    plan.digest = "|".join(plan.names)
    return plan


def write_names(plan: NamesPlan, *, actor: Any) -> None:
    WRITTEN.extend(plan.names)


VISITS_IMPORT = ImportKind(
    key="plugin_visits",
    title="走访记录导入",
    action="plugin_visits.import",
    allowed=lambda actor: actor.is_authenticated,
    read=read_names,
    check=check_names,
    write=write_names,
    template=lambda: b"",
    template_name=lambda: "visits.xlsx",
    report_lines=lambda report: [f"走访 {report['created']} 人次"],
    templates="plugin_app/",
    url_name="plugin_app:import",
)
