"""Progress of an export job: the steps every background export records on its job row.

An export job model (the case ledger's, the talk records' …) has ``status`` (queued, running,
done, failed), ``total_rows``, ``written_rows``, ``finished_at`` and ``error``; the page that
follows the job reads them.
"""

from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone

Job = TypeVar("Job", bound=Model)

DONE = "done"
FAILED = "failed"


def job_progress(job: Model, **fields: int) -> None:
    """Record how far ``job`` has come (``total_rows``, ``written_rows``) without saving it."""
    for name, value in fields.items():
        setattr(job, name, value)
    manager: Any = type(job)._default_manager
    manager.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def job_finish(job: Model, rows: int) -> None:
    """Mark ``job`` done with ``rows`` written."""
    fields: Any = job
    fields.status = DONE
    fields.total_rows = fields.written_rows = rows
    fields.finished_at = timezone.now()
    job.save(update_fields=["status", "total_rows", "written_rows", "finished_at", "updated_at"])


def job_fail(job: Job, message: str) -> Job:
    """Mark ``job`` failed, saying why; return it."""
    fields: Any = job
    fields.status = FAILED
    fields.error = message[:500]
    job.save(update_fields=["status", "error", "updated_at"])
    return job
