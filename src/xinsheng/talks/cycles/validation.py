"""Check what staff enter about tier rules, cycles and pairs; shared by forms, services and the API.

Each function returns the cleaned value or raises ``InvalidInput`` naming the field, in Chinese.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xinsheng.core.errors import InvalidInput
from xinsheng.org.choices import CadreRank, PersonGroup, UnitKind
from xinsheng.talks.choices import RuleReach

NAME_MAX = 100
TITLE_MAX = 100
REASON_MAX = 500
ORDER_MAX = 999


def invalid(field: str, message: str | Promise) -> InvalidInput:
    """Return the error of one field."""
    return InvalidInput(message, fields={field: [message]})


def clean_line(field: str, value: object, *, limit: int, label: str | Promise) -> str:
    """Return one line of required text, trimmed, at most ``limit`` characters."""
    text = " ".join(str(value or "").split())
    if not text:
        raise invalid(field, _("请填写%(label)s。") % {"label": label})
    if len(text) > limit:
        raise invalid(
            field, _("%(label)s不能超过%(limit)d个字。") % {"label": label, "limit": limit}
        )
    return text


def clean_choices(
    field: str, values: Iterable[object], choices: type[models.TextChoices]
) -> list[str]:
    """Return ``values`` as a list of known choices, in the choices' order, without repeats."""
    given = {str(value) for value in values}
    unknown = given - set(choices.values)
    if unknown:
        raise invalid(field, _("选项无效：%(values)s。") % {"values": "、".join(sorted(unknown))})
    return [value for value in choices.values if value in given]


def clean_order(value: object) -> int:
    try:
        order = int(str(value))
    except ValueError:
        raise invalid("order", _("顺序须为1–999的整数。")) from None
    if not 1 <= order <= ORDER_MAX:
        raise invalid("order", _("顺序须为1–999的整数。"))
    return order


def clean_reach(value: object) -> str:
    if str(value) not in RuleReach.values:
        raise invalid("reach", _("请选择谈话范围。"))
    return str(value)


def unit_kinds(field: str, values: Iterable[object]) -> list[str]:
    return clean_choices(field, values, UnitKind)


def ranks(field: str, values: Iterable[object]) -> list[str]:
    return clean_choices(field, values, CadreRank)


def groups(field: str, values: Iterable[object]) -> list[str]:
    return clean_choices(field, values, PersonGroup)


def require_narrow_hosts(host_ranks: list[str], host_principal: bool) -> None:
    """Refuse a rule that would make everybody a host (every pair of people in a unit)."""
    if not host_ranks and not host_principal:
        message = _("谈话人须限定干部级别，或须为主要负责人。")
        raise InvalidInput(message, fields={"host_ranks": [message]})


def clean_dates(starts_on: dt.date | None, ends_on: dt.date | None) -> tuple[dt.date, dt.date]:
    """Return a cycle's start and end; the end may not come before the start."""
    if starts_on is None:
        raise invalid("starts_on", _("请填写开始日期。"))
    if ends_on is None:
        raise invalid("ends_on", _("请填写结束日期。"))
    if ends_on < starts_on:
        raise invalid("ends_on", _("结束日期不能早于开始日期。"))
    return starts_on, ends_on


def clean_held_on(value: dt.date | None, *, starts_on: dt.date) -> dt.date:
    """Return the date a talk was held: within the cycle, and not in the future."""
    if value is None:
        raise invalid("held_on", _("请填写谈话日期。"))
    if value > timezone.localdate():
        raise invalid("held_on", _("谈话日期不能晚于今天。"))
    if value < starts_on:
        raise invalid("held_on", _("谈话日期不能早于约谈周期的开始日期。"))
    return value


def clean_reason(value: object) -> str:
    """Return why a talk is waived: required, so that the list can say why."""
    text = str(value or "").strip()
    if not text:
        raise invalid("reason", _("免谈须说明原因。"))
    if len(text) > REASON_MAX:
        raise invalid("reason", _("原因不能超过500个字。"))
    return text
