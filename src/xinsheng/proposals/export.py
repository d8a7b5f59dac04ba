"""The proposals ledger (合理化建议台账) as an .xlsx file: one row per proposal the reader may
see, with its decision, implementation, savings and reward; written in constant memory."""

import tempfile
from decimal import Decimal
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from xinsheng.core.sheets.template import display_width
from xinsheng.org.models import OrgUnit
from xinsheng.proposals import selectors
from xinsheng.proposals.choices import Decision, ProposalStatus
from xinsheng.proposals.models import Proposal

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "#B71C1C"
CHUNK = 2000
EXCEL_EPOCH_ORDINAL = 693594  # date(1899, 12, 30).toordinal()
FIELDS = (
    "proposal_no",
    "title",
    "proposer__name",
    "unit__name",
    "category",
    "submitted_at",
    "estimated_savings",
    "status",
    "decision",
    "owner_unit__name",
    "actual_savings",
    "reward_tier",
    "reward_amount",
    "window__tiers",
)


def _columns() -> list[tuple[str, int]]:
    return [
        (gettext("序号"), 6),
        (gettext("建议编号"), 14),
        (gettext("题目"), 30),
        (gettext("建议人"), 10),
        (gettext("单位"), 20),
        (gettext("类别"), 10),
        (gettext("提交日期"), 12),
        (gettext("预计创效（元）"), 14),
        (gettext("状态"), 10),
        (gettext("评审决定"), 10),
        (gettext("实施单位"), 18),
        (gettext("实际创效（元）"), 14),
        (gettext("奖励等级"), 10),
        (gettext("奖金（元）"), 12),
    ]


def ledger_write(*, proposals: QuerySet[Proposal], target: str | IO[bytes]) -> int:
    """Write ``proposals`` to ``target``, oldest first; return the number of rows."""
    book = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    statuses = dict(ProposalStatus.choices)
    decisions = dict(Decision.choices)
    written = 0
    totals = [Decimal("0"), Decimal("0"), Decimal("0")]
    try:
        sheet = book.add_worksheet(gettext("合理化建议台账")[:31])
        text, number, date = _formats(book, sheet)
        rows = proposals.order_by("submitted_at", "id").values_list(*FIELDS)
        for row in rows.iterator(chunk_size=CHUNK):
            no, title, name, unit, category, at, estimated, status = row[:8]
            decision, owner, actual, tier, amount, tiers = row[8:]
            written += 1
            tier_name = next((t["name"] for t in tiers or [] if t["code"] == tier), tier or "")
            cells: list[Any] = [written, no, title, name, unit, category or ""]
            for index, value in enumerate(cells):
                if isinstance(value, int):
                    sheet.write_number(written, index, value, text)
                else:
                    sheet.write_string(written, index, value or "", text)
            sheet.write_number(written, 6, at.date().toordinal() - EXCEL_EPOCH_ORDINAL, date)
            for column, value, slot in ((7, estimated, 0), (11, actual, 1), (13, amount, 2)):
                if value is not None:
                    sheet.write_number(written, column, float(value), number)
                    totals[slot] += value
            sheet.write_string(written, 8, str(statuses.get(status, status)), text)
            sheet.write_string(written, 9, str(decisions.get(decision, decision or "")), text)
            sheet.write_string(written, 10, owner or "", text)
            sheet.write_string(written, 12, tier_name, text)
        if written:
            sheet.write_string(written + 1, 6, gettext("合计"), text)
            for column, slot in ((7, 0), (11, 1), (13, 2)):
                sheet.write_number(written + 1, column, float(totals[slot]), number)
    finally:
        book.close()
    return written


def _formats(book: Any, sheet: Any) -> tuple[Any, Any, Any]:
    base = {"valign": "top", "font_size": 10}
    header = book.add_format(
        {
            "bold": True,
            "font_color": "#FFFFFF",
            "bg_color": HEADER_FILL,
            "align": "center",
            "valign": "vcenter",
            "border": 1,
        }
    )
    text = book.add_format(base)
    number = book.add_format({**base, "num_format": "#,##0.00"})
    date = book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "center"})
    for index, (label, width) in enumerate(_columns()):
        sheet.set_column(index, index, max(width, display_width(label) + 2))
        sheet.write_string(0, index, label, header)
    sheet.set_row(0, 22)
    sheet.freeze_panes(1, 0)
    return text, number, date


@login_required
@require_GET
def ledger_download(request: HttpRequest) -> HttpResponseBase:
    """Download the ledger of the proposals the reader may see, narrowed like the list."""
    actor = request.user
    filters: dict[str, Any] = {
        "status": str(request.GET.get("status", ""))[:16],
        "category": str(request.GET.get("category", ""))[:20],
        "text": str(request.GET.get("q", ""))[:100],
    }
    window_id = str(request.GET.get("window", ""))
    if window_id.isdigit():
        filters["window"] = selectors.window_get_for(actor=actor, window_id=int(window_id))
    unit_code = str(request.GET.get("unit", ""))[:32]
    if unit_code:
        filters["unit"] = OrgUnit.objects.filter(code=unit_code).first()
    proposals = selectors.proposal_list_for(actor=actor, **filters)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    ledger_write(proposals=proposals, target=target)
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename="proposals.xlsx", content_type=XLSX_TYPE
    )
