"""The demo's text insight: a category model trained on the demo's confirmed categories, and the
hot topics of the last three months of every company, so that both show on the first visit."""

import datetime as dt

from django.utils import timezone

from xinsheng.core.errors import InvalidInput
from xinsheng.insight import services
from xinsheng.insight.models import TopicRun, TrainedModel
from xinsheng.org.models import OrgUnit

TOPIC_DAYS = 90


def demo_load(*, seed: int) -> dict[str, int]:
    """Train the first model and analyse the hot topics, unless done already."""
    if TrainedModel.objects.exists() or TopicRun.objects.exists():
        return {}
    made = {"models": 0, "topic_runs": 0}
    try:
        services.model_train(actor=None)
        made["models"] = 1
    except InvalidInput:  # a demo without cases (DEMO_CASES=0) has nothing to learn from
        pass
    today = timezone.localdate()
    for company in OrgUnit.objects.filter(depth__lte=2, is_active=True).order_by("path"):
        run = TopicRun.objects.create(
            unit=company, start=today - dt.timedelta(days=TOPIC_DAYS - 1), end=today
        )
        services.topics_compute(run.pk)
        made["topic_runs"] += 1
    return made
