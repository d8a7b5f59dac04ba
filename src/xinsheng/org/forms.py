"""Forms of the org staff pages.

They clean fields with the same functions as the services (``validation``), so that every mistake
shows at once; the services check again, and their ``InvalidInput`` lands on the form too.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.forms import ServiceForm as ServiceForm  # the staff forms' base, too
from xinsheng.core.forms import field_checked
from xinsheng.org import permissions, selectors, validation
from xinsheng.org.attributes import groups_of
from xinsheng.org.choices import CadreRank, PersonGroup, Role, UnitKind
from xinsheng.org.models import OrgUnit, Person

REQUIRED = {"required": _("此项为必填项。")}
RANK_CHOICES = [("", _("非干部")), *CadreRank.choices]
CHARGE_SEARCH = "units_in_charge_add"  # the picker's box: what it searches, or codes typed in it


class UnitCreateForm(ServiceForm):
    name = forms.CharField(label=_("单位名称"), max_length=100, error_messages=REQUIRED)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices, error_messages=REQUIRED)
    code = forms.CharField(
        label=_("单位代码"),
        max_length=32,
        error_messages=REQUIRED,
        help_text=_("简短稳定的公开代码，用于二维码链接；字母、数字、短横线。创建后不可修改。"),
    )

    def clean_name(self) -> str:
        return field_checked(validation.clean_unit_name, self.cleaned_data["name"])

    def clean_code(self) -> str:
        return field_checked(validation.clean_unit_code, self.cleaned_data["code"])


class UnitUpdateForm(ServiceForm):
    name = forms.CharField(label=_("单位名称"), max_length=100, error_messages=REQUIRED)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices, error_messages=REQUIRED)
    is_active = forms.BooleanField(
        label=_("启用"),
        required=False,
        help_text=_("停用后，在该单位任命的角色暂停生效。"),
    )

    @classmethod
    def for_unit(cls, unit: OrgUnit, data: Any = None) -> "UnitUpdateForm":
        """Return the form for ``unit``, filled with its current values."""
        initial = {"name": unit.name, "kind": unit.kind, "is_active": unit.is_active}
        return cls(data, initial=initial)

    def clean_name(self) -> str:
        return field_checked(validation.clean_unit_name, self.cleaned_data["name"])


class CheckboxGroup(forms.CheckboxSelectMultiple):
    """Tick boxes that wrap on a phone, under the field's own label.

    Its ``input_type`` is not "checkbox", since the staff form template draws a "checkbox"
    widget as one box inside its label; each option is still a checkbox.
    """

    input_type = "checkbox-group"
    template_name = "org/widgets/checkbox_group.html"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["type"] = "checkbox"
        return option


class UnitsInChargeWidget(forms.Widget):
    """The units in charge as ticked boxes, and a box to add more by code or name.

    The box asks for suggestions as one types (htmx); ticking one adds it. Codes or exact names
    typed in the box (separated by 、 or commas) are added too, so that it works without script.
    The form sets ``units`` (shown ticked) and ``fixed`` (outside the user's scope, shown only).
    """

    template_name = "org/widgets/units_in_charge.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.units: list[OrgUnit] = []
        self.fixed: list[OrgUnit] = []
        self.typed = ""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list[str]:
        getlist = getattr(data, "getlist", None)
        ticked = list(getlist(name)) if getlist else list(data.get(name) or [])
        return [*ticked, *validation.split_unit_references(data.get(CHARGE_SEARCH, ""))]

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return False  # nothing ticked and nothing typed is an empty list, not a missing field

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            units=self.units, fixed=self.fixed, typed=self.typed, search_name=CHARGE_SEARCH
        )
        return context


class UnitsInChargeField(forms.Field):
    """The units in charge as typed or ticked: a list of codes or names, resolved by the form."""

    widget = UnitsInChargeWidget

    def to_python(self, value: Any) -> list[str]:
        return [str(item).strip() for item in value or [] if str(item).strip()]


class PersonStandingForm(ServiceForm):
    """A person's cadre rank, principal flag, groups and units in charge (add and edit forms)."""

    cadre_rank = forms.ChoiceField(label=_("干部级别"), choices=RANK_CHOICES, required=False)
    is_principal = forms.BooleanField(
        label=_("单位主要负责人"),
        required=False,
        help_text=_("所在单位的正职，如矿长、党委书记、科长、队长。"),
    )
    groups = forms.MultipleChoiceField(
        label=_("人员群体"), choices=PersonGroup.choices, required=False, widget=CheckboxGroup
    )
    units_in_charge = UnitsInChargeField(
        label=_("分管单位"),
        required=False,
        help_text=_("本人所在单位以外、由其分管的单位。可输入单位代码，多个用顿号或逗号分隔。"),
    )

    def __init__(
        self, *args: Any, actor: Actor, units_in_charge: Iterable[OrgUnit] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        held = list(units_in_charge)
        widget = self.charge_widget
        widget.units = [u for u in held if permissions.may(actor, "person.manage", u)]
        widget.fixed = [u for u in held if u not in widget.units]

    @property
    def charge_widget(self) -> UnitsInChargeWidget:
        widget = self.fields["units_in_charge"].widget
        assert isinstance(widget, UnitsInChargeWidget)  # noqa: S101 - declared just above
        return widget

    def clean_units_in_charge(self) -> list[OrgUnit]:
        """Return the units named by the ticked codes and the typed codes or names."""
        found: dict[int, OrgUnit] = {}
        unknown: list[str] = []
        problems: list[str] = []
        for reference in dict.fromkeys(self.cleaned_data["units_in_charge"]):
            units = selectors.unit_by_reference_for(
                actor=self.actor, reference=reference, action="person.manage"
            )
            if len(units) == 1:
                found.setdefault(units[0].pk, units[0])
                continue
            unknown.append(reference)
            problems.append(
                str(_("有多个单位名为“%(name)s”，请填写单位代码。") % {"name": reference})
                if units
                else str(
                    _("找不到单位“%(name)s”，或该单位不在您的管理范围内。") % {"name": reference}
                )
            )
        widget = self.charge_widget
        widget.units = sorted(found.values(), key=lambda unit: unit.path)
        widget.typed = "、".join(unknown)
        if problems:
            raise forms.ValidationError(problems)
        return widget.units


class PersonCreateForm(PersonStandingForm):
    field_order = ["employee_no", "name", "position", "phone", "birth_date"]

    employee_no = forms.CharField(label=_("工号"), max_length=32, error_messages=REQUIRED)
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages=REQUIRED)
    position = forms.CharField(label=_("职务/岗位"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("选填，用于生日祝福名单。"),
    )

    def clean_employee_no(self) -> str:
        return field_checked(validation.clean_employee_no, self.cleaned_data["employee_no"])

    def clean_name(self) -> str:
        return field_checked(validation.clean_name, self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return field_checked(validation.clean_phone, self.cleaned_data["phone"])


class PersonUpdateForm(PersonStandingForm):
    """Edit a person; ``unit`` is the code of the unit they belong to, so moving is typing it."""

    field_order = ["unit", "name", "position", "phone", "birth_date", "is_active"]

    unit = forms.CharField(
        label=_("所在单位代码"),
        max_length=100,
        error_messages=REQUIRED,
        help_text=_("调动时输入目标单位的单位代码，可输入名称查找。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages=REQUIRED)
    position = forms.CharField(label=_("职务/岗位"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    is_active = forms.BooleanField(label=_("在职"), required=False)
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("选填，用于生日祝福名单。"),
    )

    @classmethod
    def for_person(
        cls,
        person: Person,
        *,
        actor: Actor,
        units_in_charge: Iterable[OrgUnit] = (),
        data: Any = None,
    ) -> "PersonUpdateForm":
        """Return the form for ``person``, filled with their current values."""
        initial = {
            "unit": person.unit.code,
            "name": person.name,
            "position": person.position,
            "phone": person.phone,
            "birth_date": person.birth_date,
            "is_active": person.is_active,
            "cadre_rank": person.cadre_rank,
            "is_principal": person.is_principal,
            "groups": groups_of(person),
        }
        return cls(data, initial=initial, actor=actor, units_in_charge=units_in_charge)

    def clean_name(self) -> str:
        return field_checked(validation.clean_name, self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return field_checked(validation.clean_phone, self.cleaned_data["phone"])

    def clean_unit(self) -> OrgUnit:
        """Return the unit named by its code, if the actor may place people there."""
        code = self.cleaned_data["unit"].strip()
        try:
            unit = selectors.unit_get_for(actor=self.actor, code=code)
        except NotFound:
            raise forms.ValidationError(
                _("找不到该单位代码，或该单位不在您的管理范围内。")
            ) from None
        if not permissions.may(self.actor, "person.manage", unit):
            raise forms.ValidationError(_("您无权管理该单位的人员。"))
        return unit


class RoleAssignForm(ServiceForm):
    """Give someone a role at a unit; the person is named by employee number."""

    person = forms.CharField(label=_("工号"), max_length=32, error_messages=REQUIRED)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices, error_messages=REQUIRED)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_person(self) -> Person:
        """Return the person with this employee number, if the actor may see them."""
        employee_no = self.cleaned_data["person"].strip()
        try:
            return selectors.person_get_for(actor=self.actor, employee_no=employee_no)
        except NotFound:
            raise forms.ValidationError(_("找不到该工号的人员，或其不在您的管理范围内。")) from None
