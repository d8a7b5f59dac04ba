"""Cases (诉求): every voice, its events, ratings, photos, and the categories it is filed under."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.choices import (
    CaseKind,
    CaseStatus,
    Channel,
    CloseReason,
    EventKind,
    SubmitterCheck,
    Urgency,
)
from xinsheng.core.models import AppendOnlyEvent, RatingRecord, TimeStamped
from xinsheng.core.photos import StoredPhoto, photo_file
from xinsheng.org.models import OrgUnit


def label_of(name: str, english_name: str) -> str:
    """Return a category's name as the active language shows it (``Category.label``)."""
    english = not (translation.get_language() or "zh-hans").startswith("zh")
    return english_name if english and english_name else name


class Category(TimeStamped):
    """A category dispatchers file cases under, with its default deadlines in working days."""

    code = models.SlugField(_("类别代码"), max_length=32, unique=True)
    name = models.CharField(_("类别名称"), max_length=50, unique=True)
    english_name = models.CharField(
        _("英文名称"),
        max_length=80,
        blank=True,
        help_text=_("界面为英文时显示；空着则显示中文名称。"),
    )
    deadline_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=5)
    urgent_deadline_days = models.PositiveSmallIntegerField(_("紧急办理时限（工作日）"), default=2)
    keywords = models.TextField(_("关键词"), blank=True, help_text=_("每行一个，用于自动分类。"))
    is_active = models.BooleanField(_("启用"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the name shown: in English when the interface is English and it has one."""
        return label_of(self.name, self.english_name)

    def deadline_for(self, urgency: str) -> int:
        """Return the working days a unit has for a case of ``urgency`` in this category."""
        return self.urgent_deadline_days if urgency == Urgency.URGENT else self.deadline_days


class IntakePoint(TimeStamped):
    """The QR code of a unit: whether it takes voices, and the token printed in its link.

    Rotating the token invalidates posters printed before; disabling stops intake for the unit.
    """

    unit = models.OneToOneField(
        OrgUnit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="intake"
    )
    token = models.CharField(_("二维码令牌"), max_length=16)
    is_enabled = models.BooleanField(_("启用"), default=True)
    rotated_at = models.DateTimeField(_("更换时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("意见征集码")
        verbose_name_plural = _("意见征集码")

    def __str__(self) -> str:
        return f"{self.unit.code}:{self.token}"


class CaseCounter(models.Model):
    """The last case number handed out (on SQLite; PostgreSQL uses a sequence)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(TimeStamped):
    """One voice that needs an answer.

    An anonymous case stores no name, employee number, phone, account, address or user agent:
    the only key to it is the hash of its receipt code.
    """

    case_no = models.CharField(_("编号"), max_length=32, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=CaseKind.choices)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    title = models.CharField(_("标题"), max_length=100)
    text = models.TextField(_("内容"))
    # What was typed, kept when normalising changed it (traditional characters, scraping noise).
    text_original = models.TextField(_("原文"), blank=True)
    origin_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="cases_raised"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,  # indexed where set: see Meta.indexes
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_owned",
        db_index=False,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # The submitter, when named. All empty for an anonymous case.
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    submitter_name = models.CharField(_("提出人"), max_length=50, blank=True)
    submitter_employee_no = models.CharField(_("提出人工号"), max_length=32, blank=True)
    submitter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # Where a named submitter asked to be told of their case's progress (with the phone above, a
    # mobile number; see cases.intake.contact). Never kept for an anonymous case.
    submitter_email = models.EmailField(_("电子邮箱"), max_length=100, blank=True)
    # Whether the employee number and name belong to a person of the enterprise, as found when
    # the voice came in (see cases.intake.identity): a made-up name is kept, but marked.
    submitter_check = models.CharField(
        _("提出人核实"), max_length=16, choices=SubmitterCheck.choices, blank=True, default=""
    )
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # A retried submission's idempotency key, scoped to the unit and bound to the voice: only
    # keyed hashes are stored, never the key (see cases/intake/idempotency.py).
    intake_key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # NULL exactly when the key hash is (cases_intake_key_has_body), which is NULL to be unique.
    intake_body_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    # Heard face to face (notebook)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    heard_on = models.DateField(_("听取日期"), null=True, blank=True)
    heard_place = models.CharField(_("听取地点"), max_length=100, blank=True)
    # The loop
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
        db_index=False,
    )
    reject_reason = models.CharField(_("不予受理原因"), max_length=500, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    response_deadline = models.DateField(_("签收时限"), null=True, blank=True)
    deadline = models.DateField(_("办理时限"), null=True, blank=True, db_index=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    solved_by_unit = models.BooleanField(_("承办单位认为已解决"), null=True, blank=True)
    extension_until = models.DateField(_("申请延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期原因"), max_length=500, blank=True)
    is_overdue = models.BooleanField(_("超期"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    # How many answers the unit has given; each answer is rated on its own (Rating.answer_round).
    answer_count = models.PositiveSmallIntegerField(_("答复次数"), default=0)
    supervision_count = models.PositiveSmallIntegerField(_("督办次数"), default=0)
    escalated = models.BooleanField(_("转督办"), default=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_reason = models.CharField(
        _("办结方式"), max_length=16, choices=CloseReason.choices, blank=True
    )
    supporters = models.PositiveIntegerField(_("附议人数"), default=0)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="cases_status_created"),
            models.Index(fields=["-created_at", "-id"], name="cases_created"),
            # A new voice has none of these yet: indexed only where set, the many voices sent
            # at once write none of their entries. Every query of them asks for a value (a
            # unit's cases, a user's, the cases merged into one), which implies it is set.
            *(
                models.Index(
                    fields=[field],
                    name=f"cases_{field}_set",
                    condition=models.Q(**{f"{field}__isnull": False}),
                )
                for field in (
                    "category",
                    "responsible_unit",
                    "handler",
                    "recorded_by",
                    "merged_into",
                )
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_anonymous=False)
                | models.Q(
                    submitter_name="",
                    submitter_employee_no="",
                    submitter_phone="",
                    submitter_email="",
                ),
                name="cases_anonymous_has_no_identity",
            ),
            models.CheckConstraint(
                condition=models.Q(is_anonymous=False) | models.Q(submitter_check=""),
                name="cases_anonymous_is_not_checked",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CaseStatus.MERGED) | models.Q(merged_into__isnull=False),
                name="cases_merged_has_target",
            ),
            models.CheckConstraint(
                condition=models.Q(intake_key_hash__isnull=True, intake_body_hash__isnull=True)
                | models.Q(intake_key_hash__isnull=False, intake_body_hash__isnull=False),
                name="cases_intake_key_has_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_no} {self.title}"

    @property
    def followed_case(self) -> "Case":
        """Return the case whose progress this case's submitter follows (itself unless merged)."""
        case = self
        while case.merged_into_id is not None and case.merged_into is not None:
            case = case.merged_into
        return case


class CaseEvent(AppendOnlyEvent):
    """One step in a case's life. Append-only: a mistake is corrected by a new event."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(
        _("原状态"), max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=16, choices=CaseStatus.choices, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    is_public = models.BooleanField(_("对提出人公开"), default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at"], name="cases_event_kind_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Rating(RatingRecord):
    """An employee's judgement of one answer. One per answer and receipt."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings")
    via_case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="ratings_given",
        help_text="the case whose receipt code was used (a merged case rates its target's answer)",
    )
    answer_round = models.PositiveSmallIntegerField()  # Case.answer_count when it was rated

    class Meta:
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "via_case", "answer_round"], name="cases_one_rating_per_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.satisfaction}"


class CasePhoto(StoredPhoto):
    """A photo sent with a case or with an answer to it, re-encoded without EXIF or location."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    image = photo_file("cases/%Y/%m/")
    # Which answer the photo came with (the case's answer_count then); null: with the voice.
    answer_round = models.PositiveSmallIntegerField(_("答复轮次"), null=True, blank=True)


from xinsheng.cases.ledger.models import LedgerExportJob  # noqa: E402, F401
