"""Choices of the cases app: kinds, channels, states, events, ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Rated answers share their choices with every other rating.


class CaseKind(models.TextChoices):
    DEMAND = "demand", _("诉求")  # something the employee needs done
    SUGGESTION = "suggestion", _("建议")  # an idea for improvement
    COMPLAINT = "complaint", _("投诉")  # something that went wrong
    CONSULTATION = "consultation", _("咨询")  # a question that needs an answer
    PRAISE = "praise", _("表扬")  # thanks, also answered and closed


class Channel(models.TextChoices):
    QR = "qr", _("扫码")  # the employee's own submission (QR code, public form or API)
    FACE_TO_FACE = "face", _("当面")  # heard face to face, written in the notebook
    HOTLINE = "hotline", _("热线")  # 24-hour hotline
    MAILBOX = "mailbox", _("意见箱")  # suggestion box
    TALK = "talk", _("谈心")  # heart-to-heart talk
    VISIT = "visit", _("走访")  # home or workplace visit
    SURVEY = "survey", _("问卷")  # survey
    CONGRESS = "congress", _("职代会")  # workers' congress proposal


NOTEBOOK_CHANNELS = [c for c in Channel if c != Channel.QR]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")  # received, nobody has looked yet
    ACCEPTED = "accepted", _("已受理")  # classified by a dispatcher, not yet given to a unit
    DISPATCHED = "dispatched", _("已派单")  # a unit owns it; the response clock runs
    IN_PROGRESS = "in_progress", _("办理中")  # the unit has signed for it; the deadline runs
    RETURNED = "returned", _("已退单")  # the unit says it is not theirs; back to the dispatcher
    ANSWERED = "answered", _("已答复")  # the unit answered; waiting for the employee's rating
    CLOSED = "closed", _("已办结")  # rated, or not rated in time
    REJECTED = "rejected", _("不予受理")  # refused with a reason the submitter sees
    MERGED = "merged", _("已合并")  # folded into another case, whose answer it follows


OPEN_STATUSES = frozenset(
    {
        CaseStatus.SUBMITTED,
        CaseStatus.ACCEPTED,
        CaseStatus.DISPATCHED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.RETURNED,
    }
)
# States in which an employee may still add their voice to a case (附议).
SUPPORTABLE = OPEN_STATUSES | {CaseStatus.ANSWERED}
# States in which a unit holds the case and its deadline counts.
WITH_UNIT = frozenset({CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS})


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    RECORDED = "recorded", _("记录")  # entered in the notebook by a recorder
    ACCEPTED = "accepted", _("受理")
    REJECTED = "rejected", _("不予受理")
    MERGED = "merged", _("合并")
    DISPATCHED = "dispatched", _("派单")
    SIGNED = "signed", _("签收")
    NOTE = "note", _("办理记录")  # internal work note
    ANSWERED = "answered", _("答复")
    RETURNED = "returned", _("退单")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_GRANTED = "extension_granted", _("同意延期")
    EXTENSION_REFUSED = "extension_refused", _("不同意延期")
    SUPERVISED = "supervised", _("督办")
    RATED = "rated", _("评价")
    REOPENED = "reopened", _("重办")
    CLOSED = "closed", _("办结")
    OVERDUE = "overdue", _("超期")
    REMINDED = "reminded", _("到期提醒")
    SUPPORTED = "supported", _("附议")


class SubmitterCheck(models.TextChoices):
    """What the intake found when it looked a named submitter's employee number up."""

    NOT_CHECKED = "", _("未核对")  # anonymous, no employee number, or entered before checking
    VERIFIED = "verified", _("已核实")  # the number is a person's, and the name is theirs
    NAME_MISMATCH = "name_mismatch", _("未核实：工号与姓名不符")  # a person's number, not name
    UNKNOWN_NO = "unknown_no", _("未核实：工号不存在")  # no person has this number


# The outcomes staff must see marked: the voice is kept, but who sent it is not confirmed.
UNVERIFIED = frozenset({SubmitterCheck.NAME_MISMATCH, SubmitterCheck.UNKNOWN_NO})


class CloseReason(models.TextChoices):
    RATED = "rated", _("已评价")  # the employee rated the answer
    NOT_RATED = "not_rated", _("未评价")  # not rated in time; never counted as satisfied
    SUPERVISION = "supervision", _("转督办")  # unsatisfied a third time; supervision follows
    NO_RATER = "no_rater", _("无需评价")  # nobody can rate (entered without a receipt)
