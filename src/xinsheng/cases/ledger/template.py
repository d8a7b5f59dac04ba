"""The downloadable .xlsx template of a ledger import: the ledger's columns and one example row."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from xinsheng.cases.choices import CaseStatus, Channel
from xinsheng.cases.ledger.columns import COLUMNS, SHEET_TITLE, Cell, yes_no
from xinsheng.core.ratings import Satisfaction
from xinsheng.core.sheets import template
from xinsheng.core.sheets.template import TemplateColumn, TemplateSheet

SAMPLE_FORMATS = {Cell.DATE: "yyyy-mm-dd", Cell.DATETIME: "yyyy-mm-dd hh:mm"}


def template_file_name() -> str:
    """Return the name the template downloads under."""
    return gettext("台账导入模板") + ".xlsx"


def _sample() -> dict[str, Any]:
    return {
        "seq": 1,
        "case_no": "2019-0001",
        "channel": str(Channel.FACE_TO_FACE.label),
        "created_at": dt.datetime(2019, 3, 12, 9, 30),
        "submitter": gettext("匿名"),
        "origin": gettext("综采一区"),
        "category": gettext("食堂"),
        "text": gettext("井口食堂夜班供应的饭菜品种少，希望增加热菜。"),
        "responsible": gettext("后勤服务中心"),
        "handler": "",
        "deadline": dt.date(2019, 3, 19),
        "status": str(CaseStatus.CLOSED.label),
        "answer": gettext("已增加夜班热菜两种，自3月18日起供应。"),
        "answered_at": dt.datetime(2019, 3, 18, 16, 0),
        "satisfaction": str(Satisfaction.SATISFIED.label),
        "solved": yes_no(True),
        "closed_at": dt.datetime(2019, 3, 20, 10, 0),
        "supervisions": 0,
    }


def template_workbook() -> bytes:
    """Return the template as .xlsx bytes: header with notes, an example row, drop-down lists."""
    choices: dict[str, list[str]] = {
        "channel": [str(c.label) for c in Channel],
        "status": [str(s.label) for s in CaseStatus if s != CaseStatus.MERGED],
        "satisfaction": [str(s.label) for s in Satisfaction],
        "solved": [yes_no(True), yes_no(False)],
    }
    columns = [
        TemplateColumn(
            col.label,
            note=col.note,
            width=col.width,
            column_format="@" if col.cell in {Cell.TEXT, Cell.LONG_TEXT} else "",
            sample_format=SAMPLE_FORMATS.get(col.cell, ""),
            choices=choices.get(col.key, ()),
        )
        for col in COLUMNS
    ]
    sample = _sample()
    sheet = TemplateSheet(
        gettext(SHEET_TITLE),
        columns,
        [[sample[col.key] for col in COLUMNS]],
        freeze="C2",
        fit_samples=False,
    )
    return template.template_workbook([sheet])
