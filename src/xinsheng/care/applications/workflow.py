"""The steps of an application, as data: from which states each step may be taken."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.care.choices import ApplicationStatus as S
from xinsheng.core.errors import Conflict

STEPS: dict[str, frozenset[str]] = {
    "review": frozenset({S.SUBMITTED}),
    "approve": frozenset({S.REVIEWED}),
    "reject": frozenset({S.SUBMITTED, S.REVIEWED, S.APPROVED, S.NOTICED, S.PAYABLE}),
    "notice": frozenset({S.APPROVED}),
    "notice_end": frozenset({S.NOTICED}),
    "pay": frozenset({S.PAYABLE}),
    "reverse": frozenset({S.PAID}),
    "renew": frozenset({S.PAID}),
}
# Waiting for a decision: the 三不让 pledge counts relief applications here past their deadline.
UNDECIDED = (S.SUBMITTED, S.REVIEWED)


def may_step(status: str, step: str) -> bool:
    """Return whether an application in ``status`` may take ``step``."""
    return status in STEPS.get(step, frozenset())


def require_step(status: str, step: str) -> None:
    """Raise ``Conflict`` unless an application in ``status`` may take ``step``."""
    if not may_step(status, step):
        raise Conflict(
            _("该申请已是“%(status)s”状态，不能再这样处理。") % {"status": S(status).label},
            code="application_state",
        )


# How each step reads in an application's history.
ACTION_LABELS = {
    "submit": gettext_lazy("提交申请"),
    "review": gettext_lazy("单位审核"),
    "approve": gettext_lazy("工会审批"),
    "reject": gettext_lazy("不予通过"),
    "notice": gettext_lazy("公示"),
    "notice_end": gettext_lazy("公示期满"),
    "objection": gettext_lazy("登记异议"),
    "objection_upheld": gettext_lazy("异议成立"),
    "objection_dismissed": gettext_lazy("异议不成立"),
    "pay": gettext_lazy("发放"),
    "reverse": gettext_lazy("冲正"),
    "follow_up": gettext_lazy("跟踪走访"),
    "renew": gettext_lazy("续助"),
}
