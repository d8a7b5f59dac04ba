"""Staff forms of surveys: a survey's settings, one question, and sending answers to cases.

The services check everything again; a form only turns the page's fields into their data.
"""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.forms import ServiceForm, date_input
from xinsheng.engage.surveys.choices import QuestionKind
from xinsheng.engage.surveys.models import INTRO_MAX, QUESTION_MAX, SERIES_MAX, TITLE_MAX, Survey
from xinsheng.engage.surveys.services import SurveyData
from xinsheng.engage.surveys.validation import QuestionData
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit

REQUIRED = {"required": _("此项为必填项。")}


class SurveyForm(ServiceForm):
    """A survey's title, introduction, scope, dates, anonymity and series."""

    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX, error_messages=REQUIRED)
    intro = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=INTRO_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("显示在问卷开头，说明调查的目的和用途。"),
    )
    unit = forms.CharField(label=_("调查范围（单位代码）"), max_length=100, error_messages=REQUIRED)
    opens_on = forms.DateField(label=_("开始日期"), widget=date_input(), error_messages=REQUIRED)
    closes_on = forms.DateField(label=_("截止日期"), widget=date_input(), error_messages=REQUIRED)
    anonymous = forms.BooleanField(
        label=_("匿名问卷（不记录任何可识别答卷人的信息）"), required=False, initial=True
    )
    series = forms.CharField(
        label=_("系列（可选）"),
        required=False,
        max_length=SERIES_MAX,
        help_text=_("每年重复的问卷填同一系列名称（如“职工满意度调查”），结果会与上一轮比较。"),
    )
    round = forms.IntegerField(
        label=_("轮次（可选）"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_("留空则自动接续该系列的下一轮。"),
    )

    def __init__(self, data: Any = None, *, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.actor = actor

    def clean_unit(self) -> OrgUnit:
        code = str(self.cleaned_data["unit"]).strip()
        try:
            return org_selectors.unit_get_for(actor=self.actor, code=code)
        except Exception:
            raise forms.ValidationError(
                _("找不到单位代码“%(code)s”，或该单位不在您的范围内。") % {"code": code}
            ) from None

    def survey_data(self) -> SurveyData:
        data = self.cleaned_data
        return SurveyData(
            title=data["title"],
            intro=data.get("intro", ""),
            unit=data["unit"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            anonymous=bool(data.get("anonymous")),
            series=data.get("series", ""),
            round=data.get("round"),
        )

    @classmethod
    def initial_of(cls, survey: Survey) -> dict[str, Any]:
        return {
            "title": survey.title,
            "intro": survey.intro,
            "unit": survey.unit.code,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "anonymous": survey.anonymous,
            "series": survey.series,
            "round": survey.round,
        }


class SurveyRepeatForm(SurveyForm):
    """The next round of a survey's series: its title, introduction, dates and anonymity; the
    scope and series stay those of the round it repeats, and its questions are copied."""

    def __init__(self, data: Any = None, *, actor: Actor, survey: Survey, **kwargs: Any) -> None:
        kwargs.setdefault("initial", self.initial_of(survey))
        super().__init__(data, actor=actor, **kwargs)
        self.survey = survey
        for name in ("unit", "series", "round"):
            del self.fields[name]

    @classmethod
    def initial_of(cls, survey: Survey) -> dict[str, Any]:
        """Return the earlier round's settings, open from today for as many days as it was."""
        today = timezone.localdate()
        return {
            "title": survey.title,
            "intro": survey.intro,
            "opens_on": today,
            "closes_on": today + (survey.closes_on - survey.opens_on),
            "anonymous": survey.anonymous,
        }

    def survey_data(self) -> SurveyData:
        data = self.cleaned_data
        return SurveyData(
            title=data["title"],
            intro=data.get("intro", ""),
            unit=self.survey.unit,
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            anonymous=bool(data.get("anonymous")),
            series=self.survey.series,
        )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


class QuestionForm(ServiceForm):
    """One question: its kind and text, options or items one per line, scale and condition."""

    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题目"), max_length=QUESTION_MAX, error_messages=REQUIRED)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    options = forms.CharField(
        label=_("选项（单选、多选题；每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    items = forms.CharField(
        label=_("评价项目（矩阵题；每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    scale_max = forms.IntegerField(
        label=_("量表最高分（量表、矩阵题）"), initial=5, min_value=2, max_value=10
    )
    low_label = forms.CharField(label=_("最低分说明"), required=False, max_length=20)
    high_label = forms.CharField(label=_("最高分说明"), required=False, max_length=20)
    show_if = forms.IntegerField(
        label=_("仅当第几题……"),
        required=False,
        min_value=1,
        help_text=_("简单跳题：填前面某道单选、多选或量表题的题号。"),
    )
    show_if_choice = forms.IntegerField(
        label=_("……选了第几个选项（量表题填分数）时显示本题"), required=False, min_value=1
    )

    def question_data(self) -> QuestionData:
        data = self.cleaned_data
        return QuestionData(
            kind=data["kind"],
            text=data["text"],
            required=bool(data.get("required")),
            options=_lines(data.get("options", "")),
            items=_lines(data.get("items", "")),
            scale_max=data.get("scale_max") or 5,
            low_label=data.get("low_label", ""),
            high_label=data.get("high_label", ""),
            show_if=data.get("show_if"),
            show_if_choice=data.get("show_if_choice"),
        )
