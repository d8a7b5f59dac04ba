"""The near-duplicate index of recent voices, held in each process and kept current.

A process starts from the newest ``SimilarSnapshot`` (written by a periodic task) or, without
one, from the cases themselves; before each lookup it adds the cases that arrived since, with one
query on the primary key, so a voice can be found the moment it is saved. The index holds the
voices of the last ``RECENT_DAYS`` that were neither rejected nor merged; a case rejected or
merged after it was indexed is dropped when a lookup meets it (every match is read back from the
database before it is shown).
"""

import datetime as dt
import logging
import secrets
import threading

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone

from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case
from xinsheng.insight.models import SimilarSnapshot
from xinsheng.insight.nlp.similar import SimilarIndex

logger = logging.getLogger(__name__)

RECENT_DAYS = 365
CATCH_UP_BATCH = 5000
SNAPSHOTS_KEPT = 2

_lock = threading.Lock()
_index: SimilarIndex | None = None
_last_case_id = 0


def indexable_cases() -> QuerySet[Case]:
    """Return the cases the index holds: recent, neither rejected nor merged."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    return Case.objects.filter(created_at__gte=since, merged_into__isnull=True).exclude(
        status=CaseStatus.REJECTED
    )


def _catch_up(index: SimilarIndex, after: int) -> int:
    """Add the indexable cases with an id above ``after``; return the highest id seen."""
    last = after
    while True:
        rows = list(
            indexable_cases()
            .filter(id__gt=last)
            .order_by("id")
            .values_list("id", "text")[:CATCH_UP_BATCH]
        )
        if not rows:
            return last
        index.add_many(rows)
        last = rows[-1][0]


def index_current() -> SimilarIndex:
    """Return this process's index with every case saved so far added."""
    global _index, _last_case_id
    with _lock:
        if _index is None:
            snapshot = SimilarSnapshot.objects.order_by("-last_case_id").first()
            if snapshot is not None:
                with snapshot.file.open("rb") as stored:
                    _index = SimilarIndex.from_bytes(stored.read())
                _last_case_id = snapshot.last_case_id
            else:
                _index = SimilarIndex()
                _last_case_id = 0
        _last_case_id = _catch_up(_index, _last_case_id)
        return _index


def index_forget(case_id: int) -> None:
    """Drop one case from this process's index (it was rejected, merged or deleted)."""
    with _lock:
        if _index is not None and case_id in _index:
            _index.remove(case_id)


def index_reset() -> None:
    """Forget this process's index; the next lookup loads the snapshot or builds it again."""
    global _index, _last_case_id
    with _lock:
        _index = None
        _last_case_id = 0


def snapshot_write() -> SimilarSnapshot:
    """Build the index afresh from the indexable cases and store it as the newest snapshot."""
    index = SimilarIndex()
    last = _catch_up(index, 0)
    snapshot = SimilarSnapshot(last_case_id=last, size=len(index))
    snapshot.file.save(f"{secrets.token_hex(8)}.npz", ContentFile(index.to_bytes()), save=True)
    ids = SimilarSnapshot.objects.order_by("-last_case_id").values_list("id", flat=True)
    for stale in SimilarSnapshot.objects.filter(id__in=list(ids[SNAPSHOTS_KEPT:])):
        stale.file.delete(save=False)
        stale.delete()
    logger.info("similar-voices snapshot: %s cases up to id %s", len(index), last)
    return snapshot
