"""The demo's question bank: about 200 questions on coal-mine safety and enterprise affairs,
written from the facts of ``demo_questions.toml`` by several templates (a single choice, a
true statement, a false one with a wrong value, a multiple choice from a set), not copied one
by one."""

import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xinsheng.engage.quizzes.choices import Difficulty, QuestionKind


@dataclass(frozen=True)
class Fact:
    """A fact with one right value and wrong ones: ``stem`` holds ``{}`` where the value goes."""

    tags: tuple[str, ...]
    stem: str
    right: str
    wrong: tuple[str, ...]
    why: str
    difficulty: str = Difficulty.MEDIUM


@dataclass(frozen=True)
class Group:
    """A set whose members are right and others that are not: a multiple-choice question."""

    tags: tuple[str, ...]
    ask: str
    members: tuple[str, ...]
    others: tuple[str, ...]
    why: str


TEXTS = Path(__file__).with_name("demo_questions.toml")


def _texts() -> tuple[list[Fact], list[Group]]:
    data = tomllib.loads(TEXTS.read_text(encoding="utf-8"))
    facts = [
        Fact(tuple(f["tags"]), f["stem"], f["right"], tuple(f["wrong"]), f["why"], f["difficulty"])
        for f in data["fact"]
    ]
    groups = [
        Group(tuple(g["tags"]), g["ask"], tuple(g["members"]), tuple(g["others"]), g["why"])
        for g in data["set"]
    ]
    return facts, groups


LETTERS = "ABCDEF"


@dataclass(frozen=True)
class DemoQuestion:
    """A question of the demo bank, ready for the model."""

    text: str
    kind: str
    options: list[str]
    answer: str
    explanation: str
    tags: list[str]
    difficulty: str


def _single(fact: Fact, rng: random.Random) -> DemoQuestion:
    options = [fact.right, *fact.wrong]
    rng.shuffle(options)
    return DemoQuestion(
        fact.stem.format("（ ）"),
        QuestionKind.SINGLE,
        options,
        LETTERS[options.index(fact.right)],
        fact.why,
        list(fact.tags),
        fact.difficulty,
    )


def _true(fact: Fact) -> DemoQuestion:
    return DemoQuestion(
        fact.stem.format(fact.right),
        QuestionKind.TRUE_FALSE,
        ["正确", "错误"],
        "A",
        fact.why,
        list(fact.tags),
        Difficulty.EASY if fact.difficulty != Difficulty.HARD else Difficulty.MEDIUM,
    )


def _false(fact: Fact, rng: random.Random) -> DemoQuestion:
    wrong = rng.choice(fact.wrong)
    return DemoQuestion(
        fact.stem.format(wrong),
        QuestionKind.TRUE_FALSE,
        ["正确", "错误"],
        "B",
        fact.why,
        list(fact.tags),
        fact.difficulty,
    )


def _multiple(group: Group, rng: random.Random, take: int) -> DemoQuestion:
    right = rng.sample(group.members, min(take, len(group.members)))
    wrong = rng.sample(group.others, min(len(group.others), max(1, 4 - len(right))))
    options = [*right, *wrong]
    rng.shuffle(options)
    answer = "".join(sorted(LETTERS[options.index(word)] for word in right))
    ask = f"{group.ask}（ ）。" if take >= len(group.members) else f"下列选项中，{group.ask}（ ）。"
    return DemoQuestion(
        ask,
        QuestionKind.MULTIPLE,
        options,
        answer,
        group.why,
        list(group.tags),
        Difficulty.HARD if len(right) > 3 else Difficulty.MEDIUM,
    )


def demo_questions(rng: random.Random) -> Iterator[DemoQuestion]:
    """Yield the demo bank: three questions of each fact and three of each set."""
    facts, groups = _texts()
    for fact in facts:
        yield _single(fact, rng)
        yield _true(fact)
        yield _false(fact, rng)
    for group in groups:
        seen = set()
        for take in (len(group.members), 2, 3):
            question = _multiple(group, rng, take)
            if (question.text, tuple(question.options)) not in seen:
                seen.add((question.text, tuple(question.options)))
                yield question
