"""Reads of the ledger's spreadsheet pages: a user sees only their own export and import jobs."""

from django.db.models import QuerySet

from xinsheng.cases.ledger_models import LedgerExportJob, LedgerImportJob
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


def ledger_import_job_list_for(*, actor: Actor) -> QuerySet[LedgerImportJob]:
    """Return ``actor``'s ledger import jobs, newest first, without their files."""
    if not actor.is_authenticated:
        return LedgerImportJob.objects.none()
    return LedgerImportJob.objects.filter(actor_id=actor.pk).defer("content", "report")


def ledger_import_job_get_for(*, actor: Actor, job_id: int) -> LedgerImportJob:
    """Return ``actor``'s ledger import job ``job_id`` with its report; ``NotFound`` otherwise."""
    job = (
        LedgerImportJob.objects.filter(actor_id=actor.pk, pk=job_id).defer("content").first()
        if actor.is_authenticated
        else None
    )
    if job is None:
        raise NotFound()
    return job
