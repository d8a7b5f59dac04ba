"""Forms of the meeting pages. The services check everything again; their ``InvalidInput`` lands
on the form (``ServiceForm``)."""

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.choices import CaseKind
from xinsheng.cases.services import Identity
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.forms import ServiceForm, date_input
from xinsheng.org import selectors as org_selectors
from xinsheng.org.form_lookups import unit_of
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.choices import MeetingKind
from xinsheng.talks.meetings import services
from xinsheng.talks.meetings.selectors import ItemFilters, MeetingFilters

QUERY_MAX = 100
LABEL_SPLIT = re.compile(r"[,，、;；\n]+")


class MeetingFilterForm(forms.Form):
    """What the meeting list is narrowed by; every field optional, all in the URL."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=QUERY_MAX)
    unit = forms.CharField(label=_("单位代码（含下级单位）"), required=False, max_length=QUERY_MAX)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *MeetingKind.choices]
    )
    start = forms.DateField(label=_("开始日期"), required=False, widget=date_input())
    end = forms.DateField(label=_("结束日期"), required=False, widget=date_input())

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        if data is not None:  # the coverage board links with from/to, as the records ledger
            data = data.copy()
            for short, name in (("from", "start"), ("to", "end")):
                if data.get(short) and not data.get(name):
                    data[name] = data[short]
        super().__init__(data)
        self.actor = actor

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        return unit_of(self.actor, code) if code else None

    def filters(self) -> MeetingFilters:
        """Return the filters of a valid form, for ``meeting_list_for``."""
        data = self.cleaned_data
        return MeetingFilters(
            unit=data.get("unit"),
            kind=data.get("kind") or "",
            start=data.get("start"),
            end=data.get("end"),
            text=str(data.get("q") or ""),
        )


class MeetingForm(ServiceForm):
    """Record a meeting; made to be filled in on a phone right after it."""

    kind = forms.ChoiceField(label=_("类型"), choices=MeetingKind.choices)
    unit = forms.CharField(label=_("单位（单位代码）"), max_length=QUERY_MAX)
    held_on = forms.DateField(label=_("日期"), widget=date_input())
    title = forms.CharField(label=_("主题"), max_length=services.TITLE_MAX)
    host = forms.CharField(
        label=_("主持人工号"), required=False, max_length=32, help_text=_("可不填。")
    )
    attendance = forms.IntegerField(
        label=_("参加人数"),
        min_value=1,
        max_value=services.ATTENDANCE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topics = forms.CharField(
        label=_("议题"),
        required=False,
        max_length=services.TOPICS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hot_topics = forms.CharField(
        label=_("回应的热点"),
        required=False,
        max_length=1000,
        help_text=_("宣讲/面对面回应的热点主题，用逗号或顿号分隔。"),
    )

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data, initial={"held_on": timezone.localdate().isoformat()})
        self.actor = actor

    def clean_unit(self) -> OrgUnit:
        return unit_of(self.actor, str(self.cleaned_data["unit"]).strip())

    def clean_host(self) -> Person | None:
        number = str(self.cleaned_data["host"]).strip()
        if not number:
            return None
        try:
            return org_selectors.person_get_for(actor=self.actor, employee_no=number)
        except NotFound:
            raise forms.ValidationError(_("找不到该工号的人员。")) from None

    def clean_hot_topics(self) -> list[str]:
        return [part for part in LABEL_SPLIT.split(str(self.cleaned_data["hot_topics"])) if part]

    def meeting_data(self) -> services.MeetingData:
        """Return what the service records."""
        data = self.cleaned_data
        return services.MeetingData(
            kind=data["kind"],
            unit=data["unit"],
            held_on=data["held_on"],
            title=data["title"],
            attendance=data["attendance"],
            host=data["host"],
            topics=data["topics"],
            hot_topics=data["hot_topics"],
        )


class ItemForm(ServiceForm):
    """A finding to put right: what, which unit, by when."""

    text = forms.CharField(label=_("整改事项"), max_length=services.ITEM_MAX)
    owner_unit = forms.CharField(label=_("责任单位（单位代码）"), max_length=QUERY_MAX)
    due_on = forms.DateField(label=_("完成时限"), widget=date_input())

    def __init__(
        self, data: Any = None, *, actor: Actor, initial: dict[str, Any] | None = None
    ) -> None:
        super().__init__(data, initial=initial)
        self.actor = actor

    def clean_owner_unit(self) -> OrgUnit:
        return unit_of(self.actor, str(self.cleaned_data["owner_unit"]).strip())


class DoneForm(ServiceForm):
    """What was done to put an item right."""

    note = forms.CharField(label=_("完成情况"), max_length=services.NOTE_MAX)


class QuestionForm(ServiceForm):
    """A question raised at the meeting, written as a voice of the closed loop."""

    kind = forms.ChoiceField(label=_("类型"), choices=CaseKind.choices, initial=CaseKind.DEMAND)
    title = forms.CharField(label=_("标题"), required=False, max_length=100)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(
        label=_("提出人"), required=False, max_length=50, help_text=_("不填则为匿名。")
    )
    employee_no = forms.CharField(label=_("提出人工号"), required=False, max_length=32)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)

    def identity(self) -> Identity:
        """Return who raised it: named when a name or number is given, anonymous otherwise."""
        data = self.cleaned_data
        named = bool(data["name"].strip() or data["employee_no"].strip())
        if not named:
            return Identity(anonymous=True)
        return Identity(
            anonymous=False,
            name=data["name"].strip(),
            employee_no=data["employee_no"].strip(),
            phone=data["phone"].strip(),
        )


class ItemFilterForm(forms.Form):
    """What the list of rectification items is narrowed by."""

    unit = forms.CharField(label=_("单位代码（含下级单位）"), required=False, max_length=QUERY_MAX)
    overdue = forms.BooleanField(label=_("只看已超期"), required=False)
    open = forms.BooleanField(label=_("只看未完成"), required=False)

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        return unit_of(self.actor, code) if code else None

    def filters(self) -> ItemFilters:
        """Return the filters of a valid form."""
        data = self.cleaned_data
        return ItemFilters(
            unit=data.get("unit"),
            overdue=bool(data.get("overdue")),
            open_only=bool(data.get("open")),
        )
