"""Background work of the org app, run by ``xinsheng worker`` (immediately in tests)."""

import logging

from django_tasks import task

from xinsheng.org import imports

logger = logging.getLogger(__name__)


@task()
def import_check_task(*, job_id: int) -> None:
    """Run the dry run of import job ``job_id``."""
    try:
        imports.import_job_check(job_id=job_id)
    except Exception:
        logger.exception("dry run of import job %s failed", job_id)
        imports.import_job_fail(job_id=job_id)
        raise


@task()
def import_apply_task(*, job_id: int) -> None:
    """Write import job ``job_id`` in one transaction."""
    try:
        imports.import_job_apply(job_id=job_id)
    except Exception:
        logger.exception("applying import job %s failed", job_id)
        imports.import_job_fail(job_id=job_id)
        raise
