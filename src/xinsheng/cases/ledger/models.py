"""Jobs of the ledger's exports, written in the background.

Jobs are never deleted by users: they are the record of who took out what. (The ledger's imports
are jobs of the spreadsheet kit, ``core.SheetImportJob``.)
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.models import TimeStamped

STALLED_AFTER = dt.timedelta(minutes=2)


class LedgerExportJob(TimeStamped):
    """One export of the ledger: who asked, with which filters, how far it got, and its file.

    The file is written under MEDIA_ROOT with a random name and is only ever sent to its owner
    through the job's download page, never as a public media URL.
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
    # The ledger's filters as the page's query string holds them (lists of strings by name).
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    language = models.CharField(_("语言"), max_length=16, default="zh-hans")
    background = models.BooleanField(_("后台导出"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    written_rows = models.PositiveIntegerField(_("已导出行数"), default=0)
    file = models.FileField(_("文件"), upload_to="ledger_exports/", blank=True, max_length=200)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("台账导出")
        verbose_name_plural = _("台账导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="cases_ledger_export_owner")]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        """Return whether a worker has yet to finish with this job."""
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def is_stalled(self) -> bool:
        """Return whether a running job has not moved for a while (is a worker running?)."""
        return self.is_running and timezone.now() - self.updated_at > STALLED_AFTER

    @property
    def percent(self) -> int:
        """Return how far the export got, in percent."""
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.written_rows * 100 // self.total_rows)
