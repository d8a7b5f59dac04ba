"""Voices about concrete problems, labelled, for measuring and testing hot topics.

The templates are hand-written in ``problems.toml`` (several ways of putting each problem);
``voices(per_problem, seed=…)`` fills them in and adds the one-off voices that belong to no
problem, labelled None. Deterministic for a seed.
"""

import random
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_SLOT = re.compile(r"\{(place|open|close)\}")
_CHOICE = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Problem:
    """One concrete problem: its code, the label a person would give it, its templates."""

    code: str
    label: str
    templates: tuple[str, ...]


@dataclass(frozen=True)
class ProblemSet:
    problems: tuple[Problem, ...]
    shared: dict[str, tuple[str, ...]]
    noise: tuple[str, ...]


@lru_cache(maxsize=1)
def problem_set() -> ProblemSet:
    """Return the problems, the shared words and the one-off voices of ``problems.toml``."""
    data = tomllib.loads((Path(__file__).parent / "problems.toml").read_text(encoding="utf-8"))
    return ProblemSet(
        problems=tuple(
            Problem(item["code"], item["label"], tuple(item["templates"]))
            for item in data["problems"]
        ),
        shared={name: tuple(words) for name, words in data["shared"].items()},
        noise=tuple(text for block in data["noise"] for text in block["texts"]),
    )


def fill(template: str, rng: random.Random, shared: dict[str, tuple[str, ...]]) -> str:
    """Return ``template`` with its slots filled and one alternative of each {a|b} chosen."""
    text = _SLOT.sub(lambda m: rng.choice(shared[m.group(1)]), template)
    while (found := _CHOICE.search(text)) is not None:
        text = text[: found.start()] + rng.choice(found.group(1).split("|")) + text[found.end() :]
    return text


def voices(
    per_problem: int,
    *,
    seed: int = 0,
    codes: tuple[str, ...] | None = None,
    noise: int | None = None,
) -> tuple[list[str], list[str | None]]:
    """Return voices and their problem codes (None: a one-off voice), shuffled.

    ``codes`` limits the problems; ``noise`` is how many one-off voices (default: all of them).
    """
    data = problem_set()
    rng = random.Random(seed)  # noqa: S311 — generated test voices, not secrets
    chosen = [p for p in data.problems if codes is None or p.code in codes]
    rows: list[tuple[str, str | None]] = []
    for problem in chosen:
        seen: set[str] = set()
        for _ in range(per_problem * 20):
            if len(seen) == per_problem:
                break
            text = fill(rng.choice(problem.templates), rng, data.shared)
            if text not in seen:
                seen.add(text)
                rows.append((text, problem.code))
    extra = list(data.noise)
    rng.shuffle(extra)
    rows.extend((text, None) for text in extra[: len(extra) if noise is None else noise])
    rng.shuffle(rows)
    return [text for text, _ in rows], [code for _, code in rows]
