"""The downloadable .xlsx template of an import: a units sheet and a people sheet."""

from collections.abc import Sequence

from django.utils.translation import gettext

from xinsheng.core.sheets import template
from xinsheng.core.sheets.template import TemplateColumn, TemplateSheet
from xinsheng.org.attributes import rank_label
from xinsheng.org.choices import CadreRank, UnitKind
from xinsheng.org.import_columns import (
    PEOPLE_COLUMNS,
    STANDING_FLAGS,
    UNIT_COLUMNS,
    Column,
    SheetKind,
    flag_label,
    kind_label,
    sheet_title,
)


def template_file_name() -> str:
    """Return the name the template downloads under."""
    return gettext("组织与人员导入模板") + ".xlsx"


def template_workbook() -> bytes:
    """Return the template as .xlsx bytes, with headers, notes, samples and drop-down lists."""
    flags = [flag_label(True), flag_label(False)]
    kinds = [kind_label(kind) for kind in UnitKind.values]
    choices = {"kind": kinds, "active": flags}
    return template.template_workbook(
        [
            TemplateSheet(
                sheet_title(SheetKind.UNITS), _columns(UNIT_COLUMNS, choices), _unit_samples()
            ),
            TemplateSheet(
                sheet_title(SheetKind.PEOPLE),
                _columns(PEOPLE_COLUMNS, _people_choices(flags)),
                _people_samples(),
            ),
        ]
    )


def _columns(
    columns: tuple[Column, ...], choices: dict[str, list[str]]
) -> Sequence[TemplateColumn]:
    return [
        TemplateColumn(
            col.label,
            note=col.note,
            width=col.width,
            column_format="@" if col.text else "",
            sample_format="@" if col.text else "",
            choices=choices.get(col.key, ()),
        )
        for col in columns
    ]


def _people_choices(flags: list[str]) -> dict[str, list[str]]:
    """Return the drop-down lists of the people sheet: yes/no columns and the cadre ranks."""
    choices = dict.fromkeys(("active", *STANDING_FLAGS), flags)
    return {**choices, "cadre_rank": [rank_label(rank) for rank in CadreRank.values]}


def _unit_samples() -> list[list[str]]:
    yes = flag_label(True)
    return [
        ["C1-M9", gettext("示例煤矿"), kind_label(UnitKind.MINE), "C1", yes],
        ["C1-M9-A01", gettext("综采一区"), kind_label(UnitKind.AREA), "C1-M9", yes],
    ]


def _people_samples() -> list[list[str]]:
    """Return a worker, a team leader and a deputy mine leader in charge of a work area.

    Columns: number, name, unit, position, phone, active; rank, then the yes/no columns
    (principal, party member, technical talent, team leader, backbone, manager); units in charge.
    """
    yes, no = flag_label(True), flag_label(False)
    section, leader = rank_label(CadreRank.SECTION), rank_label(CadreRank.MINE_LEADER)
    people = [
        ["100001", gettext("张伟"), "C1-M9-A01", gettext("采煤工"), "13800000001", yes],
        ["100002", gettext("王芳"), "C1-M9-A01", gettext("区队长"), "13900000002", yes],
        ["100003", gettext("李明"), "C1-M9", gettext("副矿长"), "13700000003", yes],
    ]
    standing = [
        ["", no, no, yes, no, yes, no, ""],
        [section, yes, yes, no, no, no, yes, ""],
        [leader, no, yes, no, no, no, yes, "C1-M9-A01"],
    ]
    return [[*person, *extra] for person, extra in zip(people, standing, strict=True)]
