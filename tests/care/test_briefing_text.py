"""The assistance paragraph of the briefing writes the figures as the source reports do."""

import datetime as dt
from decimal import Decimal

from xinsheng.care.applications.figures import Paid
from xinsheng.care.figures import CareFigures, ProgrammePaid
from xinsheng.care.panels import briefing_text
from xinsheng.core.periods import YEAR, period_of


def test_the_paragraph_reads_like_the_union_reports() -> None:
    period = period_of(YEAR, dt.date(2025, 6, 1))
    figures = CareFigures(
        unit_path="0001",
        start=period.start,
        end=period.end,
        families_by_tier={"extreme": 40, "hardship": 81, "temporary": 0},
        pairs=343,
        cadres=343,
        families_paired=121,
        visits=1029,
        families_visited=121,
        programmes=[
            ProgrammePaid(1, "hardship", "结对帮扶", 2025, 121, Decimal("0"), Decimal("56000")),
        ],
        students=Paid(107, Decimal("256000")),
        relief=Paid(54, Decimal("191000")),
        distributions_delivered=94,
        distributions_value=Decimal("28200"),
        batches_by_kind={"honour": 12, "illness": 10, "occupational": 15},
        sanatorium_by_kind={"honour": 300, "illness": 238, "occupational": 400},
    )

    text = briefing_text(figures, period)

    assert text.startswith("2025年，343名领导干部与121户困难职工家庭结成帮扶对子")
    assert "走访慰问1020余次，自掏腰包5.6万元" in text
    assert "为107名学子发放助学金25.6万元" in text
    assert "救助大病职工54人19.1万元" in text
    assert "送达慰问品94人次" in text
    assert "组织荣誉疗养、病疗和职业健康疗养37批次、938人" in text
    assert text.endswith("。")
