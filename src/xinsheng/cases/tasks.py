"""Background work of the cases app: the deadline sweep and the closing of unrated answers.

django-tasks has no periodic scheduler: ``xinsheng scheduler`` enqueues these tasks at an
interval, and ``xinsheng cases_sweep`` runs them at once (for cron or a systemd timer). Both are
safe to run as often as one likes: a case is marked overdue once, reminded once per deadline,
and closed once.
"""

import logging

from django_tasks import task

from xinsheng.cases import services

logger = logging.getLogger(__name__)


@task()
def deadline_sweep() -> dict[str, int]:
    """Mark cases past their deadline overdue and remind units of cases due tomorrow."""
    overdue = services.cases_mark_overdue()
    reminded = services.cases_remind_due()
    logger.info("deadline sweep: %d marked overdue, %d reminded", overdue, reminded)
    return {"overdue": overdue, "reminded": reminded}


@task()
def close_unrated() -> int:
    """Close answered cases nobody rated within ``XINSHENG["UNRATED_CLOSE_DAYS"]`` days.

    They close as "not rated" and are never counted as satisfied.
    """
    closed = services.cases_close_unrated()
    logger.info("unrated answers closed: %d", closed)
    return closed


# What ``xinsheng scheduler`` enqueues on every tick, and ``xinsheng cases_sweep`` runs.
PERIODIC = (deadline_sweep, close_unrated)
