"""Forms of programmes and applications: the programme's form, the application's form (student
aid or illness relief), the list's filters. The services check everything again."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinsheng.care.applications import selectors
from xinsheng.care.applications.selectors import ApplicationFilters
from xinsheng.care.choices import ApplicationStatus, ProgrammeKind, SchoolLevel
from xinsheng.care.models import Fund, Programme
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.forms import ServiceForm
from xinsheng.org import selectors as org_selectors

REQUIRED = {"required": _("此项为必填项。")}
APPLYING = (ProgrammeKind.STUDENT_AID, ProgrammeKind.ILLNESS_RELIEF)


class ProgrammeForm(ServiceForm):
    kind = forms.ChoiceField(label=_("类型"), choices=ProgrammeKind.choices)
    title = forms.CharField(label=_("名称"), max_length=100, error_messages=REQUIRED)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    unit = forms.CharField(
        label=_("主办单位代码"), max_length=32, help_text=_("如工会所在公司的单位代码")
    )
    budget = forms.DecimalField(
        label=_("预算（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    fund: forms.ModelChoiceField[Fund] = forms.ModelChoiceField(
        label=_("资金来源"), queryset=Fund.objects.none(), required=False
    )
    rules = forms.CharField(
        label=_("规则（JSON）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "mono"}),
        help_text=_(
            '助学如 {"amounts": {"undergraduate": "5000"}, "new_students_only": true, '
            '"hardship_file_required": false, "mask": "surname"}；'
            '大病救助如 {"threshold": "10000", "rate": "0.5", "cap": "30000"}'
        ),
    )
    needs_unit_review = forms.BooleanField(label=_("需单位审核"), required=False, initial=True)
    needs_union_approval = forms.BooleanField(label=_("需工会审批"), required=False, initial=True)
    notice_days = forms.IntegerField(label=_("公示天数"), min_value=0, max_value=30, initial=0)
    decide_within = forms.IntegerField(
        label=_("办理时限（工作日）"), min_value=1, max_value=90, initial=10
    )

    def __init__(self, *args: Any, actor: Actor, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["fund"].queryset = selectors.fund_choices_for(actor=actor)  # type: ignore[attr-defined]
        if editing:
            del self.fields["unit"]

    def clean_unit(self) -> Any:
        try:
            return org_selectors.unit_get_for(actor=self.actor, code=self.cleaned_data["unit"])
        except NotFound:
            raise forms.ValidationError(_("找不到该单位，或它不在您的范围内。")) from None

    def clean_rules(self) -> dict[str, Any]:
        text = self.cleaned_data["rules"].strip()
        if not text:
            return {}
        try:
            rules = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("规则应为 JSON 格式。")) from None
        if not isinstance(rules, dict):
            raise forms.ValidationError(_("规则应为键值对（JSON 对象）。"))
        return rules


class ApplicationForm(ServiceForm):
    """An application: the programme and the employee, then what the programme's kind asks."""

    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("项目"), queryset=Programme.objects.none(), error_messages=REQUIRED
    )
    employee_no = forms.CharField(label=_("职工工号"), max_length=32, error_messages=REQUIRED)
    amount = forms.CharField(label=_("申请金额（元，可选）"), required=False, max_length=20)
    child_name = forms.CharField(label=_("子女姓名"), required=False, max_length=50)
    school = forms.CharField(label=_("就读学校"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("学历层次"), required=False, choices=[("", "—"), *SchoolLevel.choices]
    )
    admission_year = forms.IntegerField(
        label=_("入学年份"), required=False, min_value=2000, max_value=2100
    )
    costs = forms.CharField(label=_("医疗费用总额（元）"), required=False, max_length=20)
    insurance_paid = forms.CharField(label=_("医保等已报销（元）"), required=False, max_length=20)
    diagnosis = forms.CharField(label=_("疾病诊断"), required=False, max_length=100)
    hospital = forms.CharField(label=_("就诊医院"), required=False, max_length=100)
    medical_details = forms.CharField(
        label=_("病情与治疗情况"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )

    HEAD = ("programme", "employee_no", "amount")
    STUDENT = ("child_name", "school", "level", "admission_year")
    RELIEF = ("costs", "insurance_paid", "diagnosis", "hospital", "medical_details")

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = selectors.programme_list_for(actor=actor).filter(  # type: ignore[attr-defined]
            kind__in=APPLYING, is_open=True
        )

    def details(self) -> dict[str, Any]:
        programme: Programme = self.cleaned_data["programme"]
        names = self.STUDENT if programme.kind == ProgrammeKind.STUDENT_AID else self.RELIEF
        return {name: self.cleaned_data.get(name) for name in names}


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("申请人姓名或工号"), required=False, max_length=50)
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部")), *ProgrammeKind.choices[:2]]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *ApplicationStatus.choices]
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    programme = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # A unit code: its subtree only (the figures' links narrow the list by it).
    unit = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    overdue = forms.BooleanField(label=_("只看超过办理时限的"), required=False)

    def filters(self, actor: Actor) -> ApplicationFilters:
        data = self.cleaned_data
        programme = None
        if data.get("programme"):
            programme = selectors.programme_get_for(actor=actor, programme_id=data["programme"])
        unit = None
        if code := (data.get("unit") or "").strip():
            unit = org_selectors.unit_get_for(actor=actor, code=code)
        return ApplicationFilters(
            programme=programme,
            unit=unit,
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            year=data.get("year"),
            overdue=bool(data.get("overdue")),
            text=data.get("q") or "",
        )


class RosterForm(forms.Form):
    """The upload of a historical payment roster into a programme (dry run or import)."""

    file = forms.FileField(
        label=_("台账文件"),
        help_text=_("Excel (.xlsx) 或 CSV，版式同导出的发放台账。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        error_messages=REQUIRED,
    )
    fund: forms.ModelChoiceField[Fund] = forms.ModelChoiceField(
        label=_("发放所用基金"),
        queryset=Fund.objects.none(),
        required=False,
        help_text=_("留空则用项目的基金；类别为“个人”的行不计入基金。"),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = selectors.fund_choices_for(actor=actor)  # type: ignore[attr-defined]
