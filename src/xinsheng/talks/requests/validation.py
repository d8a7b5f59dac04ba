"""Check what employees and staff enter about talk requests; shared by forms, services and API.

Each function returns the cleaned value or raises ``InvalidInput`` naming the field, in Chinese.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.errors import InvalidInput

TOPIC_MIN = 5
TOPIC_MAX = 1000
WANTED_MAX = 100
PLACE_MAX = 100
REASON_MAX = 500


def _invalid(field: str, message: object) -> InvalidInput:
    return InvalidInput(str(message), fields={field: [str(message)]})


def clean_topic(value: object) -> str:
    text = str(value or "").strip()
    if len(text) < TOPIC_MIN:
        raise _invalid("topic", _("请至少写5个字，说说您想谈的事。"))
    if len(text) > TOPIC_MAX:
        raise _invalid("topic", _("想谈的事不能超过1000字。"))
    return text


def clean_wanted_host(value: object) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > WANTED_MAX:
        raise _invalid("wanted_host", _("希望约谈的人不能超过100个字。"))
    return text


def clean_scheduled_at(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        raise _invalid("scheduled_at", _("请填写约定时间。"))
    return value


def clean_place(value: object) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise _invalid("place", _("请填写约定地点。"))
    if len(text) > PLACE_MAX:
        raise _invalid("place", _("约定地点不能超过100个字。"))
    return text


def clean_held_on(value: dt.date | None, *, received_on: dt.date) -> dt.date:
    if value is None:
        raise _invalid("held_on", _("请填写约谈日期。"))
    if value > timezone.localdate():
        raise _invalid("held_on", _("约谈日期不能晚于今天。"))
    if value < received_on:
        raise _invalid("held_on", _("约谈日期不能早于申请日期。"))
    return value


def clean_reason(value: object) -> str:
    text = str(value or "").strip()
    if not text:
        raise _invalid("reason", _("请说明未安排约谈的原因，申请人会看到。"))
    if len(text) > REASON_MAX:
        raise _invalid("reason", _("原因不能超过500个字。"))
    return text
