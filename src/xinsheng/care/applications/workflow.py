"""The steps of an application, as data: from which states each step may be taken."""

from django.utils.translation import gettext as _

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
