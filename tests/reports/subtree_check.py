"""An independent check of the stored subtree sums: each is the sum of its subtree's unit rows."""

from collections import Counter, defaultdict
from typing import Any

from xinsheng.org.models import OrgUnit
from xinsheng.reports.models import (
    COUNTERS,
    CaseFigure,
    SubtreeBreakdown,
    SubtreeFigures,
    UnitBreakdown,
    UnitFigures,
)


def expected_subtree_rows() -> tuple[dict[Any, tuple[int, ...]], dict[Any, int]]:
    """Return what every subtree row should hold, summed in Python from the unit rows."""
    units = list(OrgUnit.objects.values_list("id", "path"))
    figures: dict[Any, list[int]] = defaultdict(lambda: [0] * len(COUNTERS))
    for grain, start, path, *counts in UnitFigures.objects.values_list(
        "grain", "start", "path", *COUNTERS
    ):
        for unit_id, unit_path in units:
            if path.startswith(unit_path):
                total = figures[(unit_id, grain, start)]
                for index, value in enumerate(counts):
                    total[index] += value
    parts: Counter[Any] = Counter()
    for grain, start, path, dimension, key, cases in UnitBreakdown.objects.values_list(
        "grain", "start", "path", "dimension", "key", "cases"
    ):
        for unit_id, unit_path in units:
            if path.startswith(unit_path):
                parts[(unit_id, grain, start, dimension, key)] += cases
    return {k: tuple(v) for k, v in figures.items()}, dict(parts)


def stored_subtree_rows() -> tuple[dict[Any, tuple[int, ...]], dict[Any, int]]:
    """Return the stored subtree rows, keyed as ``expected_subtree_rows`` keys them."""
    figures = {
        (unit, grain, start): tuple(counts)
        for unit, grain, start, *counts in SubtreeFigures.objects.values_list(
            "unit", "grain", "start", *COUNTERS
        )
    }
    parts = {
        (unit, grain, start, dimension, key): cases
        for unit, grain, start, dimension, key, cases in SubtreeBreakdown.objects.values_list(
            "unit", "grain", "start", "dimension", "key", "cases"
        )
    }
    return figures, parts


def assert_subtree_rows_exact() -> None:
    """Every stored subtree row is the sum of its subtree's unit rows, and none is missing."""
    expected_figures, expected_parts = expected_subtree_rows()
    figures, parts = stored_subtree_rows()
    assert expected_figures, "no unit rows to check against"
    assert figures == expected_figures
    assert parts == expected_parts
    paths = dict(OrgUnit.objects.values_list("id", "path"))
    assert all(
        path == paths[unit] for unit, path in SubtreeFigures.objects.values_list("unit", "path")
    )


def stored_figure_rows() -> tuple[Any, ...]:
    """Return every stored figure row: units', breakdowns', cases' and subtrees'."""
    figures_rows = set(UnitFigures.objects.values_list("grain", "start", "unit", *COUNTERS))
    parts = set(
        UnitBreakdown.objects.values_list("grain", "start", "unit", "dimension", "key", "cases")
    )
    facts = set(CaseFigure.objects.values_list("case", "unit", "day", *COUNTERS))
    return figures_rows, parts, facts, *stored_subtree_rows()
