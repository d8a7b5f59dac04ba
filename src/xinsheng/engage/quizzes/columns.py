"""The columns of the question bank as a spreadsheet (the import and its template).

Headers are written in Chinese and are also the msgids of their translations; an import accepts
either.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

SHEET_TITLE = gettext_noop("题库")
OPTION_KEYS = ("option_a", "option_b", "option_c", "option_d", "option_e", "option_f")


@dataclass(frozen=True)
class Column:
    """One column of the bank sheet."""

    key: str
    header: str  # the Chinese header, also the msgid of its translation
    width: int
    note: str = ""

    @property
    def label(self) -> str:
        """Return the header in the active language."""
        return gettext(self.header)


COLUMNS: tuple[Column, ...] = (
    Column("seq", gettext_noop("序号"), 7, gettext_noop("可留空，导入时不读取。")),
    Column("text", gettext_noop("题目"), 40, gettext_noop("必填，不超过1000字。")),
    Column("kind", gettext_noop("题型"), 8, gettext_noop("必填：单选、多选或判断。")),
    Column(
        "option_a", gettext_noop("选项A"), 18, gettext_noop("选择题至少填两个选项；判断题留空。")
    ),
    Column("option_b", gettext_noop("选项B"), 18),
    Column("option_c", gettext_noop("选项C"), 18),
    Column("option_d", gettext_noop("选项D"), 18),
    Column("option_e", gettext_noop("选项E"), 18),
    Column("option_f", gettext_noop("选项F"), 18),
    Column(
        "answer",
        gettext_noop("答案"),
        8,
        gettext_noop("必填：单选如 B，多选如 ACD，判断填“正确”或“错误”。"),
    ),
    Column("explanation", gettext_noop("解析"), 36, gettext_noop("本轮结束后向答题人公布。")),
    Column(
        "tags",
        gettext_noop("标签"),
        16,
        gettext_noop("可多个，用顿号分开，如：安全生产、一通三防。"),
    ),
    Column("difficulty", gettext_noop("难度"), 8, gettext_noop("必填：易、中或难。")),
    Column(
        "unit",
        gettext_noop("题库单位"),
        12,
        gettext_noop("单位代码，可留空：留空时放入您管理范围最上层单位的题库。"),
    ),
)
REQUIRED = ("text", "kind", "answer", "difficulty")
INDEX = {column.key: column for column in COLUMNS}


def column(key: str) -> Column:
    """Return the column ``key``."""
    return INDEX[key]
