"""The organiser's forms: a campaign with its 达人 rule, and a round with what it draws."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.forms import ServiceForm
from xinsheng.engage.quizzes.choices import Difficulty
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit

DRAW_ROWS = 4
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class UnitField(forms.CharField):
    """A unit by its code, among those the actor may manage quizzes at."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=100, **kwargs)
        self.actor: Actor | None = None

    def clean(self, value: Any) -> OrgUnit:
        code = str(super().clean(value)).strip()
        try:
            assert self.actor is not None  # noqa: S101 - set by the form
            return org_selectors.unit_get_for(actor=self.actor, code=code)
        except NotFound:
            raise forms.ValidationError(_("找不到该单位代码，或它不在您的范围内。")) from None


class CampaignForm(ServiceForm):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    unit = UnitField(label=_("组织单位"), help_text=_("单位代码"))
    expert_min_score = forms.IntegerField(
        label=_("达人分数线"), min_value=0, max_value=100, initial=90
    )
    expert_min_rounds = forms.IntegerField(
        label=_("达人须达标轮次"),
        min_value=1,
        max_value=50,
        initial=2,
        help_text=_("在至少这么多轮中最好成绩达到分数线的，评为答题达人。"),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitField)  # noqa: S101 - declared above
        unit_field.actor = actor


class RoundForm(ServiceForm):
    title = forms.CharField(label=_("轮次名称"), max_length=100)
    unit = UnitField(label=_("参加范围"), help_text=_("单位代码：本单位及下级单位的职工可参加"))
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME)
    time_limit_minutes = forms.IntegerField(
        label=_("答题时限（分钟）"), min_value=1, max_value=180, initial=10
    )
    attempts_allowed = forms.IntegerField(
        label=_("每人可答次数"), min_value=1, max_value=20, initial=1
    )
    show_names = forms.BooleanField(label=_("排行榜显示姓名"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitField)  # noqa: S101 - declared above
        unit_field.actor = actor
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        self.fields["opens_at"].initial = now + dt.timedelta(hours=1)
        self.fields["closes_at"].initial = now + dt.timedelta(days=7, hours=1)
        difficulties = [("", _("不限")), *Difficulty.choices]
        for row in range(1, DRAW_ROWS + 1):
            self.fields[f"tag_{row}"] = forms.CharField(
                label=_("抽题 %(n)d：标签") % {"n": row}, required=False, max_length=20
            )
            self.fields[f"difficulty_{row}"] = forms.ChoiceField(
                label=_("抽题 %(n)d：难度") % {"n": row}, required=False, choices=difficulties
            )
            self.fields[f"count_{row}"] = forms.IntegerField(
                label=_("抽题 %(n)d：题数") % {"n": row},
                required=False,
                min_value=0,
                max_value=100,
                initial=10 if row == 1 else None,
            )

    def draw(self) -> list[dict[str, Any]]:
        """Return the draw rules entered."""
        data = self.cleaned_data
        return [
            {
                "tag": data.get(f"tag_{row}") or "",
                "difficulty": data.get(f"difficulty_{row}") or "",
                "count": data.get(f"count_{row}") or 0,
            }
            for row in range(1, DRAW_ROWS + 1)
            if data.get(f"count_{row}")
        ]
