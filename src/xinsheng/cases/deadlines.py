"""When a case is due: the rule, written once.

A dispatched case must be signed for within ``RESPONSE_DAYS`` working days and handled within its
category's deadline for its urgency (the category's default, or ``FALLBACK_DAYS`` for a case with
no category yet), counted in working days from the day it is dispatched (``core.calendar``).
"""

import datetime as dt

from django.conf import settings

from xinsheng.cases.models import Category
from xinsheng.core.calendar import add_working_days

FALLBACK_DAYS = 5


def deadline_from(day: dt.date, *, category: Category | None, urgency: str) -> dt.date:
    """Return the deadline of a case of ``category`` and ``urgency`` dispatched on ``day``."""
    days = category.deadline_for(urgency) if category is not None else FALLBACK_DAYS
    return add_working_days(day, days)


def response_deadline_from(day: dt.date) -> dt.date:
    """Return the day by which a case dispatched on ``day`` must be signed for."""
    return add_working_days(day, int(settings.XINSHENG["RESPONSE_DAYS"]))
