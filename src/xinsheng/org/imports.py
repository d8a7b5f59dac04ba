"""Import units and people from a spreadsheet: the writes of the import pages, tasks and command.

An import is an ``ImportJob``. Uploading creates it (the file is checked for its type, size and
columns right away); a dry run then reads every row and stores a report of what would be created,
changed or refused; applying re-runs the check inside one transaction and writes everything or
nothing. The dry run reports its progress on the job row as it goes, so the page can show it.
"""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org import permissions
from xinsheng.org.import_check import Plan, check_import
from xinsheng.org.import_read import ImportData, read_import
from xinsheng.org.import_write import write_plan
from xinsheng.org.models import ImportJob

logger = logging.getLogger(__name__)

Status = ImportJob.Status
FILE_NAME_MAX = 200


class _PlanChanged(Exception):
    """The re-check before writing differs from the dry run; carries the new plan."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("import plan changed since the dry run")
        self.plan = plan


def import_job_create(
    *, actor: Actor, file_name: str, content: bytes, background: bool = True
) -> ImportJob:
    """Keep an uploaded file as a new import job and queue its dry run.

    A file that is empty, too big, of the wrong type or without the required columns raises
    ``InvalidInput`` and creates nothing. With ``background=False`` the caller runs the dry run.
    """
    if not actor.is_authenticated or not permissions.may_anywhere(actor, "org.import"):
        raise Forbidden()
    # Check the file's type and columns before the transaction: on a big file this takes a moment.
    read_import(content, file_name, headers_only=True)
    with transaction.atomic():
        job = ImportJob.objects.create(
            actor_id=actor.pk,
            file_name=file_name[-FILE_NAME_MAX:],
            content=content,
            language=translation.get_language() or "zh-hans",
            status=Status.QUEUED,
        )
        if background:
            from xinsheng.org.tasks import import_check_task

            job_id = job.pk
            transaction.on_commit(lambda: import_check_task.enqueue(job_id=job_id))
    return job


def import_job_check(*, job_id: int) -> ImportJob:
    """Run the dry run of a queued job and store its report.

    Runs outside any transaction, so that the progress it writes every few rows is visible to
    the page while the check goes on. Nothing but the job row is written.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.CHECKING, checked_rows=0, total_rows=0, updated_at=timezone.now()
    )
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    if not claimed:
        return job
    with translation.override(job.language):
        try:
            data = read_import(bytes(job.content), job.file_name, progress=_reading_of(job))
        except InvalidInput as exc:
            return _fail(job, str(exc.message))
        _progress(job, total_rows=data.total_rows, checked_rows=0)
        plan = check_import(data, actor=job.actor, progress=_progress_of(job))
        _store_plan(job, plan, status=Status.CHECKED)
    return job


@transaction.atomic
def import_job_request_apply(*, actor: Actor, job: ImportJob, background: bool = True) -> ImportJob:
    """Ask for a checked job to be written; its writing then runs as a task.

    Only the job's own importer may, and only when the dry run found changes and no errors.
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.actor_id != actor.pk:
        raise NotFound()
    if not job.can_apply:
        raise Conflict(gettext("只有预检通过且有需要写入的变化时才能执行导入。"))
    job.status = Status.APPLYING
    job.message = ""
    job.save(update_fields=["status", "message", "updated_at"])
    if background:
        from xinsheng.org.tasks import import_apply_task

        job_id = job.pk
        transaction.on_commit(lambda: import_apply_task.enqueue(job_id=job_id))
    return job


def import_job_apply(*, job_id: int) -> ImportJob:
    """Write a job asked to be applied: all of it in one transaction, or none of it.

    The rows are checked again inside the transaction. When the database changed since the dry
    run, so that the check now finds errors or other writes, nothing is written and the job goes
    back to "checked" with the new report for the importer to review.
    """
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    if job.status != Status.APPLYING:
        return job
    with translation.override(job.language):
        try:
            data = read_import(bytes(job.content), job.file_name)
            _apply(job, data)
        except _PlanChanged as changed:
            _store_plan(job, changed.plan, status=Status.CHECKED)
            job.message = gettext(
                "数据在预检之后有了变化，未写入任何数据。请核对下面新的预检结果。"
            )
            job.save(update_fields=["message"])
        except (InvalidInput, Conflict) as exc:
            _fail(job, str(exc.message))
        except IntegrityError:
            logger.warning("import job %s collided with a concurrent write", job.pk)
            _fail(job, gettext("导入时数据被其他操作同时修改，未写入任何数据，请重新上传。"))
    return job


def import_job_fail(*, job_id: int) -> None:
    """Mark a job as failed after an unexpected error, so that its page stops waiting."""
    ImportJob.objects.filter(pk=job_id).exclude(status=Status.APPLIED).update(
        status=Status.FAILED,
        message=gettext("导入因系统错误中断，未写入任何数据。请稍后重试或联系系统管理员。"),
        updated_at=timezone.now(),
    )


def _apply(job: ImportJob, data: ImportData) -> None:
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != Status.APPLYING:
            return
        plan = check_import(data, actor=job.actor)
        if plan.errors or plan.digest != job.digest:
            raise _PlanChanged(plan)
        write_plan(plan)
        job.report = plan.report()
        job.status = Status.APPLIED
        job.applied_at = timezone.now()
        job.save(update_fields=["report", "status", "applied_at", "updated_at"])
        audit_record(
            actor=job.actor,
            action="org.import",
            obj=job,
            after={"file": job.file_name, **plan.counts()},
        )


def _store_plan(job: ImportJob, plan: Plan, *, status: str) -> None:
    job.report = plan.report()
    job.digest = plan.digest
    job.error_count = len(plan.errors)
    job.change_count = plan.change_count
    job.checked_rows = job.total_rows
    job.status = status
    job.message = ""
    job.checked_at = timezone.now()
    job.save(
        update_fields=[
            "report",
            "digest",
            "error_count",
            "change_count",
            "checked_rows",
            "status",
            "message",
            "checked_at",
            "updated_at",
        ]
    )


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.status = Status.FAILED
    job.message = message[:500]
    job.save(update_fields=["status", "message", "updated_at"])
    return job


def _progress(job: ImportJob, **fields: int) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def _reading_of(job: ImportJob) -> Callable[[int], None]:
    """Return a callback recording the rows read so far (the total is not known yet)."""

    def report(rows: int) -> None:
        _progress(job, checked_rows=rows)

    return report


def _progress_of(job: ImportJob) -> Callable[[int], None]:
    """Return a callback recording the rows checked so far."""

    def report(rows: int) -> None:
        _progress(job, checked_rows=min(rows, job.total_rows))

    return report
