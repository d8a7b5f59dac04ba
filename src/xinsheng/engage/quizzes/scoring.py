"""Drawing the questions of an attempt and scoring its answers: plain Python, no database."""

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from xinsheng.engage.quizzes.models import LETTERS


@dataclass(frozen=True)
class BankEntry:
    """What drawing needs to know of a question."""

    id: int
    tags: tuple[str, ...]
    difficulty: str


@dataclass(frozen=True)
class DrawRule:
    """Draw ``count`` questions of ``tag`` (any when empty) and ``difficulty`` (any when empty)."""

    tag: str
    difficulty: str
    count: int

    def fits(self, entry: BankEntry) -> bool:
        """Return whether ``entry`` may be drawn by this rule."""
        return (not self.tag or self.tag in entry.tags) and (
            not self.difficulty or self.difficulty == entry.difficulty
        )


def rules_of(draw: Iterable[Mapping[str, object]]) -> list[DrawRule]:
    """Return the rules of a round's ``draw``."""
    return [
        DrawRule(
            str(rule.get("tag") or ""), str(rule.get("difficulty") or ""), int(str(rule["count"]))
        )
        for rule in draw
    ]


def shortfalls(rules: Sequence[DrawRule], bank: Sequence[BankEntry]) -> list[tuple[DrawRule, int]]:
    """Return the rules the bank cannot fill (each with how many it has), drawing them in order
    so that no question is counted twice. The most specific rules are filled first."""
    taken: set[int] = set()
    short = []
    for rule in _specific_first(rules):
        fitting = [entry.id for entry in bank if entry.id not in taken and rule.fits(entry)]
        if len(fitting) < rule.count:
            short.append((rule, len(fitting)))
        taken.update(fitting[: rule.count])
    return short


def _specific_first(rules: Sequence[DrawRule]) -> list[DrawRule]:
    return sorted(rules, key=lambda rule: (not rule.tag, not rule.difficulty))


Pools = list[tuple[int, list[int]]]


def pools_of(rules: Sequence[DrawRule], bank: Sequence[BankEntry]) -> Pools:
    """Return, most specific rule first, how many each rule draws and the ids it may draw."""
    return [
        (rule.count, [entry.id for entry in bank if rule.fits(entry)])
        for rule in _specific_first(rules)
    ]


def draw_from(pools: Pools, rng: random.Random) -> list[int]:
    """Return question ids drawn at random from ``pools``, no question twice, shuffled."""
    taken: set[int] = set()
    drawn: list[int] = []
    for count, ids in pools:
        fitting = [pk for pk in ids if pk not in taken] if taken else ids
        chosen = rng.sample(fitting, min(count, len(fitting)))
        taken.update(chosen)
        drawn.extend(chosen)
    rng.shuffle(drawn)
    return drawn


def draw(rules: Sequence[DrawRule], bank: Sequence[BankEntry], rng: random.Random) -> list[int]:
    """Return question ids drawn at random by ``rules``, no question twice, in shuffled order."""
    return draw_from(pools_of(rules, bank), rng)


# Each letter, in either case, as the answer it cleans to and its position among the options.
_SINGLE_LETTERS = {
    form: (letter, index)
    for index, letter in enumerate(LETTERS)
    for form in (letter, letter.lower())
}


def answer_clean(value: object, option_count: int) -> str:
    """Return an answer as sorted, distinct letters within the question's options ("" if none).

    Takes "B", "a,c", ["A", "C"]; letters beyond the options raise ``ValueError``.
    """
    if value is None:
        return ""
    single = _SINGLE_LETTERS.get(value) if isinstance(value, str) else None
    if single is not None and single[1] < option_count:  # the usual answer: one letter
        return single[0]
    text = "".join(str(part) for part in value) if isinstance(value, list | tuple) else str(value)
    letters = {char for char in text.upper() if not char.isspace() and char not in ",，、;"}
    allowed = set(LETTERS[:option_count])
    if letters - allowed:
        raise ValueError(text)
    return "".join(sorted(letters))


def score_of(correct: int, total: int) -> int:
    """Return the score out of 100 of ``correct`` answers of ``total``, rounded half up."""
    if total <= 0:
        return 0
    return (correct * 200 + total) // (total * 2)
