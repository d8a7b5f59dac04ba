"""The steps of the closed loop, as one table. Plain data and small functions; no ORM here.

Each row is one step: its name (as in URLs and the API), the permission that allows it and the
roles that grant that permission, the unit of the case it is checked at, the states it may start
from, the state it leads to (None: the step keeps the state), and its guard, an extra
precondition on the case. Everything else reads this table: the permission rows
(``cases.plugins``), the unit each permission is checked at (``cases.permissions``), the allowed
moves (``workflow.TRANSITIONS``), what a viewer may do now (``selectors.case_actions_for``), the
check every service makes (``workflow.require_step``), the work pages' forms and the API's
action endpoints.

A new step is a row here, plus its service function, its form and its API body.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

from xinsheng.cases.choices import WITH_UNIT
from xinsheng.cases.choices import CaseStatus as S
from xinsheng.org.choices import Role
from xinsheng.org.permissions import DISPATCHING, HANDLING

if TYPE_CHECKING:
    from xinsheng.cases.models import Case

Basis = Literal["origin", "responsible", "either"]

# Most reopenings (重办) an employee can cause by rating 不满意; the next one goes to supervision.
MAX_REOPENINGS = 2


# --- guards: extra preconditions, each a small function of the case ------------------------------


def has_category(case: "Case") -> bool:
    """The case was filed under a category (its deadline comes from it)."""
    return case.category_id is not None


def extension_pending(case: "Case") -> bool:
    """The unit asked for more time and nobody decided yet."""
    return case.extension_until is not None


def no_extension_pending(case: "Case") -> bool:
    """No request for more time waits for a decision."""
    return case.extension_until is None


def escalated_if_closed(case: "Case") -> bool:
    """A closed case is supervised only when it was closed to go to supervision."""
    return case.status != S.CLOSED or case.escalated


def may_reopen(case: "Case") -> bool:
    """The employee's 不满意 may still reopen the case."""
    return case.reopen_count < MAX_REOPENINGS


@dataclass(frozen=True)
class Guard:
    """An extra precondition and what a refusal says (None: the usual "not in this state")."""

    holds: Callable[["Case"], bool]
    refusal: str | Promise | None = None


@dataclass(frozen=True)
class Step:
    """One step of the loop (see the module's docstring)."""

    name: str
    label: str | Promise  # how the interface names the step
    start: frozenset[S]
    to: S | None  # None: the step keeps the state
    permission: str = ""  # "": nobody asks for it (the employee's rating, a sweep)
    roles: frozenset[Role] = frozenset()
    basis: Basis = "either"
    guard: Guard | None = None
    # States from which the step leads elsewhere than ``to``.
    to_from: Mapping[S, S] = field(default_factory=dict)

    def target(self, state: str) -> S | None:
        """Return the state the step leads to from ``state`` (None: it stays)."""
        return self.to_from.get(S(state), self.to)

    def open_for(self, case: "Case") -> bool:
        """Return whether ``case``'s state and the guard allow the step now."""
        return case.status in self.start and (self.guard is None or self.guard.holds(case))


BEFORE_UNIT = frozenset({S.SUBMITTED, S.ACCEPTED, S.RETURNED})
SUPERVISED = WITH_UNIT | {S.ANSWERED, S.CLOSED}

STEPS: tuple[Step, ...] = (
    # The dispatcher, at the unit the case came from.
    Step(
        "accept",
        gettext_lazy("受理"),
        frozenset({S.SUBMITTED}),
        S.ACCEPTED,
        "case.accept",
        DISPATCHING,
        "origin",
    ),
    Step(
        "reject",
        pgettext_lazy("case action", "不予受理"),
        BEFORE_UNIT,
        S.REJECTED,
        "case.reject",
        DISPATCHING,
        "origin",
    ),
    Step("merge", gettext_lazy("合并"), BEFORE_UNIT, S.MERGED, "case.merge", DISPATCHING, "origin"),
    Step(
        "dispatch",
        gettext_lazy("派单"),
        frozenset({S.ACCEPTED, S.RETURNED}),
        S.DISPATCHED,
        "case.dispatch",
        DISPATCHING,
        "origin",
        Guard(has_category, gettext_lazy("请先受理并选择类别。")),
    ),
    # The handler, at the unit the case was sent to.
    Step(
        "sign",
        gettext_lazy("签收"),
        frozenset({S.DISPATCHED}),
        S.IN_PROGRESS,
        "case.sign",
        HANDLING,
        "responsible",
    ),
    Step("note", gettext_lazy("办理记录"), WITH_UNIT, None, "case.note", HANDLING, "responsible"),
    Step(
        "answer",
        gettext_lazy("答复"),
        frozenset({S.IN_PROGRESS}),
        S.ANSWERED,
        "case.answer",
        HANDLING,
        "responsible",
    ),
    Step(
        "return",
        gettext_lazy("退单"),
        WITH_UNIT,
        S.RETURNED,
        "case.return",
        HANDLING,
        "responsible",
    ),
    Step(
        "extend",
        gettext_lazy("申请延期"),
        WITH_UNIT,
        None,
        "case.request_extension",
        HANDLING,
        "responsible",
        Guard(no_extension_pending, gettext_lazy("已有待审批的延期申请。")),
    ),
    # The dispatcher decides an extension.
    Step(
        "grant-extension",
        gettext_lazy("同意延期"),
        WITH_UNIT,
        None,
        "case.decide_extension",
        DISPATCHING,
        "origin",
        Guard(extension_pending, gettext_lazy("没有待审批的延期申请。")),
    ),
    Step(
        "refuse-extension",
        gettext_lazy("不同意延期"),
        WITH_UNIT,
        None,
        "case.decide_extension",
        DISPATCHING,
        "origin",
        Guard(extension_pending, gettext_lazy("没有待审批的延期申请。")),
    ),
    # The supervisor, at either unit; a notice reopens a case closed to go to supervision.
    Step(
        "supervise",
        gettext_lazy("督办"),
        SUPERVISED,
        None,
        "case.supervise",
        frozenset({Role.SUPERVISOR}),
        "either",
        Guard(escalated_if_closed),
        to_from={S.CLOSED: S.IN_PROGRESS},
    ),
    # The employee's judgement of an answer, and the sweep of answers nobody rated.
    Step("close", gettext_lazy("办结"), frozenset({S.ANSWERED}), S.CLOSED),
    Step(
        "reopen",
        gettext_lazy("重办"),
        frozenset({S.ANSWERED}),
        S.IN_PROGRESS,
        guard=Guard(may_reopen),
    ),
)

STEP: dict[str, Step] = {step.name: step for step in STEPS}
# The steps staff take, in the order of the loop (pages and the API list them so).
STAFF_STEPS: tuple[Step, ...] = tuple(step for step in STEPS if step.permission)


def transitions() -> dict[S, frozenset[S]]:
    """Return, for every state, the states the steps lead to from it."""
    moves: dict[S, set[S]] = {state: set() for state in S}
    for step in STEPS:
        for state in step.start:
            target = step.target(state)
            if target is not None:
                moves[state].add(target)
    return {state: frozenset(targets) for state, targets in moves.items()}


def permission_rows() -> dict[str, frozenset[Role]]:
    """Return the permissions the steps need, with the roles that grant each."""
    rows: dict[str, frozenset[Role]] = {}
    for step in STAFF_STEPS:
        if rows.setdefault(step.permission, step.roles) != step.roles:
            raise ValueError(f"{step.permission!r} is granted differently by two steps")
    return rows


def bases() -> dict[str, Basis]:
    """Return the unit of a case each step's permission is checked at."""
    found: dict[str, Basis] = {}
    for step in STAFF_STEPS:
        if found.setdefault(step.permission, step.basis) != step.basis:
            raise ValueError(f"{step.permission!r} is checked at two different units")
    return found


# How far along the loop each state is (a ledger import may move a case on, never back). Merged
# has no place: a merged case follows another one.
STAGE_ORDER: dict[str, int] = {
    S.SUBMITTED: 0,
    S.ACCEPTED: 1,
    S.DISPATCHED: 2,
    S.RETURNED: 2,
    S.IN_PROGRESS: 3,
    S.ANSWERED: 4,
    S.CLOSED: 5,
    S.REJECTED: 5,
}
