"""Reads of the ledger's export pages: a user sees only their own export jobs."""

from xinsheng.cases.ledger.models import LedgerExportJob
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound


def ledger_export_job_get_for(*, actor: Actor, job_id: int) -> LedgerExportJob:
    """Return ``actor``'s export job ``job_id``; ``NotFound`` for anyone else's."""
    job = (
        LedgerExportJob.objects.filter(owner_id=actor.pk, pk=job_id).first()
        if actor.is_authenticated
        else None
    )
    if job is None:
        raise NotFound()
    return job
