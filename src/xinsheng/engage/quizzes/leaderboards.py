"""Leaderboards: per round and across a campaign, by person and by unit, and the 答题达人 list.

A person's result in a round is their best submitted attempt (highest score, then the shortest
time). Boards rank by score, then time: equal score and time share a rank. A unit's row counts
the people of its subtree who took part against its headcount, and averages their best scores.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Q

from xinsheng.engage.quizzes.models import Attempt, Campaign, Round
from xinsheng.org.models import OrgUnit, Person
from xinsheng.org.selectors import unit_headcounts


@dataclass(frozen=True)
class Best:
    """A person's best submitted attempt in one round."""

    person_id: int
    round_id: int
    unit_path: str
    score: int
    correct: int
    seconds: int
    attempts: int  # submitted attempts of the person in the round


@dataclass
class PersonRow:
    """A line of a board by person."""

    rank: int
    person: Person
    score: int  # the round's best, or the campaign's total
    seconds: int
    rounds: int = 1
    correct: int = 0
    attempts: int = 1
    average: float = 0.0
    passed_rounds: int = 0  # rounds at or over the campaign's 达人 score


@dataclass
class UnitRow:
    """A line of a board by unit."""

    unit: OrgUnit
    headcount: int
    people: int  # who took part
    attempts: int  # 人次: submitted attempts
    average: float | None  # of the people's best scores

    @property
    def rate(self) -> float | None:
        """Return the participation rate of the headcount (None without people)."""
        return self.people / self.headcount if self.headcount else None


def best_of(round_ids: Sequence[int], *, within: str = "") -> list[Best]:
    """Return every person's best submitted attempt in each of ``round_ids`` (in a subtree)."""
    rows = Attempt.objects.filter(round_id__in=list(round_ids), submitted_at__isnull=False)
    if within:
        rows = rows.filter(unit_path__startswith=within)
    found: dict[tuple[int, int], Best] = {}
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for person_id, round_id, unit_path, score, correct, seconds in rows.values_list(
        "person_id", "round_id", "unit_path", "score", "correct", "seconds"
    ):
        if score is None or correct is None or seconds is None:
            continue  # the constraint says a submitted attempt is scored
        key = (person_id, round_id)
        counts[key] += 1
        held = found.get(key)
        if held is None or (score, -seconds) > (held.score, -held.seconds):
            found[key] = Best(person_id, round_id, unit_path, score, correct, seconds, 0)
    return [
        Best(b.person_id, b.round_id, b.unit_path, b.score, b.correct, b.seconds, counts[key])
        for key, b in found.items()
    ]


def _ranked(rows: list[PersonRow]) -> list[PersonRow]:
    rows.sort(key=lambda row: (-row.score, row.seconds, row.person.employee_no))
    previous: tuple[int, int] | None = None
    for index, row in enumerate(rows, start=1):
        if (row.score, row.seconds) != previous:
            rank = index
            previous = (row.score, row.seconds)
        row.rank = rank
    return rows


def _people(ids: Iterable[int]) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.filter(pk__in=set(ids)).select_related("unit")}


def round_board(quiz_round: Round, *, within: str = "") -> list[PersonRow]:
    """Return the board of ``quiz_round`` by person: best score, then shortest time."""
    bests = best_of([quiz_round.pk], within=within)
    people = _people(b.person_id for b in bests)
    return _ranked(
        [
            PersonRow(
                0,
                people[b.person_id],
                b.score,
                b.seconds,
                correct=b.correct,
                attempts=b.attempts,
                average=float(b.score),
            )
            for b in bests
        ]
    )


def campaign_board(campaign: Campaign, *, within: str = "") -> list[PersonRow]:
    """Return the board of ``campaign`` by person: the total of the best score of each round
    taken, then the total time; with the rounds at or over the 达人 score."""
    round_ids = list(campaign.rounds.values_list("id", flat=True))
    by_person: dict[int, list[Best]] = defaultdict(list)
    for best in best_of(round_ids, within=within):
        by_person[best.person_id].append(best)
    people = _people(by_person)
    rows = []
    for person_id, bests in by_person.items():
        total = sum(b.score for b in bests)
        rows.append(
            PersonRow(
                0,
                people[person_id],
                total,
                sum(b.seconds for b in bests),
                rounds=len(bests),
                correct=sum(b.correct for b in bests),
                attempts=sum(b.attempts for b in bests),
                average=total / len(bests),
                passed_rounds=sum(1 for b in bests if b.score >= campaign.expert_min_score),
            )
        )
    return _ranked(rows)


def experts_of(campaign: Campaign, *, within: str = "") -> list[PersonRow]:
    """Return the 答题达人 of ``campaign``: those whose best score reached the campaign's score
    line in at least its number of rounds, most such rounds first, then by the board's order."""
    found = [
        row
        for row in campaign_board(campaign, within=within)
        if row.passed_rounds >= campaign.expert_min_rounds
    ]
    found.sort(key=lambda row: (-row.passed_rounds, -row.score, row.seconds))
    for index, row in enumerate(found, start=1):
        row.rank = index
    return found


def unit_board(round_ids: Sequence[int], units: Sequence[OrgUnit]) -> list[UnitRow]:
    """Return, for each of ``units`` (its subtree), participation of its headcount and the
    average of its people's best scores over ``round_ids``, highest rate first."""
    headcounts = unit_headcounts(units=units)
    paths = sorted(((unit.path, unit) for unit in units), key=lambda item: -len(item[0]))
    attempts_by: dict[int, int] = defaultdict(int)
    query = Q()
    for unit in units:
        query |= Q(unit_path__startswith=unit.path)
    rows = Attempt.objects.filter(
        query, round_id__in=list(round_ids), submitted_at__isnull=False
    ).values_list("unit_path", flat=True)
    for unit_path in rows if units else ():
        holder = _unit_of(unit_path, paths)
        if holder is not None:
            attempts_by[holder.pk] += 1
    people: dict[int, set[int]] = defaultdict(set)
    scores: dict[int, list[int]] = defaultdict(list)
    common = _common(units)
    for best in best_of(round_ids, within=common) if units else ():
        holder = _unit_of(best.unit_path, paths)
        if holder is not None:
            people[holder.pk].add(best.person_id)
            scores[holder.pk].append(best.score)
    board = [
        UnitRow(
            unit,
            headcounts.get(unit.pk, 0),
            len(people[unit.pk]),
            attempts_by[unit.pk],
            sum(scores[unit.pk]) / len(scores[unit.pk]) if scores[unit.pk] else None,
        )
        for unit in units
    ]
    board.sort(key=lambda row: (-(row.rate or 0), -(row.average or 0), row.unit.path))
    return board


def _unit_of(path: str, paths: Sequence[tuple[str, OrgUnit]]) -> OrgUnit | None:
    for prefix, unit in paths:
        if path.startswith(prefix):
            return unit
    return None


def _common(units: Sequence[OrgUnit]) -> str:
    if not units:
        return ""
    prefix = str(units[0].path)
    for unit in units[1:]:
        while not unit.path.startswith(prefix):
            prefix = prefix[: -OrgUnit.steplen]
    return prefix


def board_units(unit: OrgUnit) -> list[OrgUnit]:
    """Return the units a board by unit lists under ``unit``: its active children (or itself
    when it has none)."""
    children = list(OrgUnit.objects.get_children(unit).filter(is_active=True).order_by("path"))
    return children or [unit]
