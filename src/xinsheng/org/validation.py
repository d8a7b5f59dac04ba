"""Clean and check the fields of units and people; shared by forms, services and imports.

Each function returns the cleaned value or raises ``InvalidInput`` with a Chinese message.
"""

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xinsheng.core.errors import InvalidInput
from xinsheng.org.choices import CadreRank, PersonGroup
from xinsheng.org.models import UNIT_CODE_PATTERN

PHONE_PATTERN = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
EMPLOYEE_NO_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# Between the units of a list of units in charge: 、，, ; ； or a line break.
UNIT_LIST_SEPARATORS = re.compile(r"[、，,;；\n\r]+")
MAX_UNITS_IN_CHARGE = 50  # far above any leader's share, low enough to catch a pasted column


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _invalid(field: str, message: str | Promise) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def _number_text(value: object) -> str:
    """Return ``value`` as text, undoing Excel's habit of turning 10086 into 10086.0."""
    text = _text(value).replace(" ", "")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def clean_unit_name(value: object) -> str:
    name = _text(value)
    if not name:
        raise _invalid("name", _("单位名称不能为空。"))
    if len(name) > 100:
        raise _invalid("name", _("单位名称不能超过100个字。"))
    return name


def clean_unit_code(value: object) -> str:
    code = _number_text(value)
    if not re.match(UNIT_CODE_PATTERN, code):
        raise _invalid("code", _("单位代码须为1–32位字母、数字、下划线或短横线。"))
    return code


def clean_employee_no(value: object) -> str:
    number = _number_text(value)
    if not EMPLOYEE_NO_PATTERN.match(number):
        raise _invalid("employee_no", _("工号须为1–32位字母、数字、下划线或短横线。"))
    return number


def clean_name(value: object) -> str:
    name = _text(value)
    if not name:
        raise _invalid("name", _("姓名不能为空。"))
    if len(name) > 50:
        raise _invalid("name", _("姓名不能超过50个字。"))
    return name


def clean_phone(value: object) -> str:
    phone = _number_text(value)
    if phone and not PHONE_PATTERN.match(phone):
        raise _invalid("phone", _("手机号格式不正确（应为11位手机号或带区号的座机号）。"))
    return phone


OLDEST_AGE = 100  # no one on the rolls was born more than a hundred years ago


def clean_birth_date(value: dt.date | None) -> dt.date | None:
    """Return a birth date: none, or a day in the last hundred years, not after today."""
    if value is None:
        return None
    today = dt.date.today()
    if value > today or value.year < today.year - OLDEST_AGE:
        raise _invalid("birth_date", _("出生日期不正确，请核对。"))
    return value


def clean_cadre_rank(value: object) -> str:
    """Return a ``CadreRank`` value, or "" for someone who is not a cadre."""
    rank = _text(value)
    if rank and rank not in CadreRank.values:
        raise _invalid(
            "cadre_rank", _("干部级别无效，应为矿领导、科级、副科级、一般管理人员之一，或留空。")
        )
    return rank


def clean_groups(values: Iterable[object]) -> frozenset[str]:
    """Return the ``PersonGroup`` values of ``values``; an unknown one is refused."""
    groups = {_text(value) for value in values} - {""}
    unknown = sorted(groups - set(PersonGroup.values))
    if unknown:
        raise _invalid("groups", _("人员群体“%(group)s”无效。") % {"group": unknown[0]})
    return frozenset(groups)


def split_unit_references(value: object) -> list[str]:
    """Return the unit codes or names of a list written in one cell or box, in order, once each."""
    text = _number_text(value) if isinstance(value, int | float) else _text(value)
    parts = (part.strip() for part in UNIT_LIST_SEPARATORS.split(text))
    return list(dict.fromkeys(part for part in parts if part))
