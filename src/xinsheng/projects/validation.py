"""Clean and check what staff type into a project; Chinese messages, nothing half-saved."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from xinsheng.core.errors import InvalidInput
from xinsheng.projects.choices import ProjectKind

TITLE_MAX = 100
NAME_MAX = 50
DESCRIPTION_MAX = 5000
ANSWER_MAX = 2000
REASON_MAX = 500
WEIGHT_MAX = 100
BUDGET_MAX = Decimal("999999999999.99")


def invalid(field: str, message: str) -> InvalidInput:
    """Return the error of one field."""
    return InvalidInput(message, fields={field: [message]})


def clean_line(field: str, value: object, *, limit: int, required: bool = False) -> str:
    """Return one line of text with its spaces folded; ``limit`` characters at most."""
    text = " ".join(str(value or "").split())
    if required and not text:
        raise invalid(field, _("请填写内容。"))
    if len(text) > limit:
        raise invalid(field, _("内容不能超过%(limit)d字。") % {"limit": limit})
    return text


def clean_block(field: str, value: object, *, limit: int, required: bool = False) -> str:
    """Return a text of several lines, stripped; ``limit`` characters at most."""
    text = str(value or "").strip()
    if required and not text:
        raise invalid(field, _("请填写内容。"))
    if len(text) > limit:
        raise invalid(field, _("内容不能超过%(limit)d字。") % {"limit": limit})
    return text


def clean_kind(value: object) -> str:
    """Return ``value`` if it is a kind of project."""
    if value not in ProjectKind.values:
        raise invalid("kind", _("选项无效。"))
    return str(value)


def clean_weight(field: str, value: object) -> int:
    """Return a weight from 1 to 100."""
    try:
        weight = int(str(value))
    except (TypeError, ValueError):
        raise invalid(field, _("权重须为1到100的整数。")) from None
    if not 1 <= weight <= WEIGHT_MAX:
        raise invalid(field, _("权重须为1到100的整数。"))
    return weight


def clean_percent(field: str, value: object) -> int:
    """Return a percentage from 0 to 100."""
    try:
        percent = int(str(value))
    except (TypeError, ValueError):
        raise invalid(field, _("进度须为0到100的整数。")) from None
    if not 0 <= percent <= 100:
        raise invalid(field, _("进度须为0到100的整数。"))
    return percent


def clean_budget(value: object) -> Decimal | None:
    """Return the budget in yuan (two decimals), or None when not given."""
    if value is None or str(value).strip() == "":
        return None
    try:
        budget = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise invalid("budget", _("预算须为金额（元）。")) from None
    if not budget.is_finite() or budget < 0 or budget > BUDGET_MAX:
        raise invalid("budget", _("预算须为金额（元）。"))
    return budget.quantize(Decimal("0.01"))


def clean_date(field: str, value: object) -> dt.date:
    """Return a date given as a date or as YYYY-MM-DD."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise invalid(field, _("日期格式应为YYYY-MM-DD。")) from None
