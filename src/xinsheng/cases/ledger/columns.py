"""The standard columns of the ledger (台账) as a spreadsheet: the export writes them, the import
reads them back, and the template shows them.

Headers are written in Chinese and are also the msgids of their translations; an import accepts
either, so that a ledger exported in English reads back.
"""

import datetime as dt
import enum
import re
import unicodedata
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop


class Cell(enum.StrEnum):
    """What a column holds, which decides how it is written and read."""

    TEXT = "text"
    LONG_TEXT = "long_text"  # wrapped in the export
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    """One column of the ledger spreadsheet."""

    key: str
    header: str  # the Chinese header, also the msgid of its translation
    cell: Cell
    width: int  # in narrow characters; a Chinese character takes two
    note: str = ""  # shown as a comment on the template's header

    @property
    def label(self) -> str:
        """Return the header in the active language."""
        return gettext(self.header)


COLUMNS: tuple[Column, ...] = (
    Column("seq", gettext_noop("序号"), Cell.NUMBER, 7, gettext_noop("可留空，导入时不读取。")),
    Column(
        "case_no",
        gettext_noop("编号"),
        Cell.TEXT,
        14,
        gettext_noop("必填，最长32个字符。导入时按编号识别：已有的编号更新，没有的新增。"),
    ),
    Column(
        "channel",
        gettext_noop("来源渠道"),
        Cell.TEXT,
        10,
        gettext_noop(
            "必填。扫码、当面、热线、意见箱、谈心、走访、问卷或职代会；"
            "也可写常用叫法，如民情记事本（当面）、书记信箱（意见箱）、服务电话（热线）。"
        ),
    ),
    Column(
        "created_at",
        gettext_noop("提出时间"),
        Cell.DATETIME,
        17,
        gettext_noop("必填。日期或日期时间，如 2023-05-08 09:30。"),
    ),
    Column("submitter", gettext_noop("提出人"), Cell.TEXT, 10, gettext_noop("匿名或留空为匿名。")),
    Column(
        "origin",
        gettext_noop("所属单位"),
        Cell.TEXT,
        22,
        gettext_noop(
            "必填。单位名称、单位代码、“名称（代码）”或路径（如 一矿 › 综采一队），"
            "须在您的管理范围内。"
        ),
    ),
    Column("category", gettext_noop("类别"), Cell.TEXT, 10, gettext_noop("受理之后的状态必填。")),
    Column("text", gettext_noop("诉求内容"), Cell.LONG_TEXT, 50, gettext_noop("必填，5至2000字。")),
    Column(
        "responsible",
        gettext_noop("责任单位"),
        Cell.TEXT,
        22,
        gettext_noop(
            "派单之后的状态必填。单位名称、单位代码、“名称（代码）”或路径；名称重复时须写代码。"
        ),
    ),
    Column(
        "handler",
        gettext_noop("承办人"),
        Cell.TEXT,
        10,
        gettext_noop("可留空。须为责任单位中有登录账号的人员。"),
    ),
    Column("deadline", gettext_noop("办理时限"), Cell.DATE, 12),
    Column(
        "status",
        gettext_noop("状态"),
        Cell.TEXT,
        10,
        gettext_noop("必填。待受理、已受理、已派单、办理中、已退单、已答复、已办结或不予受理。"),
    ),
    Column(
        "answer",
        gettext_noop("答复内容"),
        Cell.LONG_TEXT,
        40,
        gettext_noop("已答复、已办结必填；不予受理时填写原因。"),
    ),
    Column("answered_at", gettext_noop("答复时间"), Cell.DATETIME, 17),
    Column(
        "satisfaction",
        gettext_noop("群众评价"),
        Cell.TEXT,
        10,
        gettext_noop("满意、基本满意或不满意；只有已办结的诉求可以填写。"),
    ),
    Column(
        "solved", gettext_noop("是否解决"), Cell.TEXT, 9, gettext_noop("是或否，随群众评价填写。")
    ),
    Column("closed_at", gettext_noop("办结时间"), Cell.DATETIME, 17),
    Column("supervisions", gettext_noop("督办次数"), Cell.NUMBER, 9),
)

KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
INDEX: dict[str, int] = {key: index for index, key in enumerate(KEYS)}
SHEET_TITLE = gettext_noop("台账")


def column(key: str) -> Column:
    """Return the column ``key``."""
    return COLUMNS[INDEX[key]]


def display_width(text: str) -> int:
    """Return how many narrow characters ``text`` takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def local_naive(value: dt.datetime) -> dt.datetime:
    """Return ``value`` in the installation's time zone without tzinfo, as Excel keeps times."""
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def yes_no(value: bool) -> str:
    """Return a flag as the word the ledger uses for it."""
    return gettext("是") if value else gettext("否")


# A unit as the export writes it: its name and, in brackets, its code (工会（C1-GH）), which the
# import reads back even where several units bear the name. Codes are letters, digits and dashes.
UNIT_CELL = re.compile(r"^(?P<name>.+?)\s*[(（]\s*(?P<code>[A-Za-z0-9-]+)\s*[)）]$")


def unit_cell(name: str, code: str) -> str:
    """Return a unit as the ledger spreadsheet writes it: 工会（C1-GH）."""
    return f"{name}（{code}）"


def unit_cell_parts(text: str) -> tuple[str, str] | None:
    """Return the name and code of a cell written as ``名称（代码）``, or None."""
    match = UNIT_CELL.match(text.strip())
    return (match["name"].strip(), match["code"]) if match else None
