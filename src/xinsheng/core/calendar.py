"""Working days under the official Chinese calendar.

Official holidays and 调休 make-up working days come from the ``chinesecalendar`` package; an
installation adds its own days off as ``NonWorkingDay`` rows. For a year the package does not yet
know (the State Council publishes each year's calendar in the preceding winter), Saturdays and
Sundays are the days off until the package is updated.
"""

import datetime as dt
from collections.abc import Iterable

import chinese_calendar


def is_official_working_day(day: dt.date) -> bool:
    """Return whether ``day`` is a working day under the official calendar alone."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def extra_days_off() -> frozenset[dt.date]:
    """Return this installation's own days off."""
    from xinsheng.core.models import NonWorkingDay

    return frozenset(NonWorkingDay.objects.values_list("date", flat=True))


def is_working_day(day: dt.date, *, days_off: Iterable[dt.date] | None = None) -> bool:
    """Return whether ``day`` is a working day; ``days_off`` defaults to the installation's."""
    off = extra_days_off() if days_off is None else frozenset(days_off)
    return day not in off and is_official_working_day(day)


def add_working_days(
    start: dt.date, n: int, *, days_off: Iterable[dt.date] | None = None
) -> dt.date:
    """Return the date ``n`` working days after ``start`` (before it when ``n`` is negative).

    ``start`` itself is not counted: a case received on Friday with one working day to go is due
    on the next working day. ``n == 0`` returns ``start`` unchanged.
    """
    off = extra_days_off() if days_off is None else frozenset(days_off)
    step = 1 if n >= 0 else -1
    day, remaining = start, abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day, days_off=off):
            remaining -= 1
    return day


def working_days_between(
    start: dt.date, end: dt.date, *, days_off: Iterable[dt.date] | None = None
) -> int:
    """Return how many working days lie after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    off = extra_days_off() if days_off is None else frozenset(days_off)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day, days_off=off)
    return count
