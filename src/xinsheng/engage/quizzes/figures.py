"""The quiz figures of a unit subtree and a period (docs/metrics.md, "Quizzes"):

- ``attempts`` (答题人次): submitted attempts in the period by people of the subtree;
- ``people`` (参与人数): distinct people among them;
- ``headcount`` and ``participation_rate``: people against the subtree's active headcount;
- ``average_score``: the mean score of those attempts (out of 100);
- ``experts`` (答题达人): the 达人 of the campaigns with a round closing in the period,
  counted where they belong to the subtree.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from xinsheng.core.periods import Period
from xinsheng.core.plain_sql import column, fetch, moment, prefix, starts_with, table
from xinsheng.engage.quizzes import leaderboards
from xinsheng.engage.quizzes.models import Attempt, Campaign
from xinsheng.org.models import OrgUnit
from xinsheng.org.selectors import unit_subtree_headcount
from xinsheng.org.shared_reads import SharedReads


@dataclass(frozen=True)
class QuizFigures:
    """What the dashboard and the briefing say of quizzes."""

    attempts: int
    people: int
    headcount: int
    average_score: float | None
    experts: int
    campaigns: int

    @property
    def participation_rate(self) -> float | None:
        """Return the people who took part against the headcount (None without people)."""
        return self.people / self.headcount if self.headcount else None

    def as_dict(self) -> dict[str, Any]:
        """Return the figures JSON-safe, as the briefing keeps them."""
        return {**asdict(self), "participation_rate": self.participation_rate}


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return start, end


def quiz_figures_of(
    unit: OrgUnit, period: Period, *, shared: SharedReads | None = None
) -> QuizFigures:
    """Return the quiz figures of ``unit``'s subtree in ``period``; the headcount from
    ``shared`` when the page has it."""
    start, end = _bounds(period)
    # Written out: the dashboard asks on every visit.
    submitted, person = column(Attempt, "submitted_at"), column(Attempt, "person")
    n, people, average = fetch(
        f"SELECT COUNT(*), COUNT(DISTINCT {person}), AVG({column(Attempt, 'score')}) "  # noqa: S608 - our names
        f"FROM {table(Attempt)} WHERE {starts_with(column(Attempt, 'unit_path'))} "
        f"AND {submitted} >= %s AND {submitted} < %s",
        [prefix(unit.path), moment(start), moment(end)],
    )[0]
    campaigns = Campaign.objects.filter(
        rounds__closes_at__gte=start, rounds__closes_at__lt=end
    ).distinct()
    experts = 0
    counted = 0
    for campaign in campaigns:
        found = leaderboards.experts_of(campaign, within=unit.path)
        if found or campaign.unit.path.startswith(unit.path):
            counted += 1
        experts += len(found)
    return QuizFigures(
        attempts=n or 0,
        people=people or 0,
        headcount=shared.headcount(unit.path)
        if shared is not None
        else unit_subtree_headcount(unit=unit),
        average_score=float(average) if average is not None else None,
        experts=experts,
        campaigns=counted,
    )
