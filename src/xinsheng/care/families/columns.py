"""The columns of the hardship file roster as a spreadsheet: the export writes them all, the
import reads those marked ``imported``, the template shows those.

Headers are written in Chinese and are also the msgids of their translations; an import accepts
either.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

SHEET_TITLE = gettext_noop("困难职工档案")


@dataclass(frozen=True)
class Column:
    """One column of the roster."""

    key: str
    header: str  # the Chinese header, also the msgid of its translation
    width: int  # in narrow characters; a Chinese character takes two
    note: str = ""  # the template's comment on the header
    imported: bool = True

    @property
    def label(self) -> str:
        """Return the header in the active language."""
        return gettext(self.header)


COLUMNS: tuple[Column, ...] = (
    Column("seq", gettext_noop("序号"), 7, gettext_noop("可留空，导入时不读取。")),
    Column("employee_no", gettext_noop("工号"), 12, gettext_noop("必填，须在您的导入范围内。")),
    Column("name", gettext_noop("姓名"), 10, gettext_noop("必填，须与工号对应的姓名一致。")),
    Column("unit", gettext_noop("单位"), 22, imported=False),
    Column("tier", gettext_noop("困难类别"), 10, gettext_noop("必填：特困、困难或临时困难。")),
    Column(
        "reasons",
        gettext_noop("致困原因"),
        16,
        gettext_noop(
            "必填，可多项，用顿号分开：因病、因残、因学、因灾、因意外、单亲、收入低、其他。"
        ),
    ),
    Column("household_size", gettext_noop("家庭人口"), 9, gettext_noop("必填，含职工本人。")),
    Column("household_income", gettext_noop("家庭年收入（元）"), 14, gettext_noop("必填。")),
    Column("income_per_head", gettext_noop("人均年收入（元）"), 14, imported=False),
    Column("reason_note", gettext_noop("困难情况说明"), 36),
    Column(
        "review_due",
        gettext_noop("复核日期"),
        12,
        gettext_noop("如 2026-05-08，须晚于今天；留空为一年后。"),
    ),
    Column(
        "members",
        gettext_noop("家庭成员"),
        36,
        gettext_noop("每行一人：姓名 关系 出生年份 职业/学校。"),
    ),
    Column("status", gettext_noop("状态"), 10, imported=False),
    Column("cadres", gettext_noop("结对干部"), 20, imported=False),
    Column("last_visit", gettext_noop("最近走访"), 12, imported=False),
)

IMPORTED: tuple[Column, ...] = tuple(column for column in COLUMNS if column.imported)
REQUIRED = ("employee_no", "name", "tier", "reasons", "household_size", "household_income")
INDEX = {column.key: column for column in COLUMNS}


def column(key: str) -> Column:
    """Return the column ``key``."""
    return INDEX[key]
