"""The steps of a talk request, as data: from which state each step may be taken."""

from django.utils.translation import gettext as _

from xinsheng.core.errors import Conflict
from xinsheng.talks.choices import RequestStatus

# A scheduled talk may be scheduled again (another time or place) before it is held.
TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.REQUESTED: frozenset(
        {RequestStatus.SCHEDULED, RequestStatus.HELD, RequestStatus.DECLINED}
    ),
    RequestStatus.SCHEDULED: frozenset(
        {RequestStatus.SCHEDULED, RequestStatus.HELD, RequestStatus.DECLINED}
    ),
    RequestStatus.HELD: frozenset(),
    RequestStatus.DECLINED: frozenset(),
}
OPEN = frozenset({RequestStatus.REQUESTED, RequestStatus.SCHEDULED})


def may_move(current: str, target: str) -> bool:
    """Return whether a request in ``current`` may be moved to ``target``."""
    return RequestStatus(target) in TRANSITIONS[RequestStatus(current)]


def require_move(current: str, target: str) -> None:
    """Raise ``Conflict`` unless a request in ``current`` may be moved to ``target``."""
    if not may_move(current, target):
        raise Conflict(
            _("该约谈申请已是“%(status)s”状态，不能再这样处理。")
            % {"status": RequestStatus(current).label},
            code="request_closed",
        )
