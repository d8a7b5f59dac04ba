"""A survey's results, read from its tallies: per question the counts and shares of each option
(never combinations of options), scale averages, per-unit rows under the small-team guard, the
response count against headcount, and the change against the previous round.

The small-team guard: a unit with fewer than ``SURVEY_MIN_GROUP`` responses is never shown on its
own. Its responses (and its people) are rolled up into its parent's row, level by level; the
survey's own unit takes what is left. Should that remainder itself be under the threshold, the
smallest shown rows are folded into it too, so that no figure can be had by subtracting.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import Substr

from xinsheng.engage.surveys.choices import CHOICE_KINDS, RATING_KINDS, QuestionKind
from xinsheng.engage.surveys.models import ALL_UNITS, Survey, SurveyQuestion, SurveyTally
from xinsheng.org.models import OrgUnit, Person

Key = tuple[int, int, int]  # question id, item, choice
Tally = dict[Key, int]  # responses counted per key


def min_group() -> int:
    """Return K: the fewest responses a unit must have to be shown on its own."""
    return max(1, int(settings.XINSHENG["SURVEY_MIN_GROUP"]))


def share(part: int, whole: int) -> float | None:
    """Return ``part`` of ``whole`` as a fraction, or None when there is no whole."""
    return part / whole if whole else None


@dataclass
class OptionRow:
    number: int
    label: str
    n: int
    share: float | None


@dataclass
class ItemRow:
    """A matrix item (or a scale question itself) with its rating counts and average."""

    label: str
    answered: int
    counts: list[int]
    average: float | None
    previous: float | None = None

    @property
    def change(self) -> float | None:
        if self.average is None or self.previous is None:
            return None
        return round(self.average - self.previous, 2)


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    options: list[OptionRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)

    @property
    def chart(self) -> list[dict[str, object]]:
        """Return the rows the bar chart draws."""
        if self.options:
            return [{"name": row.label, "value": row.n} for row in self.options]
        if self.question.kind == QuestionKind.SCALE and self.items:
            return [
                {"name": str(value), "value": n}
                for value, n in enumerate(self.items[0].counts, start=1)
            ]
        return [{"name": row.label, "value": round(row.average or 0, 2)} for row in self.items]


@dataclass
class UnitRow:
    unit: OrgUnit | None
    responses: int
    headcount: int
    rolled: int  # units rolled up into this row
    averages: list[float | None]

    @property
    def rate(self) -> float | None:
        return share(self.responses, self.headcount)


@dataclass
class Results:
    survey: Survey
    responses: int
    headcount: int
    questions: list[QuestionResult]
    units: list[UnitRow]
    rating_questions: list[SurveyQuestion]
    k: int
    placement: dict[str, str] = field(default_factory=dict)  # child path → its row's path
    level: OrgUnit | None = None
    previous: Survey | None = None
    previous_responses: int | None = None
    previous_headcount: int | None = None
    previous_satisfaction: float | None = None

    @property
    def rate(self) -> float | None:
        return share(self.responses, self.headcount)

    @property
    def previous_rate(self) -> float | None:
        if self.previous_responses is None or not self.previous_headcount:
            return None
        return share(self.previous_responses, self.previous_headcount)

    def row_unit_of(self, path: str) -> OrgUnit | None:
        """Return the unit whose row counts the responses given at ``path`` ("" for the link)."""
        here = self.level.path if self.level is not None else self.survey.unit_path
        child = _child_of(path or self.survey.unit_path, here)
        row = self.placement.get(child, here)
        return next((r.unit for r in self.units if r.unit is not None and r.unit.path == row), None)

    @property
    def satisfaction(self) -> float | None:
        """Return the mean of every rating question's average, on a 0–100 scale."""
        return satisfaction_of(self.questions)


def satisfaction_of(questions: Iterable[QuestionResult]) -> float | None:
    """Return the mean rating of ``questions`` as a score out of 100 (1 → 0, top → 100)."""
    scores = [
        (row.average - 1) / (result.question.scale_max - 1) * 100
        for result in questions
        for row in result.items
        if row.average is not None
    ]
    return round(sum(scores) / len(scores), 1) if scores else None


def previous_round(survey: Survey) -> Survey | None:
    """Return the round of the same series just before ``survey``, if any."""
    if not survey.series:
        return None
    return (
        Survey.objects.filter(unit_id=survey.unit_id, series=survey.series, round__lt=survey.round)
        .order_by("-round")
        .first()
    )


def totals_of(survey: Survey) -> Tally:
    """Return the tallies of the whole survey."""
    rows = SurveyTally.objects.filter(survey=survey, unit_path=ALL_UNITS).values_list(
        "question_no", "item", "choice", "n"
    )
    return {(question, item, choice): n for question, item, choice, n in rows}


def unit_responses_of(survey: Survey) -> dict[str, int]:
    """Return the responses recorded at each unit path ("" for the plain link)."""
    rows = (
        SurveyTally.objects.filter(survey=survey, question_no=0)
        .exclude(unit_path=ALL_UNITS)
        .values_list("unit_path", "n")
    )
    return {path: n for path, n in rows if n}


def _average(counts: Sequence[int]) -> float | None:
    answered = sum(counts)
    if not answered:
        return None
    return round(sum(value * n for value, n in enumerate(counts, start=1)) / answered, 2)


def _item_row(question: SurveyQuestion, item: int, label: str, total: Tally) -> ItemRow:
    counts = [
        total.get((question.pk, item, value), 0) for value in range(1, question.scale_max + 1)
    ]
    return ItemRow(
        label=label,
        answered=total.get((question.pk, item, 0), 0),
        counts=counts,
        average=_average(counts),
    )


def question_results(questions: Sequence[SurveyQuestion], total: Tally) -> list[QuestionResult]:
    """Return each question's counts, shares and averages from the tallies ``total``."""
    results = []
    for question in questions:
        answered = total.get((question.pk, 0, 0), 0)
        result = QuestionResult(question=question, answered=answered)
        if question.kind in CHOICE_KINDS:
            result.options = [
                OptionRow(
                    number=number,
                    label=label,
                    n=total.get((question.pk, 0, number), 0),
                    share=share(total.get((question.pk, 0, number), 0), answered),
                )
                for number, label in enumerate(question.options, start=1)
            ]
        elif question.kind == QuestionKind.SCALE:
            result.items = [_item_row(question, 0, question.text, total)]
        elif question.kind == QuestionKind.MATRIX:
            result.items = [
                _item_row(question, number, label, total)
                for number, label in enumerate(question.items, start=1)
            ]
            result.answered = max((row.answered for row in result.items), default=0)
        results.append(result)
    return results


def _parent(path: str) -> str:
    return path[: -OrgUnit.steplen]


def guarded_rows(root: str, own: dict[str, int], k: int) -> dict[str, str]:
    """Return, for each unit path with responses, the path of the row it is shown in.

    ``own`` holds the responses recorded at each path (all within ``root``'s subtree). A unit
    with at least ``k`` responses (its own and those rolled up from below) is a row; a smaller
    one is rolled into its parent; ``root`` takes the rest, and if the rest is under ``k`` it
    takes the smallest rows too until it is not (or nothing else is shown).
    """
    bucket: dict[str, int] = defaultdict(int)
    members: dict[str, list[str]] = defaultdict(list)
    for path, n in own.items():
        bucket[path] += n
        members[path].append(path)
    shown: set[str] = set()
    for depth in range(max((len(p) for p in bucket), default=0), len(root), -OrgUnit.steplen):
        for path in [p for p in bucket if len(p) == depth]:
            if bucket[path] >= k:
                shown.add(path)
                continue
            parent = _parent(path)
            bucket[parent] += bucket.pop(path)
            members[parent] += members.pop(path)
    shown.add(root)
    while 0 < bucket.get(root, 0) < k and len(shown) > 1:
        smallest = min((p for p in shown if p != root), key=lambda p: (bucket[p], p))
        shown.discard(smallest)
        bucket[root] += bucket.pop(smallest)
        members[root] += members.pop(smallest)
    return {member: row for row in shown for member in members.get(row, [])}


def _child_of(path: str, level: str) -> str:
    """Return the child of ``level`` whose subtree holds ``path`` (``level`` itself for its own
    and for "")."""
    if len(path) <= len(level):
        return level
    return path[: len(level) + OrgUnit.steplen]


def _children_counts(recorded: dict[str, int], root: str, here: str) -> dict[str, int]:
    own: dict[str, int] = defaultdict(int)
    for path, n in recorded.items():
        path = path or root
        if path.startswith(here):
            own[_child_of(path, here)] += n
    return own


def may_break_down(survey: Survey, level: OrgUnit, k: int | None = None) -> bool:
    """Return whether ``level``'s children may be shown: ``level`` lies in the survey's subtree
    and is shown as a row of its own at every level above it (else its figures, set against
    the level above, would give away a group under K)."""
    root = survey.unit_path
    if not level.path.startswith(root):
        return False
    k = k or min_group()
    recorded = unit_responses_of(survey)
    here = root
    while len(here) < len(level.path):
        child = level.path[: len(here) + OrgUnit.steplen]
        if guarded_rows(here, _children_counts(recorded, root, here), k).get(child) != child:
            return False
        here = child
    return True


def unit_rows(
    survey: Survey, rating: Sequence[SurveyQuestion], k: int, level: OrgUnit | None = None
) -> tuple[list[UnitRow], int, dict[str, str]]:
    """Return the rows of ``level``'s children (the survey's unit by default) under the
    small-team guard, the headcount of the survey, and the row each unit path with responses
    is counted in.

    Each child's row counts its whole subtree; a child with fewer than K responses is not shown
    alone but counted in ``level``'s own row, with what was answered at ``level`` itself (and
    through the plain link, at the survey's unit).
    """
    root = survey.unit_path
    here = level.path if level is not None else root
    child = Substr("unit_path", 1, len(here) + OrgUnit.steplen)
    tallies = SurveyTally.objects.filter(survey=survey).exclude(unit_path=ALL_UNITS)
    if here != root:
        tallies = tallies.filter(unit_path__startswith=here)
    own: dict[str, int] = defaultdict(int)
    for path, n in (
        tallies.filter(question_no=0)
        .annotate(child=child)
        .values("child")
        .annotate(total=Sum("n"))
        .order_by()
        .values_list("child", "total")
    ):
        own[path or root] += n
    placed = guarded_rows(here, own, k)
    row_paths = set(placed.values()) | {here}
    people = (
        Person.objects.filter(is_active=True, unit__path__startswith=here)
        .annotate(child=Substr("unit__path", 1, len(here) + OrgUnit.steplen))
        .values("child")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("child", "n")
    )
    headcounts: dict[str, int] = defaultdict(int)
    for path, n in people:
        headcounts[placed.get(path, here)] += n
    total_people = (
        sum(headcounts.values())
        if here == root
        else Person.objects.filter(is_active=True, unit__path__startswith=root).count()
    )
    responses: dict[str, int] = defaultdict(int)
    rolled: dict[str, int] = defaultdict(int)
    for path, n in own.items():
        row = placed.get(path, here)
        responses[row] += n
        rolled[row] += path != row
    ratings: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for path, question, points, count in (
        tallies.filter(question_no__in=[q.pk for q in rating], choice=0)
        .annotate(child=child)
        .values("child", "question_no")
        .annotate(total=Sum("points"), ratings=Sum("n"))
        .order_by()
        .values_list("child", "question_no", "total", "ratings")
    ):
        row = placed.get(path or root, here)
        ratings[row][question][0] += int(points)
        ratings[row][question][1] += int(count)
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=row_paths)}
    rows = [
        UnitRow(
            unit=units.get(path),
            responses=responses.get(path, 0),
            headcount=headcounts.get(path, 0),
            rolled=rolled.get(path, 0),
            averages=[_mean(ratings[path][question.pk]) for question in rating],
        )
        for path in sorted(row_paths)
    ]
    return rows, total_people, placed


def _mean(points_and_count: list[int]) -> float | None:
    points, count = points_and_count
    return round(points / count, 2) if count else None


def results_of(survey: Survey, level: OrgUnit | None = None) -> Results:
    """Return the whole results of ``survey`` (and what its previous round gives to compare),
    with the per-unit rows of ``level``'s children (the survey's unit's by default)."""
    k = min_group()
    questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))
    total = totals_of(survey)
    rating = [q for q in questions if q.kind in RATING_KINDS]
    rows, headcount, placed = unit_rows(survey, rating, k, level)
    results = Results(
        survey=survey,
        responses=total.get((0, 0, 0), 0),
        headcount=headcount,
        questions=question_results(questions, total),
        units=rows,
        rating_questions=rating,
        k=k,
        placement=placed,
        level=level,
    )
    previous = previous_round(survey)
    if previous is not None:
        _compare(results, previous)
    return results


def _compare(results: Results, previous: Survey) -> None:
    """Give each rating item the previous round's average, matching questions by their text."""
    before_questions = list(SurveyQuestion.objects.filter(survey=previous).order_by("position"))
    before_total = totals_of(previous)
    before_results = question_results(before_questions, before_total)
    before = {
        (result.question.text, row.label): row.average
        for result in before_results
        for row in result.items
    }
    results.previous_satisfaction = satisfaction_of(before_results)
    for result in results.questions:
        for row in result.items:
            row.previous = before.get((result.question.text, row.label))
    results.previous = previous
    results.previous_responses = before_total.get((0, 0, 0), 0)
    results.previous_headcount = Person.objects.filter(
        is_active=True, unit__path__startswith=previous.unit_path
    ).count()
