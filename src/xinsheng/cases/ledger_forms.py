"""The upload form of the ledger import page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LedgerImportForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel (.xlsx) 或 CSV 文件，列与导出的台账相同。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
