"""Clean and check the fields of units and people; shared by forms, services and imports.

Each function returns the cleaned value or raises ``InvalidInput`` with a Chinese message.
"""

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xinsheng.core.errors import InvalidInput
from xinsheng.org.models import UNIT_CODE_PATTERN

PHONE_PATTERN = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
EMPLOYEE_NO_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


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
