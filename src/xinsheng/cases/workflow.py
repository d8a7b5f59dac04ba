"""The loop's rules applied to a case: which moves are allowed, and whether a step may be taken.

The rules themselves are the table in ``cases.steps``; this module answers from it, for the
services (``require_step``), the selectors (``step_allowed``) and the API alike, so that every
precondition is written once.
"""

from django.utils.translation import gettext as _

from xinsheng.cases import steps
from xinsheng.cases.choices import CaseStatus as S
from xinsheng.cases.models import Case
from xinsheng.cases.permissions import may_case
from xinsheng.core.actors import Actor
from xinsheng.core.errors import Conflict, Forbidden

MAX_REOPENINGS = steps.MAX_REOPENINGS
TRANSITIONS: dict[S, frozenset[S]] = steps.transitions()
STAGE_ORDER = steps.STAGE_ORDER


def can_transition(current: str, target: str) -> bool:
    """Return whether a case may move from ``current`` to ``target``."""
    return S(target) in TRANSITIONS[S(current)]


def _not_in_state(current: str) -> Conflict:
    return Conflict(
        _("当前状态为“%(current)s”，不能执行此操作。") % {"current": S(current).label},
        code="invalid_transition",
    )


def require_transition(current: str, target: str) -> None:
    """Raise ``Conflict`` unless a case may move from ``current`` to ``target``."""
    if not can_transition(current, target):
        raise _not_in_state(current)


def refusal(step: steps.Step, case: Case) -> Conflict | None:
    """Return why ``step`` cannot be taken on ``case`` now (its state, then its guard), or None."""
    if case.status not in step.start:
        return _not_in_state(case.status)
    if step.guard is not None and not step.guard.holds(case):
        if step.guard.refusal is None:
            return _not_in_state(case.status)
        return Conflict(str(step.guard.refusal), code="invalid_transition")
    return None


def require_open(step: steps.Step, case: Case) -> None:
    """Raise ``Conflict`` unless ``case``'s state and ``step``'s guard allow it now."""
    error = refusal(step, case)
    if error is not None:
        raise error


def may_ever(actor: Actor, action: str, case: Case) -> bool:
    """Return whether ``actor`` holds the permission of step ``action`` on ``case``."""
    return may_case(actor, steps.STEP[action].permission, case)


def step_allowed(actor: Actor, action: str, case: Case) -> bool:
    """Return whether ``actor`` may take step ``action`` on ``case`` now."""
    step = steps.STEP[action]
    return may_case(actor, step.permission, case) and step.open_for(case)


def require_step(actor: Actor, action: str, case: Case) -> steps.Step:
    """Return step ``action`` if ``actor`` may take it on ``case`` now.

    ``Forbidden`` when ``actor`` lacks its permission at the case's unit, ``Conflict``
    (``invalid_transition``) when the case's state or the step's guard does not allow it.
    """
    step = steps.STEP[action]
    if not may_case(actor, step.permission, case):
        raise Forbidden()
    require_open(step, case)
    return step
