"""The figures of surveys for a unit's subtree and a period (docs/metrics.md, 问卷调查):
surveys run, responses, the response rate, and the satisfaction score with its change against
the previous round.

- A survey *ran* in the period when its open days overlap it; it belongs to the subtree when its
  own unit lies there.
- *Responses* are those submitted within the period to those surveys.
- The *response rate* is responses ÷ the people each survey asked (the active headcount of its
  unit's subtree, summed over the surveys).
- The *satisfaction score* of a survey is the mean of its rating questions' averages, each put on
  a 0–100 scale (1 → 0, the top of the scale → 100); the figure is the mean over the surveys
  that have ratings. Its *change* compares each repeating survey with its previous round, over
  the surveys that have one.
"""

from dataclasses import dataclass
from typing import Any

from xinsheng.core.periods import Period
from xinsheng.engage.surveys.models import Survey, SurveyQuestion, SurveyResponse
from xinsheng.engage.surveys.results import (
    previous_round,
    question_results,
    satisfaction_of,
    share,
    totals_of,
)
from xinsheng.org.models import OrgUnit, Person
from xinsheng.org.shared_reads import SharedReads

SURVEYS_MAX = 200  # the surveys of one period whose ratings are read


@dataclass(frozen=True)
class SurveyFigures:
    surveys: int
    responses: int
    invited: int
    satisfaction: float | None
    change: float | None  # against the previous rounds, in points of the 0–100 score
    titles: tuple[tuple[int, str], ...] = ()

    @property
    def rate(self) -> float | None:
        return share(self.responses, self.invited)

    def as_dict(self) -> dict[str, Any]:
        return {
            "surveys": self.surveys,
            "responses": self.responses,
            "invited": self.invited,
            "rate": self.rate,
            "satisfaction": self.satisfaction,
            "satisfaction_change": self.change,
        }


def satisfaction_score(survey: Survey) -> float | None:
    """Return the survey's satisfaction score (0–100), or None without rating answers."""
    questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))
    return satisfaction_of(question_results(questions, totals_of(survey)))


def surveys_ran(unit: OrgUnit, period: Period) -> list[Survey]:
    """Return the surveys of ``unit``'s subtree open on some day of ``period``."""
    return list(
        Survey.objects.filter(
            unit_path__startswith=unit.path,
            opens_on__lte=period.end,
            closes_on__gte=period.start,
        ).order_by("-opens_on", "id")[:SURVEYS_MAX]
    )


def survey_figures_of(
    unit: OrgUnit, period: Period, *, shared: SharedReads | None = None
) -> SurveyFigures:
    """Return the survey figures of ``unit``'s subtree for ``period``; the headcounts from
    ``shared`` when the page has them."""
    surveys = surveys_ran(unit, period)
    responses = SurveyResponse.objects.filter(
        survey__in=surveys, submitted_on__gte=period.start, submitted_on__lte=period.end
    ).count()
    headcounts = {
        path: shared.headcount(path)
        if shared is not None
        else Person.objects.filter(is_active=True, unit__path__startswith=path).count()
        for path in {survey.unit_path for survey in surveys}
    }
    invited = sum(headcounts[survey.unit_path] for survey in surveys)
    scores = []
    changes = []
    for survey in surveys:
        score = satisfaction_score(survey)
        if score is None:
            continue
        scores.append(score)
        before = previous_round(survey)
        earlier = satisfaction_score(before) if before is not None else None
        if earlier is not None:
            changes.append(score - earlier)
    return SurveyFigures(
        surveys=len(surveys),
        responses=responses,
        invited=invited,
        satisfaction=round(sum(scores) / len(scores), 1) if scores else None,
        change=round(sum(changes) / len(changes), 1) if changes else None,
        titles=tuple((survey.pk, survey.title) for survey in surveys[:10]),
    )
