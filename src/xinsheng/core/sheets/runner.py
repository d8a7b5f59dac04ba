"""The life of an import job: upload, dry run with progress, apply; and the tasks that run them.

Uploading creates the job (the file is checked for its type, size and columns right away); a dry
run then reads every row and stores a report of what would be created, changed or refused;
applying re-runs the check inside one transaction and writes everything or nothing. The dry run
reports its progress on the job row as it goes, so that any web process can show it.

The background work is the two tasks at the end of this module, enqueued after the transaction
that asks for them commits. Nothing here knows any import kind but through its declaration.
"""

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.core.models import SheetImportJob
from xinsheng.core.sheets.kinds import Data, ImportKind, Plan, import_kind
from xinsheng.core.sheets.table import Upload

logger = logging.getLogger(__name__)

Status = SheetImportJob.Status
FILE_NAME_MAX = 200


class _PlanChanged(Exception):
    """The re-check before writing differs from the dry run; carries the new plan."""

    def __init__(self, plan: Plan) -> None:
        super().__init__("import plan changed since the dry run")
        self.plan = plan


def job_create(
    kind_key: str, *, actor: Actor, file_name: str, content: bytes, background: bool = True
) -> SheetImportJob:
    """Keep an uploaded file as a new job of import ``kind_key`` and queue its dry run.

    A file that is empty, too big, of the wrong type or without the required columns raises
    ``InvalidInput`` and creates nothing. With ``background=False`` the caller runs the dry run.
    """
    kind = import_kind(kind_key)
    if not actor.is_authenticated or not kind.allowed(actor):
        raise Forbidden()
    # Check the file's type and columns before the transaction: on a big file this takes a moment.
    kind.read(Upload(content, file_name, headers_only=True))
    with transaction.atomic():
        job = SheetImportJob.objects.create(
            kind=kind.key,
            actor_id=actor.pk,
            file_name=file_name[-FILE_NAME_MAX:],
            content=content,
            language=translation.get_language() or "zh-hans",
            status=Status.QUEUED,
        )
        if background:
            job_id = job.pk
            transaction.on_commit(lambda: check_task.enqueue(job_id=job_id))
    return job


def job_check(*, job_id: int) -> SheetImportJob:
    """Run the dry run of a queued job and store its report.

    Runs outside any transaction, so that the progress it writes every few rows is visible to
    the page while the check goes on. Nothing but the job row is written.
    """
    claimed = SheetImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.CHECKING, checked_rows=0, total_rows=0, updated_at=timezone.now()
    )
    job = SheetImportJob.objects.select_related("actor").get(pk=job_id)
    if not claimed:
        return job
    kind = import_kind(job.kind)
    with translation.override(job.language):
        try:
            data = kind.read(Upload(bytes(job.content), job.file_name, progress=_reading_of(job)))
        except InvalidInput as exc:
            return _fail(job, str(exc.message))
        _progress(job, total_rows=data.total_rows, checked_rows=0)
        plan = kind.check(data, actor=job.actor, progress=_progress_of(job))
        _store_plan(job, plan, status=Status.CHECKED)
    return job


@transaction.atomic
def job_request_apply(
    *, actor: Actor, job: SheetImportJob, background: bool = True
) -> SheetImportJob:
    """Ask for a checked job to be written; its writing then runs as a task.

    Only the job's own importer may, and only when the dry run found changes and no errors.
    """
    job = SheetImportJob.objects.select_for_update().get(pk=job.pk)
    if job.actor_id != actor.pk:
        raise NotFound()
    if not job.can_apply:
        raise Conflict(gettext("只有预检通过且有需要写入的变化时才能执行导入。"))
    job.status = Status.APPLYING
    job.message = ""
    job.save(update_fields=["status", "message", "updated_at"])
    if background:
        job_id = job.pk
        transaction.on_commit(lambda: apply_task.enqueue(job_id=job_id))
    return job


def job_apply(*, job_id: int) -> SheetImportJob:
    """Write a job asked to be applied: all of it in one transaction, or none of it.

    The rows are checked again inside the transaction. When the database changed since the dry
    run, so that the check now finds errors or other writes, nothing is written and the job goes
    back to "checked" with the new report for the importer to review.
    """
    job = SheetImportJob.objects.select_related("actor").get(pk=job_id)
    if job.status != Status.APPLYING:
        return job
    kind = import_kind(job.kind)
    with translation.override(job.language):
        try:
            data = kind.read(Upload(bytes(job.content), job.file_name))
            _apply(kind, job, data)
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


def job_fail(*, job_id: int) -> None:
    """Mark a job as failed after an unexpected error, so that its page stops waiting."""
    SheetImportJob.objects.filter(pk=job_id).exclude(status=Status.APPLIED).update(
        status=Status.FAILED,
        message=gettext("导入因系统错误中断，未写入任何数据。请稍后重试或联系系统管理员。"),
        updated_at=timezone.now(),
    )


def _apply(kind: ImportKind, job: SheetImportJob, data: Data) -> None:
    with transaction.atomic():
        locked = SheetImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != Status.APPLYING:
            return
        plan = kind.check(data, actor=job.actor)
        if plan.errors or plan.digest != job.digest:
            raise _PlanChanged(plan)
        kind.write(plan, actor=job.actor)
        job.report = plan.report()
        job.status = Status.APPLIED
        job.applied_at = timezone.now()
        job.save(update_fields=["report", "status", "applied_at", "updated_at"])
        audit_record(
            actor=job.actor,
            action=kind.action,
            obj=job,
            after={"file": job.file_name, **plan.counts()},
        )


def _store_plan(job: SheetImportJob, plan: Plan, *, status: str) -> None:
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


def _fail(job: SheetImportJob, message: str) -> SheetImportJob:
    job.status = Status.FAILED
    job.message = message[:500]
    job.save(update_fields=["status", "message", "updated_at"])
    return job


def _progress(job: SheetImportJob, **fields: int) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    SheetImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def _reading_of(job: SheetImportJob) -> Callable[[int], None]:
    """Return a callback recording the rows read so far (the total is not known yet)."""

    def report(rows: int) -> None:
        _progress(job, checked_rows=rows)

    return report


def _progress_of(job: SheetImportJob) -> Callable[[int], None]:
    """Return a callback recording the rows checked so far."""

    def report(rows: int) -> None:
        _progress(job, checked_rows=min(rows, job.total_rows))

    return report


# --- background work, run by ``xinsheng worker`` (immediately in tests) ------------------------


@task()
def check_task(*, job_id: int) -> None:
    """Run the dry run of import job ``job_id``."""
    try:
        job_check(job_id=job_id)
    except Exception:
        logger.exception("dry run of import job %s failed", job_id)
        job_fail(job_id=job_id)
        raise


@task()
def apply_task(*, job_id: int) -> None:
    """Write import job ``job_id`` in one transaction."""
    try:
        job_apply(job_id=job_id)
    except Exception:
        logger.exception("applying import job %s failed", job_id)
        job_fail(job_id=job_id)
        raise
