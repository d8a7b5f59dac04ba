"""Forms of the org staff pages.

They clean fields with the same functions as the services (``validation``), so that every mistake
shows at once; the services check again, and their ``InvalidInput`` lands on the form too.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.forms import ServiceForm as ServiceForm  # the staff forms' base, too
from xinsheng.core.forms import field_checked
from xinsheng.org import permissions, selectors, validation
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person

REQUIRED = {"required": _("此项为必填项。")}


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


class PersonCreateForm(ServiceForm):
    employee_no = forms.CharField(label=_("工号"), max_length=32, error_messages=REQUIRED)
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages=REQUIRED)
    position = forms.CharField(label=_("职务/岗位"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    def clean_employee_no(self) -> str:
        return field_checked(validation.clean_employee_no, self.cleaned_data["employee_no"])

    def clean_name(self) -> str:
        return field_checked(validation.clean_name, self.cleaned_data["name"])

    def clean_phone(self) -> str:
        return field_checked(validation.clean_phone, self.cleaned_data["phone"])


class PersonUpdateForm(ServiceForm):
    """Edit a person; ``unit`` is the code of the unit they belong to, so moving is typing it."""

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

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    @classmethod
    def for_person(cls, person: Person, *, actor: Actor, data: Any = None) -> "PersonUpdateForm":
        """Return the form for ``person``, filled with their current values."""
        initial = {
            "unit": person.unit.code,
            "name": person.name,
            "position": person.position,
            "phone": person.phone,
            "is_active": person.is_active,
        }
        return cls(data, initial=initial, actor=actor)

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
