"""Forms of talk requests: the employee's public form and receipt look-up, the recorder's entry,
and the staff's list filters and steps. Fields are cleaned with the services' own checks, so that
every mistake shows at once next to what was typed; the services check again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.forms import ServiceForm, field_checked
from xinsheng.org import validation as org_validation
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.choices import RequestStatus
from xinsheng.talks.cycles.forms import unit_by_code
from xinsheng.talks.requests import validation
from xinsheng.talks.requests.selectors import RequestFilters
from xinsheng.talks.requests.services import Asker

REQUIRED = {"required": _("此项为必填项。")}
QUERY_MAX = 100


class AskForm(ServiceForm):
    """What an employee writes to ask for a talk (always by name)."""

    name = forms.CharField(label=_("姓名"), max_length=50, error_messages=REQUIRED)
    employee_no = forms.CharField(label=_("工号"), max_length=32, error_messages=REQUIRED)
    phone = forms.CharField(
        label=_("手机号（可选）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    topic = forms.CharField(
        label=_("想谈的事"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": validation.TOPIC_MAX}),
        error_messages={"required": _("请至少写5个字，说说您想谈的事。")},
    )
    wanted_host = forms.CharField(
        label=_("希望约谈的人（可选）"),
        required=False,
        max_length=validation.WANTED_MAX,
        help_text=_("如：区队长、党支部书记，或写姓名。"),
    )
    # A field people never see; a program filling every field gives itself away.
    website = forms.CharField(required=False)

    def clean_name(self) -> str:
        return field_checked(org_validation.clean_name, self.cleaned_data["name"])

    def clean_employee_no(self) -> str:
        return field_checked(org_validation.clean_employee_no, self.cleaned_data["employee_no"])

    def clean_phone(self) -> str:
        return field_checked(org_validation.clean_phone, self.cleaned_data["phone"])

    def clean_topic(self) -> str:
        return field_checked(validation.clean_topic, self.cleaned_data["topic"])

    @property
    def honeypot_filled(self) -> bool:
        """Return whether the hidden field was filled in (by a program, not a person)."""
        return bool(str(self.data.get("website", "")).strip())

    def asker(self) -> Asker:
        data = self.cleaned_data
        return Asker(
            name=data["name"],
            employee_no=data["employee_no"],
            phone=data.get("phone", ""),
            topic=data["topic"],
            wanted_host=data.get("wanted_host", ""),
        )


class RecordForm(AskForm):
    """A request a recorder heard in person, at a unit in their scope."""

    unit = forms.CharField(label=_("所在单位（单位代码）"), max_length=QUERY_MAX)

    field_order = ["unit", "name", "employee_no", "phone", "topic", "wanted_host"]

    def __init__(self, data: Any = None, *, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.actor = actor
        del self.fields["website"]

    def clean_unit(self) -> OrgUnit:
        return unit_by_code(self.actor, str(self.cleaned_data["unit"]).strip())


class ReceiptForm(forms.Form):
    """The receipt code, typed in to follow a request."""

    code = forms.CharField(
        label=_("查询码"), max_length=64, error_messages={"required": _("请输入查询码。")}
    )


class RequestFilterForm(forms.Form):
    """What the requests list is narrowed by; every field optional, all in the URL."""

    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *RequestStatus.choices]
    )
    unit = forms.CharField(label=_("单位代码（含下级单位）"), required=False, max_length=QUERY_MAX)
    q = forms.CharField(label=_("姓名、工号或内容"), required=False, max_length=QUERY_MAX)
    overdue = forms.BooleanField(label=_("只看超期未安排"), required=False)

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        return unit_by_code(self.actor, code) if code else None

    def filters(self) -> RequestFilters:
        data = self.cleaned_data
        return RequestFilters(
            unit=data.get("unit"),
            status=str(data.get("status") or ""),
            overdue=bool(data.get("overdue")),
            text=str(data.get("q") or ""),
        )


class ScheduleForm(ServiceForm):
    """When, where and with whom a requested talk takes place."""

    scheduled_at = forms.DateTimeField(
        label=_("约定时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("请填写约定时间。"), "invalid": _("时间格式不正确。")},
    )
    place = forms.CharField(
        label=_("约定地点"),
        max_length=validation.PLACE_MAX,
        error_messages={"required": _("请填写约定地点。")},
    )
    host = forms.ChoiceField(
        label=_("约谈人"), choices=(), error_messages={"required": _("请选择约谈人。")}
    )

    def __init__(self, data: Any = None, *, hosts: list[Person], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["host"].choices = [  # type: ignore[attr-defined]
            ("", _("请选择")),
            *((p.employee_no, f"{p.name}（{p.unit.name}{'·' + p.position if p.position else ''}）")
              for p in hosts),
        ]  # fmt: skip


class HoldForm(ServiceForm):
    """The date a requested talk was held."""

    held_on = forms.DateField(
        label=_("约谈日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写约谈日期。")},
    )
    record_id = forms.IntegerField(label=_("谈话记录编号（可选）"), required=False, min_value=1)


class DeclineForm(ServiceForm):
    """Why the unit does not arrange the talk; the employee reads it."""

    reason = forms.CharField(
        label=_("未安排原因（申请人可见）"),
        max_length=validation.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请说明未安排约谈的原因，申请人会看到。")},
    )
