"""Rationalisation proposals (合理化建议): collection windows, proposals, evaluation, decision,
implementation and rewards.

A ``Window`` (征集活动) collects proposals for a unit's subtree between two dates, under its
categories, the rubric its evaluators score on (criteria with a maximum each), its reward tiers
(amounts in yuan) and its committee. A ``Proposal`` is written by name; its ``CoAuthor`` rows
hold the proposer and the others with their shares (summing to 100, checked when written).
``Assignment`` rows give it to evaluators, who record one ``Score`` per criterion; the committee
decides; an adopted proposal is implemented by an owner unit (or a practical-matter project),
with ``ProgressNote`` rows, verified with its actual savings, and rewarded by a tier after a
public notice (公示). ``RewardPayment`` rows are append-only: a mistake is corrected by a
reversal. ``ProposalEvent`` rows are its history; the public ones are what the proposer sees.

The receipt code (查询码) is kept as its hash only, as the voices' codes are.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.models import Case
from xinsheng.core.models import AppendOnlyEvent, TimeStamped
from xinsheng.core.photos import StoredPhoto, photo_file
from xinsheng.org.models import OrgUnit, Person
from xinsheng.projects.models import Project
from xinsheng.proposals.choices import Channel, Decision, EventKind, ProposalStatus

ZERO = Decimal("0")


class Window(TimeStamped):
    """A collection window (征集活动) for a unit's subtree.

    ``criteria`` is a list of ``{"code", "name", "max"}`` (the rubric), ``tiers`` a list of
    ``{"code", "name", "amount"}`` (amount in yuan, as a string), ``categories`` a list of names.
    """

    title = models.CharField(_("活动名称"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("征集范围"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    categories = models.JSONField(_("类别"), default=list)
    criteria = models.JSONField(_("评审标准"), default=list)
    tiers = models.JSONField(_("奖励等级"), default=list)
    committee = models.ManyToManyField(
        Person, verbose_name=_("评审委员会"), related_name="proposal_committees", blank=True
    )
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("征集活动")
        verbose_name_plural = _("征集活动")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="proposals_window_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: object) -> bool:
        """Return whether proposals are taken on ``day``."""
        return bool(self.opens_on <= day <= self.closes_on)  # type: ignore[operator]

    @property
    def max_total(self) -> int:
        """Return the highest total score the rubric allows."""
        return sum(int(item["max"]) for item in self.criteria)


class Proposal(TimeStamped):
    """One proposal, by name, in a window."""

    proposal_no = models.CharField(_("建议编号"), max_length=20, unique=True)
    window = models.ForeignKey(
        Window, verbose_name=_("征集活动"), on_delete=models.PROTECT, related_name="proposals"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255)
    category = models.CharField(_("类别"), max_length=20, blank=True)
    title = models.CharField(_("题目"), max_length=100)
    problem = models.TextField(_("存在问题"))
    measure = models.TextField(_("建议措施"))
    benefit = models.TextField(_("预期效益"), blank=True)
    estimated_savings = models.DecimalField(
        _("预计创效（元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    proposer = models.ForeignKey(
        Person, verbose_name=_("建议人"), on_delete=models.PROTECT, related_name="proposals"
    )
    channel = models.CharField(_("来源"), max_length=16, choices=Channel.choices)
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.OneToOneField(
        Case,
        verbose_name=_("原诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal",
    )
    similar_to = models.ForeignKey(
        "self",
        verbose_name=_("同类建议"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="similar",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.RECEIVED
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decision = models.CharField(_("评审决定"), max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.CharField(_("决定理由"), max_length=500, blank=True)
    decision_overridden = models.BooleanField(_("未评完即决定"), default=False)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("实施单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("完成时限"), null=True, blank=True)
    project = models.ForeignKey(
        Project,
        verbose_name=_("实事项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    implementing_since = models.DateTimeField(_("开始实施"), null=True, blank=True)
    actual_savings = models.DecimalField(
        _("实际创效（元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    verified_at = models.DateTimeField(_("验收时间"), null=True, blank=True)
    reward_tier = models.CharField(_("奖励等级"), max_length=20, blank=True)
    reward_amount = models.DecimalField(
        _("奖金（元）"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_until = models.DateField(_("公示截止"), null=True, blank=True)
    rewarded_at = models.DateTimeField(_("奖励发放时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("合理化建议")
        verbose_name_plural = _("合理化建议")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_savings__isnull=True) | Q(estimated_savings__gte=ZERO),
                name="proposals_estimated_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(actual_savings__isnull=True) | Q(actual_savings__gte=ZERO),
                name="proposals_actual_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(decision__in=[Decision.DEFERRED, Decision.REJECTED])
                | ~Q(decision_reason=""),
                name="proposals_refusal_has_reason",
            ),
            # Implemented only when adopted, and by someone: an owner unit or a project.
            models.CheckConstraint(
                condition=~Q(
                    status__in=[
                        ProposalStatus.IMPLEMENTING,
                        ProposalStatus.IMPLEMENTED,
                        ProposalStatus.REWARDED,
                    ]
                )
                | (
                    Q(decision__in=[Decision.ADOPTED, Decision.PARTLY_ADOPTED])
                    & (Q(owner_unit__isnull=False) | Q(project__isnull=False))
                ),
                name="proposals_implemented_when_adopted",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ProposalStatus.IMPLEMENTED, ProposalStatus.REWARDED])
                | Q(verified_at__isnull=False),
                name="proposals_implemented_verified",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.REWARDED)
                | (Q(rewarded_at__isnull=False) & Q(reward_amount__gt=ZERO)),
                name="proposals_rewarded_paid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "submitted_at"],
                include=["status", "category"],
                name="proposals_path_day",
            ),
            models.Index(fields=["window", "status"], name="proposals_window_status"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_no} {self.title}"


class CoAuthor(models.Model):
    """A person who wrote the proposal, with their share of it in percent (the proposer too)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_authors")
    person = models.ForeignKey(
        Person, verbose_name=_("署名人"), on_delete=models.PROTECT, related_name="+"
    )
    share = models.PositiveSmallIntegerField(_("份额（%）"))

    class Meta:
        verbose_name = _("署名人")
        verbose_name_plural = _("署名人")
        ordering = ["-share", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="proposals_author_once"),
            models.CheckConstraint(
                condition=Q(share__gte=1) & Q(share__lte=100), name="proposals_share_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.share}%"


class Assignment(TimeStamped):
    """A proposal given to one evaluator; ``scored_at`` is set when they have scored it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(
        Person, verbose_name=_("评审人"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.CharField(_("评审意见"), max_length=500, blank=True)
    total = models.PositiveSmallIntegerField(_("总分"), null=True, blank=True)
    scored_at = models.DateTimeField(_("评审时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "evaluator"], name="proposals_assignment_once"
            ),
            models.CheckConstraint(
                condition=Q(scored_at__isnull=True) | Q(total__isnull=False),
                name="proposals_scored_has_total",
            ),
        ]
        indexes = [
            models.Index(fields=["evaluator", "scored_at"], name="proposals_assignment_waiting")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.evaluator_id}"


class Score(models.Model):
    """One evaluator's score on one criterion of the window's rubric."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("评审标准"), max_length=20)
    value = models.PositiveSmallIntegerField(_("得分"))

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="proposals_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}={self.value}"


class ProgressNote(AppendOnlyEvent):
    """A note on an adopted proposal's implementation; never changed."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="progress")
    text = models.CharField(_("进展"), max_length=500)

    class Meta:
        verbose_name = _("实施进展")
        verbose_name_plural = _("实施进展")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:20]


class RewardPayment(AppendOnlyEvent):
    """A co-author's part of a reward: never edited or deleted.

    A reversal is a negative payment that points to the one it cancels, with a reason.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="payments")
    person = models.ForeignKey(
        Person, verbose_name=_("领取人"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255)
    tier = models.CharField(_("奖励等级"), max_length=20)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("发放日期"))
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("奖励发放")
        verbose_name_plural = _("奖励发放")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=ZERO))
                | (Q(reverses__isnull=False) & Q(amount__lt=ZERO) & ~Q(note="")),
                name="proposals_payment_reversal_negative_with_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "paid_on"],
                include=["amount", "proposal"],
                name="proposals_payment_path_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.person_id} {self.amount}"


class ProposalEvent(AppendOnlyEvent):
    """Something that happened to a proposal; ``public`` ones are shown to the proposer."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("环节"), max_length=16, choices=EventKind.choices)
    public = models.BooleanField(default=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("建议记录")
        verbose_name_plural = _("建议记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind}"


class IntakeKey(models.Model):
    """An ``Idempotency-Key`` sent with a public proposal: its hash and the body's hash only."""

    key_hash = models.CharField(max_length=64, unique=True)
    body_hash = models.CharField(max_length=64)
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("提交标识")
        verbose_name_plural = _("提交标识")

    def __str__(self) -> str:
        return self.key_hash[:8]


class ProposalPhoto(StoredPhoto):
    """A photo of a proposal (the problem, the place, a sketch), re-encoded without metadata."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="photos")
    image = photo_file("proposals/%Y/%m/")
    added_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta(StoredPhoto.Meta):
        verbose_name = _("建议照片")
        verbose_name_plural = _("建议照片")
        ordering = ["id"]


class ProposalDocument(models.Model):
    """A document of a proposal (PDF, Word, Excel, PowerPoint), checked by its content.

    The file is stored under a random name; ``name`` is the name it was uploaded with, shown
    and offered when it is downloaded. It is sent only to those who may see the proposal.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("文件"), upload_to="proposals/docs/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=120)
    kind = models.CharField(_("类型"), max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    added_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("建议附件")
        verbose_name_plural = _("建议附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class CategoryExpert(models.Model):
    """A named expert evaluator of a window's category: the default evaluator of its proposals."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="experts")
    category = models.CharField(_("类别"), max_length=20)
    person = models.ForeignKey(
        Person, verbose_name=_("评审专家"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("类别评审专家")
        verbose_name_plural = _("类别评审专家")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "category", "person"], name="proposals_expert_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.person_id}"
