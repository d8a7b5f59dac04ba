"""What text insight keeps: the installation's own category models, versioned, and the snapshot
of the near-duplicate index that web processes start from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainedModel(models.Model):
    """One version of the category model, trained on this installation's labelled cases.

    A new version becomes the active one only when it is not worse than the active one on the
    cases held out from its training; either way it is kept, with the figures that decided.
    """

    version = models.PositiveIntegerField(_("版本"), unique=True)
    trained_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trained_on = models.PositiveIntegerField(_("训练样本数"))
    heldout = models.PositiveIntegerField(_("留出样本数"))
    labels = models.JSONField(_("类别"), default=list)
    macro_f1 = models.FloatField(_("留出集宏平均F1"), null=True, blank=True)
    previous_macro_f1 = models.FloatField(_("原模型留出集宏平均F1"), null=True, blank=True)
    is_active = models.BooleanField(_("在用"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    blob = models.BinaryField(_("模型数据"))
    # What predicting needs, without scikit-learn (``PlainModel``): empty for a version trained
    # before it was kept, until the periodic retraining task writes it.
    plain = models.BinaryField(_("预测数据"), default=b"", blank=True)

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="one_active_model"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class SimilarSnapshot(models.Model):
    """The near-duplicate index as of ``last_case_id``, so a new process need not build it.

    The index is a file in the installation's storage (hundreds of megabytes at a million cases),
    not a database value.
    """

    made_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    last_case_id = models.BigIntegerField(_("最后收录的诉求"))
    size = models.PositiveIntegerField(_("收录条数"))
    file = models.FileField(_("索引文件"), upload_to="insight/similar/")

    class Meta:
        verbose_name = _("相似检索快照")
        verbose_name_plural = _("相似检索快照")
        ordering = ["-last_case_id"]

    def __str__(self) -> str:
        return f"{self.size} @ {self.last_case_id}"


class TopicRun(models.Model):
    """One clustering of the voices of a unit subtree in a period into hot topics (每月一题)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("分析中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    case_count = models.PositiveIntegerField(_("诉求条数"), default=0)
    previous_count = models.PositiveIntegerField(_("上期诉求条数"), default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("热点分析")
        verbose_name_plural = _("热点分析")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["unit", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start}–{self.end}"


class Topic(models.Model):
    """A hot topic of a run: its key terms, how many voices and people, and its trend."""

    run = models.ForeignKey(TopicRun, on_delete=models.CASCADE, related_name="topics")
    rank = models.PositiveSmallIntegerField(_("排名"))
    label = models.CharField(_("主题"), max_length=100)
    terms = models.JSONField(_("关键词"), default=list)
    size = models.PositiveIntegerField(_("诉求条数"))
    supporters = models.PositiveIntegerField(_("附议人数"), default=0)
    units = models.PositiveIntegerField(_("涉及单位数"), default=0)
    previous_size = models.PositiveIntegerField(_("上期条数"), default=0)
    # The voices that fit no topic, ranked last: kept together so that none is lost.
    is_other = models.BooleanField(_("未归类"), default=False)

    class Meta:
        verbose_name = _("热点主题")
        verbose_name_plural = _("热点主题")
        ordering = ["run", "rank"]
        constraints = [models.UniqueConstraint(fields=["run", "rank"], name="topic_rank_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def trend(self) -> int:
        """Return the change in voices against the previous period of the same length."""
        return self.size - self.previous_size


class TopicMember(models.Model):
    """A voice of a topic; the nearest to the topic's centre come first."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="members")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="topic_memberships"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["topic", "position"]
        constraints = [models.UniqueConstraint(fields=["topic", "case"], name="topic_member_once")]

    def __str__(self) -> str:
        return f"{self.topic_id}:{self.case_id}"
