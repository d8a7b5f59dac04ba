"""How figures are named and shown: the lines of the figures table, shared by every page.

The dashboard, the ``xinsheng rates`` command and the API list the same lines in the same order,
each with the counters whose cases it can be traced to.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xinsheng.reports.metrics import Figures

COUNT, RATE, DAYS, NUMBER = "count", "rate", "days", "number"

COUNTER_LABELS: dict[str, Promise] = {
    "received": _("收到诉求"),
    "rejected": _("不予受理"),
    "merged": _("合并办理"),
    "dispatched": _("派单"),
    "returned": _("退单"),
    "response_due": _("应签收"),
    "responded": _("按时签收"),
    "rated": _("评价"),
    "solved": _("评价为已解决"),
    "satisfied": _("满意"),
    "basically_satisfied": _("基本满意"),
    "unsatisfied": _("不满意"),
    "reopened": _("重办"),
    "supervised": _("督办"),
    "closed": _("办结"),
    "closed_on_time": _("按时办结"),
    "closed_unrated": _("未评价办结"),
    "handled": _("计入办理时长的办结诉求"),
    "overdue": _("当前超期"),
}


@dataclass(frozen=True)
class Line:
    """One line of the figures table: what it shows and which counters it is made of."""

    key: str
    label: Promise
    kind: str
    counters: tuple[str, ...]  # the counts behind it, each linkable to its cases


LINES: tuple[Line, ...] = (
    Line("received", _("收到诉求"), COUNT, ("received",)),
    Line("response_rate", _("响应率"), RATE, ("responded", "response_due")),
    Line("solution_rate", _("解决率"), RATE, ("solved", "rated")),
    Line(
        "satisfaction_rate",
        _("满意率"),
        RATE,
        ("satisfied", "basically_satisfied", "rated"),
    ),
    Line("score", _("综合得分"), NUMBER, ()),
    Line("on_time_rate", _("按时办结率"), RATE, ("closed_on_time", "closed")),
    Line("reopen_rate", _("重办率"), RATE, ("reopened", "rated")),
    Line("return_rate", _("退单率"), RATE, ("returned", "dispatched")),
    Line("supervised", _("督办次数"), COUNT, ("supervised",)),
    Line("average_handling_days", _("平均办理时长（工作日）"), DAYS, ("handled",)),
    Line("per_hundred", _("每百人诉求数"), NUMBER, ("received",)),
    Line("closed_unrated", _("未评价办结"), COUNT, ("closed_unrated",)),
)


def value_of(figures: Figures, key: str) -> float | int | None:
    """Return the value of line ``key`` in ``figures``."""
    if key in figures.counts:
        return figures.counts[key]
    value: float | int | None = getattr(figures, key)
    return value


def shown(value: float | None, kind: str) -> str:
    """Return ``value`` as the table shows it: 96.3%, 2.4, 1,263 or — when there is none."""
    if value is None:
        return "—"
    if kind == RATE:
        return f"{value * 100:.1f}%"
    if kind in {DAYS, NUMBER}:
        return f"{value:.1f}"
    return f"{int(value):,}"


def change_shown(current: float | None, previous: float | None, kind: str) -> str:
    """Return the change from ``previous`` to ``current``: points for a rate, else a difference."""
    if current is None or previous is None:
        return ""
    difference = current - previous
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    if kind == RATE:
        return f"{sign}{abs(difference) * 100:.1f}"
    if kind == COUNT:
        return f"{sign}{abs(int(difference)):,}"
    return f"{sign}{abs(difference):.1f}"
