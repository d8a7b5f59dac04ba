"""Forms of proposals' pages. The services check everything once more; their errors land on
the fields they name."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinsheng.core.forms import ServiceForm, date_input
from xinsheng.proposals.choices import Decision, ProposalStatus
from xinsheng.proposals.models import Window

TEXT = {"rows": 4}


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("题目或编号"), required=False, max_length=100)
    window = forms.ModelChoiceField(
        label=_("征集活动"), queryset=Window.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *ProposalStatus.choices], required=False
    )
    category = forms.CharField(label=_("类别"), required=False, max_length=20)

    def __init__(self, *args: Any, windows: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if windows is not None:
            self.fields["window"].queryset = windows  # type: ignore[attr-defined]


class ProposalForm(ServiceForm):
    """What a proposer writes (the public tab, and a recorder entering it for them)."""

    title = forms.CharField(label=_("题目"), max_length=100)
    category = forms.ChoiceField(label=_("类别"), required=False)
    problem = forms.CharField(label=_("存在问题"), widget=forms.Textarea(attrs=TEXT))
    measure = forms.CharField(label=_("建议措施"), widget=forms.Textarea(attrs=TEXT))
    benefit = forms.CharField(
        label=_("预期效益（可不填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    estimated_savings = forms.CharField(
        label=_("预计创效（元，可不填）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    employee_no = forms.CharField(label=_("工号"), max_length=32)
    co_authors = forms.CharField(
        label=_("署名人及份额（可不填）"),
        required=False,
        max_length=500,
        help_text=_("每行一人：工号 份额，如“100234 60”；含本人，合计100。"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    intake_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, categories: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("请选择"))] + [(name, name) for name in categories or []]
        self.fields["category"].choices = choices  # type: ignore[attr-defined]

    def co_author_rows(self) -> list[dict[str, Any]] | None:
        """Return the co-authors as the service takes them, or None when left empty."""
        rows = []
        for line in str(self.cleaned_data.get("co_authors") or "").splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if parts:
                rows.append({"employee_no": parts[0], "share": parts[1] if len(parts) > 1 else ""})
        return rows or None


class AssignForm(forms.Form):
    evaluators = forms.MultipleChoiceField(
        label=_("评审人"), widget=forms.CheckboxSelectMultiple, required=False
    )


class DecideForm(ServiceForm):
    decision = forms.ChoiceField(label=_("评审决定"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("理由（暂缓或不予采纳时必填，建议人可见）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    override = forms.BooleanField(label=_("委员会决定（评审未完成时，须写明理由）"), required=False)


class ImplementForm(ServiceForm):
    owner_unit_code = forms.CharField(label=_("实施单位代码"), max_length=32)
    due_date = forms.DateField(label=_("完成时限"), widget=date_input())


class ProgressForm(ServiceForm):
    text = forms.CharField(label=_("实施进展"), max_length=500)


class VerifyForm(ServiceForm):
    actual_savings = forms.CharField(
        label=_("实际创效（元）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class RewardForm(ServiceForm):
    tier = forms.ChoiceField(label=_("奖励等级"))

    def __init__(self, *args: Any, tiers: list[dict[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["tier"].choices = [  # type: ignore[attr-defined]
            (row["code"], f"{row['name']}（{row['amount']}元）") for row in tiers or []
        ]


class FromCaseForm(ServiceForm):
    case_no = forms.CharField(label=_("建议的诉求编号"), max_length=32)
    window = forms.ModelChoiceField(label=_("征集活动"), queryset=Window.objects.none())
    category = forms.CharField(label=_("类别（可不填）"), required=False, max_length=20)

    def __init__(self, *args: Any, windows: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if windows is not None:
            self.fields["window"].queryset = windows  # type: ignore[attr-defined]


def score_form(criteria: list[dict[str, Any]], data: Any = None, initial: Any = None) -> Any:
    """Return a form with one whole-number field per criterion of the rubric, and a comment."""
    fields: dict[str, forms.Field] = {
        row["code"]: forms.IntegerField(
            label=f"{row['name']}（0–{row['max']}）",
            min_value=0,
            max_value=int(row["max"]),
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "required": _("请打分。"),
                "invalid": _("请填写整数。"),
                "min_value": _("不能低于0分。"),
                "max_value": _("不能超过满分。"),
            },
        )
        for row in criteria
    }
    fields["comment"] = forms.CharField(
        label=_("评审意见（可不填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    form_class = type("ScoreForm", (ServiceForm,), fields)
    return form_class(data, initial=initial)
