"""Working days under the official Chinese calendar.

Official holidays and 调休 make-up working days come from the ``chinesecalendar`` package; an
installation adds its own days off as ``NonWorkingDay`` rows. For a year the package does not yet
know (the State Council publishes each year's calendar in the preceding winter), Saturdays and
Sundays are the days off until the package is updated. Given the days off, the counts make no
query, so the figures (``reports.counting``) count with the same functions over plain rows.
"""

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import chinese_calendar


@functools.lru_cache(maxsize=8192)
def is_official_working_day(day: dt.date) -> bool:
    """Return whether ``day`` is a working day under the official calendar alone."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


_held: list[frozenset[dt.date]] = []  # the days off while a bulk writer holds them


def extra_days_off() -> frozenset[dt.date]:
    """Return this installation's own days off."""
    if _held:
        return _held[-1]
    from xinsheng.core.models import NonWorkingDay

    return frozenset(NonWorkingDay.objects.values_list("date", flat=True))


@contextmanager
def days_off_held() -> Iterator[frozenset[dt.date]]:
    """Read the installation's days off once for a block that writes many cases (the demo),
    which changes none of them: inside it, ``extra_days_off`` makes no query."""
    _held.append(extra_days_off())
    try:
        yield _held[-1]
    finally:
        _held.pop()


def _days_off(days_off: Iterable[dt.date] | None) -> frozenset[dt.date]:
    """Return the days off to count with: the installation's unless given (then no query)."""
    if days_off is None:
        return extra_days_off()
    return days_off if isinstance(days_off, frozenset) else frozenset(days_off)


def is_working_day(day: dt.date, *, days_off: Iterable[dt.date] | None = None) -> bool:
    """Return whether ``day`` is a working day; ``days_off`` defaults to the installation's."""
    return day not in _days_off(days_off) and is_official_working_day(day)


def add_working_days(
    start: dt.date, n: int, *, days_off: Iterable[dt.date] | None = None
) -> dt.date:
    """Return the date ``n`` working days after ``start`` (before it when ``n`` is negative).

    ``start`` itself is not counted: a case received on Friday with one working day to go is due
    on the next working day. ``n == 0`` returns ``start`` unchanged.
    """
    off = _days_off(days_off)
    step = 1 if n >= 0 else -1
    day, remaining = start, abs(n)
    while remaining:
        day += dt.timedelta(days=step)
        if day not in off and is_official_working_day(day):
            remaining -= 1
    return day


def working_days_between(
    start: dt.date, end: dt.date, *, days_off: Iterable[dt.date] | None = None
) -> int:
    """Return how many working days lie after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    off = _days_off(days_off)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += day not in off and is_official_working_day(day)
    return count
