"""Forms of the talk cycle pages. The services check everything again; their ``InvalidInput``
lands on the form (``ServiceForm``)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.forms import ServiceForm
from xinsheng.org import selectors as org_selectors
from xinsheng.org.choices import CadreRank, PersonGroup, UnitKind
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import PairStatus, RuleReach
from xinsheng.talks.cycles import validation
from xinsheng.talks.cycles.selectors import PairFilters
from xinsheng.talks.cycles.services import RuleData
from xinsheng.talks.models import TierRule

QUERY_MAX = 100
REQUIRED = {"required": _("此项为必填项。")}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def unit_by_code(actor: Actor, code: str) -> OrgUnit:
    """Return the unit ``actor`` may see with ``code``, or a form error saying it is not there."""
    try:
        return org_selectors.unit_get_for(actor=actor, code=code)
    except NotFound:
        raise forms.ValidationError(
            _("找不到单位代码“%(code)s”，或该单位不在您的查看范围内。") % {"code": code}
        ) from None


class CycleForm(ServiceForm):
    """Set up a cycle of talks for a unit's subtree."""

    title = forms.CharField(
        label=_("名称"),
        max_length=validation.TITLE_MAX,
        error_messages=REQUIRED,
        help_text=_("如：2026年第一季度双向约谈"),
    )
    unit = forms.CharField(
        label=_("范围（单位代码）"),
        max_length=QUERY_MAX,
        error_messages=REQUIRED,
        help_text=_("该单位及其下级单位的人员按层级规则结对约谈。"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=_date_input(), error_messages=REQUIRED)
    ends_on = forms.DateField(label=_("结束日期"), widget=_date_input(), error_messages=REQUIRED)

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor

    def clean_unit(self) -> OrgUnit:
        return unit_by_code(self.actor, str(self.cleaned_data["unit"]).strip())


class PairFilterForm(forms.Form):
    """What the pairs list is narrowed by; every field optional, all in the URL."""

    tier = forms.ModelChoiceField(
        label=_("层级"), required=False, queryset=TierRule.objects.none(), empty_label=_("全部")
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部（不含已撤销）")), *PairStatus.choices],
    )
    unit = forms.CharField(label=_("对象单位代码（含下级）"), required=False, max_length=QUERY_MAX)
    host = forms.CharField(label=_("谈话人（姓名或工号）"), required=False, max_length=QUERY_MAX)
    q = forms.CharField(label=_("谈话对象（姓名或工号）"), required=False, max_length=QUERY_MAX)

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor
        self.fields["tier"].queryset = TierRule.objects.order_by("order", "id")  # type: ignore[attr-defined]

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        return unit_by_code(self.actor, code) if code else None

    def filters(self) -> PairFilters:
        """Return the filters of a valid form, for ``pair_list_for``."""
        data = self.cleaned_data
        return PairFilters(
            rule=data.get("tier"),
            unit=data.get("unit"),
            host=str(data.get("host") or ""),
            status=str(data.get("status") or ""),
            text=str(data.get("q") or ""),
        )


class HoldForm(ServiceForm):
    """The date a planned talk was held, and the talk record that tells of it."""

    held_on = forms.DateField(label=_("谈话日期"), widget=_date_input(), error_messages=REQUIRED)
    record_id = forms.IntegerField(
        label=_("谈话记录编号（可选）"), required=False, min_value=1, widget=forms.NumberInput()
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(data, **kwargs)


class WaiveForm(ServiceForm):
    """Why a planned talk is not needed."""

    reason = forms.CharField(
        label=_("免谈原因"),
        max_length=validation.REASON_MAX,
        error_messages={"required": _("免谈须说明原因。")},
        help_text=_("如：长期病假、已调离、已在其他场合谈过。"),
    )


def _checkboxes(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=choices, widget=forms.CheckboxSelectMultiple
    )


class RuleForm(ServiceForm):
    """A tier rule, as the administrator writes it."""

    name = forms.CharField(label=_("层级名称"), max_length=validation.NAME_MAX)
    order = forms.IntegerField(
        label=_("顺序"),
        min_value=1,
        max_value=validation.ORDER_MAX,
        initial=1,
        help_text=_("同一对人员符合多个层级时，计入顺序靠前的层级。"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    host_unit_kinds = _checkboxes(_("谈话人单位类型（不选为不限）"), UnitKind.choices)
    host_ranks = _checkboxes(_("谈话人干部级别（不选为不限）"), CadreRank.choices)
    host_principal = forms.BooleanField(label=_("谈话人须为主要负责人"), required=False)
    reach = forms.ChoiceField(
        label=_("谈话范围"),
        choices=RuleReach.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "本单位：谈话人所在单位及其下级单位；分管单位：分管的单位及其下级单位；"
            "所辖部门区队：谈话人所在单位的下级单位（不含本单位）。"
        ),
    )
    target_unit_kinds = _checkboxes(_("谈话对象单位类型（不选为不限）"), UnitKind.choices)
    target_principal = forms.BooleanField(label=_("谈话对象须为主要负责人"), required=False)
    target_ranks = _checkboxes(_("谈话对象干部级别"), CadreRank.choices)
    target_groups = forms.MultipleChoiceField(
        label=_("谈话对象群体"),
        required=False,
        choices=PersonGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("谈话对象须属于所选干部级别或群体之一；级别和群体都不选时不限。"),
    )

    @classmethod
    def for_rule(cls, rule: TierRule, data: Any = None) -> "RuleForm":
        """Return the form filled with ``rule``'s current values."""
        initial = {name: getattr(rule, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def rule_data(self) -> RuleData:
        """Return what the form holds, for the services."""
        data = self.cleaned_data
        return RuleData(
            name=data["name"],
            reach=data["reach"],
            order=data["order"],
            is_active=bool(data.get("is_active")),
            host_unit_kinds=list(data.get("host_unit_kinds") or []),
            host_ranks=list(data.get("host_ranks") or []),
            host_principal=bool(data.get("host_principal")),
            target_unit_kinds=list(data.get("target_unit_kinds") or []),
            target_principal=bool(data.get("target_principal")),
            target_ranks=list(data.get("target_ranks") or []),
            target_groups=list(data.get("target_groups") or []),
        )
