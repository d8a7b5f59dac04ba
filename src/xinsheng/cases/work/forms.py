"""Forms of the staff work pages: one small form per action on a case.

They clean fields with the same functions as the services (``cases.validation``), so that a
mistake shows at once; the service checks again under its lock, and its ``InvalidInput`` lands on
the form too (``ServiceForm.add_service_error``).
"""

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.cases import selectors, validation
from xinsheng.cases.choices import Urgency
from xinsheng.cases.deadlines import deadline_from
from xinsheng.cases.models import Case, Category
from xinsheng.cases.photos import MAX_PHOTOS, PHOTO_TYPES
from xinsheng.cases.public.forms import PhotosField
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.core.forms import ServiceForm
from xinsheng.core.photos import MAX_BYTES
from xinsheng.org.models import OrgUnit
from xinsheng.org.unit_picker import Picked, UnitPickerField, unit_picked
from xinsheng.org.unit_selectors import FoundUnit, unit_trails_for

REQUIRED = {"required": _("此项为必填项。")}
DATE_ERRORS = {**REQUIRED, "invalid": _("请输入有效的日期，例如 2025-10-09。")}


def _text_area(limit: int, rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": limit})


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _note(field: str, value: object, *, required: bool = True, limit: int) -> str:
    """Return ``value`` cleaned like the services clean it; their message as a field error."""
    try:
        return validation.clean_note(field, value, required=required, limit=limit)
    except InvalidInput as error:
        raise forms.ValidationError(str(error.message)) from None


class ActionForm(ServiceForm):
    """A form for one action on ``case`` by ``actor``."""

    def __init__(self, data: Any = None, *, case: Case, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.case = case
        self.actor = actor


class AcceptForm(ActionForm):
    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=Category.objects.none(),
        to_field_name="code",
        empty_label=_("请选择类别"),
        error_messages={**REQUIRED, "invalid_choice": _("请从列表中选择类别。")},
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        error_messages=REQUIRED,
        help_text=_("紧急诉求按类别的紧急办理时限派单。"),
    )
    note = forms.CharField(
        label=_("受理意见"),
        required=False,
        widget=_text_area(validation.NOTE_MAX, rows=2),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = cast("forms.ModelChoiceField[Category]", self.fields["category"])
        category.queryset = selectors.category_list()

    def clean_note(self) -> str:
        return _note("note", self.cleaned_data["note"], required=False, limit=validation.NOTE_MAX)


class RejectForm(ActionForm):
    reason = forms.CharField(
        label=_("不予受理原因"),
        widget=_text_area(validation.REASON_MAX),
        error_messages=REQUIRED,
        help_text=_("原因将告知提出人，提出人在查询页面可以看到，请写清楚、写得体。"),
    )

    def clean_reason(self) -> str:
        return _note("reason", self.cleaned_data["reason"], limit=validation.REASON_MAX)


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("合并到诉求编号"),
        max_length=32,
        error_messages=REQUIRED,
        help_text=_("提出人将改为跟踪该诉求，并收到它的答复。"),
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=_text_area(validation.NOTE_MAX, rows=2)
    )

    def clean_into(self) -> Case:
        """Return the case numbered as typed, if the actor may see it and it is another case."""
        case_no = self.cleaned_data["into"].strip()
        try:
            target = selectors.case_get_for(actor=self.actor, case_no=case_no)
        except NotFound:
            raise forms.ValidationError(_("找不到该编号的诉求，或它不在您的范围内。")) from None
        if target.pk == self.case.pk:
            raise forms.ValidationError(_("不能合并到自身。"))
        return target

    def clean_note(self) -> str:
        return _note("note", self.cleaned_data["note"], required=False, limit=validation.NOTE_MAX)


class DispatchForm(ActionForm):
    """Hand the case to a unit, found by name, code or path, with a deadline.

    It starts with the unit an installed app suggests (``UNIT_SUGGESTIONS``), shown with its
    path, so that taking the suggestion is one tap on the button.
    """

    unit = UnitPickerField(
        label=_("责任单位"),
        help_text=_("输入单位名称、代码或路径（如“一矿 › 综采一队”），从找到的单位中选择。"),
    )
    deadline = forms.DateField(
        label=_("办理时限"),
        widget=_date_input(),
        error_messages=DATE_ERRORS,
    )
    note = forms.CharField(
        label=_("派单说明"), required=False, widget=_text_area(validation.NOTE_MAX, rows=2)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_days = (
            self.case.category.deadline_for(self.case.urgency) if self.case.category else None
        )
        self.default_deadline = (
            deadline_from(
                timezone.localdate(), category=self.case.category, urgency=self.case.urgency
            )
            if self.case.category is not None
            else None
        )
        self.fields["deadline"].initial = self.default_deadline
        self.suggested: FoundUnit | None = None
        if not self.is_bound:
            unit = selectors.dispatch_unit_suggested_for(actor=self.actor, case=self.case)
            if unit is not None:
                self.suggested = unit_trails_for(actor=self.actor, units=[unit])[0]
                self.fields["unit"].initial = Picked.of(self.suggested)

    def clean_unit(self) -> OrgUnit:
        """Return the active unit the actor may see that was chosen, or that the text names."""
        unit = unit_picked(
            actor=self.actor, field=self.fields["unit"], value=self.cleaned_data["unit"]
        )
        if not unit.is_active:
            raise forms.ValidationError(_("该单位已停用，不能派单。"))
        return unit

    def clean_deadline(self) -> dt.date:
        deadline: dt.date = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("办理时限不能早于今天。"))
        return deadline

    def clean_note(self) -> str:
        return _note("note", self.cleaned_data["note"], required=False, limit=validation.NOTE_MAX)


class SignForm(ActionForm):
    """Sign for the case: nothing to fill in, a button to confirm."""


class NoteForm(ActionForm):
    text = forms.CharField(
        label=_("办理记录"),
        widget=_text_area(validation.NOTE_MAX),
        error_messages=REQUIRED,
        help_text=_("仅工作人员可见，提出人看不到。"),
    )

    def clean_text(self) -> str:
        return _note("text", self.cleaned_data["text"], limit=validation.NOTE_MAX)


class AnswerForm(ActionForm):
    text = forms.CharField(
        label=_("答复内容"),
        widget=_text_area(validation.NOTE_MAX, rows=6),
        error_messages=REQUIRED,
        help_text=_("答复将原文告知提出人，提出人据此评价满意度。"),
    )
    solved = forms.BooleanField(label=_("问题已解决"), required=False)
    photos = PhotosField(
        label=_("照片（可选，最多3张）"),
        required=False,
        help_text=_("如办理现场、整改后的照片；提出人查看答复时可以看到。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs.update(
            {"accept": PHOTO_TYPES, "data-max-files": MAX_PHOTOS, "data-max-bytes": MAX_BYTES}
        )

    def clean_text(self) -> str:
        return _note("text", self.cleaned_data["text"], limit=validation.NOTE_MAX)


class ReturnForm(ActionForm):
    reason = forms.CharField(
        label=_("退单原因"),
        widget=_text_area(validation.REASON_MAX),
        error_messages=REQUIRED,
        help_text=_("说明为什么不应由本单位办理；派单员将重新派单。"),
    )

    def clean_reason(self) -> str:
        return _note("reason", self.cleaned_data["reason"], limit=validation.REASON_MAX)


class ExtendForm(ActionForm):
    until = forms.DateField(label=_("延期至"), widget=_date_input(), error_messages=DATE_ERRORS)
    reason = forms.CharField(
        label=_("延期原因"),
        widget=_text_area(validation.REASON_MAX),
        error_messages=REQUIRED,
        help_text=_("由派单员审批；同意后办理时限改为申请的日期。"),
    )

    def clean_until(self) -> dt.date:
        until: dt.date = self.cleaned_data["until"]
        if self.case.deadline is not None and until <= self.case.deadline:
            raise forms.ValidationError(_("延期日期须晚于当前办理时限。"))
        return until

    def clean_reason(self) -> str:
        return _note("reason", self.cleaned_data["reason"], limit=validation.REASON_MAX)


class DecideExtensionForm(ActionForm):
    """Grant or refuse the extension the unit asked for; the note is optional."""

    note = forms.CharField(
        label=_("审批意见"), required=False, widget=_text_area(validation.NOTE_MAX, rows=2)
    )

    def clean_note(self) -> str:
        return _note("note", self.cleaned_data["note"], required=False, limit=validation.NOTE_MAX)


class SuperviseForm(ActionForm):
    text = forms.CharField(
        label=_("督办意见"),
        widget=_text_area(validation.NOTE_MAX),
        error_messages=REQUIRED,
        help_text=_("督办通知将发送给承办单位，并计入督办次数。"),
    )

    def clean_text(self) -> str:
        return _note("text", self.cleaned_data["text"], limit=validation.NOTE_MAX)
