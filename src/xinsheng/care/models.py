"""Assistance to employees in need (帮扶): hardship files, pairs, programmes and their money.

A ``HardshipFile`` is one family on file, with its household and a history (``FileEvent``)
that is added to, never overwritten; ``Pair`` rows tie cadres to it for a period and
``CareVisit`` rows record what they did. A ``Programme`` (金秋助学, 大病救助, a festival
distribution, a sanatorium batch …) is run for a year under its rules: employees'
``Application`` rows go through the approval chain it needs (with ``ApplicationEvent``
history, a ``PublicNotice`` where the rules want one, and ``FollowUp`` visits for students),
``DistributionRecipient`` rows list who gets what, and ``SanatoriumBatch`` rows take
``Nomination`` rows against each unit's quota.

Money is append-only. A ``Payment`` is never edited or deleted: a mistake is corrected by a
reversal (a negative payment pointing to the one it cancels, with a reason). A fund's balance is
its deposits less its payments; a cadre's own money (``MoneySource.PERSONAL``) never has a fund.

Health details, religious belief and children's data are sensitive: they live in their own
fields (``Application.sensitive``, ``HouseholdMember.health_note``, ``SensitiveRecord``), shown
only to the privacy role, and every reading of them is logged.

Every row repeats the unit path of the person it concerns, as it was when written, so that
figures for a subtree and a period read one index.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xinsheng.care.choices import (
    CLOSED_APPLICATION_STATES,
    OPEN_FILE_STATES,
    ApplicationStatus,
    BatchKind,
    FileStatus,
    Handover,
    MoneySource,
    NominationStatus,
    ProgrammeKind,
    Relation,
    SensitiveKind,
    Tier,
)
from xinsheng.core.models import AppendOnlyEvent, TimeStamped
from xinsheng.org.models import OrgUnit, Person

ZERO = Decimal("0")


def _recorder(name: str = "+") -> models.ForeignKey:  # type: ignore[type-arg]
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=name,
    )


# --- funds ----------------------------------------------------------------------------------------


class Fund(TimeStamped):
    """Money set aside for assistance (送温暖基金, 助学基金 …), held by a unit's union."""

    name = models.CharField(_("基金名称"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="care_funds"
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("帮扶基金")
        verbose_name_plural = _("帮扶基金")
        ordering = ["unit_path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="care_fund_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class FundDeposit(AppendOnlyEvent):
    """Money put into a fund (an allocation, a donation, a transfer); never changed."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="deposits")
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("到账日期"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("基金入账")
        verbose_name_plural = _("基金入账")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=ZERO), name="care_deposit_positive"),
        ]
        indexes = [models.Index(fields=["fund"], include=["amount"], name="care_deposit_fund")]

    def __str__(self) -> str:
        return f"{self.fund_id} +{self.amount}"


# --- programmes -----------------------------------------------------------------------------------


class Programme(TimeStamped):
    """One year's run of an assistance programme, with its rules, budget and approval chain.

    ``rules`` holds what the kind needs, e.g. for student aid the amount per school level and
    who is eligible; for illness relief the share of the employee's own costs paid and its cap.
    """

    kind = models.CharField(_("类型"), max_length=24, choices=ProgrammeKind.choices)
    title = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="care_programmes",
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    budget = models.DecimalField(
        _("预算（元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("资金来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    rules = models.JSONField(_("规则"), default=dict, blank=True)
    needs_unit_review = models.BooleanField(_("需单位审核"), default=True)
    needs_union_approval = models.BooleanField(_("需工会审批"), default=True)
    # Days a public notice (公示) of the approved names stays up before payment; 0: no notice.
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=0)
    # Working days within which an application must be decided (the 三不让 pledge watches it).
    decide_within = models.PositiveSmallIntegerField(_("办理时限（工作日）"), default=10)
    opens_on = models.DateField(_("开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    is_open = models.BooleanField(_("进行中"), default=True)

    class Meta:
        verbose_name = _("帮扶项目")
        verbose_name_plural = _("帮扶项目")
        ordering = ["-year", "unit_path", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "title"], name="care_programme_unique_title"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=ZERO),
                name="care_programme_budget_positive",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="care_programme_year"
            ),
            models.CheckConstraint(
                condition=Q(notice_days__lte=30), name="care_programme_notice_days"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="care_programme_dates",
            ),
        ]
        indexes = [models.Index(fields=["kind", "year"], name="care_programme_kind_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


# --- hardship files and pairs ---------------------------------------------------------------------


class HardshipFile(TimeStamped):
    """A family on file (困难职工档案): the employee, the tier, the reasons and the income.

    Each change of state or of the figures appends a ``FileEvent`` with the values before it, so
    the history is kept. A person has at most one open file.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("职工"), on_delete=models.PROTECT, related_name="hardship_files"
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    tier = models.CharField(_("困难类别"), max_length=16, choices=Tier.choices)
    reasons = models.JSONField(_("致困原因"), default=list)
    reason_note = models.CharField(_("困难情况说明"), max_length=500, blank=True)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"))
    household_income = models.DecimalField(_("家庭年收入（元）"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=16, choices=FileStatus.choices, default=FileStatus.PROPOSED
    )
    closed_reason = models.CharField(_("退出原因"), max_length=300, blank=True)
    # The yearly review (年度复核) falls due on this day.
    review_due = models.DateField(_("复核日期"))
    proposed_by = _recorder()

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["unit_path", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=OPEN_FILE_STATES),
                name="care_file_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status=FileStatus.CLOSED) | ~Q(closed_reason=""),
                name="care_file_closed_has_reason",
            ),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="care_file_size"),
            models.CheckConstraint(
                condition=Q(household_income__gte=ZERO), name="care_file_income_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "unit_path"], name="care_file_status_path"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_tier_display()}"

    @property
    def income_per_head(self) -> Decimal:
        return (self.household_income / self.household_size).quantize(Decimal("0.01"))


class HouseholdMember(models.Model):
    """A member of a family on file other than the employee. Children's names and everyone's
    health are sensitive: masked for all but the privacy role."""

    file = models.ForeignKey(HardshipFile, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    occupation = models.CharField(_("职业/就读学校"), max_length=100, blank=True)
    health_note = models.CharField(_("健康状况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["file", "id"]

    def __str__(self) -> str:
        return f"{self.file_id} {self.get_relation_display()}"


class FileEvent(AppendOnlyEvent):
    """One step in a file's history: its state and figures as they were after the step."""

    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    status = models.CharField(_("状态"), max_length=16, choices=FileStatus.choices)
    # tier, reasons, household size and income after the step (never the sensitive notes).
    values = models.JSONField(_("档案内容"), default=dict)
    reason = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("档案变更记录")
        verbose_name_plural = _("档案变更记录")
        ordering = ["file", "at", "id"]

    def __str__(self) -> str:
        return f"{self.file_id} {self.action}"


class Pair(TimeStamped):
    """A cadre paired with a family on file (结对帮扶) from one day to another."""

    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="pairs")
    cadre = models.ForeignKey(
        Person, verbose_name=_("帮扶干部"), on_delete=models.PROTECT, related_name="care_pairs"
    )
    starts_on = models.DateField(_("结对日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        ordering = ["file", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "cadre"],
                condition=Q(ends_on__isnull=True),
                name="care_pair_one_running",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="care_pair_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} ↔ {self.file_id}"


class CareVisit(TimeStamped):
    """A visit to a family on file by its paired cadres: when, who, and what was given.

    Money given is a ``Payment`` (from a fund, or from the cadres' own pockets) linked to the
    visit; goods are described here with their value.
    """

    file = models.ForeignKey(HardshipFile, on_delete=models.PROTECT, related_name="visits")
    unit_path = models.CharField(max_length=255)
    visited_on = models.DateField(_("走访日期"))
    visitors = models.ManyToManyField(Person, verbose_name=_("走访人"), related_name="+")
    goods = models.CharField(_("慰问物品"), max_length=200, blank=True)
    goods_value = models.DecimalField(
        _("物品价值（元）"), default=ZERO, max_digits=14, decimal_places=2
    )
    note = models.CharField(_("走访情况"), max_length=500, blank=True)
    recorded_by = _recorder()

    class Meta:
        verbose_name = _("帮扶走访")
        verbose_name_plural = _("帮扶走访")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goods_value__gte=ZERO), name="care_visit_goods_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["file", "-visited_on"], name="care_visit_file_day"),
            models.Index(fields=["unit_path", "visited_on"], name="care_visit_path_day"),
        ]

    def __str__(self) -> str:
        return f"{self.file_id} {self.visited_on}"


# --- applications ---------------------------------------------------------------------------------


class PublicNotice(TimeStamped):
    """A public notice (公示) of a programme's approved names, up for its days on the board.

    It shows masked names, units and amounts, never health, belief or children's details.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(_("标题"), max_length=100)
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    published_by = _recorder()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="care_notice_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Application(TimeStamped):
    """An employee's application to a programme (a student's aid, an illness relief …).

    ``details`` holds what anyone handling it may see (school level, admission year, costs and
    what insurance paid); ``sensitive`` holds what only the privacy role may (the child's name,
    the diagnosis, medical details). ``subject`` names what is applied for, so that the same
    child cannot be applied for twice in one year: for student aid the child, normalised.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(max_length=24, choices=ProgrammeKind.choices)
    year = models.PositiveSmallIntegerField()
    person = models.ForeignKey(
        Person, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="care_applications"
    )
    unit_path = models.CharField(max_length=255)
    subject = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    amount_requested = models.DecimalField(
        _("申请金额（元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    amount_granted = models.DecimalField(
        _("核定金额（元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    details = models.JSONField(_("申请内容"), default=dict, blank=True)
    sensitive = models.JSONField(_("敏感信息"), default=dict, blank=True)
    refused_reason = models.CharField(_("未通过原因"), max_length=300, blank=True)
    # The day by which it must be decided (the 三不让 pledge counts those past it).
    decide_by = models.DateField(_("办理期限"))
    notice = models.ForeignKey(
        PublicNotice,
        verbose_name=_("公示"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    created_by = _recorder()

    class Meta:
        verbose_name = _("帮扶申请")
        verbose_name_plural = _("帮扶申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "person", "subject"],
                condition=~Q(status__in=CLOSED_APPLICATION_STATES),
                name="care_application_once_a_year",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.REFUSED) | ~Q(refused_reason=""),
                name="care_application_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True) | Q(amount_granted__gt=ZERO),
                name="care_application_granted_positive",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gt=ZERO),
                name="care_application_requested_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"], name="care_application_prog_status"),
            models.Index(fields=["status", "decide_by"], name="care_application_due"),
            models.Index(fields=["unit_path", "year"], name="care_application_path_year"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.person_id}"


class ApplicationEvent(AppendOnlyEvent):
    """One step of an application: who moved it from which state to which, and why."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=32)
    status_from = models.CharField(max_length=16, choices=ApplicationStatus.choices, blank=True)
    status_to = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    amount = models.DecimalField(
        _("金额（元）"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    reason = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("申请办理记录")
        verbose_name_plural = _("申请办理记录")
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class Objection(TimeStamped):
    """An objection raised against a name on a public notice, and how it was settled."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections"
    )
    text = models.CharField(_("异议内容"), max_length=500)
    received_on = models.DateField(_("收到日期"))
    # None while open; True: upheld (the application is refused); False: dismissed.
    upheld = models.BooleanField(_("异议成立"), null=True, blank=True)
    resolution = models.CharField(_("处理结果"), max_length=300, blank=True)
    recorded_by = _recorder()

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["notice", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.application_id}"


class FollowUp(TimeStamped):
    """A term's follow-up visit to an aided student (跟踪走访), due on a day."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="follow_ups"
    )
    term = models.CharField(_("学期"), max_length=32)
    due_on = models.DateField(_("应访日期"))
    done_on = models.DateField(_("走访日期"), null=True, blank=True)
    note = models.CharField(_("走访情况"), max_length=500, blank=True)
    done_by = _recorder()

    class Meta:
        verbose_name = _("跟踪走访")
        verbose_name_plural = _("跟踪走访")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "term"], name="care_follow_up_once"),
        ]
        indexes = [models.Index(fields=["done_on", "due_on"], name="care_follow_up_due")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.term}"


# --- money ----------------------------------------------------------------------------------------


class Payment(AppendOnlyEvent):
    """Money handed to a person: never edited or deleted.

    A reversal is a negative payment that points to the one it cancels (``reverses``) with a
    reason; a payment can be reversed once. Fund money names its fund and follows an approval
    (an application's approving step, or the approval of a family's file); a cadre's own money
    has no fund and is counted apart.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="payments"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("领取人"), on_delete=models.PROTECT, related_name="care_payments"
    )
    unit_path = models.CharField(max_length=255)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)
    source = models.CharField(_("资金来源"), max_length=16, choices=MoneySource.choices)
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("基金"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    paid_on = models.DateField(_("发放日期"))
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    visit = models.ForeignKey(
        CareVisit, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    # The approval this payment follows: an application's approving step or a file's approval.
    approval = models.ForeignKey(
        ApplicationEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_approval = models.ForeignKey(
        FileEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # The historical roster (its file name and row) a payment was taken from: its approval is on
    # the paper of that roster, recorded by the import's audit event.
    imported_from = models.CharField(_("导入来源"), max_length=255, blank=True, db_default="")

    class Meta:
        verbose_name = _("发放记录")
        verbose_name_plural = _("发放记录")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=ZERO), name="care_payment_not_zero"),
            models.CheckConstraint(
                condition=(Q(source=MoneySource.FUND) & Q(fund__isnull=False))
                | (Q(source=MoneySource.PERSONAL) & Q(fund__isnull=True)),
                name="care_payment_fund_iff_fund_money",
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=ZERO))
                | (Q(reverses__isnull=False) & Q(amount__lt=ZERO) & ~Q(note="")),
                name="care_payment_reversal_negative_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(source=MoneySource.FUND)
                | Q(reverses__isnull=False)
                | Q(approval__isnull=False)
                | Q(file_approval__isnull=False)
                | ~Q(imported_from=""),
                name="care_payment_fund_money_approved",
            ),
        ]
        indexes = [
            models.Index(fields=["fund"], include=["amount"], name="care_payment_fund"),
            models.Index(
                fields=["programme", "paid_on"],
                include=["amount", "person", "source"],
                name="care_payment_programme_day",
            ),
            models.Index(
                fields=["unit_path", "paid_on"],
                include=["amount", "programme", "source", "person"],
                name="care_payment_path_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.person_id} {self.amount}"


class ProgrammeTally(models.Model):
    """What a programme has paid in all, kept by the money services as each entry is appended,
    under the programme's row lock (``money.tally``): a derived total that a recount from the
    entries (``tally_recount``) always reproduces. The figures of a programme over a period
    that holds all of its entries read it instead of summing the entries."""

    programme = models.OneToOneField(
        Programme, primary_key=True, on_delete=models.CASCADE, related_name="tally"
    )
    fund = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    personal = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)
    people = models.PositiveIntegerField(default=0)  # people whose net total is above zero
    entries = models.PositiveIntegerField(default=0)
    first_paid_on = models.DateField(null=True, blank=True)
    last_paid_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("项目发放合计")
        verbose_name_plural = _("项目发放合计")

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.fund} + {self.personal}"


class ProgrammePersonTally(models.Model):
    """What a programme has paid one person in all, net of reversals: kept with the
    programme's tally, so that it knows when a person's total rises above zero or falls to it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    total = models.DecimalField(max_digits=16, decimal_places=2, default=ZERO)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="care_person_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.person_id}: {self.total}"


# --- distributions and sanatorium batches ---------------------------------------------------------


class DistributionRecipient(TimeStamped):
    """A person on a distribution's list (节日送温暖, 生日祝福, 开斋节慰问), what they get, and
    whether it reached them."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255)
    item = models.CharField(_("慰问品"), max_length=100)
    value = models.DecimalField(_("价值（元）"), default=ZERO, max_digits=14, decimal_places=2)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    handover = models.CharField(_("确认方式"), max_length=16, choices=Handover.choices, blank=True)
    delivered_by = _recorder()

    class Meta:
        verbose_name = _("发放名单")
        verbose_name_plural = _("发放名单")
        ordering = ["programme", "unit_path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="care_recipient_once"),
            models.CheckConstraint(condition=Q(value__gte=ZERO), name="care_recipient_value"),
            models.CheckConstraint(
                condition=(Q(delivered_on__isnull=True) & Q(handover=""))
                | (Q(delivered_on__isnull=False) & ~Q(handover="")),
                name="care_recipient_delivery_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.person_id}"


class SanatoriumBatch(TimeStamped):
    """One sanatorium stay (疗休养) of a programme: its kind, dates, place and capacity."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="batches")
    kind = models.CharField(_("类型"), max_length=16, choices=BatchKind.choices)
    title = models.CharField(_("批次"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    place = models.CharField(_("地点"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("名额"))

    class Meta:
        verbose_name = _("疗休养批次")
        verbose_name_plural = _("疗休养批次")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="care_batch_dates"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="care_batch_capacity"),
        ]

    def __str__(self) -> str:
        return self.title


class BatchQuota(models.Model):
    """How many places of a batch a unit may fill."""

    batch = models.ForeignKey(SanatoriumBatch, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    places = models.PositiveSmallIntegerField(_("名额"))

    class Meta:
        verbose_name = _("单位名额")
        verbose_name_plural = _("单位名额")
        constraints = [
            models.UniqueConstraint(fields=["batch", "unit"], name="care_quota_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} · {self.unit_id}: {self.places}"


class Nomination(TimeStamped):
    """A person nominated for a batch: nominated → confirmed → attended (or withdrawn).

    Someone who went within the rules' last N years is nominated only with a reason.
    """

    batch = models.ForeignKey(SanatoriumBatch, on_delete=models.PROTECT, related_name="nominations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.NOMINATED,
    )
    override_reason = models.CharField(_("再次推荐理由"), max_length=300, blank=True)
    nominated_by = _recorder()

    class Meta:
        verbose_name = _("疗休养人员")
        verbose_name_plural = _("疗休养人员")
        ordering = ["batch", "unit_path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "person"], name="care_nomination_once"),
        ]
        indexes = [models.Index(fields=["person", "status"], name="care_nomination_person")]

    def __str__(self) -> str:
        return f"{self.batch_id} · {self.person_id}"


# --- sensitive personal information ---------------------------------------------------------------


class SensitiveRecord(TimeStamped):
    """A sensitive fact about a person (religious belief for 开斋节 lists, health), kept apart
    with the consent given to record it. Only the privacy role sees it; each reading is logged."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=16, choices=SensitiveKind.choices)
    value = models.CharField(_("内容"), max_length=100)
    consent_on = models.DateField(_("本人同意日期"), null=True, blank=True)
    consent_note = models.CharField(_("同意方式"), max_length=200, blank=True)
    recorded_by = _recorder()

    class Meta:
        verbose_name = _("敏感个人信息")
        verbose_name_plural = _("敏感个人信息")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="care_sensitive_once"),
            models.CheckConstraint(
                condition=~Q(kind=SensitiveKind.RELIGION) | Q(consent_on__isnull=False),
                name="care_sensitive_religion_consented",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"
