"""The public rating form of a project (群众评单/验单)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.choices import Satisfaction
from xinsheng.projects import validation


class ProjectRatingForm(forms.Form):
    """An employee's judgement of a project's result; nothing about them is asked."""

    satisfaction = forms.ChoiceField(
        label=_("您对项目办理结果是否满意"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意程度。"), "invalid_choice": _("选项无效。")},
    )
    solved = forms.TypedChoiceField(
        label=_("问题是否解决"),
        choices=[("yes", _("已解决")), ("no", _("未解决"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择问题是否解决。"), "invalid_choice": _("选项无效。")},
    )
    comment = forms.CharField(
        label=_("评价意见（可选）"),
        required=False,
        max_length=validation.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
