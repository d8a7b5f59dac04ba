"""Reads of the spreadsheet kit: a user sees only their own import jobs, of one kind at a time."""

from django.db.models import QuerySet

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.models import SheetImportJob


def job_list_for(*, actor: Actor, kind: str) -> QuerySet[SheetImportJob]:
    """Return ``actor``'s jobs of import ``kind``, newest first, without their files."""
    if not actor.is_authenticated:
        return SheetImportJob.objects.none()
    jobs = SheetImportJob.objects.filter(actor_id=actor.pk, kind=kind)
    return jobs.defer("content", "report")


def job_get_for(*, actor: Actor, kind: str, job_id: int) -> SheetImportJob:
    """Return ``actor``'s job ``job_id`` of import ``kind``; ``NotFound`` for anyone else's."""
    job = (
        SheetImportJob.objects.filter(actor_id=actor.pk, kind=kind, pk=job_id)
        .defer("content")
        .first()
        if actor.is_authenticated
        else None
    )
    if job is None:
        raise NotFound()
    return job
