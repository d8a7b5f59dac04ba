"""Excel exports of a survey as jobs, the way the ledgers export (``core.export_jobs``).

Every export is a ``SurveyExportJob`` and an audit event. A survey of up to
``XINSHENG["EXPORT_INLINE_ROWS"]`` responses is written at once and sent back; a larger one runs
as a task that writes the file under MEDIA_ROOT with a random name and reports on the job row how
many responses it has written, which the job's page shows as a progress bar. The workbook is the
same either way (``export.survey_write``), written as the job's owner may see the survey now.
"""

import logging
import secrets
import tempfile
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Forbidden, NotFound
from xinsheng.core.export_jobs import job_fail, job_finish, job_progress
from xinsheng.core.progress import progress_report
from xinsheng.engage.surveys import export, selectors
from xinsheng.engage.surveys.models import Survey, SurveyExportJob, SurveyResponse

logger = logging.getLogger(__name__)

Status = SurveyExportJob.Status


def inline_limit() -> int:
    """Return the most responses an export sends straight back; larger ones run as a task."""
    return int(settings.XINSHENG.get("EXPORT_INLINE_ROWS", 5000))


def survey_export_create(
    *, actor: Actor, survey: Survey, background: bool | None = None
) -> SurveyExportJob:
    """Record an export of ``survey``, audited; queue it when large.

    With ``background=None`` the size decides: more than ``inline_limit()`` responses run as a
    task, fewer are left to the caller to write at once (``survey_export_inline``).
    """
    if not actor.is_authenticated:
        raise Forbidden()
    survey = selectors.survey_get_for(actor=actor, survey_id=survey.pk)
    limit = inline_limit()
    if background is None:
        responses = SurveyResponse.objects.filter(survey=survey)
        background = responses[: limit + 1].count() > limit
    with transaction.atomic():
        job = SurveyExportJob.objects.create(
            owner_id=actor.pk,
            survey=survey,
            language=translation.get_language() or "zh-hans",
            background=background,
            status=Status.QUEUED,
        )
        audit_record(
            actor=actor,
            action="survey.export",
            obj=job,
            after={"survey": survey.pk, "background": background},
        )
        if background:
            job_id = job.pk
            transaction.on_commit(lambda: survey_export_task.enqueue(job_id=job_id))
    return job


def _write(
    job: SurveyExportJob, target: str | IO[bytes], progress: export.Progress | None = None
) -> int:
    owner = job.owner
    try:
        survey = selectors.survey_get_for(actor=owner, survey_id=job.survey_id)
    except NotFound:
        raise Forbidden(gettext("您已无权查看这份问卷。")) from None
    return export.survey_write(
        survey=survey,
        results=selectors.results_for(actor=owner, survey=survey),
        target=target,
        named=selectors.may_manage(owner, survey),
        progress=progress,
    )


def survey_export_inline(*, job: SurveyExportJob, target: str | IO[bytes]) -> int:
    """Write a small export to ``target`` now (a response or a file); return its responses."""
    rows = _write(job, target)
    job_finish(job, rows)
    return rows


def survey_export_run(*, job_id: int) -> SurveyExportJob:
    """Write a queued export to a file under MEDIA_ROOT, reporting progress on the job row."""
    claimed = SurveyExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, written_rows=0, updated_at=timezone.now()
    )
    job = SurveyExportJob.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job
    total = SurveyResponse.objects.filter(survey_id=job.survey_id).count()
    job_progress(job, total_rows=total)

    def progress(written: int) -> None:
        job_progress(job, written_rows=written)
        progress_report(written, total)

    with translation.override(job.language):
        with tempfile.TemporaryFile(suffix=".xlsx") as scratch:
            try:
                rows = _write(job, scratch, progress)
            except Forbidden as exc:
                return job_fail(job, str(exc.message))
            scratch.seek(0)
            job.file.save(f"{secrets.token_urlsafe(18)}.xlsx", File(scratch), save=False)
        job.save(update_fields=["file", "updated_at"])
        job_finish(job, rows)
    return job


def survey_export_fail(*, job_id: int) -> None:
    """Mark an export as failed after an unexpected error, so that its page stops waiting."""
    SurveyExportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED,
        error=gettext("导出因系统错误中断。请稍后重试或联系系统管理员。"),
        updated_at=timezone.now(),
    )


def export_file_name(job: SurveyExportJob) -> str:
    """Return the name an export downloads under (as today's immediate export names it)."""
    return f"survey-{job.survey_id}.xlsx"


# --- background work, run by ``xinsheng worker`` (immediately in tests) ------------------------


@task()
def survey_export_task(*, job_id: int) -> None:
    """Write export job ``job_id`` to its file; mark it failed when the work breaks off."""
    try:
        survey_export_run(job_id=job_id)
    except Exception:
        logger.exception("survey export job %s failed", job_id)
        survey_export_fail(job_id=job_id)
        raise
