"""Background work of text insight: retraining the category model, refreshing the index snapshot.

The work that loads the text tools (scikit-learn, scipy, numpy) runs in a child process
(``run_apart``): the task worker lives for weeks and would keep them all that time.
"""

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from xinsheng.core.child_process import run_apart
from xinsheng.core.errors import InvalidInput
from xinsheng.insight import services, similar_store
from xinsheng.insight.models import SimilarSnapshot, TopicRun, TrainedModel
from xinsheng.org.models import OrgUnit

logger = logging.getLogger(__name__)

SNAPSHOT_EVERY = 1000  # new cases before the index snapshot is written again


@task()
def model_retrain(force: bool = False) -> str:
    """Train a new category model when enough new labels arrived (or when asked: ``force``).

    An active version trained before its plain form was kept gets it first, so that web
    workers predict without scikit-learn.
    """
    if TrainedModel.objects.filter(is_active=True, plain=b"").exists():
        version = run_apart(services.model_plain_fill)
        logger.info("category model v%s: plain form written", version)
    if not force and not services.retrain_due():
        return "not due"
    try:
        stored = services.model_train(actor=None)
    except InvalidInput as error:
        logger.info("category model not trained: %s", error.message)
        return "not enough labels"
    return f"v{stored.version} {'active' if stored.is_active else 'kept inactive'}"


@task()
def similar_snapshot() -> str:
    """Write a new snapshot of the near-duplicate index when enough new cases arrived."""
    last = SimilarSnapshot.objects.order_by("-last_case_id").values_list("last_case_id", flat=True)
    since = last.first() or 0
    if similar_store.indexable_cases().filter(id__gt=since).count() < SNAPSHOT_EVERY and since:
        return "not due"
    return f"{run_apart(snapshot_write_size)} cases"


def snapshot_write_size() -> int:
    """Write a new snapshot (``snapshot_write``: numpy, and the whole index in memory for a
    while); return how many cases it holds."""
    return similar_store.snapshot_write().size


@task()
def topics_monthly() -> str:
    """Keep this month's hot topics of every company fresh: a new run once a day (每月一题)."""
    today = timezone.localdate()
    start = today.replace(day=1)
    made = 0
    for company in OrgUnit.objects.filter(depth__lte=2, is_active=True):
        recent = TopicRun.objects.filter(
            unit=company,
            start=start,
            requested_at__gte=timezone.now() - dt.timedelta(days=1),
        ).exclude(status=TopicRun.Status.FAILED)
        if not recent.exists():
            services.topics_request(actor=None, unit=company, start=start, end=today)
            made += 1
    return f"{made} runs queued"


PERIODIC = (model_retrain, similar_snapshot, topics_monthly)
