"""Forms of the sanatorium pages: a new batch with each unit's quota."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.care.choices import BatchKind, ProgrammeKind
from xinsheng.care.models import Programme
from xinsheng.core.actors import Actor
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit

QUOTA_LINES_MAX = 100


class BatchForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=gettext_lazy("项目"), queryset=Programme.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=BatchKind.choices)
    title = forms.CharField(label=gettext_lazy("批次"), max_length=100)
    starts_on = forms.DateField(
        label=gettext_lazy("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("结束日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=gettext_lazy("地点"), max_length=100)
    capacity = forms.IntegerField(label=gettext_lazy("名额"), min_value=1, max_value=1000)
    quotas = forms.CharField(
        label=gettext_lazy("单位名额"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("每行一个单位：单位代码 名额，如“M1 10”。不填则不分单位。"),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
            permissions.scope_q(actor, "care.manage", path_field="unit_path"),
            kind=ProgrammeKind.SANATORIUM,
            is_open=True,
        ).order_by("-year", "title")

    def clean_quotas(self) -> dict[OrgUnit, int]:
        lines = [line.split() for line in self.cleaned_data["quotas"].splitlines() if line.strip()]
        if len(lines) > QUOTA_LINES_MAX:
            raise forms.ValidationError(_("单位名额最多100行。"))
        quotas: dict[OrgUnit, int] = {}
        for number, parts in enumerate(lines, start=1):
            unit = OrgUnit.objects.filter(code=parts[0]).first() if len(parts) == 2 else None
            if unit is None or not parts[1].isdigit() or unit in quotas:
                raise forms.ValidationError(
                    _("第%(n)s行应为“单位代码 名额”，单位不能重复。") % {"n": number}
                )
            quotas[unit] = int(parts[1])
        return quotas
