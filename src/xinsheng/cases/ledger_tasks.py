"""Background work of the ledger's spreadsheets: large exports, and the imports' dry run and apply.

Run by ``xinsheng worker`` (immediately in tests). Each task marks its job failed when it breaks
off, so that the job's page stops waiting.
"""

import logging

from django_tasks import task

from xinsheng.cases import ledger_export, ledger_import

logger = logging.getLogger(__name__)


@task()
def ledger_export_task(*, job_id: int) -> None:
    """Write export job ``job_id`` to its file."""
    try:
        ledger_export.ledger_export_run(job_id=job_id)
    except Exception:
        logger.exception("ledger export job %s failed", job_id)
        ledger_export.ledger_export_fail(job_id=job_id)
        raise


@task()
def ledger_import_check_task(*, job_id: int) -> None:
    """Run the dry run of ledger import job ``job_id``."""
    try:
        ledger_import.ledger_import_check(job_id=job_id)
    except Exception:
        logger.exception("dry run of ledger import job %s failed", job_id)
        ledger_import.ledger_import_fail(job_id=job_id)
        raise


@task()
def ledger_import_apply_task(*, job_id: int) -> None:
    """Write ledger import job ``job_id`` in one transaction."""
    try:
        ledger_import.ledger_import_apply(job_id=job_id)
    except Exception:
        logger.exception("applying ledger import job %s failed", job_id)
        ledger_import.ledger_import_fail(job_id=job_id)
        raise
