"""The demo's text insight: a category model trained on the demo's confirmed categories, and the
hot topics of the last three months of every company, so that both show on the first visits.

Both are queued for the task worker, which ``xinsheng demo --serve`` starts once the web server
answers: the demo is served without waiting for them (a minute or so later they are there).
"""

import datetime as dt
import functools

from django.db import transaction
from django.utils import timezone

from xinsheng.insight import tasks
from xinsheng.insight.models import TopicRun, TrainedModel
from xinsheng.insight.services import topics_compute_task
from xinsheng.org.models import OrgUnit

TOPIC_DAYS = 90


def demo_load(*, seed: int) -> dict[str, int]:
    """Queue the first model's training and the hot topics' analysis, unless done already."""
    if TrainedModel.objects.exists() or TopicRun.objects.exists():
        return {}
    made = {"model_trainings": 1, "topic_runs": 0}
    transaction.on_commit(lambda: tasks.model_retrain.enqueue(force=True))
    today = timezone.localdate()
    for company in OrgUnit.objects.filter(depth__lte=2, is_active=True).order_by("path"):
        run = TopicRun.objects.create(
            unit=company, start=today - dt.timedelta(days=TOPIC_DAYS - 1), end=today
        )
        transaction.on_commit(functools.partial(topics_compute_task.enqueue, run.pk))
        made["topic_runs"] += 1
    return made
