"""The upload form of the import page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("Excel (.xlsx) 文件，或单位表、人员表之一的 CSV 文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
