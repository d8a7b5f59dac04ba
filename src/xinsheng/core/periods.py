"""Periods figures are counted over: a day, week, month, quarter, year or any range of days."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.core.errors import InvalidInput

DAY, WEEK, MONTH, QUARTER, YEAR, CUSTOM = "day", "week", "month", "quarter", "year", "custom"
KINDS = {
    DAY: gettext_lazy("日"),
    WEEK: gettext_lazy("周"),
    MONTH: gettext_lazy("月"),
    QUARTER: gettext_lazy("季度"),
    YEAR: gettext_lazy("年"),
    CUSTOM: gettext_lazy("自定义"),
}
MAX_DAYS = 366 * 10


@dataclass(frozen=True)
class Period:
    """The days from ``start`` to ``end``, both included; ``kind`` says how it was chosen.

    ``to_date`` marks the first days of a week, month, quarter or year that is not over yet
    (``period_to_date``): it is compared with as many first days of the one before, so that
    two days of March are never set against the whole of February.
    """

    start: dt.date
    end: dt.date
    kind: str = CUSTOM
    to_date: bool = False

    @property
    def days(self) -> int:
        """Return how many days the period holds."""
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """Return the period before this one, of the same kind (or the same length).

        The previous of a period to date is as many first days of the period before, or all of
        it when it is shorter (the 31 days of March to date against the 28 of February).
        """
        if self.to_date:
            whole = period_of(self.kind, self.start).previous()
            end = min(whole.start + dt.timedelta(days=self.days - 1), whole.end)
            return Period(whole.start, end, self.kind, to_date=end < whole.end)
        if self.kind in {MONTH, QUARTER, YEAR}:
            months = {MONTH: 1, QUARTER: 3, YEAR: 12}[self.kind]
            start = _add_months(self.start, -months)
            return Period(start, self.start - dt.timedelta(days=1), self.kind)
        end = self.start - dt.timedelta(days=1)
        return Period(end - dt.timedelta(days=self.days - 1), end, self.kind)

    def label(self) -> str:
        """Return the period in words: 2026年3月, 2026年第1季度, 2026-03-01 至 2026-03-15 …

        A month, quarter or year to date says up to which day: 2026年3月（截至3月15日）.
        """
        if self.to_date and self.kind in {MONTH, QUARTER, YEAR}:
            whole = Period(self.start, self.end, self.kind).label()
            return _("%(period)s（截至%(month)s月%(day)s日）") % {
                "period": whole,
                "month": self.end.month,
                "day": self.end.day,
            }
        if self.kind == YEAR:
            return _("%(year)s年") % {"year": self.start.year}
        if self.kind == QUARTER:
            return _("%(year)s年第%(q)s季度") % {
                "year": self.start.year,
                "q": (self.start.month - 1) // 3 + 1,
            }
        if self.kind == MONTH:
            return _("%(year)s年%(month)s月") % {"year": self.start.year, "month": self.start.month}
        if self.start == self.end:
            return self.start.isoformat()
        return _("%(start)s 至 %(end)s") % {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def _add_months(day: dt.date, months: int) -> dt.date:
    """Return the first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, day: dt.date) -> Period:
    """Return the day, week (Monday first), month, quarter or year that holds ``day``."""
    if kind == DAY:
        return Period(day, day, DAY)
    if kind == WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return Period(start, start + dt.timedelta(days=6), WEEK)
    if kind == MONTH:
        start = day.replace(day=1)
        return Period(start, _add_months(start, 1) - dt.timedelta(days=1), MONTH)
    if kind == QUARTER:
        start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(start, _add_months(start, 3) - dt.timedelta(days=1), QUARTER)
    if kind == YEAR:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), YEAR)
    raise InvalidInput(_("统计周期无效。"), fields={"period": [_("统计周期无效。")]})


def period_to_date(period: Period, today: dt.date) -> Period:
    """Return the days of ``period`` up to ``today`` when it is a calendar period not over yet.

    A week, month, quarter or year that holds ``today`` has no figures for the days to come; its
    days so far are the period to date. Any other period is returned as it is.
    """
    if period.kind == CUSTOM or not period.start <= today < period.end:
        return period
    return Period(period.start, today, period.kind, to_date=True)


def period_between(start: dt.date, end: dt.date) -> Period:
    """Return the custom period from ``start`` to ``end``; ``InvalidInput`` if reversed or huge."""
    if end < start:
        message = _("结束日期不能早于开始日期。")
        raise InvalidInput(message, fields={"to": [message]})
    if (end - start).days >= MAX_DAYS:
        message = _("统计区间过长。")
        raise InvalidInput(message, fields={"to": [message]})
    return Period(start, end, CUSTOM)


@dataclass(frozen=True)
class Parts:
    """A period as whole calendar years, whole months outside them, and the days left over."""

    years: list[dt.date]  # 1 January of each
    months: list[dt.date]  # the first day of each
    days: list[tuple[dt.date, dt.date]]  # ranges, both ends included


def period_parts(period: Period, *, whole_years: bool = True) -> Parts:
    """Split ``period`` into the coarsest pieces the aggregates hold (years only if asked)."""
    parts = Parts([], [], [])
    cursor = period.start
    while cursor <= period.end:
        year_end = dt.date(cursor.year, 12, 31)
        month_end = _add_months(cursor, 1) - dt.timedelta(days=1)
        if whole_years and cursor.month == 1 and cursor.day == 1 and year_end <= period.end:
            parts.years.append(cursor)
            cursor = year_end + dt.timedelta(days=1)
        elif cursor.day == 1 and month_end <= period.end:
            parts.months.append(cursor)
            cursor = month_end + dt.timedelta(days=1)
        else:
            end = min(month_end, period.end)
            parts.days.append((cursor, end))
            cursor = end + dt.timedelta(days=1)
    return parts
