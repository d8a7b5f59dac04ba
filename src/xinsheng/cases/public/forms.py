"""Forms of the public pages: the intake form, the receipt look-up and the rating.

Fields are cleaned with the same functions as the services, so that every mistake shows at once
next to what was typed; the services check again, and their ``InvalidInput`` lands on the form.
"""

import secrets
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.choices import CaseKind
from xinsheng.cases.intake import contact
from xinsheng.cases.photos import MAX_PHOTOS
from xinsheng.cases.services import Identity
from xinsheng.cases.validation import TITLE_MAX, clean_text
from xinsheng.core import ratings
from xinsheng.core.form_fields_once import FieldsCopiedOnce
from xinsheng.core.forms import ServiceForm, field_checked
from xinsheng.core.photos import MAX_BYTES
from xinsheng.org import validation as org_validation

ANONYMOUS, NAMED = "anonymous", "named"
REQUIRED = {"required": _("此项为必填项。")}
PHOTO_TYPES = "image/jpeg,image/png,image/webp"


def intake_key_new() -> str:
    """Return a fresh idempotency key for one rendering of the intake form."""
    return secrets.token_urlsafe(24)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three photos; size and count are checked here, the content by the service."""

    widget = MultiplePhotoInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        files = [item for item in (data or []) if item]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("最多上传3张照片。"))
        if any(item.size is not None and item.size > MAX_BYTES for item in files):
            raise forms.ValidationError(_("每张照片不能超过5MB。"))
        return files


class IntakeForm(FieldsCopiedOnce, ServiceForm):
    """What an employee sends from a unit's QR code (its fields are copied once: no form
    changes them)."""

    kind = forms.ChoiceField(
        label=_("类型"),
        choices=CaseKind.choices,
        initial=CaseKind.DEMAND,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择类型。"), "invalid_choice": _("选项无效。")},
    )
    title = forms.CharField(
        label=_("标题（可不填）"),
        required=False,
        max_length=TITLE_MAX,
        error_messages={"max_length": _("标题不能超过100字。")},
    )
    text = forms.CharField(
        label=_("内容"),
        strip=False,
        widget=forms.Textarea,
        error_messages={"required": _("请至少写5个字，说清楚您的问题或建议。")},
    )
    photos = PhotosField(label=_("照片（可选，最多3张）"), required=False)
    identity = forms.ChoiceField(
        label=_("署名方式"),
        choices=[(ANONYMOUS, _("匿名")), (NAMED, _("实名"))],
        initial=ANONYMOUS,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择实名或匿名。"), "invalid_choice": _("选项无效。")},
    )
    name = forms.CharField(label=_("姓名"), required=False, max_length=50)
    employee_no = forms.CharField(label=_("工号"), required=False, max_length=32)
    phone = forms.CharField(label=_("手机号（可选）"), required=False, max_length=20)
    email = forms.CharField(
        label=_("电子邮箱（可选）"),
        required=False,
        max_length=contact.EMAIL_MAX,
        error_messages={"max_length": _("电子邮箱不能超过100个字符。")},
    )
    # A field people never see; a program filling every field gives itself away.
    website = forms.CharField(required=False)
    intake_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    k = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    # The number of a similar case the employee chose to support (附议) instead of a new one.
    support = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)

    def clean_text(self) -> str:
        return field_checked(clean_text, self.cleaned_data["text"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("identity") == NAMED:
            for field, clean in (
                ("name", org_validation.clean_name),
                ("employee_no", org_validation.clean_employee_no),
                ("phone", org_validation.clean_phone),
                ("email", contact.clean_email),
            ):
                try:
                    data[field] = field_checked(clean, data.get(field, ""))
                except forms.ValidationError as error:
                    self.add_error(field, error)
        return data

    @property
    def honeypot_filled(self) -> bool:
        """Return whether the hidden field was filled in (by a program, not a person)."""
        return bool(str(self.data.get("website", "")).strip())

    def identity_value(self) -> Identity:
        """Return who sends the voice; nothing of the person when anonymous."""
        data = self.cleaned_data
        if data["identity"] != NAMED:
            return Identity(anonymous=True)
        return Identity(
            anonymous=False,
            name=data["name"],
            employee_no=data["employee_no"],
            phone=data.get("phone", ""),
            email=data.get("email", ""),
        )

    def photo_bytes(self) -> list[bytes]:
        """Return the uploaded photos' content, for the service to check and re-encode."""
        return [photo.read() for photo in self.cleaned_data.get("photos") or []]


class ReceiptForm(forms.Form):
    """The receipt code, typed in to follow a case."""

    code = forms.CharField(
        label=_("查询码"),
        max_length=64,
        error_messages={"required": _("请输入查询码。")},
    )


class RatingForm(ReceiptForm, ratings.RatingForm):
    """The employee's judgement of an answer; the code comes back in a hidden field."""

    satisfaction = ratings.satisfaction_field(_("您对答复是否满意"))
