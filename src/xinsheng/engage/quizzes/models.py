"""The models of quizzes: the question bank, campaigns and their rounds, and attempts.

An attempt keeps the questions it drew in order, the answers given and what they earned;
accuracy (``correct``, ``score``) and time (``seconds``, measured by the server from the start)
are kept apart, so that a leaderboard can rank by one and break ties by the other.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xinsheng.core.models import TimeStamped
from xinsheng.engage.quizzes.choices import Difficulty, QuestionKind
from xinsheng.org.models import OrgUnit, Person

LETTERS = "ABCDEFGH"  # the options of a question are lettered in this order
MAX_OPTIONS = len(LETTERS)


class Question(TimeStamped):
    """A question of the bank of a unit (shared down its subtree)."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("题库单位")
    )
    text = models.TextField(_("题目"), max_length=1000)
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    options = models.JSONField(_("选项"), default=list)  # texts, lettered A, B, C …
    answer = models.CharField(_("答案"), max_length=MAX_OPTIONS)  # letters, e.g. "B" or "ACD"
    explanation = models.TextField(_("解析"), max_length=2000, blank=True)
    tags = models.JSONField(_("标签"), default=list)  # e.g. ["安全生产", "一通三防"]
    difficulty = models.CharField(_("难度"), max_length=8, choices=Difficulty.choices)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题库")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(answer=""), name="engage_question_has_answer"),
        ]
        indexes = [models.Index(fields=["unit", "is_active"], name="engage_question_unit")]

    def __str__(self) -> str:
        return self.text[:40]


class Campaign(TimeStamped):
    """A series of rounds (e.g. 企业形势任务在线答题), with the rule that names its 答题达人.

    ``show_names`` says whether the campaign's board by person (across rounds, on its page and
    in its export) shows names; the 答题达人 list is a commendation and always names them.
    """

    title = models.CharField(_("活动名称"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("组织单位")
    )
    expert_min_score = models.PositiveSmallIntegerField(_("达人分数线"), default=90)
    expert_min_rounds = models.PositiveSmallIntegerField(_("达人须达标轮次"), default=2)
    # the board across rounds; each round's own board has its own setting
    show_names = models.BooleanField(_("活动排行榜显示姓名"), default=False)

    class Meta:
        verbose_name = _("答题活动")
        verbose_name_plural = _("答题活动")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expert_min_score__lte=100), name="engage_campaign_score_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(expert_min_rounds__gte=1), name="engage_campaign_rounds_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Round(TimeStamped):
    """One round of a campaign: when it is open, what it draws, and who may take part.

    ``draw`` lists how many questions are drawn of each tag and difficulty, e.g.
    ``[{"tag": "安全生产", "difficulty": "easy", "count": 5}, …]`` (an empty tag or difficulty
    draws from any).
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("答题活动")
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    title = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("参加范围")
    )
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("结束时间"))
    draw = models.JSONField(_("抽题规则"), default=list)
    time_limit = models.PositiveIntegerField(_("答题时限（秒）"), default=600)
    attempts_allowed = models.PositiveSmallIntegerField(_("可答次数"), default=1)
    show_names = models.BooleanField(_("排行榜显示姓名"), default=False)

    class Meta:
        verbose_name = _("答题轮次")
        verbose_name_plural = _("答题轮次")
        ordering = ["campaign_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="engage_round_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="engage_round_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(attempts_allowed__gte=1), name="engage_round_attempts_positive"
            ),
            models.CheckConstraint(
                condition=Q(time_limit__gte=30), name="engage_round_time_limit_30s"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        """Return how many questions an attempt draws."""
        return sum(int(rule.get("count", 0)) for rule in self.draw)


class Attempt(models.Model):
    """One employee's attempt at a round: drawn when started, scored when submitted.

    ``key`` is the attempt's public name (random, unguessable); ``unit_path`` is the person's
    unit when they started, for the per-unit boards. Until it is submitted an attempt has no
    score; one not submitted within the time limit never gets one.
    """

    key = models.CharField(max_length=32, unique=True)
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("答题轮次")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("职工")
    )
    unit_path = models.CharField(max_length=255)
    number = models.PositiveSmallIntegerField(_("第几次"))
    questions = models.JSONField(default=list)  # question ids in the order shown
    answers = models.JSONField(default=dict)  # question id (text) → letters given
    started_at = models.DateTimeField(_("开始时间"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    correct = models.PositiveSmallIntegerField(_("答对题数"), null=True, blank=True)
    seconds = models.PositiveIntegerField(_("用时（秒）"), null=True, blank=True)

    class Meta:
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "number"], name="engage_attempt_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="engage_attempt_score_at_most_100",
            ),
            models.CheckConstraint(
                condition=(
                    Q(submitted_at__isnull=True, score__isnull=True, seconds__isnull=True)
                    | Q(submitted_at__isnull=False, score__isnull=False, seconds__isnull=False)
                ),
                name="engage_attempt_scored_when_submitted",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "unit_path"], name="engage_attempt_round_unit"),
            models.Index(fields=["round", "person"], name="engage_attempt_round_person"),
        ]

    def __str__(self) -> str:
        return self.key
