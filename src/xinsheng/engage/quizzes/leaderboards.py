"""Leaderboards: per round and across a campaign, by person and by unit, and the 答题达人 list.

A person's result in a round is their best submitted attempt (highest score, then the shortest
time; of equal ones the latest started). Boards rank by score, then time: equal score and time
share a rank. A unit's row counts the people of its subtree who took part against its headcount,
and averages their best scores.

The bests are picked by the database (a window over each person's attempts in a round), read as
plain columns with the name, employee number and unit name a board shows; the attempts of a
board by unit are counted by the database per unit path.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from xinsheng.engage.quizzes.models import Attempt, Campaign, Round
from xinsheng.org.models import OrgUnit
from xinsheng.org.selectors import unit_headcounts


class Best(NamedTuple):
    """A person's best submitted attempt in one round."""

    person_id: int
    round_id: int
    unit_path: str
    score: int
    correct: int
    seconds: int
    attempts: int  # submitted attempts of the person in the round


class UnitName(NamedTuple):
    """The unit of a board's person: its name, as a board shows it."""

    name: str


class Entrant(NamedTuple):
    """The person of a board's line: what a board shows of them."""

    pk: int
    name: str
    employee_no: str
    unit: UnitName


@dataclass(slots=True)
class PersonRow:
    """A line of a board by person."""

    rank: int
    person: Entrant
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


_BEST_COLUMNS = ("person_id", "round_id", "unit_path", "score", "correct", "seconds", "attempts")
_BOARD_COLUMNS = (*_BEST_COLUMNS, "person__name", "person__employee_no", "person__unit__name")


def _bests(round_ids: Sequence[int], within: str, columns: Sequence[str]) -> QuerySet[Attempt, Any]:
    """Return the ``columns`` of each person's best scored attempt in each of ``round_ids``
    (``attempts``: the person's submitted attempts in the round)."""
    rows = Attempt.objects.filter(
        round_id__in=list(round_ids),
        submitted_at__isnull=False,
        # the constraint says a submitted attempt is scored
        score__isnull=False,
        correct__isnull=False,
        seconds__isnull=False,
    )
    if within:
        rows = rows.filter(unit_path__startswith=within)
    each = [F("person_id"), F("round_id")]
    return (
        rows.order_by()
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=each,
                order_by=[
                    F("score").desc(),
                    F("seconds").asc(),
                    F("started_at").desc(),
                    F("id").desc(),
                ],
            ),
            attempts=Window(Count("id"), partition_by=each),
        )
        .filter(place=1)
        .values_list(*columns)
    )


def best_of(round_ids: Sequence[int], *, within: str = "") -> list[Best]:
    """Return every person's best submitted attempt in each of ``round_ids`` (in a subtree)."""
    if not round_ids:
        return []
    return [Best._make(row) for row in _bests(round_ids, within, _BEST_COLUMNS)]


def _ranked(rows: list[PersonRow]) -> list[PersonRow]:
    rows.sort(key=lambda row: (-row.score, row.seconds, row.person.employee_no))
    previous: tuple[int, int] | None = None
    for index, row in enumerate(rows, start=1):
        if (row.score, row.seconds) != previous:
            rank = index
            previous = (row.score, row.seconds)
        row.rank = rank
    return rows


def round_board(quiz_round: Round, *, within: str = "") -> list[PersonRow]:
    """Return the board of ``quiz_round`` by person: best score, then shortest time."""
    units: dict[str, UnitName] = {}
    rows = []
    for person_id, _r, _p, score, correct, seconds, attempts, name, number, unit in _bests(
        [quiz_round.pk], within, _BOARD_COLUMNS
    ):
        shown = units.get(unit) or units.setdefault(unit, UnitName(unit))
        rows.append(
            PersonRow(
                0,
                Entrant(person_id, name, number, shown),
                score,
                seconds,
                correct=correct,
                attempts=attempts,
                average=float(score),
            )
        )
    return _ranked(rows)


def campaign_board(campaign: Campaign, *, within: str = "") -> list[PersonRow]:
    """Return the board of ``campaign`` by person: the total of the best score of each round
    taken, then the total time; with the rounds at or over the 达人 score."""
    round_ids = list(campaign.rounds.values_list("id", flat=True))
    if not round_ids:
        return []
    line = campaign.expert_min_score
    units: dict[str, UnitName] = {}
    rows: dict[int, PersonRow] = {}
    for person_id, _r, _p, score, correct, seconds, attempts, name, number, unit in _bests(
        round_ids, within, _BOARD_COLUMNS
    ):
        row = rows.get(person_id)
        if row is None:
            shown = units.get(unit) or units.setdefault(unit, UnitName(unit))
            rows[person_id] = PersonRow(
                0,
                Entrant(person_id, name, number, shown),
                score,
                seconds,
                rounds=1,
                correct=correct,
                attempts=attempts,
                passed_rounds=int(score >= line),
            )
        else:
            row.score += score
            row.seconds += seconds
            row.rounds += 1
            row.correct += correct
            row.attempts += attempts
            row.passed_rounds += int(score >= line)
    for row in rows.values():
        row.average = row.score / row.rounds
    return _ranked(list(rows.values()))


def experts_of(campaign: Campaign, *, within: str = "") -> list[PersonRow]:
    """Return the 答题达人 of ``campaign``: those whose best score reached the campaign's score
    line in at least its number of rounds, most such rounds first, then by the board's order."""
    return experts_among(campaign, campaign_board(campaign, within=within))


def experts_among(campaign: Campaign, board: Sequence[PersonRow]) -> list[PersonRow]:
    """Return the 答题达人 of ``campaign`` from its ``board`` already built (as ``experts_of``
    does; new rows, numbered in their own order, the board's left as they are)."""
    found = sorted(
        (row for row in board if row.passed_rounds >= campaign.expert_min_rounds),
        key=lambda row: (-row.passed_rounds, -row.score, row.seconds),
    )
    return [replace(row, rank=index) for index, row in enumerate(found, start=1)]


def unit_board(round_ids: Sequence[int], units: Sequence[OrgUnit]) -> list[UnitRow]:
    """Return, for each of ``units`` (its subtree), participation of its headcount and the
    average of its people's best scores over ``round_ids``, highest rate first."""
    headcounts = unit_headcounts(units=units)
    attempts_by: dict[int, int] = defaultdict(int)
    people: dict[int, set[int]] = defaultdict(set)
    scores: dict[int, list[int]] = defaultdict(list)
    if units and round_ids:
        paths = sorted(((unit.path, unit) for unit in units), key=lambda item: -len(item[0]))
        holders: dict[str, OrgUnit | None] = {}  # an attempt's unit path → the unit it counts to

        def holder_of(path: str) -> OrgUnit | None:
            if path not in holders:
                holders[path] = _unit_of(path, paths)
            return holders[path]

        query = Q()
        for unit in units:
            query |= Q(unit_path__startswith=unit.path)
        counted = (
            Attempt.objects.filter(query, round_id__in=list(round_ids), submitted_at__isnull=False)
            .order_by()
            .values("unit_path")
            .annotate(n=Count("id"))
            .values_list("unit_path", "n")
        )
        for unit_path, n in counted:
            holder = holder_of(unit_path)
            if holder is not None:
                attempts_by[holder.pk] += n
        bests = _bests(round_ids, _common(units), ("person_id", "unit_path", "score"))
        for person_id, unit_path, score in bests:
            holder = holder_of(unit_path)
            if holder is not None:
                people[holder.pk].add(person_id)
                scores[holder.pk].append(score)
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
