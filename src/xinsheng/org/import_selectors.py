"""Reads of the import pages: a user sees only their own import jobs."""

from django.db.models import QuerySet

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org.models import ImportJob


def import_job_list_for(*, actor: Actor) -> QuerySet[ImportJob]:
    """Return ``actor``'s import jobs, newest first, without their files."""
    if not actor.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(actor_id=actor.pk).defer("content", "report")


def import_job_get_for(*, actor: Actor, job_id: int) -> ImportJob:
    """Return ``actor``'s import job ``job_id`` with its report; ``NotFound`` for anyone else's."""
    job = (
        ImportJob.objects.filter(actor_id=actor.pk, pk=job_id).defer("content").first()
        if actor.is_authenticated
        else None
    )
    if job is None:
        raise NotFound()
    return job
