"""Background work of projects: marking projects past their due date as delayed.

``xinsheng scheduler`` enqueues ``PERIODIC`` at its interval; the task is safe to run as often
as one likes, since a project is marked delayed once.
"""

import logging

from django_tasks import task

from xinsheng.projects import services

logger = logging.getLogger(__name__)


@task()
def delay_sweep() -> int:
    """Mark running projects past their due date as delayed; return how many."""
    delayed = services.projects_mark_delayed()
    logger.info("projects marked delayed: %d", delayed)
    return delayed


# What ``xinsheng scheduler`` enqueues on every tick.
PERIODIC = (delay_sweep,)
