"""Staff pages of the figures: the dashboard and the list of the cases behind any number.

Load through selectors (scoped to ``report.view``), compute with ``metrics`` from the aggregates.
A unit outside the user's reporting scope is "not found", like one that does not exist.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinsheng.cases.ledger.keyset import NEWEST, cursor_load, page_of
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.core.periods import (
    CUSTOM,
    KINDS,
    MONTH,
    Period,
    period_between,
    period_of,
    period_to_date,
)
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit, in_subtree
from xinsheng.org.shared_reads import SharedReads
from xinsheng.reports import metrics, panels, selectors
from xinsheng.reports.metrics import CaseSelection, Figures
from xinsheng.reports.models import Dimension
from xinsheng.reports.presentation import (
    COUNT,
    COUNTER_LABELS,
    LINES,
    NUMBER,
    RATE,
    Line,
    change_shown,
    shown,
    value_of,
)

PAGE_SIZE = 50
UNIT_OPTION_LIMIT = 300


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def period_default(today: dt.date) -> Period:
    """Return the period the dashboard opens on: this month so far, unless it is too young.

    While the month has had fewer than ``REPORT_MONTH_MIN_DAYS`` days (today included), its
    figures are too few to read; the last complete month is shown instead. After that, the month
    to date is shown, compared with as many first days of the month before (docs/metrics.md).
    """
    month = period_of(MONTH, today)
    if today.day < settings.XINSHENG["REPORT_MONTH_MIN_DAYS"]:
        return month.previous()
    return period_to_date(month, today)


def period_from(params: Any, *, today: dt.date) -> tuple[Period, bool]:
    """Return the period the query asks for (``period`` + ``date``, or ``from``/``to``), and
    whether it was asked for at all (False: ``period_default``).

    A week, month, quarter or year not over yet counts its days to ``today`` only. An unreadable
    choice gives the month of the date asked for; a reversed range ``InvalidInput``.
    """
    kind = params.get("period") or ""
    start, end = _date(params.get("from")), _date(params.get("to"))
    if kind == CUSTOM or (start and end and not kind):
        if start and end:
            return period_between(start, end), True
        kind = MONTH
    day = _date(params.get("date"))
    if not kind and day is None:
        return period_default(today), False
    if kind not in KINDS or kind == CUSTOM:
        kind = MONTH
    return period_to_date(period_of(kind, day or today), today), True


def period_note(period: Period, *, chosen: bool, today: dt.date) -> str:
    """Return what the page says about the period it shows when that is not plain to see."""
    previous = period.previous()
    if not chosen and period.end < today:
        return _(
            "本月才过去 %(days)s 天，数据尚少，默认显示上一个完整月份 %(period)s，"
            "与 %(previous)s 比较。可在下方选择其他统计周期。"
        ) % {"days": today.day, "period": period.label(), "previous": previous.label()}
    if period.to_date:
        return _(
            "%(period)s尚未结束：统计到今天为止，共 %(days)s 天，与上期同样的 %(previous_days)s 天"
            "（%(start)s 至 %(end)s）比较。"
        ) % {
            "period": period.label(),
            "days": period.days,
            "previous_days": previous.days,
            "start": previous.start.isoformat(),
            "end": previous.end.isoformat(),
        }
    return ""


def period_query(period: Period) -> dict[str, str]:
    """Return the query parameters that name ``period``."""
    if period.kind == CUSTOM:
        return {
            "period": CUSTOM,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
        }
    return {"period": period.kind, "date": period.start.isoformat()}


def dashboard_url(unit: OrgUnit, period: Period) -> str:
    """Return the dashboard of ``unit`` for ``period``."""
    return Links(period).dashboard(unit)


def cases_url(unit: OrgUnit, period: Period, figure: str, **extra: str) -> str:
    """Return the list of the cases that ``figure`` of ``unit`` over ``period`` counts."""
    return Links(period).cases(unit, figure, **extra)


class Links:
    """The addresses of one page's numbers over ``period``: the dashboard of a unit and the list
    of the cases behind a figure.

    A dashboard links some fifty numbers; the two pages are reversed and the period's part of
    the query is encoded once, not once a link. The addresses are those ``urlencode`` writes of
    the whole query, in the same order.
    """

    def __init__(self, period: Period) -> None:
        self._dashboard = reverse("reports:dashboard")
        self._cases = reverse("reports:cases")
        self._period_query = urlencode(period_query(period))
        self._dates = urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()})

    def dashboard(self, unit: OrgUnit) -> str:
        """Return the dashboard of ``unit`` for the period."""
        return f"{self._dashboard}?{urlencode({'unit': unit.code})}&{self._period_query}"

    def cases(self, unit: OrgUnit, figure: str, **extra: str) -> str:
        """Return the list of the cases that ``figure`` of ``unit`` over the period counts."""
        query = f"{urlencode({'figure': figure, 'unit': unit.code})}&{self._dates}"
        if extra:
            query = f"{query}&{urlencode(extra)}"
        return f"{self._cases}?{query}"


@dataclass(frozen=True)
class Link:
    """A number and the list of cases behind it."""

    label: str
    value: str
    url: str


@dataclass(frozen=True)
class FigureRow:
    """A line of the figures table: now, before, the change, and the counts behind it."""

    line: Line
    current: str
    previous: str
    change: str
    links: list[Link]


def _figure_rows(current: Figures, previous: Figures, links: Links) -> list[FigureRow]:
    rows = []
    for line in LINES:
        now, before = value_of(current, line.key), value_of(previous, line.key)
        counted = [
            Link(
                str(COUNTER_LABELS[name]),
                f"{current.counts[name]:,}",
                links.cases(current.unit, name),
            )
            for name in line.counters
        ]
        rows.append(
            FigureRow(
                line,
                shown(now, line.kind),
                shown(before, line.kind),
                change_shown(now, before, line.kind),
                counted,
            )
        )
    return rows


def _rate(value: float | None) -> float | None:
    return round(value * 100, 1) if value is not None else None


# What the trend chart shows: received, closed and the satisfaction rate (made of the last three).
TREND_COUNTERS = ("received", "closed", "rated", "satisfied", "basically_satisfied")


def _trend_chart(unit: OrgUnit, period: Period) -> dict[str, Any]:
    points = metrics.trend(unit, period, counters=TREND_COUNTERS)
    daily = period.days <= 62
    return {
        "labels": [
            p.start.strftime("%m-%d") if daily else p.start.strftime("%Y-%m") for p in points
        ],
        "series": [
            {"name": _("收到诉求"), "type": "bar", "data": [p.figures["received"] for p in points]},
            {"name": _("办结"), "type": "bar", "data": [p.figures["closed"] for p in points]},
            {
                "name": _("满意率"),
                "type": "line",
                "rate": True,
                "data": [_rate(p.figures.satisfaction_rate) for p in points],
            },
        ],
    }


def _children_chart(children: list[Figures], links: Links) -> dict[str, Any]:
    return {
        "labels": [f.unit.name for f in children],
        "links": [links.dashboard(f.unit) for f in children],
        "series": [
            {"name": _("响应率"), "data": [_rate(f.response_rate) for f in children]},
            {"name": _("解决率"), "data": [_rate(f.solution_rate) for f in children]},
            {"name": _("满意率"), "data": [_rate(f.satisfaction_rate) for f in children]},
        ],
    }


def _unit_options(actor: Any, unit: OrgUnit) -> list[OrgUnit]:
    """Return the units offered in the picker: the scope's top levels and around ``unit``."""
    units = selectors.report_units_for(actor=actor).filter(is_active=True)
    near = units.filter(depth__lte=unit.depth + 1, **in_subtree(unit.path[: OrgUnit.steplen]))
    return list(near[:UNIT_OPTION_LIMIT])


@staff_view
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the figures of a unit subtree for a period, with trends, rankings and breakdowns."""
    actor = request.user
    unit = selectors.report_unit_get_for(actor=actor, code=request.GET.get("unit", "").strip())
    notice = ""
    today = timezone.localdate()
    try:
        period, chosen = period_from(request.GET, today=today)
    except InvalidInput as error:
        notice = str(error.message)
        period, chosen = period_default(today), False
    # One object per request carries what the figures and several panels read alike.
    shared = SharedReads(actor=actor, unit=unit, period=period)
    comparison, by_child = metrics.dashboard_figures(unit, period, shared)
    ranking = metrics.rank(by_child.children, depth=unit.depth + 1)
    month = period_of(MONTH, period.end)
    if period_to_date(month, today).to_date:  # categories grow month on month: whole months
        month = month.previous()
    labels = metrics.category_labels()
    shares = metrics.breakdowns(unit, period, category_labels=labels)
    channels, categories = shares[Dimension.CHANNEL], shares[Dimension.CATEGORY]
    current = comparison.current
    links = Links(period)
    context = {
        "unit": unit,
        "period": period,
        "period_label": period.label(),
        "period_note": period_note(period, chosen=chosen, today=today),
        "previous_label": comparison.previous.period.label(),
        "period_query": period_query(period),
        "kinds": list(KINDS.items()),
        "notice": notice,
        "ancestors": org_selectors.unit_ancestors_for(actor=actor, unit=unit),
        "unit_options": _unit_options(actor, unit),
        "current": current,
        "rows": _figure_rows(current, comparison.previous, links),
        "headline": _headline(current, links),
        "overdue": Link(
            str(COUNTER_LABELS["overdue"]),
            f"{metrics.overdue_now(unit):,}",
            links.cases(unit, "overdue"),
        ),
        "children": [
            (f, links.dashboard(f.unit), links.cases(f.unit, "received")) for f in by_child.children
        ],
        "own": by_child.own,
        "children_chart": _children_chart(by_child.children, links),
        "trend_chart": _trend_chart(unit, period),
        "ranking": ranking,
        "red": [(row, links.dashboard(row.unit)) for row in ranking.red],
        "black": [(row, links.dashboard(row.unit)) for row in ranking.black],
        "dashboard_query": urlencode(period_query(period)),
        "channels": [
            (share, links.cases(unit, "received", channel=share.key)) for share in channels
        ],
        "categories": [
            (share, links.cases(unit, "received", category=share.key)) for share in categories
        ],
        "category_chart": [{"name": s.label, "value": s.cases} for s in categories[:12]],
        "channel_chart": [{"name": s.label, "value": s.cases} for s in channels],
        "growth_month": month.label(),
        "growing": metrics.growing_categories(unit, month, category_labels=labels),
        "panels": panels.panels_for(shared),
    }
    return render(request, "reports/dashboard.html", context)


def _headline(current: Figures, links: Links) -> list[Link]:
    """Return the big numbers at the top: volume, the three rates and the score."""
    unit = current.unit
    return [
        Link(_("收到诉求"), shown(current["received"], COUNT), links.cases(unit, "received")),
        Link(_("响应率"), shown(current.response_rate, RATE), links.cases(unit, "responded")),
        Link(_("解决率"), shown(current.solution_rate, RATE), links.cases(unit, "solved")),
        Link(_("满意率"), shown(current.satisfaction_rate, RATE), links.cases(unit, "rated")),
        Link(_("综合得分"), shown(current.score, NUMBER), ""),
        Link(_("办结"), shown(current["closed"], COUNT), links.cases(unit, "closed")),
    ]


@staff_view
@require_GET
def counted_cases(request: HttpRequest) -> HttpResponse:
    """List the cases a number of the dashboard counts, newest first, one keyset page."""
    actor = request.user
    figure = request.GET.get("figure", "")
    if figure not in metrics.LISTABLE:
        raise NotFound()
    unit = selectors.report_unit_get_for(actor=actor, code=request.GET.get("unit", "").strip())
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if start is None or end is None:
        raise InvalidInput(_("请选择统计区间。"), code="bad_period")
    period = period_between(start, end)
    selection = CaseSelection(
        unit,
        period,
        figure,
        channel=request.GET.get("channel"),
        category=request.GET.get("category"),
    )
    cases = selectors.report_cases_for(actor=actor, selection=selection)
    notice = ""
    cursor = None
    if token := request.GET.get("cursor", ""):
        try:
            cursor = cursor_load(token, sort=NEWEST)
        except InvalidInput as error:
            notice = str(error.message)
    page = page_of(cases, sort=NEWEST, cursor=cursor, size=PAGE_SIZE)
    params = request.GET.copy()
    params.pop("cursor", None)
    context = {
        "unit": unit,
        "period": period,
        "figure": figure,
        "figure_label": COUNTER_LABELS[figure],
        "page": page,
        "total": cases.count() if cursor is None else None,
        "page_query": params.urlencode(),
        "notice": notice,
        "back": dashboard_url(unit, period),
    }
    return render(request, "reports/cases.html", context)
