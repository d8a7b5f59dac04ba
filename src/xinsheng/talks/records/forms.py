"""Forms of the talk record pages: the entry form (also the correction form) and the ledger's
filters. The forms check the shape of what is typed; the service checks the rest (people, scope,
dates) and its ``InvalidInput`` lands on the fields (``ServiceForm``)."""

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.choices import CaseKind
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.core.forms import ServiceForm
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import Direction, Place, TalkKind
from xinsheng.talks.models import TalkRecord
from xinsheng.talks.records import selectors
from xinsheng.talks.records import vocabulary as words
from xinsheng.talks.records.checks import TalkInput, VoiceInput, own_person
from xinsheng.talks.records.keys import KEY_MAX
from xinsheng.talks.records.selectors import WITH_VOICES, WITHOUT_VOICES, TalkFilters

QUERY_MAX = 100
VOICE_ROWS = 3  # voices the form offers; the API takes more
PEOPLE_FIELD_MAX = 4000


def _date_input() -> forms.DateInput:
    """Return a date picker; it needs ISO dates whatever the language's date format."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _tag_choices() -> list[tuple[str, Any]]:
    return [(tag, words.TAG_LABELS[tag]) for tag in words.SUGGESTED_TAGS]


def new_client_key() -> str:
    """Return a fresh random key for a record being started (the page's script makes its own)."""
    return str(uuid.uuid4())


class TalkEntryForm(ServiceForm):
    """One talk or visit. Kind, unit, date, place, direction and hosts stay for the next one."""

    KEPT = ("kind", "unit", "held_on", "place", "place_note", "direction", "hosts")

    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=KEY_MAX)
    kind = forms.ChoiceField(
        label=_("类型"), choices=TalkKind.choices, initial=TalkKind.TALK, widget=forms.RadioSelect
    )
    unit = forms.CharField(label=_("所在单位"), max_length=32)
    held_on = forms.DateField(label=_("日期"), widget=_date_input())
    hosts = forms.CharField(
        label=_("谈话人（工号）"),
        required=False,
        max_length=PEOPLE_FIELD_MAX,
        help_text=_("默认是您本人；多人用逗号或顿号分开。"),
    )
    people = forms.CharField(
        label=_("谈话对象（工号）"),
        required=False,
        max_length=PEOPLE_FIELD_MAX,
        help_text=_("家访填写被走访职工的工号；多人用逗号或顿号分开，可用下方查找按姓名选人。"),
    )
    place = forms.ChoiceField(
        label=_("地点"), required=False, choices=[("", _("（未填）")), *Place.choices]
    )
    place_note = forms.CharField(
        label=_("地点说明"), required=False, max_length=words.PLACE_NOTE_MAX
    )
    direction = forms.ChoiceField(
        label=_("方式"),
        choices=Direction.choices,
        initial=Direction.INITIATED,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(
        label=_("谈话摘要"),
        required=False,
        max_length=words.SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = forms.MultipleChoiceField(
        label=_("思想动态与关注"),
        required=False,
        choices=_tag_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    other_tags = forms.CharField(
        label=_("其他标签"),
        required=False,
        max_length=200,
        help_text=_("可自行填写，多个用逗号分开。"),
    )
    sensitive_note = forms.CharField(
        label=_("敏感情况（健康、家庭困难等）"),
        required=False,
        max_length=words.SENSITIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("只有单位负责人和领导可以查看，每次查看都会留下记录。"),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        actor: Actor,
        initial: dict[str, Any] | None = None,
        voice_rows: int = VOICE_ROWS,
    ) -> None:
        super().__init__(data, initial=initial)
        self.actor = actor
        self.fields["held_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.voice_rows = voice_rows
        for number in range(1, voice_rows + 1):
            self.fields[f"voice_text_{number}"] = forms.CharField(
                label=_("反映的诉求 %(n)d") % {"n": number},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"voice_kind_{number}"] = forms.ChoiceField(
                label=_("类型"), choices=CaseKind.choices, initial=CaseKind.DEMAND
            )
            self.fields[f"voice_anonymous_{number}"] = forms.BooleanField(
                label=_("匿名（不记提出人姓名）"), required=False
            )
        if data is None and not self.initial.get("client_key"):
            self.initial["client_key"] = new_client_key()

    @classmethod
    def fresh(cls, *, actor: Actor, kept: dict[str, Any] | None = None) -> "TalkEntryForm":
        """Return an empty form for the next record, keeping what ``kept`` names of ``KEPT``."""
        initial: dict[str, Any] = {"held_on": timezone.localdate()}
        unit = selectors.talk_record_unit_default(actor)
        if unit is not None:
            initial["unit"] = unit.code
        person = own_person(actor)
        if person is not None:
            initial["hosts"] = person.employee_no
        initial.update({k: v for k, v in (kept or {}).items() if k in cls.KEPT})
        return cls(actor=actor, initial=initial)

    @classmethod
    def of_record(
        cls, record: TalkRecord, *, actor: Actor, data: Any = None, sensitive_note: str = ""
    ) -> "TalkEntryForm":
        """Return the correction form of ``record``: its values, and rows for new voices.

        The sensitive note is filled in only as the caller read it for this actor
        (``sensitive_note``: empty for those who may not read it, and then left as it is).
        """
        suggested = set(words.SUGGESTED_TAGS)
        initial = {
            "kind": record.kind,
            "unit": record.unit.code,
            "held_on": record.held_on,
            "hosts": "、".join(row.person.employee_no for row in record.host_rows.all()),
            "people": "、".join(row.person.employee_no for row in record.participants.all()),
            "place": record.place,
            "place_note": record.place_note,
            "direction": record.direction,
            "summary": record.summary,
            "tags": [tag for tag in record.tags if tag in suggested],
            "other_tags": "、".join(tag for tag in record.tags if tag not in suggested),
            "client_key": "",
            "sensitive_note": sensitive_note,
        }
        return cls(data, actor=actor, initial=initial)

    def add_service_error(self, error: InvalidInput) -> None:
        """Show the service's messages on their fields; those on the voices under the first."""
        fields = {("voice_text_1" if n == "voices" else n): m for n, m in error.fields.items()}
        super().add_service_error(InvalidInput(error.message, code=error.code, fields=fields))

    @property
    def voices_open(self) -> bool:
        """Return whether the voices part of the form should show opened."""
        return any(
            self[f"voice_text_{n}"].errors or self[f"voice_text_{n}"].value()
            for n in range(1, self.voice_rows + 1)
        )

    @property
    def voice_fields(self) -> list[tuple[Any, Any, Any]]:
        """Return the bound fields of each voice row: text, kind, anonymous."""
        return [
            (self[f"voice_text_{n}"], self[f"voice_kind_{n}"], self[f"voice_anonymous_{n}"])
            for n in range(1, self.voice_rows + 1)
        ]

    def clean_unit(self) -> OrgUnit:
        code = str(self.cleaned_data["unit"]).strip()
        unit = selectors.talk_record_unit_get(actor=self.actor, code=code)
        if unit is None:
            raise forms.ValidationError(_("找不到该单位，或您无权在该单位记录谈话。"))
        return unit

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("谈话日期不能晚于今天。"))
        return held_on

    def talk_input(self) -> TalkInput:
        """Return what the form holds, as the service takes it."""
        data = self.cleaned_data
        voices = []
        for number in range(1, self.voice_rows + 1):
            text = str(data.get(f"voice_text_{number}") or "").strip()
            if text:
                voices.append(
                    VoiceInput(
                        text=text,
                        kind=data.get(f"voice_kind_{number}") or CaseKind.DEMAND,
                        anonymous=bool(data.get(f"voice_anonymous_{number}")),
                    )
                )
        tags = list(data.get("tags") or []) + words.split_words(data.get("other_tags") or "")
        return TalkInput(
            kind=data["kind"],
            unit=data["unit"],
            held_on=data["held_on"],
            person_employee_nos=words.split_words(data.get("people") or ""),
            host_employee_nos=words.split_words(data.get("hosts") or ""),
            place=data.get("place") or "",
            place_note=data.get("place_note") or "",
            direction=data.get("direction") or Direction.INITIATED,
            summary=data.get("summary") or "",
            tags=tags,
            sensitive_note=data.get("sensitive_note") or "",
            voices=voices,
        )

    def kept(self) -> dict[str, Any]:
        """Return the values the next record starts with."""
        data = self.cleaned_data
        kept = {name: data.get(name) for name in self.KEPT}
        kept["unit"] = data["unit"].code
        return kept


class TalkFilterForm(forms.Form):
    """What the ledger is narrowed by; every field optional, all in the URL."""

    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=QUERY_MAX,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("摘要、谈话对象姓名或工号")}
        ),
    )
    unit = forms.CharField(label=_("单位代码（含下级单位）"), required=False, max_length=QUERY_MAX)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部类型")), *TalkKind.choices]
    )
    place = forms.ChoiceField(
        label=_("地点"), required=False, choices=[("", _("全部地点")), *Place.choices]
    )
    host = forms.CharField(label=_("谈话人工号"), required=False, max_length=32)
    voices = forms.ChoiceField(
        label=_("反映诉求"),
        required=False,
        choices=[
            ("", _("全部")),
            (WITH_VOICES, _("有反映诉求")),
            (WITHOUT_VOICES, _("无反映诉求")),
        ],
    )
    tag = forms.CharField(label=_("标签"), required=False, max_length=words.TAG_MAX)
    date_from = forms.DateField(label=_("日期自"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("至"), required=False, widget=_date_input())

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor
        self.fields["tag"].widget.attrs["list"] = "tag-options"

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data["q"]).split())

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        if not code:
            return None
        try:
            return selectors.talk_unit_get_for(actor=self.actor, code=code)
        except NotFound:
            raise forms.ValidationError(
                _("找不到单位代码“%(code)s”，或该单位不在您的查看范围内。") % {"code": code}
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> TalkFilters:
        """Return the filters of a valid form, for ``talk_list_for``."""
        data = self.cleaned_data
        return TalkFilters(
            unit=data.get("unit"),
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            place=data.get("place") or "",
            host=str(data.get("host") or "").strip(),
            voices=data.get("voices") or "",
            tag=str(data.get("tag") or "").strip(),
            text=data.get("q") or "",
        )

    @property
    def is_filtered(self) -> bool:
        """Return whether any filter is set."""
        if not self.is_valid():
            return True
        return any(self.cleaned_data.values())
