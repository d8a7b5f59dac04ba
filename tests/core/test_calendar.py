"""Working days under the official calendar, with holidays and 调休 make-up working days."""

import datetime as dt

import pytest

from xinsheng.core.calendar import add_working_days, is_working_day, working_days_between
from xinsheng.core.models import NonWorkingDay

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-02-13", True),  # Friday before the Spring Festival
        ("2026-02-14", True),  # Saturday, a make-up working day (调休)
        ("2026-02-16", False),  # Monday inside the Spring Festival holiday
        ("2026-02-24", True),  # first working day after it
        ("2026-02-28", True),  # Saturday, make-up working day
        ("2026-09-20", True),  # Sunday, make-up working day before National Day
        ("2026-10-05", False),  # Monday inside the National Day holiday
        ("2026-10-10", True),  # Saturday, make-up working day after it
        ("2026-10-11", False),  # an ordinary Sunday
    ],
)
def test_official_calendar(day: str, working: bool) -> None:
    assert is_working_day(D(day), days_off=()) is working


def test_a_deadline_runs_across_the_spring_festival() -> None:
    # Dispatched on Friday 13 Feb 2026 with 3 working days: Sat 14 Feb is a make-up day,
    # 15–23 Feb are holidays, so the days are 14 Feb, 24 Feb and 25 Feb.
    assert add_working_days(D("2026-02-13"), 3, days_off=()) == D("2026-02-25")


def test_a_deadline_runs_across_national_day() -> None:
    # From Wednesday 30 Sep 2026, 2 working days: 1–7 Oct off, so 8 and 9 Oct.
    assert add_working_days(D("2026-09-30"), 2, days_off=()) == D("2026-10-09")
    # From Friday 9 Oct, 1 working day is the make-up Saturday 10 Oct.
    assert add_working_days(D("2026-10-09"), 1, days_off=()) == D("2026-10-10")


def test_counting_backwards_and_between() -> None:
    assert add_working_days(D("2026-02-25"), -3, days_off=()) == D("2026-02-13")
    assert working_days_between(D("2026-02-13"), D("2026-02-25"), days_off=()) == 3
    assert working_days_between(D("2026-02-25"), D("2026-02-13"), days_off=()) == 0
    assert add_working_days(D("2026-02-16"), 0, days_off=()) == D("2026-02-16")


@pytest.mark.django_db
def test_an_installation_adds_its_own_days_off() -> None:
    # Given the mine's own day off on Tuesday 3 Mar 2026 (say, a safety stand-down)
    NonWorkingDay.objects.create(date=D("2026-03-03"), note="安全停产整顿日")
    # Then a one-day deadline from Monday skips it
    assert not is_working_day(D("2026-03-03"))
    assert add_working_days(D("2026-03-02"), 1) == D("2026-03-04")


def test_a_year_the_calendar_does_not_know_falls_back_to_weekends() -> None:
    assert is_working_day(D("2099-06-05"), days_off=())  # a Friday
    assert not is_working_day(D("2099-06-06"), days_off=())  # a Saturday
