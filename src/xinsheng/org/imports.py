"""The import of units and people from a spreadsheet, as a kind of the spreadsheet kit.

The kit (``xinsheng.core.sheets``) keeps the job, runs the dry run and the import, and serves the
pages and the command; this app brings the columns (``import_columns``), the reading of its two
tables (``import_read``), the checker (``import_check``), the writer (``import_write``) and the
template (``import_template``). Only users who may ``org.import`` somewhere may import.
"""

from typing import Any

from django.utils.translation import gettext, gettext_lazy

from xinsheng.core.actors import Actor
from xinsheng.core.sheets.kinds import ImportKind
from xinsheng.core.sheets.rows import changes_text
from xinsheng.org import permissions
from xinsheng.org.import_check import Plan, check_import
from xinsheng.org.import_read import read_import
from xinsheng.org.import_template import template_file_name, template_workbook
from xinsheng.org.import_write import write_plan

KEY = "org"


def may_import(actor: Actor) -> bool:
    """Return whether ``actor`` may import units and people (somewhere)."""
    return permissions.may_anywhere(actor, "org.import")


def write(plan: Plan, *, actor: Actor) -> None:
    """Write ``plan`` (inside the import's transaction)."""
    write_plan(plan)


def report_lines(report: dict[str, Any]) -> list[str]:
    """Return what the command prints of a report: each table's figures and changed rows."""
    lines = []
    for sheet in report.get("sheets", []):
        lines.append(
            gettext(
                "%(title)s：%(rows)d 行，新增 %(created)d，修改 %(changed)d，不变 %(unchanged)d"
            )
            % sheet
        )
        if columns := sheet.get("changed_columns"):
            lines.append(
                "  "
                + gettext("修改涉及的列（行数）：%(columns)s")
                % {"columns": " · ".join(f"{label} {count}" for label, count in columns)}
            )
        for item in sheet["changed_items"]:
            changes = changes_text(item["changes"])
            lines.append(
                "  " + gettext("第%(row)d行") % item + f" {item['key']} {item['name']}：{changes}"
            )
    return lines


ORG_IMPORT = ImportKind(
    key=KEY,
    title=gettext_lazy("批量导入"),
    action="org.import",
    allowed=may_import,
    read=read_import,
    check=check_import,
    write=write,
    template=template_workbook,
    template_name=template_file_name,
    report_lines=report_lines,
    templates="org/",
    url_name="org:import",
    form_help=gettext_lazy("Excel (.xlsx) 文件，或单位表、人员表之一的 CSV 文件。"),
    order=10,
)
