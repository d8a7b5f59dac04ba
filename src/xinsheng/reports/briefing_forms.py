"""Forms of the briefing pages: choose a unit and a period; edit the text."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.core.forms import ServiceForm
from xinsheng.core.periods import (
    CUSTOM,
    KINDS,
    MONTH,
    QUARTER,
    WEEK,
    YEAR,
    Period,
    period_between,
    period_of,
)
from xinsheng.org.models import OrgUnit
from xinsheng.reports.briefing_selectors import briefing_unit_get_for
from xinsheng.reports.briefing_services import TITLE_MAX, clean_paragraphs, clean_title

REQUIRED = {"required": _("此项为必填项。")}
DATE_ERRORS = {"invalid": _("请输入有效的日期，例如 2025-10-09。")}
PERIOD_KINDS = (MONTH, QUARTER, YEAR, WEEK, CUSTOM)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def last_month() -> dt.date:
    """Return a day of the month before this one (the usual subject of a monthly briefing)."""
    return timezone.localdate().replace(day=1) - dt.timedelta(days=1)


class BriefingNewForm(ServiceForm):
    """Which unit subtree and which period to write a briefing of."""

    unit = forms.CharField(
        label=_("单位"),
        max_length=100,
        error_messages=REQUIRED,
        help_text=_("输入单位代码，或输入名称从列表中选择；简报统计该单位及其全部下级单位。"),
    )
    period = forms.ChoiceField(
        label=_("统计周期"),
        choices=[(kind, KINDS[kind]) for kind in PERIOD_KINDS],
        initial=MONTH,
        error_messages=REQUIRED,
    )
    date = forms.DateField(
        label=_("统计期间内的任一日期"),
        required=False,
        widget=_date_input(),
        error_messages=DATE_ERRORS,
        help_text=_("按月、季度、年或周统计时填写，默认为上个月。"),
    )
    date_from = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=_date_input(),
        error_messages=DATE_ERRORS,
        help_text=_("自定义区间时填写。"),
    )
    date_to = forms.DateField(
        label=_("结束日期"), required=False, widget=_date_input(), error_messages=DATE_ERRORS
    )

    def __init__(self, data: Any = None, *, actor: Actor, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.actor = actor
        self.fields["date"].initial = last_month()

    def clean_unit(self) -> OrgUnit:
        """Return the unit named by its code, if the user may write its briefings."""
        try:
            return briefing_unit_get_for(actor=self.actor, code=self.cleaned_data["unit"])
        except NotFound:
            raise forms.ValidationError(
                _("找不到该单位，或您无权编写该单位的简报。请输入单位代码，或从列表中选择。")
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("period")
        if kind == CUSTOM:
            start, end = data.get("date_from"), data.get("date_to")
            if not start or not end:
                self.add_error("date_to", _("自定义区间请填写开始日期和结束日期。"))
                return data
            try:
                data["the_period"] = period_between(start, end)
            except InvalidInput as error:
                self.add_service_error(error)
        elif kind:
            data["the_period"] = period_of(kind, data.get("date") or last_month())
        return data

    @property
    def chosen_period(self) -> Period:
        """Return the period chosen (after ``is_valid``)."""
        period: Period = self.cleaned_data["the_period"]
        return period


class BriefingEditForm(ServiceForm):
    """The title and the text; every non-empty line of the text is a paragraph."""

    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX, error_messages=REQUIRED)
    text = forms.CharField(
        label=_("正文"),
        error_messages=REQUIRED,
        widget=forms.Textarea(attrs={"rows": 24, "class": "briefing-text"}),
        help_text=_("每行为一段，空行不计。数据表按生成时的数据附在简报后，不能修改。"),
    )

    @staticmethod
    def text_of(paragraphs: list[str]) -> str:
        """Return ``paragraphs`` as the text of the form, a blank line between them."""
        return "\n\n".join(paragraphs)

    def clean_title(self) -> str:
        try:
            return clean_title(self.cleaned_data["title"])
        except InvalidInput as error:
            raise forms.ValidationError(str(error.message)) from None

    def clean_text(self) -> list[str]:
        try:
            return clean_paragraphs(_LINE_BREAK.split(self.cleaned_data["text"]))
        except InvalidInput as error:
            raise forms.ValidationError(str(error.message)) from None
