"""Background work of the reports app: folding new events into the aggregated figures.

``figures_refresh_task`` is enqueued after every transaction that writes a case event (see
``figures.figures_refresh_soon``), and by ``xinsheng scheduler`` on every round as a safety net.
"""

import logging

from django_tasks import task

from xinsheng.reports import figures

logger = logging.getLogger(__name__)


@task()
def figures_refresh_task() -> int:
    """Fold the case events not folded in yet into the figures; return cases recounted."""
    recounted = figures.figures_refresh()
    logger.info("figures refreshed: %d cases recounted", recounted)
    return recounted


# What ``xinsheng scheduler`` enqueues on every round.
PERIODIC = (figures_refresh_task,)
