"""The layout of an import file: its two tables, their columns, and how cell values are read.

Column headers and sheet names are written in Chinese and are also the msgids of their
translations; a file is accepted with either, so a template downloaded in English reads back.
"""

import enum
import functools
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, gettext_noop, pgettext

from xinsheng.core.sheets.table import normalise_header
from xinsheng.org.choices import CadreRank, UnitKind


class SheetKind(enum.StrEnum):
    UNITS = "units"
    PEOPLE = "people"


@dataclass(frozen=True)
class Column:
    """One column of an import table."""

    key: str  # the field it fills
    header: str  # the Chinese header, also the msgid of its translation
    required: bool  # a file without this column is refused
    text: bool = False  # formatted as text in the template, so Excel keeps leading zeros
    note: str = ""  # shown as a comment on the header cell of the template
    width: int = 12  # the least width of the column in the template, in narrow characters

    @property
    def label(self) -> str:
        """Return the header in the active language."""
        return gettext(self.header)


UNIT_COLUMNS = (
    Column(
        "code",
        gettext_noop("单位代码"),
        required=True,
        text=True,
        note=gettext_noop("必填。1–32位字母、数字、下划线或短横线，导入时按此代码识别单位。"),
    ),
    Column("name", gettext_noop("单位名称"), required=True, note=gettext_noop("必填。"), width=30),
    Column(
        "kind",
        gettext_noop("单位类型"),
        required=True,
        note=gettext_noop("必填。集团、公司、矿/厂、部门/科室、区队、党支部、班组或其他。"),
    ),
    Column(
        "parent",
        gettext_noop("上级单位代码"),
        required=True,
        text=True,
        note=gettext_noop(
            "可以是系统中已有的单位，也可以是本表中的单位（前后顺序不限）。"
            "留空：新单位成为顶级单位，已有单位保持原上级。"
        ),
    ),
    Column(
        "active", gettext_noop("是否启用"), required=False, note=gettext_noop("是或否，留空为是。")
    ),
)

PEOPLE_COLUMNS = (
    Column(
        "employee_no",
        gettext_noop("工号"),
        required=True,
        text=True,
        note=gettext_noop("必填。导入时按工号识别人员。"),
    ),
    Column("name", gettext_noop("姓名"), required=True, note=gettext_noop("必填。")),
    Column(
        "unit",
        gettext_noop("所在单位代码"),
        required=True,
        text=True,
        note=gettext_noop("必填。系统中已有的单位或“单位”表中的单位。"),
    ),
    Column("position", gettext_noop("职务/岗位"), required=False, width=18),
    Column(
        "phone",
        gettext_noop("手机号"),
        required=False,
        text=True,
        note=gettext_noop("11位手机号或带区号的座机号，可留空。"),
    ),
    Column(
        "active", gettext_noop("是否在职"), required=False, note=gettext_noop("是或否，留空为是。")
    ),
    # A person's standing (see ``attributes``): keyed by the model field each one fills.
    Column(
        "cadre_rank",
        gettext_noop("干部级别"),
        required=False,
        note=gettext_noop("矿领导、科级、副科级或一般管理人员；留空为非干部。"),
    ),
    Column(
        "is_principal",
        gettext_noop("主要负责人"),
        required=False,
        note=gettext_noop("是否所在单位的正职（如矿长、党委书记、科长、队长）。是或否，留空为否。"),
    ),
    Column(
        "is_party_member",
        gettext_noop("党员"),
        required=False,
        note=gettext_noop("是或否（也可填1/0、√/×、Y/N），留空为否。"),
    ),
    Column(
        "is_technical_talent",
        gettext_noop("技术技能人才"),
        required=False,
        note=gettext_noop("是或否，留空为否。"),
    ),
    Column(
        "is_team_leader",
        gettext_noop("班组长"),
        required=False,
        note=gettext_noop("是或否，留空为否。"),
    ),
    Column(
        "is_backbone",
        gettext_noop("业务骨干"),
        required=False,
        note=gettext_noop("是或否，留空为否。"),
    ),
    Column(
        "is_manager",
        gettext_noop("管理人员"),
        required=False,
        note=gettext_noop("是或否，留空为否。"),
    ),
    Column(
        "units_in_charge",
        gettext_noop("分管单位"),
        required=False,
        text=True,
        width=24,
        note=gettext_noop(
            "本人所在单位以外、由其分管的单位：单位代码或唯一的单位名称，"
            "多个用顿号、逗号或分号分隔；留空为无。"
        ),
    ),
)
# The yes/no columns of a person's standing, in the order of the table.
STANDING_FLAGS = (
    "is_principal",
    "is_party_member",
    "is_technical_talent",
    "is_team_leader",
    "is_backbone",
    "is_manager",
)

COLUMNS: dict[SheetKind, tuple[Column, ...]] = {
    SheetKind.UNITS: UNIT_COLUMNS,
    SheetKind.PEOPLE: PEOPLE_COLUMNS,
}

# The sheet names in Chinese; ``sheet_title`` gives them in the active language.
SHEET_TITLES: dict[SheetKind, str] = {SheetKind.UNITS: "单位", SheetKind.PEOPLE: "人员"}


def column(kind: SheetKind, key: str) -> Column:
    """Return the column ``key`` of table ``kind``."""
    return next(col for col in COLUMNS[kind] if col.key == key)


def sheet_title(kind: SheetKind) -> str:
    """Return the name of table ``kind`` in the active language."""
    if kind == SheetKind.UNITS:
        return pgettext("import sheet", "单位")
    return pgettext("import sheet", "人员")


def title_names(kind: SheetKind) -> set[str]:
    """Return the sheet names accepted for table ``kind``."""
    return {SHEET_TITLES[kind], sheet_title(kind)}


@functools.lru_cache(maxsize=8)
def _kind_lookup(language: str | None) -> dict[str, str]:
    """Return unit kinds by code and by label, in Chinese and in ``language``."""
    lookup: dict[str, str] = {}
    labels: list[tuple[str, str]] = []
    with translation.override("zh-hans"):
        labels += [(kind.value, str(kind.label)) for kind in UnitKind]
    with translation.override(language):
        labels += [(kind.value, str(kind.label)) for kind in UnitKind]
    for value, label in labels:
        lookup[value.lower()] = value
        lookup[normalise_header(label).lower()] = value
        for part in label.split("/"):
            lookup.setdefault(normalise_header(part).lower(), value)
    return lookup


def parse_kind(value: object) -> str | None:
    """Return the ``UnitKind`` value named by a cell (its code or label), None when unknown."""
    text = normalise_header(value).lower()
    return _kind_lookup(translation.get_language()).get(text) if text else None


def kind_label(value: str) -> str:
    """Return the label of the unit kind ``value`` in the active language."""
    return str(UnitKind(value).label) if value in UnitKind.values else value


YES_WORDS = frozenset({"是", "1", "y", "yes", "true", "t", "启用", "在职", "√", "✓"})
NO_WORDS = frozenset(
    {"否", "0", "n", "no", "false", "f", "停用", "不启用", "离职", "不在职", "×", "✗"}
)


def parse_flag(value: object, *, empty: bool = True) -> bool | None:
    """Return a yes/no cell as a bool (an empty cell as ``empty``); None when it is neither."""
    if isinstance(value, bool):
        return value
    text = normalise_header(value).lower()
    if text.endswith(".0"):
        text = text[:-2]
    if not text:
        return empty
    if text in YES_WORDS or text == gettext("是").lower():
        return True
    if text in NO_WORDS or text == gettext("否").lower():
        return False
    return None


def flag_label(value: bool) -> str:
    """Return a flag as the word a spreadsheet uses for it."""
    return gettext("是") if value else gettext("否")


NOT_A_CADRE = frozenset({"无", "否", "非干部", "-", "—", "none", "no"})


@functools.lru_cache(maxsize=8)
def _rank_lookup(language: str | None) -> dict[str, str]:
    """Return cadre ranks by code and by label, in Chinese and in ``language``."""
    lookup: dict[str, str] = {}
    for lang in ("zh-hans", language):
        with translation.override(lang):
            for rank in CadreRank:
                lookup[rank.value] = rank.value
                lookup[normalise_header(str(rank.label)).lower()] = rank.value
    return lookup


def parse_rank(value: object) -> str | None:
    """Return the ``CadreRank`` value named by a cell, "" for none; None when unknown."""
    text = normalise_header(value).lower()
    if not text or text in NOT_A_CADRE or text == normalise_header(gettext("非干部")).lower():
        return ""
    return _rank_lookup(translation.get_language()).get(text)


def rank_names() -> str:
    """Return the names of the cadre ranks in the active language, for a message."""
    return "、".join(str(rank.label) for rank in CadreRank)
