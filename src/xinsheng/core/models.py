"""Shared base fields and ratings, the append-only audit record, installation-specific days off,
the job of every spreadsheet import, and the base of every export job."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.ratings import COMMENT_MAX, Satisfaction


class TimeStamped(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class RatingRecord(models.Model):
    """Abstract base: an employee's judgement, with nothing that identifies who gave it."""

    satisfaction = models.CharField(_("满意度"), max_length=24, choices=Satisfaction.choices)
    solved = models.BooleanField(_("问题是否解决"))
    comment = models.CharField(_("评价意见"), max_length=COMMENT_MAX, blank=True)
    at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only row."""


class AppendOnlyEvent(models.Model):
    """Abstract base: a record of something that happened, by whom and when.

    Rows are only ever added; a mistake is corrected by a new row, never by changing an old one.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(f"{self._meta.label} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self._meta.label} rows are append-only")


class AuditEvent(AppendOnlyEvent):
    """One write made through a service: who did what to which object, before and after."""

    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class PeriodicRound(models.Model):
    """Who enqueued the periodic tasks last, and until when nobody else may.

    Several schedulers (one per server) may run; each round, only the one that moves ``until``
    forward in a single conditional UPDATE enqueues (``core.schedule``). A lock in the database,
    not a convention about where the scheduler runs.
    """

    name = models.CharField(max_length=40, unique=True)
    holder = models.CharField(max_length=100, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    until = models.DateTimeField()

    class Meta:
        verbose_name = _("定时任务轮次")
        verbose_name_plural = _("定时任务轮次")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder} until {self.until}"


class NonWorkingDay(models.Model):
    """A day off particular to this installation, on top of the official calendar."""

    date = models.DateField(_("日期"), unique=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("额外休息日")
        verbose_name_plural = _("额外休息日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.note}".strip()


class Notification(models.Model):
    """An in-app message to one user (the bell), optionally mailed too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=32)
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="core_notification_unread")]

    def __str__(self) -> str:
        return self.text


IMPORT_STALLED_AFTER = dt.timedelta(minutes=2)  # a running import job not moving


class SheetImportJob(TimeStamped):
    """One upload of a spreadsheet for import kind ``kind``: its file, report and progress.

    The file is kept in the database, so that a task worker on another machine can read it.
    ``kind`` names the import kind (see ``xinsheng.core.sheets.kinds``), so an app that adds an
    import needs neither a model nor a migration of its own; the kit (``xinsheng.core.sheets``)
    runs the jobs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")  # uploaded; waiting for a worker to check it
        CHECKING = "checking", _("预检中")  # a worker is reading and checking the rows
        CHECKED = "checked", _("已预检")  # the dry run's report is ready
        APPLYING = "applying", _("写入中")  # asked to apply; written in one transaction
        APPLIED = "applied", _("已导入")  # written
        FAILED = "failed", _("失败")  # the file could not be read, or the work broke off

    kind = models.CharField(_("导入类型"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件内容"))
    language = models.CharField(_("语言"), max_length=16, default="zh-hans")
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    checked_rows = models.PositiveIntegerField(_("已检查行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    change_count = models.PositiveIntegerField(_("新增和修改行数"), default=0)
    # The dry run's (or the import's) report; its "errors" are rows of (sheet, row, column,
    # message), see ``xinsheng.core.sheets.rows``.
    report = models.JSONField(_("预检结果"), null=True, blank=True)
    # Hash of the writes the dry run planned; applying re-checks and must arrive at the same.
    digest = models.CharField(max_length=64, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("预检时间"), null=True, blank=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "kind", "-created_at"], name="core_sheet_import_actor")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        """Return whether a worker has yet to finish with this job."""
        return self.status in {self.Status.QUEUED, self.Status.CHECKING, self.Status.APPLYING}

    @property
    def is_stalled(self) -> bool:
        """Return whether a running job has not moved for a while (is a worker running?)."""
        return self.is_running and timezone.now() - self.updated_at > IMPORT_STALLED_AFTER

    @property
    def can_apply(self) -> bool:
        """Return whether the dry run found something to write and nothing wrong."""
        return (
            self.status == self.Status.CHECKED and self.error_count == 0 and self.change_count > 0
        )


EXPORT_STALLED_AFTER = dt.timedelta(minutes=2)  # a running export job not moving


class ExportJob(TimeStamped):
    """Abstract base of an export written in the background: who asked, how far it got, and why
    it failed. Each app's job adds its file (under a directory of its own), what it exports and
    its ``Meta``; ``xinsheng.core.export_jobs`` records the steps.

    A small export is written at once and sent back; a large one runs as a task that writes the
    file under MEDIA_ROOT with a random name, sent only to its owner through the job's download
    page. Jobs are never deleted by users: they are the record of who took out what.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")  # waiting for a worker
        RUNNING = "running", _("导出中")  # a worker is writing the file
        DONE = "done", _("已完成")  # the file is ready (or was sent straight back)
        FAILED = "failed", _("失败")  # the work broke off

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("语言"), max_length=16, default="zh-hans")
    background = models.BooleanField(_("后台导出"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    written_rows = models.PositiveIntegerField(_("已导出行数"), default=0)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.owner_id} {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        """Return whether a worker has yet to finish with this job."""
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def is_stalled(self) -> bool:
        """Return whether a running job has not moved for a while (is a worker running?)."""
        return self.is_running and timezone.now() - self.updated_at > EXPORT_STALLED_AFTER

    @property
    def percent(self) -> int:
        """Return how far the export got, in percent."""
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.written_rows * 100 // self.total_rows)
