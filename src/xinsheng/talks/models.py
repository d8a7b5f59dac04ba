"""Talks and visits down the hierarchy (大走访、大谈心、双向约谈), meetings and supervision groups.

A talk or visit is a ``TalkRecord`` with its hosts and the people talked with; each voice raised
becomes a case (channel 谈心/走访) linked by ``TalkVoice``. A ``TalkCycle`` plans the pairs the
``TierRule`` rows imply (一级抓一级); a ``TalkRequest`` is an employee asking for a talk (接受约谈).
``Meeting`` rows carry their rectification items; a ``SupervisionGroup`` watches its units'
coverage and sends them ``SupervisionNotice`` rows (督办).

``TalkParticipant`` repeats the record's date and the person's unit path beside each person, so
that coverage (distinct people reached in a subtree and period) is one index range scan.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.models import Case
from xinsheng.core.models import ExportJob, TimeStamped
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.choices import (
    Direction,
    MeetingKind,
    PairStatus,
    Place,
    RequestChannel,
    RequestStatus,
    RuleReach,
    TalkKind,
)

# --- records --------------------------------------------------------------------------------------


class TalkRecord(TimeStamped):
    """One talk or visit as it happened: who, with whom, when, where, and what was raised.

    A visit where nobody raised anything is a record too, and counts.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=TalkKind.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="talks"
    )
    # The unit's path when written, for subtree filters without a join (kept by figures_rebuild).
    unit_path = models.CharField(max_length=255, db_index=True)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=16, choices=Place.choices, blank=True)
    place_note = models.CharField(_("地点说明"), max_length=100, blank=True)
    direction = models.CharField(
        _("方式"), max_length=16, choices=Direction.choices, default=Direction.INITIATED
    )
    summary = models.TextField(_("谈话摘要"), blank=True)
    # Mood and concern tags (思想波动, 家庭困难, 安全顾虑 …), free words chosen from a list.
    tags = models.JSONField(_("标签"), default=list, blank=True)
    # Health, family hardship: shown only to those who may read it, and every reading is logged.
    sensitive_note = models.TextField(_("敏感情况"), blank=True)
    hosts = models.ManyToManyField(
        Person, verbose_name=_("谈话人"), through="TalkHost", related_name="talks_hosted"
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("谈话对象"), through="TalkParticipant", related_name="talks_joined"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A record typed offline and sent again: the client's key, hashed, makes the retry a no-op.
    client_key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("谈心走访记录")
        verbose_name_plural = _("谈心走访记录")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["-held_on", "-id"], name="talks_record_held"),
            models.Index(fields=["unit_path", "held_on"], name="talks_record_path_held"),
            # What the aggregates read to catch up (talks.aggregates).
            models.Index(fields=["updated_at"], name="talks_record_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} @ {self.unit_id}"


class TalkHost(models.Model):
    """A person who held the talk or made the visit."""

    record = models.ForeignKey(TalkRecord, on_delete=models.CASCADE, related_name="host_rows")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("谈话人")
        verbose_name_plural = _("谈话人")
        constraints = [
            models.UniqueConstraint(fields=["record", "person"], name="talks_host_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.person_id}"


class TalkParticipant(models.Model):
    """A person talked with or whose household was visited; the unit of coverage counts.

    ``held_on`` and ``unit_path`` repeat the record's date and the person's unit path when the
    record was written, so that "distinct people reached under this unit in this period" reads
    one index.
    """

    record = models.ForeignKey(TalkRecord, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    unit_path = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("谈话对象")
        verbose_name_plural = _("谈话对象")
        constraints = [
            models.UniqueConstraint(fields=["record", "person"], name="talks_participant_unique"),
        ]
        indexes = [
            models.Index(fields=["unit_path", "held_on", "person"], name="talks_participant_reach"),
            models.Index(fields=["person", "held_on"], name="talks_participant_person"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.person_id}"


class TalkVoice(models.Model):
    """A voice raised in a talk or visit, written as a case that goes round the closed loop."""

    record = models.ForeignKey(TalkRecord, on_delete=models.CASCADE, related_name="voices")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="talk_voice")

    class Meta:
        verbose_name = _("谈话中反映的诉求")
        verbose_name_plural = _("谈话中反映的诉求")

    def __str__(self) -> str:
        return f"{self.record_id} → {self.case_id}"


# --- cycles and tier rules ------------------------------------------------------------------------


class TierRule(TimeStamped):
    """One tier of 一级抓一级、分级负责谈, as data an administrator edits.

    Hosts are people whose unit kind is in ``host_unit_kinds`` (any when empty), whose cadre rank
    is in ``host_ranks`` (any when empty), and who are principals of their unit when
    ``host_principal``. Each host talks with the people ``reach`` leads to, restricted to the unit
    kinds ``target_unit_kinds`` (any when empty); a person there is a target when they are the
    unit's principal (if ``target_principal``), and, when ``target_ranks`` or ``target_groups`` is
    set, when their rank is one of the ranks or they belong to one of the groups.
    """

    name = models.CharField(_("层级名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"), default=1)
    is_active = models.BooleanField(_("启用"), default=True)
    host_unit_kinds = models.JSONField(_("谈话人单位类型"), default=list, blank=True)
    host_ranks = models.JSONField(_("谈话人干部级别"), default=list, blank=True)
    host_principal = models.BooleanField(_("谈话人须为主要负责人"), default=False)
    reach = models.CharField(_("谈话范围"), max_length=16, choices=RuleReach.choices)
    target_unit_kinds = models.JSONField(_("谈话对象单位类型"), default=list, blank=True)
    target_principal = models.BooleanField(_("谈话对象须为主要负责人"), default=False)
    target_ranks = models.JSONField(_("谈话对象干部级别"), default=list, blank=True)
    target_groups = models.JSONField(_("谈话对象群体"), default=list, blank=True)

    class Meta:
        verbose_name = _("约谈层级规则")
        verbose_name_plural = _("约谈层级规则")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class TalkCycle(TimeStamped):
    """A round of 双向约谈 for a subtree and a period; its pairs come from the tier rules."""

    title = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="talk_cycles"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("约谈周期")
        verbose_name_plural = _("约谈周期")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="talks_cycle_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TalkPair(TimeStamped):
    """A talk the rules require in a cycle: planned → held, or waived with a reason."""

    cycle = models.ForeignKey(TalkCycle, on_delete=models.CASCADE, related_name="pairs")
    rule = models.ForeignKey(
        TierRule, verbose_name=_("层级"), on_delete=models.PROTECT, related_name="pairs"
    )
    host = models.ForeignKey(
        Person, verbose_name=_("谈话人"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("谈话对象"), on_delete=models.PROTECT, related_name="+"
    )
    # The person's unit path when the pair was generated, for the coverage board's subtree sums.
    unit_path = models.CharField(max_length=255)
    status = models.CharField(
        _("状态"), max_length=16, choices=PairStatus.choices, default=PairStatus.PLANNED
    )
    held_on = models.DateField(_("谈话日期"), null=True, blank=True)
    record = models.ForeignKey(
        TalkRecord,
        verbose_name=_("谈话记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairs",
    )
    reason = models.CharField(_("原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("约谈对子")
        verbose_name_plural = _("约谈对子")
        ordering = ["rule__order", "host_id", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "rule", "host", "person"], name="talks_pair_unique"
            ),
            models.CheckConstraint(condition=~Q(host=models.F("person")), name="talks_pair_two"),
            models.CheckConstraint(
                condition=~Q(status=PairStatus.HELD) | Q(held_on__isnull=False),
                name="talks_pair_held_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=PairStatus.WAIVED) | ~Q(reason=""),
                name="talks_pair_waived_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "unit_path"], name="talks_pair_cycle_path")]

    def __str__(self) -> str:
        return f"{self.host_id} → {self.person_id} ({self.status})"


# --- requests -------------------------------------------------------------------------------------


class TalkRequest(TimeStamped):
    """An employee asking for a talk (接受约谈): requested → scheduled → held, or declined.

    Always by name: whom to talk with must be known. The receipt code, like a voice's, is shown
    once and only its hash is kept.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="talk_requests"
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talk_requests",
    )
    name = models.CharField(_("姓名"), max_length=50)
    employee_no = models.CharField(_("工号"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    topic = models.TextField(_("想谈的事"))
    wanted_host = models.CharField(_("希望约谈的人"), max_length=100, blank=True)
    channel = models.CharField(_("来源"), max_length=16, choices=RequestChannel.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    receipt_hash = models.CharField(max_length=64, unique=True)
    scheduled_at = models.DateTimeField(_("约定时间"), null=True, blank=True)
    scheduled_place = models.CharField(_("约定地点"), max_length=100, blank=True)
    host = models.ForeignKey(
        Person,
        verbose_name=_("约谈人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("约谈日期"), null=True, blank=True)
    decline_reason = models.CharField(_("未安排原因"), max_length=500, blank=True)
    record = models.ForeignKey(
        TalkRecord,
        verbose_name=_("谈话记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("约谈申请")
        verbose_name_plural = _("约谈申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.DECLINED) | ~Q(decline_reason=""),
                name="talks_request_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.SCHEDULED) | Q(scheduled_at__isnull=False),
                name="talks_request_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.HELD) | Q(held_on__isnull=False),
                name="talks_request_held_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.get_status_display()}"


# --- meetings -------------------------------------------------------------------------------------


class Meeting(TimeStamped):
    """A 专题组织生活会, 党员恳谈会 or 宣讲/面对面 held at a unit."""

    kind = models.CharField(_("类型"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("主题"), max_length=100)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="meetings"
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    held_on = models.DateField(_("日期"))
    host = models.ForeignKey(
        Person,
        verbose_name=_("主持人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendance = models.PositiveIntegerField(_("参加人数"))
    topics = models.TextField(_("议题"), blank=True)
    # The hot topics (热点主题) a 宣讲 answered, by their labels as the dashboard showed them.
    hot_topics = models.JSONField(_("回应的热点"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cases = models.ManyToManyField(
        Case, verbose_name=_("会上反映的诉求"), related_name="meetings", blank=True
    )

    class Meta:
        verbose_name = _("会议活动")
        verbose_name_plural = _("会议活动")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(attendance__gt=0), name="talks_meeting_attended"),
        ]

    def __str__(self) -> str:
        return self.title


class Rectification(TimeStamped):
    """A finding of a meeting or inspection to put right: owner unit, due date, done."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    inspection = models.ForeignKey(
        "Inspection",
        verbose_name=_("督导检查"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    text = models.CharField(_("整改事项"), max_length=500)
    owner_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True)
    due_on = models.DateField(_("完成时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_note = models.CharField(_("完成情况"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(inspection__isnull=False),
                name="talks_rectification_has_source",
            ),
        ]

    def __str__(self) -> str:
        return self.text


# --- supervision groups ---------------------------------------------------------------------------


class SupervisionGroup(TimeStamped):
    """A 督导组: members who check that their assigned units talk with and visit everyone."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    members = models.ManyToManyField(
        Person, verbose_name=_("成员"), related_name="supervision_groups"
    )
    units = models.ManyToManyField(
        OrgUnit, verbose_name=_("督导单位"), related_name="supervision_groups"
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("督导组")
        verbose_name_plural = _("督导组")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SupervisionNotice(TimeStamped):
    """A 督办 notice a group member sends to a lagging unit; the unit sees it and answers."""

    group = models.ForeignKey(
        SupervisionGroup, verbose_name=_("督导组"), on_delete=models.PROTECT, related_name="notices"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="talk_notices"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.CharField(_("督办内容"), max_length=500)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    answer = models.CharField(_("回复"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.group_id} → {self.unit_id}"


class Inspection(TimeStamped):
    """A group's visit to check a unit, with what it found."""

    group = models.ForeignKey(
        SupervisionGroup,
        verbose_name=_("督导组"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("检查日期"))
    findings = models.TextField(_("发现的问题"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("督导检查")
        verbose_name_plural = _("督导检查")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group_id} @ {self.unit_id} {self.held_on}"


# --- figures kept current (talks.aggregates) ------------------------------------------------------


class TalkTally(models.Model):
    """Talks and visits of one calendar month, quarter or year at a unit path: the board's figures.

    ``people`` is signed so that its sum over a subtree is the distinct people reached there in
    the period: +1 at each unit path a person was reached at, −1 at the deepest unit shared by
    each two of those paths that are neighbours in tree order (see ``talks.aggregates``).
    """

    unit_path = models.CharField(max_length=255)
    span = models.CharField(max_length=8)  # "month", "quarter" or "year" (core.periods)
    starts_on = models.DateField()
    talks = models.IntegerField(default=0)
    visits = models.IntegerField(default=0)  # home visits included
    home_visits = models.IntegerField(default=0)
    person_times = models.IntegerField(default=0)
    people = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["span", "starts_on", "unit_path"], name="talks_tally_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_path} {self.span} {self.starts_on}"


class TalkReach(models.Model):
    """How often a person was talked with or visited in each month of a year, at a unit path.

    One row per person, unit path and year: "distinct people reached in these months" is a count
    of rows whose months are not all zero, and person-times is the sum of the months.
    """

    unit_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    # No constraint: the rows outlive a deleted person until the catch-up takes them off.
    person = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    m1 = models.IntegerField(default=0)
    m2 = models.IntegerField(default=0)
    m3 = models.IntegerField(default=0)
    m4 = models.IntegerField(default=0)
    m5 = models.IntegerField(default=0)
    m6 = models.IntegerField(default=0)
    m7 = models.IntegerField(default=0)
    m8 = models.IntegerField(default=0)
    m9 = models.IntegerField(default=0)
    m10 = models.IntegerField(default=0)
    m11 = models.IntegerField(default=0)
    m12 = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit_path", "year", "person"], name="talks_reach_unique"
            ),
        ]
        indexes = [models.Index(fields=["person", "year"], name="talks_reach_person")]

    def __str__(self) -> str:
        return f"{self.unit_path} {self.year} · {self.person_id}"


class TalkCounted(models.Model):
    """What the aggregates last counted of a record, so that a change is applied exactly once.

    A deleted record leaves its row with no record (``SET_NULL``): the catch-up takes it off.
    """

    record = models.OneToOneField(
        TalkRecord, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()  # the record's, when counted
    unit_path = models.CharField(max_length=255)
    month = models.DateField()
    kind = models.CharField(max_length=16)
    people = models.JSONField(default=list)  # person ids counted

    def __str__(self) -> str:
        return str(self.record_id)


class TalkFiguresState(models.Model):
    """How far the aggregates have read the records (their ``updated_at``)."""

    seen_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.seen_until)


# --- exports of the records' ledger ---------------------------------------------------------------


class TalkExportJob(ExportJob):
    """One export of the talk records' ledger: who asked, with which filters, how far it got.

    A small export is written at once and sent back; a large one runs as a task that writes the
    file under MEDIA_ROOT with a random name, sent only to its owner. Jobs are kept as the record
    of who took out what.
    """

    # The ledger's filters as the page's query string holds them (lists of strings by name).
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    file = models.FileField(_("文件"), upload_to="talk_exports/", blank=True, max_length=200)

    class Meta:
        verbose_name = _("谈心走访台账导出")
        verbose_name_plural = _("谈心走访台账导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="talks_export_owner")]
