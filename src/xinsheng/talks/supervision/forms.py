"""Forms of the supervision pages: the board's choice of unit, group and period; groups; notices;
answers; inspections. The services check everything again."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.forms import ServiceForm, date_input
from xinsheng.core.periods import Period, period_between
from xinsheng.org import selectors as org_selectors
from xinsheng.org.form_lookups import unit_of
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.models import SupervisionGroup
from xinsheng.talks.supervision import services

LIST_SPLIT = re.compile(r"[\s,，、;；]+")
ITEM_ROWS = 3


class BoardForm(forms.Form):
    """Which units the board shows (a group's, or a unit and those below it) and when."""

    group = forms.ModelChoiceField(
        label=_("督导组"), required=False, queryset=SupervisionGroup.objects.none()
    )
    unit = forms.CharField(label=_("单位代码"), required=False, max_length=100)
    start = forms.DateField(label=_("开始日期"), required=False, widget=date_input())
    end = forms.DateField(label=_("结束日期"), required=False, widget=date_input())

    def __init__(
        self, data: Any = None, *, actor: Actor, groups: QuerySet[SupervisionGroup]
    ) -> None:
        if data is not None:
            data = data.copy()
            for short, name in (("from", "start"), ("to", "end")):
                if data.get(short) and not data.get(name):
                    data[name] = data[short]
        super().__init__(data)
        self.actor = actor
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        return unit_of(self.actor, code) if code else None


def board_period(data: dict[str, Any]) -> Period:
    """Return the period the board's ``data`` chose; this calendar year by default."""
    today = timezone.localdate()
    start = data.get("start") or dt.date(today.year, 1, 1)
    end = data.get("end") or dt.date(start.year, 12, 31)
    return period_between(start, end)


def _people(actor: Actor, text: str) -> list[Person]:
    people = []
    for number in LIST_SPLIT.split(text.strip()):
        if not number:
            continue
        try:
            people.append(org_selectors.person_get_for(actor=actor, employee_no=number))
        except NotFound:
            raise forms.ValidationError(_("找不到工号“%(no)s”的人员。") % {"no": number}) from None
    return people


def _units(actor: Actor, text: str) -> list[OrgUnit]:
    return [unit_of(actor, code) for code in LIST_SPLIT.split(text.strip()) if code]


class GroupForm(ServiceForm):
    """Set up or change a supervision group."""

    name = forms.CharField(label=_("名称"), max_length=services.NAME_MAX)
    members = forms.CharField(
        label=_("成员工号"), help_text=_("多个工号用空格或逗号分隔。"), max_length=2000
    )
    units = forms.CharField(
        label=_("督导单位代码"), help_text=_("多个单位代码用空格或逗号分隔。"), max_length=2000
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(
        self, data: Any = None, *, actor: Actor, group: SupervisionGroup | None = None
    ) -> None:
        initial = None
        if group is not None and data is None:
            initial = {
                "name": group.name,
                "members": " ".join(group.members.values_list("employee_no", flat=True)),
                "units": " ".join(group.units.values_list("code", flat=True)),
                "is_active": group.is_active,
            }
        super().__init__(data, initial=initial)
        self.actor = actor

    def clean_members(self) -> list[Person]:
        return _people(self.actor, str(self.cleaned_data["members"]))

    def clean_units(self) -> list[OrgUnit]:
        return _units(self.actor, str(self.cleaned_data["units"]))

    def group_data(self) -> services.GroupData:
        """Return what the service writes."""
        data = self.cleaned_data
        return services.GroupData(
            name=data["name"],
            members=data["members"],
            units=data["units"],
            is_active=bool(data["is_active"]),
        )


class NoticeForm(ServiceForm):
    """A 督办 notice to a unit."""

    group = forms.ModelChoiceField(label=_("督导组"), queryset=SupervisionGroup.objects.none())
    unit = forms.CharField(label=_("单位代码"), max_length=100)
    text = forms.CharField(
        label=_("督办内容"),
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        actor: Actor,
        groups: QuerySet[SupervisionGroup],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.actor = actor
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]

    def clean_unit(self) -> OrgUnit:
        return unit_of(self.actor, str(self.cleaned_data["unit"]).strip())


class AnswerForm(ServiceForm):
    """The unit's answer to a notice."""

    answer = forms.CharField(label=_("回复"), max_length=services.TEXT_MAX)


class InspectionForm(ServiceForm):
    """An inspection of a unit, its findings and up to three items to put right."""

    group = forms.ModelChoiceField(label=_("督导组"), queryset=SupervisionGroup.objects.none())
    unit = forms.CharField(label=_("被检查单位代码"), max_length=100)
    held_on = forms.DateField(label=_("检查日期"), widget=date_input())
    findings = forms.CharField(
        label=_("发现的问题"),
        max_length=services.FINDINGS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, data: Any = None, *, actor: Actor, groups: QuerySet[SupervisionGroup]
    ) -> None:
        super().__init__(data, initial={"held_on": timezone.localdate().isoformat()})
        self.actor = actor
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        for number in range(1, ITEM_ROWS + 1):
            self.fields[f"item{number}_text"] = forms.CharField(
                label=_("整改事项%(n)s") % {"n": number}, required=False, max_length=500
            )
            self.fields[f"item{number}_unit"] = forms.CharField(
                label=_("责任单位代码"), required=False, max_length=100
            )
            self.fields[f"item{number}_due"] = forms.DateField(
                label=_("完成时限"), required=False, widget=date_input()
            )

    def clean_unit(self) -> OrgUnit:
        return unit_of(self.actor, str(self.cleaned_data["unit"]).strip())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(1, ITEM_ROWS + 1):
            text = str(data.get(f"item{number}_text") or "").strip()
            if not text:
                continue
            code = str(data.get(f"item{number}_unit") or "").strip()
            if not code and isinstance(data.get("unit"), OrgUnit):
                code = data["unit"].code
            try:
                data[f"item{number}_owner"] = unit_of(self.actor, code)
            except forms.ValidationError as error:
                self.add_error(f"item{number}_unit", error)
            if not data.get(f"item{number}_due"):
                self.add_error(f"item{number}_due", _("请填写完成时限。"))
        return data

    def items(self) -> list[services.Finding]:
        """Return the items to put right entered with the inspection."""
        data = self.cleaned_data
        return [
            services.Finding(
                text=str(data[f"item{number}_text"]).strip(),
                owner_unit=data[f"item{number}_owner"],
                due_on=data[f"item{number}_due"],
            )
            for number in range(1, ITEM_ROWS + 1)
            if str(data.get(f"item{number}_text") or "").strip()
        ]
