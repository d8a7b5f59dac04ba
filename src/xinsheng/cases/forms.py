"""Forms of the staff case pages: the ledger's filters and the notebook (民情记事本).

Fields are cleaned with the same functions as the services, so that a mistake shows at once; the
services check again, and their ``InvalidInput`` lands on the form (``ServiceForm``).
"""

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from xinsheng.cases import selectors
from xinsheng.cases.choices import NOTEBOOK_CHANNELS, CaseKind, CaseStatus, Channel
from xinsheng.cases.ledger.keyset import DEADLINE, NEWEST
from xinsheng.cases.selectors import CaseFilters
from xinsheng.cases.services import Identity
from xinsheng.cases.validation import TEXT_MAX, clean_text
from xinsheng.core import remembered_widgets as remembered
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput
from xinsheng.core.forms import ServiceForm
from xinsheng.org import permissions
from xinsheng.org import validation as org_validation
from xinsheng.org.forms import REQUIRED
from xinsheng.org.models import OrgUnit
from xinsheng.org.unit_picker import Picked, UnitPickerField, UnitPickerWidget, unit_picked

QUERY_MAX = 100
SORT_CHOICES = [(NEWEST, _("最新提出")), (DEADLINE, _("办理时限"))]


def _date_input(kind: type[forms.DateInput] = forms.DateInput) -> forms.DateInput:
    """Return a date picker; it needs ISO dates whatever the language's date format."""
    return kind(attrs={"type": "date"}, format="%Y-%m-%d")


def _checked(clean: Callable[[object], str], value: object) -> str:
    """Return ``value`` cleaned by ``clean``, its ``InvalidInput`` turned into a field error."""
    try:
        return clean(value)
    except InvalidInput as error:
        raise forms.ValidationError(str(error.message)) from None


def _any(label: Any, choices: Any) -> list[tuple[str, Any]]:
    """Return ``choices`` after an empty first choice that stands for "all"."""
    return [("", label), *choices]


# --- The ledger's filters -------------------------------------------------------------------------


class LedgerFilterForm(forms.Form):
    """What the ledger is narrowed by and how it is sorted; every field optional, all in the URL.

    The form is shown on every page of the ledger with the same few values, so its widgets keep
    the HTML they rendered (``core.remembered_widgets``) instead of rendering each option through
    a template on every request.
    """

    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=QUERY_MAX,
        widget=remembered.TextInput(attrs={"type": "search", "placeholder": _("编号、标题或内容")}),
    )
    unit = UnitPickerField(
        label=_("单位（含下级单位）"),
        required=False,
        # the list of units found is fetched without changing the page's address
        widget=UnitPickerWidget(attrs={"hx-push-url": "false"}),
    )
    status = forms.MultipleChoiceField(
        label=_("状态"),
        required=False,
        choices=CaseStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label=_("类型"), required=False, widget=remembered.Select)
    channel = forms.ChoiceField(label=_("来源渠道"), required=False, widget=remembered.Select)
    category = forms.ChoiceField(label=_("类别"), required=False, widget=remembered.Select)
    overdue = forms.BooleanField(
        label=_("只看超期"), required=False, widget=remembered.CheckboxInput
    )
    date_from = forms.DateField(
        label=_("提出日期自"), required=False, widget=_date_input(remembered.DateInput)
    )
    date_to = forms.DateField(
        label=_("至"), required=False, widget=_date_input(remembered.DateInput)
    )
    sort = forms.ChoiceField(
        label=_("排序"), required=False, choices=SORT_CHOICES, widget=remembered.Select
    )

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor
        self.fields["kind"].choices = _any(_("全部类型"), CaseKind.choices)  # type: ignore[attr-defined]
        self.fields["channel"].choices = _any(_("全部渠道"), Channel.choices)  # type: ignore[attr-defined]
        categories = selectors.category_choices(active_only=False)
        self.fields["category"].choices = _any(_("全部类别"), categories)  # type: ignore[attr-defined]

    def status_checks(self) -> SafeString:
        """Return the status check boxes, each in its label, rendered once per distinct value."""
        bound = self["status"]
        choices = [(value, label) for value, label in bound.field.choices]  # type: ignore[attr-defined]
        key = ("cases.ledger.status", bound.auto_id, remembered.frozen(bound.value()))
        check = '<label class="filter-check">{} {}</label>'
        return remembered.remembered(
            (*key, remembered.frozen(choices)),
            lambda: mark_safe(  # noqa: S308 — each part is escaped by format_html
                "".join(format_html(check, c.tag(), c.choice_label) for c in bound)
            ),
        )

    def clean_q(self) -> str:
        return " ".join(str(self.cleaned_data["q"]).split())

    def clean_unit(self) -> OrgUnit | None:
        """Return the unit typed (name, code or path) or chosen in the picker; None for all."""
        picked: Picked = self.cleaned_data["unit"]
        if not (picked.text or picked.choice):
            return None
        field = self.fields["unit"]
        try:
            return unit_picked(actor=self.actor, field=field, value=picked)
        except forms.ValidationError:
            if isinstance(field.widget, UnitPickerWidget) and field.widget.candidates:
                raise
            raise forms.ValidationError(
                _("找不到单位“%(text)s”，或该单位不在您的查看范围内。") % {"text": picked.text}
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    @property
    def sort_name(self) -> str:
        """Return the chosen sort (newest first unless asked otherwise)."""
        return str(self.cleaned_data.get("sort") or NEWEST) if self.is_valid() else NEWEST

    def filters(self) -> CaseFilters:
        """Return the filters of a valid form, for ``case_list_for``."""
        data = self.cleaned_data
        return CaseFilters(
            unit=data["unit"],
            statuses=list(data["status"]),
            kind=data["kind"],
            channel=data["channel"],
            category=data["category"],
            overdue=bool(data["overdue"]),
            date_from=data["date_from"],
            date_to=data["date_to"],
            text=data["q"],
        )

    @property
    def is_filtered(self) -> bool:
        """Return whether any filter is set (to offer clearing them)."""
        if not self.is_valid():
            return True
        return any(value for name, value in self.cleaned_data.items() if name != "sort")


# --- The notebook (民情记事本) ------------------------------------------------------------

SITTING_SALT = "xinsheng.cases.notebook.sitting"
SITTING_MAX = 100  # entries listed for one sitting; older ones drop off the list, not the ledger
UNIT_CHOICES_MAX = 300  # more units in scope than this: the unit is typed as a code instead


def record_units(actor: Actor) -> list[OrgUnit] | None:
    """Return the active units where ``actor`` may record, or None when too many to list."""
    units = list(
        permissions.units_for(actor, "case.record")
        .filter(is_active=True)
        .order_by("path")[: UNIT_CHOICES_MAX + 1]
    )
    return units if len(units) <= UNIT_CHOICES_MAX else None


def record_unit_default(actor: Actor) -> OrgUnit | None:
    """Return the unit a recorder's entries default to: their own, when they may record there."""
    person = getattr(actor, "person", None)
    if person is not None and permissions.may(actor, "case.record", person.unit):
        return person.unit  # type: ignore[no-any-return]
    roots = permissions.scope_paths(actor, "case.record")
    return permissions.units_for(actor, "case.record").filter(path__in=roots[:1]).first()


def unit_label(unit: OrgUnit, top_depth: int) -> str:
    """Return ``unit``'s name indented by its depth below the top of the list."""
    return "\u3000" * max(int(unit.depth) - top_depth, 0) + str(unit.name)


def _sitting_salt(actor: Actor) -> str:
    return f"{SITTING_SALT}:{actor.pk}"  # a list written for one user is no good to another


def sitting_dump(entries: list[dict[str, str]], *, actor: Actor) -> str:
    """Return the entries of this sitting signed, to carry in the form (not kept on the server).

    Receipt codes are shown once and never stored; the page carries them from one entry to the
    next so that the recorder can hand each one over.
    """
    return signing.dumps(entries[-SITTING_MAX:], salt=_sitting_salt(actor), compress=True)


def sitting_load(token: str, *, actor: Actor) -> list[dict[str, str]]:
    """Return the entries carried in ``token``; none when it is missing or was tampered with."""
    if not token:
        return []
    try:
        entries = signing.loads(token, salt=_sitting_salt(actor))
    except signing.BadSignature:
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


# What a named entry cannot do without, and what the recorder is asked when it is left empty.
NAMED_REQUIRED = {"name": _("请填写姓名。"), "employee_no": _("请填写工号。")}


class NotebookForm(ServiceForm):
    """One voice heard face to face. Unit, date, place and channel stay for the next one."""

    KEPT = ("unit", "heard_on", "heard_place", "channel")

    unit = forms.CharField(label=_("所属单位"), max_length=32, error_messages=REQUIRED)
    heard_on = forms.DateField(label=_("听取日期"), error_messages=REQUIRED, widget=_date_input())
    heard_place = forms.CharField(label=_("听取地点"), max_length=100, required=False)
    channel = forms.ChoiceField(
        label=_("来源渠道"),
        choices=[(c.value, c.label) for c in NOTEBOOK_CHANNELS],
        error_messages=REQUIRED,
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=CaseKind.choices, initial=CaseKind.DEMAND, error_messages=REQUIRED
    )
    text = forms.CharField(
        label=_("听到的内容"),
        max_length=TEXT_MAX,
        error_messages=REQUIRED,
        widget=forms.Textarea(attrs={"rows": 5, "autofocus": True}),
    )
    named = forms.BooleanField(
        label=_("本人同意具名"),
        required=False,
        help_text=_("不勾选即为匿名：不记录姓名、工号和电话。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    employee_no = forms.CharField(label=_("工号"), max_length=32, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, data: Any = None, *, actor: Actor, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        self.actor = actor
        today = timezone.localdate()
        self.fields["heard_on"].widget.attrs["max"] = today.isoformat()
        if data is None and not self.initial.get("token"):
            self.initial["token"] = secrets.token_urlsafe(12)

    @classmethod
    def fresh(cls, *, actor: Actor, kept: dict[str, Any] | None = None) -> "NotebookForm":
        """Return an empty form for the next voice, keeping unit, date, place and channel."""
        initial: dict[str, Any] = {
            "heard_on": timezone.localdate(),
            "channel": Channel.FACE_TO_FACE,
        }
        default = record_unit_default(actor)
        if default is not None:
            initial["unit"] = default.code
        initial.update({k: v for k, v in (kept or {}).items() if k in cls.KEPT})
        return cls(actor=actor, initial=initial)

    def clean_unit(self) -> OrgUnit:
        code = str(self.cleaned_data["unit"]).strip()
        unit = (
            permissions.units_for(self.actor, "case.record")
            .filter(code=code, is_active=True)
            .first()
        )
        if unit is None:
            raise forms.ValidationError(_("找不到该单位，或您无权为该单位记录。"))
        return unit

    def clean_heard_on(self) -> dt.date:
        heard_on: dt.date = self.cleaned_data["heard_on"]
        if heard_on > timezone.localdate():
            raise forms.ValidationError(_("听取日期不能晚于今天。"))
        return heard_on

    def clean_text(self) -> str:
        return _checked(clean_text, self.cleaned_data["text"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(name) for name in ("name", "employee_no", "phone")]
        if data.get("named"):
            for name, clean in (
                ("name", org_validation.clean_name),
                ("employee_no", org_validation.clean_employee_no),
                ("phone", org_validation.clean_phone),
            ):
                if name in NAMED_REQUIRED and not str(data.get(name) or "").strip():
                    self.add_error(name, NAMED_REQUIRED[name])
                    continue
                try:
                    data[name] = clean(data.get(name, ""))
                except InvalidInput as error:
                    self.add_error(name, str(error.message))
        elif any(given):
            self.add_error(
                "named",
                _("填写了提出人信息时，请勾选“本人同意具名”；匿名记录请清空姓名、工号和电话。"),
            )
        return data

    def identity(self) -> Identity:
        """Return who raised the voice, as the service takes it."""
        data = self.cleaned_data
        if not data["named"]:
            return Identity(anonymous=True)
        return Identity(
            anonymous=False,
            name=data["name"],
            employee_no=data["employee_no"],
            phone=data["phone"],
        )

    def kept(self) -> dict[str, Any]:
        """Return the values the next entry starts with."""
        data = self.cleaned_data
        return {
            "unit": data["unit"].code,
            "heard_on": data["heard_on"],
            "heard_place": data["heard_place"],
            "channel": data["channel"],
        }
