"""The columns of the talk records' ledger as a spreadsheet: the export writes them, the import
reads them, the template shows them.

Headers are written in Chinese and are also the msgids of their translations; an import accepts
either, so that a ledger exported in English reads back. People are written as 姓名（工号） and
read back by the number in the brackets (or the cell as a number when it has none).
"""

import enum
import re
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

SHEET_TITLE = gettext_noop("谈心走访台账")
PERSON_IN_BRACKETS = re.compile(r"[（(]\s*([A-Za-z0-9_-]{1,32})\s*[)）]")


class Cell(enum.StrEnum):
    """What a column holds, which decides how it is written."""

    TEXT = "text"
    LONG_TEXT = "long_text"  # wrapped
    NUMBER = "number"
    DATE = "date"


@dataclass(frozen=True)
class Column:
    """One column of the ledger spreadsheet."""

    key: str
    header: str  # the Chinese header, also the msgid of its translation
    cell: Cell
    width: int  # in narrow characters; a Chinese character takes two
    note: str = ""  # the template's comment on the header

    @property
    def label(self) -> str:
        """Return the header in the active language."""
        return gettext(self.header)


COLUMNS: tuple[Column, ...] = (
    Column("seq", gettext_noop("序号"), Cell.NUMBER, 7, gettext_noop("可留空，导入时不读取。")),
    Column(
        "held_on",
        gettext_noop("日期"),
        Cell.DATE,
        12,
        gettext_noop("必填，如 2024-05-08，不能晚于今天。"),
    ),
    Column("kind", gettext_noop("类型"), Cell.TEXT, 8, gettext_noop("必填：谈心、走访或家访。")),
    Column(
        "unit",
        gettext_noop("单位"),
        Cell.TEXT,
        22,
        gettext_noop("必填。单位代码或名称，须在您的管理范围内。"),
    ),
    Column(
        "hosts",
        gettext_noop("谈话人"),
        Cell.TEXT,
        20,
        gettext_noop("必填。工号，或“姓名（工号）”；多人用顿号分开。"),
    ),
    Column(
        "people",
        gettext_noop("谈话对象"),
        Cell.TEXT,
        24,
        gettext_noop("必填。工号，或“姓名（工号）”；多人用顿号分开，须在您的管理范围内。"),
    ),
    Column(
        "place",
        gettext_noop("地点"),
        Cell.TEXT,
        14,
        gettext_noop("办公室、井下/工作面、车间、食堂、宿舍、家中或其他，可在括号中补充说明。"),
    ),
    Column("direction", gettext_noop("方式"), Cell.TEXT, 10, gettext_noop("主动约谈或接受约谈。")),
    Column("summary", gettext_noop("摘要"), Cell.LONG_TEXT, 40),
    Column("tags", gettext_noop("标签"), Cell.TEXT, 16, gettext_noop("多个标签用顿号分开。")),
    Column(
        "voices",
        gettext_noop("反映诉求"),
        Cell.LONG_TEXT,
        40,
        gettext_noop(
            "每行一条，导入后转为诉求（以第一位谈话对象的名义）；"
            "行首写“匿名：”为匿名，写“建议：”等为诉求类型。"
        ),
    ),
)

KEYS: tuple[str, ...] = tuple(column.key for column in COLUMNS)
INDEX: dict[str, int] = {key: index for index, key in enumerate(KEYS)}
REQUIRED = ("held_on", "kind", "unit", "hosts", "people")


def column(key: str) -> Column:
    """Return the column ``key``."""
    return COLUMNS[INDEX[key]]


def person_cell(name: str, employee_no: str) -> str:
    """Return a person as the ledger writes them: 姓名（工号）."""
    return f"{name}（{employee_no}）"


def person_numbers(cell: str) -> list[str]:
    """Return the employee numbers of a cell of people (姓名（工号） or bare numbers)."""
    numbers = []
    for part in re.split(r"[,，、;；\n]+", cell):
        part = part.strip()
        if not part:
            continue
        found = PERSON_IN_BRACKETS.search(part)
        numbers.append(found[1] if found else part)
    return numbers
