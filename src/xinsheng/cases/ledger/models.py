"""Jobs of the ledger's exports, written in the background.

Jobs are never deleted by users: they are the record of who took out what. (The ledger's imports
are jobs of the spreadsheet kit, ``core.SheetImportJob``.)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinsheng.core.models import ExportJob


class LedgerExportJob(ExportJob):
    """One export of the ledger: who asked, with which filters, how far it got, and its file.

    The file is written under MEDIA_ROOT with a random name and is only ever sent to its owner
    through the job's download page, never as a public media URL.
    """

    # The ledger's filters as the page's query string holds them (lists of strings by name).
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    file = models.FileField(_("文件"), upload_to="ledger_exports/", blank=True, max_length=200)

    class Meta:
        verbose_name = _("台账导出")
        verbose_name_plural = _("台账导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="cases_ledger_export_owner")]
