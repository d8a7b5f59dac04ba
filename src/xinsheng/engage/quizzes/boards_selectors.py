"""The reads of the public boards: a round or a campaign whose board anyone may see, and the
results of the person whose attempt is named.

A round's board is public once the round has opened (before that the organiser may still be
preparing it: not found); a campaign's once one of its rounds has.
"""

import datetime as dt
from dataclasses import dataclass

from xinsheng.core.errors import NotFound
from xinsheng.engage.quizzes.models import Attempt, Campaign, Round


def round_board_get(round_id: int, *, now: dt.datetime) -> Round:
    """Return the round ``round_id`` if it has opened; ``NotFound`` otherwise."""
    found = (
        Round.objects.select_related("campaign", "unit")
        .filter(pk=round_id, opens_at__lte=now)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def campaign_board_get(campaign_id: int, *, now: dt.datetime) -> Campaign:
    """Return the campaign ``campaign_id`` if one of its rounds has opened; ``NotFound``
    otherwise."""
    found = (
        Campaign.objects.select_related("unit")
        .filter(pk=campaign_id, rounds__opens_at__lte=now)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def rounds_opened(campaign: Campaign, *, now: dt.datetime) -> list[Round]:
    """Return the rounds of ``campaign`` that have opened, in order."""
    return list(campaign.rounds.filter(opens_at__lte=now).order_by("number"))


@dataclass(frozen=True)
class Results:
    """The best result, in each round asked about, of the person whose attempt was named."""

    person_id: int
    bests: dict[int, tuple[int, int]]  # round id → (score, seconds) of the best attempt

    @property
    def score(self) -> int:
        """Return the total of the best scores."""
        return sum(score for score, _seconds in self.bests.values())

    @property
    def seconds(self) -> int:
        """Return the total time of the best attempts."""
        return sum(seconds for _score, seconds in self.bests.values())


def round_ids_of(campaign: Campaign) -> list[int]:
    """Return the ids of every round of ``campaign``."""
    return list(campaign.rounds.values_list("id", flat=True))


def results_of_attempt(key: str, round_ids: list[int], *, campaign: Campaign) -> Results | None:
    """Return the best submitted results, in ``round_ids``, of the person whose submitted
    attempt at a round of ``campaign`` is ``key``; None when ``key`` names no such attempt.

    Best means as the boards say: highest score, then shortest time."""
    person_id = (
        Attempt.objects.filter(
            key=str(key)[:32], round__campaign=campaign, submitted_at__isnull=False
        )
        .values_list("person_id", flat=True)
        .first()
    )
    if person_id is None:
        return None
    bests: dict[int, tuple[int, int]] = {}
    for round_id, score, seconds in Attempt.objects.filter(
        person_id=person_id, round_id__in=round_ids, submitted_at__isnull=False
    ).values_list("round_id", "score", "seconds"):
        if score is None or seconds is None:
            continue  # the constraint says a submitted attempt is scored
        held = bests.get(round_id)
        if held is None or (score, -seconds) > (held[0], -held[1]):
            bests[round_id] = (score, seconds)
    return Results(person_id, bests)
