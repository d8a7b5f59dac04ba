"""The form an employee identifies themselves with on the public quiz pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinsheng.engage.quizzes.services import NAME_MAX, NUMBER_MAX


class IdentifyForm(forms.Form):
    """Employee number and name, checked against the people by the service."""

    employee_no = forms.CharField(label=_("工号"), max_length=NUMBER_MAX)
    name = forms.CharField(label=_("姓名"), max_length=NAME_MAX)
    # A field people never see; a program filling every field gives itself away.
    website = forms.CharField(required=False)

    @property
    def honeypot_filled(self) -> bool:
        """Return whether the hidden field was filled in (by a program, not a person)."""
        return bool(str(self.data.get("website", "")).strip())
