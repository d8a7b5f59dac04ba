"""The allowed moves of a case, as data. No ORM here."""

from django.utils.translation import gettext as _

from xinsheng.cases.choices import CaseStatus as S
from xinsheng.core.errors import Conflict

TRANSITIONS: dict[S, frozenset[S]] = {
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED, S.MERGED}),
    S.ACCEPTED: frozenset({S.DISPATCHED, S.REJECTED, S.MERGED}),
    S.RETURNED: frozenset({S.DISPATCHED, S.REJECTED, S.MERGED}),
    S.DISPATCHED: frozenset({S.IN_PROGRESS, S.RETURNED}),
    S.IN_PROGRESS: frozenset({S.ANSWERED, S.RETURNED}),
    S.ANSWERED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    # A case closed after a third 不满意 is reopened by a supervision notice.
    S.CLOSED: frozenset({S.IN_PROGRESS}),
    S.REJECTED: frozenset(),
    S.MERGED: frozenset(),
}

# Most reopenings (重办) an employee can cause by rating 不满意; the next one goes to supervision.
MAX_REOPENINGS = 2


def can_transition(current: str, target: str) -> bool:
    """Return whether a case may move from ``current`` to ``target``."""
    return S(target) in TRANSITIONS[S(current)]


def require_transition(current: str, target: str) -> None:
    """Raise ``Conflict`` unless a case may move from ``current`` to ``target``."""
    if not can_transition(current, target):
        raise Conflict(
            _("当前状态为“%(current)s”，不能执行此操作。") % {"current": S(current).label},
            code="invalid_transition",
        )


def require_status(current: str, allowed: frozenset[S]) -> None:
    """Raise ``Conflict`` unless the case is in one of ``allowed`` (for steps that keep state)."""
    if S(current) not in allowed:
        raise Conflict(
            _("当前状态为“%(current)s”，不能执行此操作。") % {"current": S(current).label},
            code="invalid_transition",
        )
