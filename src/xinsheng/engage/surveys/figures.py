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

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xinsheng.core.periods import Period
from xinsheng.engage.surveys.models import (
    ALL_UNITS,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveyTally,
)
from xinsheng.engage.surveys.results import (
    Tally,
    previous_round,
    question_results,
    satisfaction_of,
    share,
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


def satisfaction_scores(survey_ids: Sequence[int]) -> dict[int, float | None]:
    """Return each survey's satisfaction score (0–100, None without rating answers), by id:
    two statements for any number of surveys."""
    if not survey_ids:
        return {}
    questions: dict[int, list[SurveyQuestion]] = defaultdict(list)
    for question in SurveyQuestion.objects.filter(survey_id__in=survey_ids).order_by(
        "survey_id", "position"
    ):
        questions[question.survey_id].append(question)
    totals: dict[int, Tally] = defaultdict(dict)
    rows = SurveyTally.objects.filter(survey_id__in=survey_ids, unit_path=ALL_UNITS).values_list(
        "survey_id", "question_no", "item", "choice", "n"
    )
    for survey_id, question_no, item, choice, n in rows:
        totals[survey_id][(question_no, item, choice)] = n
    return {pk: satisfaction_of(question_results(questions[pk], totals[pk])) for pk in survey_ids}


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
    # The surveys' scores in two statements, and their previous rounds' in two more (each
    # previous round is still found by a statement of its own).
    score_of = satisfaction_scores([survey.pk for survey in surveys])
    rated = [survey for survey in surveys if score_of[survey.pk] is not None]
    before = {survey.pk: previous_round(survey) for survey in rated}
    earlier_of = satisfaction_scores(
        list(dict.fromkeys(found.pk for found in before.values() if found is not None))
    )
    for survey in surveys:
        score = score_of[survey.pk]
        if score is None:
            continue
        scores.append(score)
        previous = before[survey.pk]
        earlier = earlier_of[previous.pk] if previous is not None else None
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
