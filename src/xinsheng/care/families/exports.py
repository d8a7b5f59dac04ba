"""The hardship files as an .xlsx workbook (困难职工档案台账), written in constant memory.

The rows are the list page's, as filtered, read in chunks with their members, running pairs and
last visit; children's names and health notes are never exported (only relation, birth year
and occupation). Each export is audited.
"""

import datetime as dt
import tempfile
from collections.abc import Iterator
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from django.db.models import Max, Prefetch, QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext

from xinsheng.care.choices import HardshipReason
from xinsheng.care.families.columns import COLUMNS, SHEET_TITLE
from xinsheng.care.models import HardshipFile, Pair
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.org.models import OrgUnit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "#B71C1C"
CHUNK = 1000


def _rows(files: QuerySet[HardshipFile]) -> Iterator[list[Any]]:
    running = Prefetch(
        "pairs", queryset=Pair.objects.filter(ends_on__isnull=True).select_related("cadre")
    )
    rows = (
        files.select_related("person", "person__unit")
        .prefetch_related("members", running)
        .annotate(last_visit_on=Max("visits__visited_on"))
    )
    for number, file in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        members = "\n".join(
            " ".join(
                str(part)
                for part in (
                    m.get_relation_display(),
                    m.birth_year or "",
                    m.occupation,
                )
                if part
            )
            for m in file.members.all()
        )
        yield [
            number,
            file.person.employee_no,
            file.person.name,
            file.person.unit.name,
            str(file.get_tier_display()),
            "、".join(_reason_label(reason) for reason in file.reasons),
            file.household_size,
            file.household_income,
            file.income_per_head,
            file.reason_note,
            file.review_due,
            members,
            str(file.get_status_display()),
            "、".join(pair.cadre.name for pair in file.pairs.all()),
            file.last_visit_on,
        ]


def _reason_label(value: str) -> str:
    try:
        return str(HardshipReason(value).label)
    except ValueError:
        return value


def workbook_file(files: QuerySet[HardshipFile]) -> tuple[Any, int]:
    """Write ``files`` to a temporary .xlsx file; return it (rewound) and the row count."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    book = xlsxwriter.Workbook(handle, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet(gettext(SHEET_TITLE))
    head = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL})
    money = book.add_format({"num_format": "#,##0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for index, col in enumerate(COLUMNS):
        sheet.set_column(index, index, col.width)
        sheet.write_string(0, index, col.label, head)
    count = 0
    for count, values in enumerate(_rows(files), start=1):
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(count, index, dt.datetime.combine(value, dt.time()), day)
            elif COLUMNS[index].key in {"household_income", "income_per_head"}:
                sheet.write_number(count, index, float(value), money)
            elif isinstance(value, int):
                sheet.write_number(count, index, value)
            else:
                sheet.write_string(count, index, str(value), wrap)
    sheet.freeze_panes(1, 0)
    book.close()
    handle.seek(0)
    return handle, count


def export_response(
    *, actor: Actor, files: QuerySet[HardshipFile], unit: OrgUnit | None = None
) -> FileResponse:
    """Return the download of ``files`` and audit it."""
    handle, count = workbook_file(files)
    anchor = unit or OrgUnit.objects.order_by("path").first()
    if anchor is not None:
        audit_record(actor=actor, action="care.file.export", obj=anchor, after={"rows": count})
    name = f"{gettext('困难职工档案')}-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
