"""Choices of rationalisation proposals (合理化建议)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    """Where a proposal stands; the proposer sees each of these on the follow-up page."""

    RECEIVED = "received", _("已收到")  # taken in, not yet with evaluators
    EVALUATING = "evaluating", _("评审中")  # assigned to evaluators
    ADOPTED = "adopted", _("已采纳")  # the committee adopted it
    PARTLY_ADOPTED = "partly_adopted", _("部分采纳")  # adopted in part
    DEFERRED = "deferred", _("暂缓")  # kept for later, with a reason
    REJECTED = "rejected", _("不予采纳")  # not adopted, with a reason
    IMPLEMENTING = "implementing", _("实施中")  # an owner unit or a project carries it out
    IMPLEMENTED = "implemented", _("已实施")  # carried out and verified
    REWARDED = "rewarded", _("已奖励")  # its reward was paid after the public notice


class Decision(models.TextChoices):
    """The committee's decision on a proposal."""

    ADOPTED = "adopted", _("采纳")
    PARTLY_ADOPTED = "partly_adopted", _("部分采纳")
    DEFERRED = "deferred", _("暂缓")
    REJECTED = "rejected", _("不予采纳")


class Channel(models.TextChoices):
    """How a proposal came in."""

    FORM = "form", _("扫码提交")  # the proposal tab of the unit's QR form
    API = "api", _("接口提交")  # the public API
    RECORDER = "recorder", _("代为录入")  # entered by staff for the proposer
    IMPORT = "import", _("Excel导入")  # a row of an imported sheet
    VOICE = "voice", _("由建议转入")  # turned from a 建议 voice in the ledger


class EventKind(models.TextChoices):
    """What happened to a proposal; the public ones are shown to the proposer."""

    SUBMITTED = "submitted", _("已收到")
    ASSIGNED = "assigned", _("分配评审")
    SCORED = "scored", _("评审打分")
    DECIDED = "decided", _("评审决定")
    IMPLEMENTING = "implementing", _("安排实施")
    PROGRESS = "progress", _("实施进展")
    VERIFIED = "verified", _("验收实施")
    NOTICE = "notice", _("奖励公示")
    REWARDED = "rewarded", _("发放奖励")
    REVERSED = "reversed", _("冲销奖励")
    ATTACHED = "attached", _("补充附件")


# Statuses a decision is given in.
UNDECIDED = frozenset({ProposalStatus.RECEIVED, ProposalStatus.EVALUATING})
# Decisions that let a proposal be implemented.
ADOPTING = frozenset({Decision.ADOPTED, Decision.PARTLY_ADOPTED})
# Statuses counted as adopted (the decision was to adopt, whatever happened after).
ADOPTED_STATES = frozenset(
    {
        ProposalStatus.ADOPTED,
        ProposalStatus.PARTLY_ADOPTED,
        ProposalStatus.IMPLEMENTING,
        ProposalStatus.IMPLEMENTED,
        ProposalStatus.REWARDED,
    }
)
# Statuses counted as implemented.
IMPLEMENTED_STATES = frozenset({ProposalStatus.IMPLEMENTED, ProposalStatus.REWARDED})

# The categories a window offers unless it names its own.
DEFAULT_CATEGORIES = ("安全生产", "降本增效", "技术革新", "经营管理", "职工生活")
