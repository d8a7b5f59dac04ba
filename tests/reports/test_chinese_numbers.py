"""The number conventions of Chinese enterprise reports, rule by rule (see the module docstring)."""

from decimal import Decimal

import pytest
from django.utils import translation

from xinsheng.core.chinese_numbers import (
    PERIOD_BEFORE,
    PREVIOUS_RANGE,
    SAME_PERIOD_LAST_YEAR,
    count,
    count_change,
    days,
    money,
    percent,
    rate_change,
)


@pytest.mark.parametrize(
    ("value", "measure", "expected"),
    [
        # Small totals are exact.
        (0, "项", "0项"),
        (7, "名", "7名"),
        (86, "项", "86项"),
        (107, "名", "107名"),
        (256, "项", "256项"),
        (999, "件", "999件"),
        # From 1,000: cut down to a round figure within 1%, 余 for what was dropped.
        (1_263, "项", "1260余项"),
        (7_012, "人次", "7000余人次"),
        (1_000, "项", "1000项"),
        (1_200, "项", "1200项"),
        (1_009, "项", "1000余项"),  # 9 is under 1% of 1,009
        (1_019, "项", "1010余项"),  # 19 is not: keep three digits
        (9_999, "项", "9900余项"),  # never rounded up to 10,000
        (3_456, "人次", "3450余人次"),
        # From 10,000 in 万, from 100,000,000 in 亿.
        (10_000, "人次", "1万人次"),
        (12_634, "人次", "1.26万余人次"),
        (70_120, "人次", "7万余人次"),
        (250_000, "人次", "25万人次"),
        (256_000, "项", "25.6万项"),
        (1_263_000, "项", "126万余项"),
        (123_456_789, "项", "1.23亿余项"),
        (300_000_000, "人次", "3亿人次"),
        # No measure word.
        (1_263, "", "1260余"),
    ],
)
def test_totals_follow_the_report_conventions(value: int, measure: str, expected: str) -> None:
    assert count(value, measure) == expected


@pytest.mark.parametrize(
    ("yuan", "expected"),
    [
        (600, "600元"),
        (Decimal("1234.5"), "1234.50元"),
        (9_999, "9999元"),
        (10_000, "1万元"),
        (256_000, "25.6万元"),
        (1_234_567, "123.46万元"),  # money is rounded, not cut, and has no 余
        (1_999_999, "200万元"),
        (300_000_000, "3亿元"),
        (123_456_789, "1.23亿元"),
    ],
)
def test_money_is_written_in_wan_and_yi(yuan: Decimal | int, expected: str) -> None:
    assert money(yuan) == expected


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        (0.9534, "95.3%"),
        (0.95, "95%"),
        (1.0, "100%"),
        (0.0, "0%"),
        (0.12345, "12.3%"),
        (0.00049, "0%"),
        (0.99951, "100%"),
        (0.8875, "88.8%"),  # half up, not to even
        (None, "—"),
    ],
)
def test_rates_are_percentages_with_one_decimal(rate: float | None, expected: str) -> None:
    assert percent(rate) == expected


@pytest.mark.parametrize(
    ("current", "previous", "basis", "expected"),
    [
        (1_125, 1_000, SAME_PERIOD_LAST_YEAR, "同比增长12.5%"),
        (969, 1_000, PERIOD_BEFORE, "环比下降3.1%"),
        (50, 50, PERIOD_BEFORE, "环比持平"),
        (10_001, 10_000, PERIOD_BEFORE, "环比基本持平"),  # 0.01% shows as 0
        (12, 0, PREVIOUS_RANGE, "较上期增加12项"),
        (0, 8, PERIOD_BEFORE, "环比下降100%"),
        (3, 1, PERIOD_BEFORE, "环比增长200%"),
    ],
)
def test_totals_are_compared_in_percent(
    current: int, previous: int, basis: str, expected: str
) -> None:
    assert count_change(current, previous, basis=basis, measure="项") == expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (0.953, 0.928, "同比提高2.5个百分点"),
        (0.953, 0.984, "同比下降3.1个百分点"),
        (0.9531, 0.9529, "同比持平"),  # both show as 95.3%
        (0.9534, 0.9526, "同比持平"),
        (0.9536, 0.9524, "同比提高0.2个百分点"),  # 95.4% − 95.2%, as the reader sees them
        (1.0, 0.5, "同比提高50个百分点"),
        (0.9, None, ""),
        (None, 0.9, ""),
    ],
)
def test_rates_are_compared_in_percentage_points(
    current: float | None, previous: float | None, expected: str
) -> None:
    assert rate_change(current, previous, basis=SAME_PERIOD_LAST_YEAR) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(3.46, "3.5"), (4.0, "4"), (0.04, "0"), (None, "—")]
)
def test_days_have_one_decimal_at_most(value: float | None, expected: str) -> None:
    assert days(value) == expected


def test_in_english_the_figures_are_written_the_english_way() -> None:
    with translation.override("en"):
        assert count(1263, " cases") == "1,263 cases"
        assert count(1, " cases") == "1 case"
        assert count_change(225, 200, basis=PERIOD_BEFORE) == "up 12.5% on the period before"
        assert count_change(7, 0, basis=SAME_PERIOD_LAST_YEAR, measure=" cases") == (
            "up 7 cases year on year"
        )
        assert count_change(5, 5, basis="") == "unchanged"
        assert rate_change(0.953, 0.984, basis=SAME_PERIOD_LAST_YEAR) == (
            "down 3.1 points year on year"
        )
        assert money(256_000) == "256,000.00 yuan"
    with translation.override("zh-hans"):  # and in Chinese as before
        assert count(1263, "件") == "1260余件"
