"""Forms of the hardship file pages. The services check everything again; their
``InvalidInput`` lands on the form (``ServiceForm``)."""

import re
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from xinsheng.care.choices import FileStatus, HardshipReason, MoneySource, Relation, Tier
from xinsheng.care.families import services
from xinsheng.care.families.pairing import VisitData
from xinsheng.care.families.selectors import FileFilters
from xinsheng.care.models import Fund, HardshipFile
from xinsheng.core.actors import Actor
from xinsheng.core.forms import ServiceForm, date_input
from xinsheng.org.form_lookups import person_of, unit_of
from xinsheng.org.models import OrgUnit, Person

QUERY_MAX = 100
SPLIT = re.compile(r"[,，、;；\s]+")
WAITING = (("", _("全部")), ("review", _("待单位审核")), ("approve", _("待工会审批")))


def money_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class FileFilterForm(forms.Form):
    """What the list of files is narrowed by; every field optional, all in the URL."""

    q = forms.CharField(label=_("姓名或工号"), required=False, max_length=QUERY_MAX)
    unit = forms.CharField(label=_("单位代码（含下级单位）"), required=False, max_length=QUERY_MAX)
    tier = forms.ChoiceField(
        label=_("困难类别"), required=False, choices=[("", _("全部")), *Tier.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *FileStatus.choices]
    )
    waiting = forms.ChoiceField(label=_("待办"), required=False, choices=WAITING)
    review_overdue = forms.BooleanField(label=_("复核已超期"), required=False)
    unvisited = forms.BooleanField(label=_("本季度未走访"), required=False)

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor

    def clean_unit(self) -> OrgUnit | None:
        code = str(self.cleaned_data["unit"]).strip()
        return unit_of(self.actor, code) if code else None

    def filters(self) -> FileFilters:
        """Return the filters of a valid form."""
        data = self.cleaned_data
        return FileFilters(
            unit=data.get("unit"),
            tier=data.get("tier") or "",
            status=data.get("status") or "",
            text=str(data.get("q") or ""),
            review_overdue=bool(data.get("review_overdue")),
            unvisited=bool(data.get("unvisited")),
            waiting=data.get("waiting") or "",
        )


def relation_of(word: str) -> str:
    """Return the relation a word names (配偶, 子女 …, in either language, or its code)."""
    word = word.strip().lower()
    for choice in Relation:
        with translation.override("zh-hans"):
            chinese = str(choice.label)
        if word in {choice.value, chinese, str(choice.label).lower()}:
            return choice.value
    aliases = {"妻子": "spouse", "丈夫": "spouse", "儿子": "child", "女儿": "child"}
    aliases |= {"父亲": "parent", "母亲": "parent"}
    return aliases.get(word, "")


def members_parse(text: str) -> list[services.MemberData]:
    """Return the household members of a text box, one a line: 姓名 关系 出生年份 职业/学校."""
    members = []
    for number, line in enumerate(str(text or "").splitlines(), start=1):
        parts = [part for part in SPLIT.split(line.strip()) if part]
        if not parts:
            continue
        found = next((index for index in range(1, len(parts)) if relation_of(parts[index])), None)
        if found is None:
            if len(parts) < 2:
                raise forms.ValidationError(
                    _("第%(n)s行：请按“姓名 关系 出生年份 职业/学校”填写。") % {"n": number}
                )
            raise forms.ValidationError(
                _("第%(n)s行：关系应为配偶、子女、父母或其他。") % {"n": number}
            )
        relation = relation_of(parts[found])
        name = " ".join(parts[:found])
        parts = [name, *parts[found:]]
        birth_year = None
        rest = parts[2:]
        if rest and rest[0].isdigit():
            birth_year = int(rest[0])
            rest = rest[1:]
        members.append(services.MemberData(parts[0], relation, birth_year, " ".join(rest)))
    return members


def members_text(file: HardshipFile) -> str:
    """Return the members of ``file`` as the text box shows them."""
    return "\n".join(
        " ".join(
            str(part)
            for part in (m.name, m.get_relation_display(), m.birth_year or "", m.occupation)
            if part
        )
        for m in file.members.all()
    )


class FileFieldsForm(ServiceForm):
    """The figures of a family: tier, reasons, income and household."""

    tier = forms.ChoiceField(label=_("困难类别"), choices=Tier.choices)
    reasons = forms.MultipleChoiceField(
        label=_("致困原因"), choices=HardshipReason.choices, widget=forms.CheckboxSelectMultiple
    )
    reason_note = forms.CharField(
        label=_("困难情况说明"),
        required=False,
        max_length=services.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    household_size = forms.IntegerField(
        label=_("家庭人口"),
        min_value=1,
        max_value=services.HOUSEHOLD_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    household_income = forms.CharField(
        label=_("家庭年收入（元）"), max_length=20, widget=money_input()
    )
    members = forms.CharField(
        label=_("家庭成员（不含职工本人）"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一人：姓名 关系 出生年份 职业/学校，如“李梅 子女 2008 县一中”。"),
    )
    review_due = forms.DateField(
        label=_("复核日期"),
        required=False,
        widget=date_input(),
        help_text=_("不填则为一年后。"),
    )

    def clean_members(self) -> list[services.MemberData]:
        return members_parse(self.cleaned_data["members"])

    def file_data(self) -> services.FileData:
        """Return what the service records."""
        data = self.cleaned_data
        return services.FileData(
            tier=data["tier"],
            reasons=list(data["reasons"]),
            household_size=data["household_size"],
            household_income=data["household_income"],
            reason_note=data["reason_note"],
            review_due=data["review_due"],
            members=data["members"],
        )


class ProposeForm(FileFieldsForm):
    """Propose a family: the employee, then the figures."""

    employee_no = forms.CharField(label=_("职工工号"), max_length=32)
    field_order = ["employee_no"]

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data)
        self.actor = actor

    def clean_employee_no(self) -> Person:
        return person_of(self.actor, str(self.cleaned_data["employee_no"]).strip())


class YearlyReviewForm(FileFieldsForm):
    """The yearly review: the figures as they are now, and a note."""

    note = forms.CharField(label=_("复核意见"), required=False, max_length=services.REASON_MAX)


class StepForm(forms.Form):
    """A step of the approval chain, with an optional note."""

    note = forms.CharField(label=_("意见"), required=False, max_length=services.REASON_MAX)


class ReasonForm(forms.Form):
    """A step that needs its reason: refusing or closing a file."""

    reason = forms.CharField(label=_("原因"), max_length=services.REASON_MAX)


class PairForm(ServiceForm):
    """Pair cadres with a family: their employee numbers and the first day."""

    cadres = forms.CharField(
        label=_("帮扶干部工号"),
        max_length=400,
        help_text=_("多人用逗号或空格分开。"),
    )
    starts_on = forms.DateField(label=_("结对日期"), required=False, widget=date_input())

    def __init__(self, data: Any = None, *, actor: Actor) -> None:
        super().__init__(data, initial={"starts_on": timezone.localdate().isoformat()})
        self.actor = actor

    def clean_cadres(self) -> list[Person]:
        numbers = [part for part in SPLIT.split(str(self.cleaned_data["cadres"])) if part]
        return [person_of(self.actor, number) for number in dict.fromkeys(numbers)]


class VisitForm(ServiceForm):
    """A care visit, entered on a phone right after it."""

    visited_on = forms.DateField(label=_("走访日期"), widget=date_input())
    visitors = forms.MultipleChoiceField(
        label=_("走访人"), required=False, widget=forms.CheckboxSelectMultiple
    )
    goods = forms.CharField(label=_("慰问物品"), required=False, max_length=200)
    goods_value = forms.CharField(
        label=_("物品价值（元）"), required=False, max_length=20, widget=money_input()
    )
    amount = forms.CharField(
        label=_("慰问金（元）"), required=False, max_length=20, widget=money_input()
    )
    source = forms.ChoiceField(
        label=_("慰问金来源"),
        choices=[
            (MoneySource.PERSONAL, _("干部个人")),
            (MoneySource.FUND, _("帮扶基金")),
        ],
        initial=MoneySource.PERSONAL,
        widget=forms.RadioSelect,
    )
    fund = forms.ModelChoiceField(
        label=_("基金"), required=False, queryset=Fund.objects.none(), empty_label=_("项目默认基金")
    )
    note = forms.CharField(
        label=_("走访情况"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, data: Any = None, *, actor: Actor, file: HardshipFile, cadres: list[Person]
    ) -> None:
        super().__init__(data, initial={"visited_on": timezone.localdate().isoformat()})
        self.actor = actor
        self.cadres = {str(person.pk): person for person in cadres}
        visitors = self.fields["visitors"]
        assert isinstance(visitors, forms.MultipleChoiceField)  # noqa: S101 - declared above
        visitors.choices = [(str(person.pk), person.name) for person in cadres]
        visitors.help_text = _("不勾选则为全部结对干部。")
        step = OrgUnit.steplen
        fund = self.fields["fund"]
        assert isinstance(fund, forms.ModelChoiceField)  # noqa: S101 - declared above
        fund.queryset = Fund.objects.filter(
            is_active=True,
            unit_path__in=[
                file.unit_path[:end] for end in range(step, len(file.unit_path) + 1, step)
            ],
        )

    def visit_data(self) -> VisitData:
        """Return what the service records."""
        data = self.cleaned_data
        return VisitData(
            visited_on=data["visited_on"],
            visitors=[self.cadres[key] for key in data["visitors"]],
            goods=data["goods"],
            goods_value=data["goods_value"],
            amount=data["amount"],
            source=data["source"],
            fund=data["fund"],
            note=data["note"],
        )
