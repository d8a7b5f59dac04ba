"""The organiser's forms: a question of the bank, a campaign with its 达人 rule, and a round
with what it draws. The services check the data once more (the question by the import's rules)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.core.forms import ServiceForm
from xinsheng.engage.quizzes import services
from xinsheng.engage.quizzes.choices import Difficulty, QuestionKind
from xinsheng.engage.quizzes.columns import OPTION_KEYS
from xinsheng.engage.quizzes.edits import NAMES_HIDE, NAMES_KEEP, NAMES_SHOW
from xinsheng.engage.quizzes.models import LETTERS, Question, Round
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit

DRAW_ROWS = 4
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def campaign_show_names_field() -> forms.BooleanField:
    """Return the campaign's choice of showing names on its board (its create and edit forms)."""
    return forms.BooleanField(
        label=_("活动排行榜显示姓名"),
        required=False,
        help_text=_(
            "指活动页的个人排行（各轮汇总）及其导出。不显示时只显示姓氏（如“王*”），不列工号；"
            "答题达人名单始终显示姓名。"
        ),
    )


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
    show_names = campaign_show_names_field()

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitField)  # noqa: S101 - declared above
        unit_field.actor = actor


class QuestionForm(ServiceForm):
    """One question of the bank, as the import's row has it."""

    text = forms.CharField(
        label=_("题目"), max_length=services.TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    answer = forms.CharField(
        label=_("答案"),
        max_length=20,
        help_text=_("单选如 B，多选如 ACD，判断填“正确”或“错误”。"),
    )
    explanation = forms.CharField(
        label=_("解析"),
        required=False,
        max_length=services.EXPLANATION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("本轮结束后向答题人公布。"),
    )
    tags = forms.CharField(
        label=_("标签"),
        required=False,
        max_length=200,
        help_text=_("可多个，用顿号分开，如：安全生产、一通三防。"),
    )
    difficulty = forms.ChoiceField(
        label=_("难度"), choices=Difficulty.choices, initial=Difficulty.MEDIUM
    )

    def __init__(
        self, *args: Any, actor: Actor, question: Question | None = None, **kwargs: Any
    ) -> None:
        if question is not None:
            kwargs.setdefault("initial", question_initial(question))
        super().__init__(*args, **kwargs)
        if question is None:
            self.fields["unit"] = UnitField(
                label=_("题库单位"), help_text=_("单位代码：本单位及下级单位的答题可抽到这道题")
            )
            unit_field = self.fields["unit"]
            assert isinstance(unit_field, UnitField)  # noqa: S101 - made above
            unit_field.actor = actor
        for index, key in enumerate(OPTION_KEYS):
            self.fields[key] = forms.CharField(
                label=_("选项%(letter)s") % {"letter": LETTERS[index]},
                required=False,
                max_length=services.OPTION_MAX,
                help_text=_("选择题至少填两个选项；判断题留空。") if index == 0 else "",
            )
        self.order_fields(["unit", "text", "kind", *OPTION_KEYS, "answer"])

    def data_entered(self) -> services.QuestionData:
        """Return the question entered, for the service to check."""
        data = self.cleaned_data
        return services.QuestionData(
            text=data["text"],
            kind=data["kind"],
            options=[data.get(key) or "" for key in OPTION_KEYS],
            answer=data["answer"],
            explanation=data.get("explanation") or "",
            tags=services.tags_split(data.get("tags") or ""),
            difficulty=data["difficulty"],
        )

    def add_service_error(self, error: InvalidInput) -> None:
        """Show an error about the options on the first option."""
        if "options" in error.fields:
            error.fields = {
                ("option_a" if name == "options" else name): messages
                for name, messages in error.fields.items()
            }
        super().add_service_error(error)


def question_initial(question: Question) -> dict[str, Any]:
    """Return the form's values of ``question``."""
    initial: dict[str, Any] = {
        "text": question.text,
        "kind": question.kind,
        "answer": question.answer,
        "explanation": question.explanation,
        "tags": "、".join(question.tags or ()),
        "difficulty": question.difficulty,
    }
    if question.kind != QuestionKind.TRUE_FALSE:
        initial |= dict(zip(OPTION_KEYS, question.options, strict=False))
    return initial


class CampaignEditForm(ServiceForm):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    expert_min_score = forms.IntegerField(label=_("达人分数线"), min_value=0, max_value=100)
    expert_min_rounds = forms.IntegerField(
        label=_("达人须达标轮次"),
        min_value=1,
        max_value=50,
        help_text=_("在至少这么多轮中最好成绩达到分数线的，评为答题达人。"),
    )
    show_names = campaign_show_names_field()
    names = forms.ChoiceField(
        label=_("各轮次排行榜显示姓名"),
        required=False,
        choices=[
            (NAMES_KEEP, _("不变（各轮次分别设置）")),
            (NAMES_SHOW, _("所有轮次显示姓名")),
            (NAMES_HIDE, _("所有轮次不显示姓名")),
        ],
        help_text=_("不显示时，公开的排行榜只显示姓氏（如“王*”）。"),
    )


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
    show_names = forms.BooleanField(
        label=_("排行榜显示姓名"),
        required=False,
        help_text=_(
            "不显示时，本轮的个人排行（含导出和公开排行榜）只显示姓氏（如“王*”），不列工号。"
        ),
    )

    def __init__(
        self, *args: Any, actor: Actor, quiz_round: Round | None = None, **kwargs: Any
    ) -> None:
        self.quiz_round = quiz_round
        if quiz_round is not None:
            kwargs.setdefault("initial", round_initial(quiz_round))
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitField)  # noqa: S101 - declared above
        unit_field.actor = actor
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        self.fields["opens_at"].initial = now + dt.timedelta(hours=1)
        self.fields["closes_at"].initial = now + dt.timedelta(days=7, hours=1)
        difficulties = [("", _("不限")), *Difficulty.choices]
        self.draw_rows = max(DRAW_ROWS, len(quiz_round.draw) if quiz_round else 0)
        for row in range(1, self.draw_rows + 1):
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
            for row in range(1, self.draw_rows + 1)
            if data.get(f"count_{row}")
        ]

    def time_limit(self) -> int:
        """Return the time limit entered, in seconds (a round's own seconds when unchanged)."""
        minutes = int(self.cleaned_data["time_limit_minutes"])
        kept = self.quiz_round
        if kept is not None and minutes == _minutes(kept.time_limit):
            return kept.time_limit
        return minutes * 60

    def _moment(self, name: str) -> dt.datetime:
        """Return the time entered in ``name``; the round's own when it is shown unchanged (the
        box holds minutes only)."""
        entered: dt.datetime = self.cleaned_data[name]
        if self.quiz_round is not None:
            kept: dt.datetime = getattr(self.quiz_round, name)
            if entered == kept.replace(second=0, microsecond=0) or entered == timezone.localtime(
                kept
            ).replace(second=0, microsecond=0):
                return kept
        return entered

    def round_data(self) -> services.RoundData:
        """Return the round entered, for the service to check."""
        data = self.cleaned_data
        return services.RoundData(
            title=data["title"],
            unit=data["unit"],
            opens_at=self._moment("opens_at"),
            closes_at=self._moment("closes_at"),
            draw=self.draw(),
            time_limit=self.time_limit(),
            attempts_allowed=data["attempts_allowed"],
            show_names=data["show_names"],
        )


def _minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))


def round_initial(quiz_round: Round) -> dict[str, Any]:
    """Return the form's values of ``quiz_round``."""
    initial: dict[str, Any] = {
        "title": quiz_round.title,
        "unit": quiz_round.unit.code,
        "opens_at": timezone.localtime(quiz_round.opens_at),
        "closes_at": timezone.localtime(quiz_round.closes_at),
        "time_limit_minutes": _minutes(quiz_round.time_limit),
        "attempts_allowed": quiz_round.attempts_allowed,
        "show_names": quiz_round.show_names,
    }
    for row, rule in enumerate(quiz_round.draw, start=1):
        initial[f"tag_{row}"] = rule.get("tag", "")
        initial[f"difficulty_{row}"] = rule.get("difficulty", "")
        initial[f"count_{row}"] = rule.get("count", 0)
    return initial
