"""The public boards of quizzes, as an employee's phone shows them: a round's and a campaign's
board by person (the first ``BOARD_SHOWN``) and by unit, and the campaign's 答题达人.

Names follow the organiser's choice exactly as on the staff pages (``Round.show_names`` for a
round, ``Campaign.show_names`` for a campaign; otherwise the surname only), employee numbers
never show, and the 答题达人 list, a commendation, names them. Nothing here holds an answer.

A board is built from ``leaderboards`` and kept in the cache, per round or campaign and per
naming choice (so hiding names takes effect at once): after a round many phones read the same
board at once, and one a few seconds old serves them all. It is fresh for ``BOARD_SECONDS``;
after that the first reader builds it again while the others, on any worker, are served the
board kept until it is replaced, so that a large board is built once at a time, not by every
worker at once. For "your own place" it keeps every participant's result as one sortable
number, so that the place of a result is found without building the board again.
"""

import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.cache import cache

from xinsheng.engage.quizzes import boards_selectors, leaderboards
from xinsheng.engage.quizzes.boards_selectors import Results
from xinsheng.engage.quizzes.models import Campaign, Round
from xinsheng.engage.quizzes.names import shown_name

BOARD_SHOWN = 50  # people listed on a public board
EXPERTS_SHOWN = 500  # 答题达人 listed on a campaign's public board
BOARD_SECONDS = 30  # how long a built board is fresh
BOARD_KEPT_SECONDS = 600  # how long it may still be served while a fresh one is being built
BUILD_SECONDS = 120  # how long one reader may take to build it before another may try
_SECONDS_SPAN = 1 << 32  # more than any total time: the order key is -score, then seconds


@dataclass(frozen=True)
class Line:
    """A line of a board by person, as shown."""

    rank: int
    name: str
    unit: str
    score: int  # the round's best, or the campaign's total of each round's best
    seconds: int
    rounds: int
    person_id: int  # to mark the reader's own line; never shown


@dataclass(frozen=True)
class UnitLine:
    """A line of a board by unit, as shown."""

    name: str
    headcount: int
    people: int
    attempts: int
    rate: int | None  # per cent of the headcount who took part
    average: float | None


@dataclass(frozen=True)
class Expert:
    """A 答题达人 of a campaign, as shown."""

    rank: int
    name: str
    unit: str
    passed_rounds: int
    average: float


@dataclass(frozen=True)
class Place:
    """Where the reader's own result stands on a board."""

    rank: int
    people: int
    score: int
    seconds: int
    rounds: int
    person_id: int


@dataclass(frozen=True)
class Board:
    """A public board, as kept in the cache."""

    people: int
    lines: tuple[Line, ...]
    units: tuple[UnitLine, ...]
    order: array  # type: ignore[type-arg]  # every result's order key, best first
    experts: tuple[Expert, ...] = ()
    expert_count: int = 0

    def place_of(self, results: Results) -> Place | None:
        """Return the place of ``results`` on this board (None without any result)."""
        if not results.bests:
            return None
        rank = bisect_left(self.order, _order_key(results.score, results.seconds)) + 1
        return Place(
            rank,
            max(self.people, rank),  # a result newer than the board counts too
            results.score,
            results.seconds,
            len(results.bests),
            results.person_id,
        )


def _order_key(score: int, seconds: int) -> int:
    return -score * _SECONDS_SPAN + seconds


def _lines(rows: Sequence[leaderboards.PersonRow], *, full: bool) -> tuple[Line, ...]:
    return tuple(
        Line(
            row.rank,
            shown_name(row.person.name, full=full),
            row.person.unit.name,
            row.score,
            row.seconds,
            row.rounds,
            row.person.pk,
        )
        for row in rows[:BOARD_SHOWN]
    )


def _unit_lines(rows: Sequence[leaderboards.UnitRow]) -> tuple[UnitLine, ...]:
    return tuple(
        UnitLine(
            row.unit.name,
            row.headcount,
            row.people,
            row.attempts,
            None if row.rate is None else round(row.rate * 100),
            row.average,
        )
        for row in rows
    )


def _order(rows: Sequence[leaderboards.PersonRow]) -> array:  # type: ignore[type-arg]
    return array("q", sorted(_order_key(row.score, row.seconds) for row in rows))


def _experts(campaign: Campaign, rows: Sequence[leaderboards.PersonRow]) -> tuple[Expert, ...]:
    """Return the 答题达人 of ``campaign`` from its board ``rows`` already built, without
    building the board a second time."""
    return tuple(
        Expert(row.rank, row.person.name, row.person.unit.name, row.passed_rounds, row.average)
        for row in leaderboards.experts_among(campaign, rows)
    )


def _kept(key: str, build: Callable[[], Board]) -> Board:
    """Return the board kept under ``key`` while fresh (or while another reader builds it
    again); else build it with ``build`` and keep it."""
    held: tuple[float, Board] | None = cache.get(key)
    if held is not None:
        built_at, board = held
        fresh = time.time() - built_at < BOARD_SECONDS
        if fresh or not cache.add(f"{key}:building", 1, timeout=BUILD_SECONDS):
            return board
    try:
        board = build()
        cache.set(key, (time.time(), board), timeout=BOARD_KEPT_SECONDS)
    finally:
        if held is not None:
            cache.delete(f"{key}:building")
    return board


def round_board(quiz_round: Round) -> Board:
    """Return the public board of ``quiz_round`` (from the cache when built lately)."""

    def build() -> Board:
        rows = leaderboards.round_board(quiz_round)
        units = leaderboards.unit_board([quiz_round.pk], leaderboards.board_units(quiz_round.unit))
        return Board(
            len(rows), _lines(rows, full=quiz_round.show_names), _unit_lines(units), _order(rows)
        )

    return _kept(f"quiz-board:round:{quiz_round.pk}:{int(quiz_round.show_names)}", build)


def campaign_board(campaign: Campaign) -> Board:
    """Return the public board of ``campaign`` across its rounds, with its 答题达人 (from the
    cache when built lately)."""

    def build() -> Board:
        rows = leaderboards.campaign_board(campaign)
        units = leaderboards.unit_board(
            boards_selectors.round_ids_of(campaign), leaderboards.board_units(campaign.unit)
        )
        experts = _experts(campaign, rows)
        return Board(
            len(rows),
            _lines(rows, full=campaign.show_names),
            _unit_lines(units),
            _order(rows),
            experts[:EXPERTS_SHOWN],
            len(experts),
        )

    return _kept(f"quiz-board:campaign:{campaign.pk}:{int(campaign.show_names)}", build)
