"""Choices of the care app: hardship tiers, programmes, the states of files and applications,
where money comes from, and how a gift was handed over."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """How hard a family's situation is, as the union grades it."""

    EXTREME = "extreme", _("特困")
    HARDSHIP = "hardship", _("困难")
    TEMPORARY = "temporary", _("临时困难")


class HardshipReason(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    ACCIDENT = "accident", _("因意外")
    SINGLE_PARENT = "single_parent", _("单亲")
    LOW_INCOME = "low_income", _("收入低")
    OTHER = "other", _("其他")


class FileStatus(models.TextChoices):
    PROPOSED = "proposed", _("已申报")  # proposed by the branch or the unit
    REVIEWED = "reviewed", _("单位已审核")
    APPROVED = "approved", _("工会已审批")
    ACTIVE = "active", _("帮扶中")
    CLOSED = "closed", _("已退出")  # with a reason: income recovered, moved, left, passed away


OPEN_FILE_STATES = (
    FileStatus.PROPOSED,
    FileStatus.REVIEWED,
    FileStatus.APPROVED,
    FileStatus.ACTIVE,
)


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    OTHER = "other", _("其他")


class ProgrammeKind(models.TextChoices):
    STUDENT_AID = "student_aid", _("金秋助学")
    ILLNESS_RELIEF = "illness_relief", _("大病救助")
    DISTRIBUTION = "distribution", _("慰问发放")  # festival care, birthday wishes, 开斋节
    SANATORIUM = "sanatorium", _("疗休养")
    HARDSHIP = "hardship", _("困难帮扶")  # money handed to families on file, at visits


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已申请")
    REVIEWED = "reviewed", _("单位已审核")
    APPROVED = "approved", _("工会已审批")
    NOTICED = "noticed", _("公示中")
    PAYABLE = "payable", _("待发放")  # the notice ended without a standing objection
    PAID = "paid", _("已发放")
    REFUSED = "refused", _("未通过")  # with a reason the applicant sees
    WITHDRAWN = "withdrawn", _("已撤回")


CLOSED_APPLICATION_STATES = (ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN)


class SchoolLevel(models.TextChoices):
    """The level of school a child enters, which the student-aid rules pay by."""

    UNDERGRADUATE = "undergraduate", _("本科")
    JUNIOR_COLLEGE = "junior_college", _("大专")
    VOCATIONAL = "vocational", _("中职")
    HIGH_SCHOOL = "high_school", _("高中")
    POSTGRADUATE = "postgraduate", _("研究生")


class MoneySource(models.TextChoices):
    FUND = "fund", _("基金")  # paid out of a fund, counted against its balance
    PERSONAL = "personal", _("个人")  # a cadre's own pocket, never mixed into a fund


class Handover(models.TextChoices):
    """How a gift reached the person, as the delivery is confirmed."""

    SIGNED = "signed", _("本人签收")
    DELIVERER = "deliverer", _("经办人确认")


class BatchKind(models.TextChoices):
    HONOUR = "honour", _("荣誉疗养")
    ILLNESS = "illness", _("病疗")
    OCCUPATIONAL = "occupational", _("职业健康疗养")


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("已推荐")
    CONFIRMED = "confirmed", _("已确认")
    ATTENDED = "attended", _("已参加")
    WITHDRAWN = "withdrawn", _("已取消")


class SensitiveKind(models.TextChoices):
    """Sensitive personal information kept apart, shown only to the privacy role."""

    RELIGION = "religion", _("宗教信仰")
    HEALTH = "health", _("健康状况")
