"""Numbers written the way Chinese enterprise news reports and briefings write them.

Pure functions, no Django. The rules, each tested in ``tests/reports/test_chinese_numbers.py``:

Totals (``count``) — items, people, visits: a number and its measure word, no separators.
  - Below 1,000 the figure is exact: ``86项``, ``107名``, ``256项``.
  - From 1,000 on, the figure is cut *down* (never rounded up: a report must not claim more than
    was done) to the coarsest round number — one, two or three significant digits — that is
    within 1% below it, and ``余`` ("more than") marks what was dropped: 1,263 → ``1260余项``
    (1,200 would drop 5%), 7,012 → ``7000余人次``, 1,200 → ``1200项`` (nothing dropped).
  - From 10,000 on, the round number is written in ``万``, from 100,000,000 in ``亿``, with the
    digits kept after the point: 12,634 → ``1.26万余人次``, 250,000 → ``25万人次``,
    123,456,789 → ``1.23亿余项``.

Money (``money``) — yuan are rounded (half up), not cut, and never carry ``余``:
  - below 10,000 yuan: the exact sum, two decimals only when there are fen: ``600元``,
    ``1234.5元`` → ``1234.50元``;
  - from 10,000 yuan in ``万元`` and from 100,000,000 in ``亿元``, at most two decimals, trailing
    zeros dropped: 256,000 → ``25.6万元``, 1,234,567 → ``123.46万元``, 3×10⁸ → ``3亿元``.

Rates (``percent``) — a fraction shown as a percentage with one decimal, half up, ``.0``
  dropped: 0.9534 → ``95.3%``, 0.95 → ``95%``, 1 → ``100%``; None (nothing to divide by) → ``—``.

Comparisons with the previous period — the basis word says which period: ``同比`` against the
same period a year before (a year), ``环比`` against the period just before (a day, week, month,
quarter), ``较上期`` for a custom range.
  - A total (``count_change``) changes by a percentage of the previous total, one decimal:
    ``同比增长12.5%``, ``环比下降3.1%``, ``环比持平``; from nothing, by the number itself:
    ``环比增加12项``.
  - A rate (``rate_change``) changes by percentage points, computed from the two rates *as
    shown* (so that a reader can check it): 92.8% → 95.3% is ``环比提高2.5个百分点``; 98.4% →
    95.3% is ``环比下降3.1个百分点``; the same shown rate is ``环比持平``; an unknown rate on
    either side gives "" (nothing to say).

In any other interface language (a briefing written in English) the same figures are written
the way that language writes them: exact totals with thousands separators (``1,263 cases``),
``up 12.5% on the period before``, ``down 3.1 points year on year``, ``unchanged``.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xinsheng.core.periods import MONTH, QUARTER, YEAR, Period

WAN = 10_000
YI = 100_000_000
EXACT_BELOW = 1_000
CUT_TOLERANCE = Decimal("0.01")  # a round figure may drop up to 1% of the number
DASH = "—"

SAME_PERIOD_LAST_YEAR = "同比"
PERIOD_BEFORE = "环比"
PREVIOUS_RANGE = "较上期"


def _chinese() -> bool:
    """Return whether the figures are written for a Chinese text (the active language)."""
    return (translation.get_language() or "zh-hans").startswith("zh")


def basis_words(basis: str) -> str:
    """Return the basis of a comparison as the active language says it inside a sentence."""
    if _chinese() or not basis:
        return basis
    words = {
        SAME_PERIOD_LAST_YEAR: pgettext("comparison in a sentence", "同比"),
        PERIOD_BEFORE: pgettext("comparison in a sentence", "环比"),
        PREVIOUS_RANGE: pgettext("comparison in a sentence", "较上期"),
    }
    return words.get(basis, basis)


def basis_heading(basis: str) -> str:
    """Return the heading of the column of changes of a figures table."""
    headings = {
        SAME_PERIOD_LAST_YEAR: pgettext("comparison column", "同比"),
        PERIOD_BEFORE: pgettext("comparison column", "环比"),
        PREVIOUS_RANGE: pgettext("comparison column", "较上期"),
    }
    return headings.get(basis, headings[PREVIOUS_RANGE])


def _english_change(word: str, amount: str, basis: str) -> str:
    return " ".join(part for part in (word, amount, basis_words(basis)) if part)


def _trim(text: str) -> str:
    """Return the decimal ``text`` without trailing zeros after the point."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def _plain(value: Decimal, places: int) -> str:
    """Return ``value`` rounded half up to ``places`` decimals, trailing zeros dropped."""
    quantum = Decimal(1).scaleb(-places)
    return _trim(format(value.quantize(quantum, rounding=ROUND_HALF_UP), "f"))


def _with_magnitude(value: int) -> str:
    """Return the integer ``value`` written in 亿, 万 or plain digits, exactly."""
    if value >= YI:
        return _trim(format(Decimal(value) / YI, "f")) + "亿"
    if value >= WAN:
        return _trim(format(Decimal(value) / WAN, "f")) + "万"
    return str(value)


def round_down(value: int) -> int:
    """Return the coarsest number of 1–3 significant digits within 1% below ``value``."""
    if value < EXACT_BELOW:
        return value
    digits = len(str(value))
    cut = value
    for significant in (1, 2, 3):
        step: int = 10 ** (digits - significant)
        cut = value // step * step
        if Decimal(value - cut) <= CUT_TOLERANCE * value:
            break
    return cut  # three significant digits always drop less than 1%


def count(value: int, measure: str = "") -> str:
    """Return a total as a report writes it: ``86项``, ``1260余项``, ``1.26万余人次``."""
    if value < 0:
        return "-" + count(-value, measure)
    if not _chinese():
        # The measure comes translated as a plural noun (" cases"); one takes the singular.
        singular = value == 1 and measure.endswith("s") and not measure.endswith("ss")
        return f"{value:,}{measure[:-1] if singular else measure}"
    shown = round_down(value)
    more = "余" if shown != value else ""
    return f"{_with_magnitude(shown)}{more}{measure}"


def money(yuan: Decimal | int | float) -> str:
    """Return a sum of yuan as a report writes it: ``600元``, ``25.6万元``, ``1.2亿元``."""
    value = Decimal(str(yuan))
    if not _chinese():
        return _("%(amount)s元") % {"amount": f"{value.quantize(Decimal('0.01')):,}"}
    if abs(value) >= YI:
        return _plain(value / YI, 2) + "亿元"
    if abs(value) >= WAN:
        return _plain(value / WAN, 2) + "万元"
    if value == value.to_integral_value():
        return f"{int(value)}元"
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f") + "元"


def percent_value(rate: float | None) -> Decimal | None:
    """Return ``rate`` (a fraction) as the percentage shown, one decimal, half up."""
    if rate is None:
        return None
    return (Decimal(str(rate)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(rate: float | None) -> str:
    """Return ``rate`` (a fraction) as a report shows it: ``95.3%``, ``95%``; None → ``—``."""
    shown = percent_value(rate)
    if shown is None:
        return DASH
    return _plain(shown, 1) + "%"


def count_change(current: int, previous: int, *, basis: str, measure: str = "") -> str:
    """Return how a total moved since the previous period: ``同比增长12.5%``, ``环比持平``."""
    if not _chinese():
        return _count_change_english(current, previous, basis=basis, measure=measure)
    if current == previous:
        return f"{basis}持平"
    if previous == 0:
        return f"{basis}增加{count(current, measure)}"
    ratio = (Decimal(current - previous) / previous * 100).copy_abs()
    shown = _plain(ratio, 1)
    if shown == "0":
        return f"{basis}基本持平"
    word = "增长" if current > previous else "下降"
    return f"{basis}{word}{shown}%"


def _count_change_english(current: int, previous: int, *, basis: str, measure: str) -> str:
    if current == previous:
        return _english_change(pgettext("figure change", "持平"), "", basis)
    if previous == 0:
        return _english_change(
            pgettext("figure change", "增加"), count(current, measure).strip(), basis
        )
    shown = _plain((Decimal(current - previous) / previous * 100).copy_abs(), 1)
    if shown == "0":
        return _english_change(pgettext("figure change", "基本持平"), "", basis)
    word = (
        pgettext("figure change", "增长")
        if current > previous
        else pgettext("figure change", "下降")
    )
    return _english_change(word, f"{shown}%", basis)


def rate_change(current: float | None, previous: float | None, *, basis: str) -> str:
    """Return how a rate moved, in percentage points of the rates as shown; "" if unknown."""
    now, before = percent_value(current), percent_value(previous)
    if now is None or before is None:
        return ""
    if not _chinese():
        if now == before:
            return _english_change(pgettext("figure change", "持平"), "", basis)
        word = (
            pgettext("figure change", "提高") if now > before else pgettext("figure change", "下降")
        )
        points = pgettext("figure change", "%(points)s个百分点") % {
            "points": _plain((now - before).copy_abs(), 1)
        }
        return _english_change(word, points, basis)
    if now == before:
        return f"{basis}持平"
    word = "提高" if now > before else "下降"
    return f"{basis}{word}{_plain((now - before).copy_abs(), 1)}个百分点"


def days(value: float | None) -> str:
    """Return a number of days with one decimal at most (``3.5``, ``4``); None → ``—``."""
    if value is None:
        return DASH
    return _plain(Decimal(str(value)), 1)


# --- words of periods and lists ---------------------------------------------------------------


def day_words(day: dt.date) -> str:
    """Return a day as a report writes it: 2026年3月1日."""
    return _("%(year)s年%(month)s月%(day)s日") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def period_words(period: Period) -> str:
    """Return the period as a report names it: 2026年10月, 2026年第3季度, 2026年3月1日至3月15日."""
    if period.kind in {YEAR, QUARTER, MONTH}:
        return period.label()
    if period.start == period.end:
        return day_words(period.start)
    end = period.end
    if end.year == period.start.year:
        end_words = _("%(month)s月%(day)s日") % {"month": end.month, "day": end.day}
    else:
        end_words = day_words(end)
    return _("%(start)s至%(end)s") % {"start": day_words(period.start), "end": end_words}


def join_words(parts: Iterable[str]) -> str:
    """Join phrases as a report lists them: 甲、乙和丙 (empty ones left out)."""
    items = [part for part in parts if part]
    if len(items) <= 1:
        return "".join(items)
    return _("、").join(items[:-1]) + _("和") + items[-1]
