"""Practical-matter projects (实事项目): milestones, linked voices, commitments, ratings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.models import Case
from xinsheng.core.models import AppendOnlyEvent, RatingRecord, TimeStamped
from xinsheng.core.photos import StoredPhoto, photo_file
from xinsheng.org.models import OrgUnit
from xinsheng.projects.choices import LinkOutcome, ProjectEventKind, ProjectKind, ProjectStatus


class CommitmentBody(TimeStamped):
    """A body projects are promised to, e.g. the workers' congress of a year (2026年职代会)."""

    name = models.CharField(_("承诺对象"), max_length=100, unique=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("会议日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("承诺对象")
        verbose_name_plural = _("承诺对象")
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return self.name


class Project(TimeStamped):
    """A concrete piece of work, often answering many voices, tracked to done (销号).

    ``progress`` is derived from the milestones and sub-projects by weight, and is the figure
    entered by hand (``manual_progress``) when there are none; services keep it up to date.
    """

    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目内容"), blank=True)
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="projects"
    )
    # Names as written on the list, not accounts: a leader may have no account at all.
    leader_name = models.CharField(_("责任领导"), max_length=50, blank=True)
    manager_name = models.CharField(_("责任人"), max_length=50, blank=True)
    kind = models.CharField(
        _("办理方式"), max_length=16, choices=ProjectKind.choices, default=ProjectKind.DEADLINE
    )
    due_date = models.DateField(_("完成时限"), db_index=True)
    budget = models.DecimalField(
        _("预算（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=500, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    manual_progress = models.PositiveSmallIntegerField(_("填报进度（%）"), default=0)
    started_at = models.DateTimeField(_("开工时间"), null=True, blank=True)
    answer = models.TextField(_("办理结果"), blank=True)
    done_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    is_public = models.BooleanField(_("公示"), default=True)
    public_token = models.CharField(max_length=24, unique=True)
    commitment_body = models.ForeignKey(
        CommitmentBody,
        verbose_name=_("承诺对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    commitment_no = models.PositiveSmallIntegerField(_("承诺序号"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("实事项目")
        verbose_name_plural = _("实事项目")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100) & models.Q(manual_progress__lte=100),
                name="projects_progress_percent",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ProjectStatus.DONE) | models.Q(done_at__isnull=False),
                name="projects_done_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ProjectStatus.CANCELLED) | ~models.Q(cancel_reason=""),
                name="projects_cancelled_has_reason",
            ),
            models.UniqueConstraint(
                fields=["commitment_body", "commitment_no"], name="projects_one_commitment_no"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """A step of a project with its date and weight; done when ``done_at`` is set."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点名称"), max_length=100)
    due_date = models.DateField(_("计划完成日期"))
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectCase(models.Model):
    """A voice (case) a project answers. ``source`` says how it came, e.g. a hot topic."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="project_links")
    linked_at = models.DateTimeField(_("关联时间"), auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("来源"), max_length=64, blank=True)
    outcome = models.CharField(
        _("答复情况"), max_length=16, choices=LinkOutcome.choices, default=LinkOutcome.PENDING
    )
    outcome_note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("关联诉求")
        verbose_name_plural = _("关联诉求")
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "case"], name="projects_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id}→{self.case_id}"


class ProjectPhoto(StoredPhoto):
    """A photo of a project's result, re-encoded without EXIF or location."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="photos")
    image = photo_file("projects/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成果照片")
        verbose_name_plural = _("成果照片")


class ProjectRating(RatingRecord):
    """An employee's judgement of a project's result (群众评单), given through its QR code.

    Nothing identifies who rated: no account, address, user agent or receipt is stored.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings")

    class Meta:
        verbose_name = _("项目评价")
        verbose_name_plural = _("项目评价")

    def __str__(self) -> str:
        return f"{self.project_id} {self.satisfaction}"


class ProjectEvent(AppendOnlyEvent):
    """One step in a project's life. Append-only."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=24, choices=ProjectEventKind.choices)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("项目记录")
        verbose_name_plural = _("项目记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind}"
