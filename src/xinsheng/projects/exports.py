"""The project list as an Excel workbook (项目清单), one row per project, as filtered."""

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.projects.models import Project

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written, not by every web worker
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = (6, 36, 22, 10, 10, 10, 18, 12, 14, 10, 10, 10, 18, 24)


def _headers() -> list[str]:
    return [
        _("序号"),
        _("项目名称"),
        _("责任单位"),
        _("责任领导"),
        _("责任人"),
        _("办理方式"),
        _("承诺对象"),
        _("完成时限"),
        _("预算（元）"),
        _("状态"),
        _("进度（%）"),
        _("关联诉求"),
        _("销号时间"),
        _("上级项目"),
    ]


def _row(number: int, project: Project) -> list[Any]:
    done_at = timezone.localtime(project.done_at).replace(tzinfo=None) if project.done_at else None
    return [
        number,
        project.title,
        project.owner_unit.name,
        project.leader_name,
        project.manager_name,
        str(project.get_kind_display()),
        project.commitment_body.name if project.commitment_body else "",
        project.due_date,
        project.budget,
        str(project.get_status_display()),
        project.progress,
        getattr(project, "case_count", None),
        done_at,
        project.parent.title if project.parent else "",
    ]


def projects_workbook(projects: Iterable[Project]) -> bytes:
    """Return the ``projects`` (as listed for the reader) as an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet: WriteOnlyWorksheet = book.create_sheet(_("实事项目清单"))
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(bold=True)
    header = []
    for title in _headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for number, project in enumerate(projects, start=1):
        row = _row(number, project)
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if hasattr(value, "isoformat") and not isinstance(value, str):
                cell.number_format = "yyyy-mm-dd hh:mm" if hasattr(value, "hour") else "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
