"""The near-duplicate index of recent voices, held in each process and kept current.

A process starts from the newest ``SimilarSnapshot`` (written by a periodic task) or, without
one, from the cases themselves; before each lookup it adds the cases that arrived since, with one
query on the primary key, so a voice can be found the moment it is saved — whichever server or
process took it. The index holds the voices of the last ``RECENT_DAYS`` that were neither
rejected nor merged; a case rejected or merged after it was indexed is dropped when a lookup
meets it (every match is read back from the database before it is shown).

Case ids are handed out before their transactions commit, so a case can become visible after
one with a higher id (two servers taking voices at once, or a long import): ids missing below
the newest one seen are kept as gaps and looked for again before each lookup until they appear
or ``GAP_SECONDS`` pass (a rolled-back transaction leaves a gap that never fills). A process
started from a snapshot looks again at the newest ids the snapshot covers, for the same reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case
from xinsheng.insight.models import SimilarSnapshot

if TYPE_CHECKING:  # numpy is imported with the index, where a lookup first needs it
    from xinsheng.insight.nlp.similar import SimilarIndex

logger = logging.getLogger(__name__)

RECENT_DAYS = 365
CATCH_UP_BATCH = 5000
SNAPSHOTS_KEPT = 2
# How long a missing case id is looked for again: longer than any transaction that writes cases
# (a large ledger import included).
GAP_SECONDS = 15 * 60
MAX_GAPS = 200  # id ranges remembered; the oldest are dropped beyond this

Gap = tuple[int, int, float]  # lowest and highest id missing, and when first missed (monotonic)

_lock = threading.Lock()
_index: SimilarIndex | None = None
_last_case_id = 0
_gaps: list[Gap] = []


def _indexable_q() -> Q:
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    return Q(created_at__gte=since, merged_into__isnull=True) & ~Q(status=CaseStatus.REJECTED)


def indexable_cases() -> QuerySet[Case]:
    """Return the cases the index holds: recent, neither rejected nor merged."""
    return Case.objects.filter(_indexable_q())


def _add(index: SimilarIndex, where: Q) -> list[int]:
    """Add the indexable cases among those ``where`` selects (the first ``CATCH_UP_BATCH`` by id)
    that the index lacks; return the ids of all of them."""
    rows = list(
        Case.objects.filter(where)
        .annotate(indexable=ExpressionWrapper(_indexable_q(), output_field=BooleanField()))
        .order_by("id")
        .values_list("id", "text", "indexable")[:CATCH_UP_BATCH]
    )
    index.add_many((i, text) for i, text, indexable in rows if indexable and i not in index)
    return [case_id for case_id, _text, _indexable in rows]


def _missing(low: int, high: int, present: Sequence[int]) -> list[tuple[int, int]]:
    """Return the ranges of ids in ``low..high`` that are not in sorted ``present``."""
    ranges = []
    expected = low
    for value in present:
        if low <= value <= high:
            if value > expected:
                ranges.append((expected, value - 1))
            expected = max(expected, value + 1)
    if expected <= high:
        ranges.append((expected, high))
    return ranges


def _catch_up(index: SimilarIndex, after: int, gaps: list[Gap]) -> int:
    """Add the indexable cases with an id above ``after``; return the highest id seen.

    The ids missing below it are appended to ``gaps``.
    """
    last = after
    while ids := _add(index, Q(id__gt=last)):
        now = time.monotonic()
        gaps.extend((low, high, now) for low, high in _missing(last + 1, ids[-1], ids))
        last = ids[-1]
    return last


def _gaps_fill(index: SimilarIndex, gaps: list[Gap]) -> list[Gap]:
    """Add the cases that appeared in ``gaps``; return the gaps still open and not expired."""
    now = time.monotonic()
    open_gaps = [gap for gap in gaps if now - gap[2] <= GAP_SECONDS]
    if not open_gaps:
        return []
    where = Q()
    for low, high, _seen in open_gaps:
        where |= Q(id__gte=low, id__lte=high)
    found = _add(index, where)
    return [
        (low, high, seen)
        for gap_low, gap_high, seen in open_gaps
        for low, high in _missing(gap_low, gap_high, found)
    ]


def _snapshot_load(snapshot: SimilarSnapshot, gaps: list[Gap]) -> SimilarIndex:
    """Return the snapshot's index with the cases it may have missed added.

    A case whose transaction was still open while the snapshot was built is missing from it
    though its id is below ``last_case_id``: the newest ``CATCH_UP_BATCH`` ids up to it are
    looked at again, and those still missing are appended to ``gaps``.
    """
    from xinsheng.insight.nlp.similar import SimilarIndex

    with snapshot.file.open("rb") as stored:
        index = SimilarIndex.from_bytes(stored.read())
    last = snapshot.last_case_id
    low = max(1, last - CATCH_UP_BATCH + 1)
    present = _add(index, Q(id__gte=low, id__lte=last))
    now = time.monotonic()
    gaps.extend((gap_low, gap_high, now) for gap_low, gap_high in _missing(low, last, present))
    return index


def index_current() -> SimilarIndex:
    """Return this process's index with every case saved so far added."""
    global _index, _last_case_id, _gaps
    with _lock:
        if _index is None:
            from xinsheng.insight.nlp.similar import SimilarIndex

            _gaps = []
            snapshot = SimilarSnapshot.objects.order_by("-last_case_id").first()
            _index = SimilarIndex() if snapshot is None else _snapshot_load(snapshot, _gaps)
            _last_case_id = 0 if snapshot is None else snapshot.last_case_id
        _gaps = _gaps_fill(_index, _gaps)
        _last_case_id = _catch_up(_index, _last_case_id, _gaps)
        _gaps = _gaps[-MAX_GAPS:]
        return _index


def index_forget(case_id: int) -> None:
    """Drop one case from this process's index (it was rejected, merged or deleted)."""
    with _lock:
        if _index is not None and case_id in _index:
            _index.remove(case_id)


def index_reset() -> None:
    """Forget this process's index; the next lookup loads the snapshot or builds it again."""
    global _index, _last_case_id, _gaps
    with _lock:
        _index = None
        _last_case_id = 0
        _gaps = []


def snapshot_write() -> SimilarSnapshot:
    """Build the index afresh from the indexable cases and store it as the newest snapshot."""
    from xinsheng.insight.nlp.similar import SimilarIndex

    index = SimilarIndex()
    last = _catch_up(index, 0, [])
    snapshot = SimilarSnapshot(last_case_id=last, size=len(index))
    snapshot.file.save(f"{secrets.token_hex(8)}.npz", ContentFile(index.to_bytes()), save=True)
    ids = SimilarSnapshot.objects.order_by("-last_case_id").values_list("id", flat=True)
    for stale in SimilarSnapshot.objects.filter(id__in=list(ids[SNAPSHOTS_KEPT:])):
        stale.file.delete(save=False)
        stale.delete()
    logger.info("similar-voices snapshot: %s cases up to id %s", len(index), last)
    return snapshot
