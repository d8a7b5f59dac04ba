"""Surveys, their questions, the responses and their answers, and the tallies results are read
from.

An anonymous response keeps nothing that identifies who gave it: no person, number, account,
address or user agent, and only the day it came in (an exact time could be matched against
someone's movements). It keeps the unit whose QR code was scanned, so participation per unit is
known. A database constraint backs this: a response marked anonymous has no person.

Results are read from ``SurveyTally`` (counts per unit, question, item and option, written in the
same transaction as each response), so that a survey of 100,000 responses shows its results
without counting a million answers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinsheng.core.models import ExportJob, TimeStamped
from xinsheng.engage.surveys.choices import QuestionKind
from xinsheng.org.models import OrgUnit, Person

TITLE_MAX = 100
INTRO_MAX = 2000
QUESTION_MAX = 300
SERIES_MAX = 60
TEXT_ANSWER_MAX = 1000
ALL_UNITS = "*"  # the tallies of the whole survey (unit paths are letters and digits)


class Survey(TimeStamped):
    """A survey of a unit's subtree, open from ``opens_on`` to ``closes_on`` (both included).

    A survey that repeats (a yearly 满意度 survey) names its ``series``; its rounds are numbered,
    and results compare each round with the one before.
    """

    title = models.CharField(_("标题"), max_length=TITLE_MAX)
    intro = models.TextField(_("说明"), max_length=INTRO_MAX, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("调查范围"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(_("单位路径"), max_length=255, db_index=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    anonymous = models.BooleanField(_("匿名"), default=True)
    series = models.CharField(_("系列"), max_length=SERIES_MAX, blank=True)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    token = models.CharField(_("链接码"), max_length=32, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("调查问卷")
        verbose_name_plural = _("调查问卷")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="survey_dates_in_order"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="survey_round_positive"),
            models.UniqueConstraint(
                fields=["unit", "series", "round"],
                condition=~Q(series=""),
                name="survey_series_round_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    """A question of a survey, at ``position`` (1, 2, …).

    Choices are numbered from 1 in ``options``; a scale runs from 1 to ``scale_max``; a matrix
    rates each of ``items`` on that scale. A question with ``show_if`` is shown only when the
    earlier question was answered with ``show_if_choice`` (an option's number or a scale value).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("题型"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("题目"), max_length=QUESTION_MAX)
    required = models.BooleanField(_("必答"), default=True)
    options = models.JSONField(_("选项"), default=list, blank=True)
    items = models.JSONField(_("评价项目"), default=list, blank=True)
    scale_max = models.PositiveSmallIntegerField(_("量表最高分"), default=5)
    low_label = models.CharField(_("最低分说明"), max_length=20, blank=True)
    high_label = models.CharField(_("最高分说明"), max_length=20, blank=True)
    show_if = models.ForeignKey(
        "self",
        verbose_name=_("显示条件题目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    show_if_choice = models.PositiveSmallIntegerField(_("显示条件答案"), null=True, blank=True)

    class Meta:
        verbose_name = _("问卷题目")
        verbose_name_plural = _("问卷题目")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "position"], name="survey_question_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gte=2, scale_max__lte=10),
                name="survey_question_scale_2_to_10",
            ),
            models.CheckConstraint(
                condition=Q(show_if__isnull=True, show_if_choice__isnull=True)
                | Q(show_if__isnull=False, show_if_choice__isnull=False),
                name="survey_question_condition_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class SurveyResponse(models.Model):
    """One person's answers to a survey; anonymous ones keep no person and only the day."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("扫码单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    anonymous = models.BooleanField(_("匿名"))
    person = models.ForeignKey(
        Person,
        verbose_name=_("答卷人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_on = models.DateField(_("提交日期"))

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(person__isnull=True),
                name="survey_response_anonymous_has_no_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "person"],
                condition=Q(person__isnull=False),
                name="survey_response_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.pk}"


class SurveyAnswer(models.Model):
    """One answer: a chosen option or scale value (``choice``, per matrix ``item``) or a text.

    A multiple choice keeps one row per option chosen; a matrix one row per item (from 1).
    """

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    item = models.PositiveSmallIntegerField(default=0)
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=TEXT_ANSWER_MAX, blank=True)

    class Meta:
        verbose_name = _("答案")
        verbose_name_plural = _("答案")
        indexes = [models.Index(fields=["question", "-id"], name="survey_answer_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__isnull=False) | ~Q(text=""), name="survey_answer_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.item}/{self.choice or ''}"


class SurveyTally(models.Model):
    """How many responses at one unit (``unit_path``, "" for the plain link, ``ALL_UNITS`` for
    the whole survey) gave an answer.

    ``choice`` 0 counts those who answered the question (or the matrix item) at all, with the
    sum of their ratings in ``points``; ``choice`` k those who chose option k or scale value k.
    ``question_no`` 0 counts the responses.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tallies")
    unit_path = models.CharField(max_length=255, blank=True)
    question_no = models.PositiveIntegerField(default=0)  # the question's id, 0 for responses
    item = models.PositiveSmallIntegerField(default=0)
    choice = models.PositiveSmallIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)
    points = models.BigIntegerField(default=0)

    class Meta:
        # The per-unit reads take one question (or the responses, 0) across every unit.
        indexes = [
            models.Index(fields=["survey", "question_no", "choice"], name="survey_tally_question")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit_path", "question_no", "item", "choice"],
                name="survey_tally_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_path}:{self.question_no}/{self.item}/{self.choice}={self.n}"


class SurveyAnswerCase(models.Model):
    """A free-text answer sent into the closed loop as a voice (channel 问卷)."""

    answer = models.OneToOneField(SurveyAnswer, on_delete=models.CASCADE, related_name="sent")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.answer_id} → {self.case_id}"


class SurveyExportJob(ExportJob):
    """One Excel export of a survey: who asked, how far it got, and its file.

    A small survey is written at once and sent back; a large one runs as a task that writes the
    file under MEDIA_ROOT with a random name, sent only to its owner through the job's download
    page. Jobs are kept as the record of who took out what.
    """

    survey = models.ForeignKey(
        Survey, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to="survey_exports/", blank=True, max_length=200)

    class Meta:
        verbose_name = _("问卷导出")
        verbose_name_plural = _("问卷导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="survey_export_owner")]
