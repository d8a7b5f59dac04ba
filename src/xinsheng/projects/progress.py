"""How a project's progress is worked out from its parts. Pure functions, no ORM."""

from collections.abc import Iterable

FULL = 100


def progress_of(parts: Iterable[tuple[int, int]], *, manual: int) -> int:
    """Return the progress in percent of a project made of ``parts`` (weight, percent each).

    A done milestone counts 100, an open one 0, a sub-project its own progress. Without parts
    (or when all weigh nothing) the figure entered by hand stands.
    """
    total = 0
    weighted = 0
    for weight, percent in parts:
        total += weight
        weighted += weight * min(max(percent, 0), FULL)
    if total == 0:
        return min(max(manual, 0), FULL)
    return weighted // total


def rate(part: int, whole: int) -> float | None:
    """Return ``part`` of ``whole`` in percent, one decimal; None when there is no whole."""
    if whole == 0:
        return None
    return round(part * 100 / whole, 1)
