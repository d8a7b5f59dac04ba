"""The content of a work briefing (工作简报): title, paragraphs and the figures table.

Every number comes from ``reports.metrics`` — the functions the dashboard reads — and is only
*written* here, with the conventions of ``chinese_numbers``; nothing is counted again. The raw
figures of both periods are kept with the content (``BriefingContent.figures``), so a stored
briefing can always be checked against the dashboard.

A briefing is written in one language, kept with it (``figures["language"]``) for its Word
file and printed page: the language of the interface of the user who generates it (a briefing
generated in English is English throughout, its figures written the English way), unless the
installation fixes the language of every briefing (setting ``BRIEFING_LANGUAGE``, e.g.
``zh-hans`` where briefings are official documents in Chinese whoever writes them). Names of
units and the quoted words of employees stay as they were written.
"""

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from xinsheng.cases.models import Case
from xinsheng.cases.selectors import case_origin_shown
from xinsheng.core.chinese_numbers import (
    PERIOD_BEFORE,
    PREVIOUS_RANGE,
    SAME_PERIOD_LAST_YEAR,
    basis_heading,
    count,
    count_change,
    day_words,
    days,
    join_words,
    percent,
    period_words,
    rate_change,
)
from xinsheng.core.periods import (
    CUSTOM,
    MONTH,
    QUARTER,
    YEAR,
    Period,
    period_between,
    period_of,
)
from xinsheng.core.plugins import contributions
from xinsheng.org.models import OrgUnit
from xinsheng.reports import metrics
from xinsheng.reports.models import Dimension

DOCUMENT_LANGUAGE = "zh-hans"  # of briefings stored before they kept their language
TOP_CATEGORIES = 3
TOP_CHANNELS = 4
EXAMPLES = 3
EXAMPLE_POOL = 30  # solved cases looked at to pick examples of different categories
OVERDUE_UNITS = 3
TEXT_LENGTH = 40  # characters of a case's text quoted as an example
ANSWER_LENGTH = 50
HIDDEN = "×××"
# Digits that could identify someone: phone, ID or employee numbers written into a text.
_IDENTIFYING_NUMBER = re.compile(r"\d[\d\- ]{4,}[\dXx]")


@dataclass(frozen=True)
class FigureRow:
    """A line of the figures table: the figure in this period, the period before, the change."""

    key: str
    label: str
    current: str
    previous: str
    change: str


@dataclass(frozen=True)
class Example:
    """A solved case told as an example: where it came from (as shown), what was asked, done."""

    origin: str
    category: str
    text: str
    answer: str


@dataclass
class BriefingContent:
    """What a briefing says. ``figures`` holds the raw figures and the table, as JSON values."""

    title: str
    paragraphs: list[str]
    figures: dict[str, Any]
    examples: list[Example] = field(default_factory=list)

    @property
    def rows(self) -> list[FigureRow]:
        """Return the lines of the figures table."""
        return figure_rows(self.figures)


def figure_rows(figures: dict[str, Any]) -> list[FigureRow]:
    """Return the table lines stored in ``figures`` (as made by ``build_content``)."""
    return [FigureRow(**row) for row in figures.get("rows", [])]


def document_language() -> str:
    """Return the language a new briefing is written in: the setting's, else the writer's."""
    fixed = str(settings.XINSHENG.get("BRIEFING_LANGUAGE") or "")
    return fixed or translation.get_language() or settings.LANGUAGE_CODE


# --- words for periods ----------------------------------------------------------------------------


def period_for_range(start: dt.date, end: dt.date) -> Period:
    """Return the period from ``start`` to ``end``, named a month, quarter or year when it is one.

    So that ``--from 2026-10-01 --to 2026-10-31`` is titled 2026年10月 and compared 环比.
    """
    for kind in (MONTH, QUARTER, YEAR):
        period = period_of(kind, start)
        if (period.start, period.end) == (start, end):
            return period
    return period_between(start, end)


def comparison_basis(period: Period) -> str:
    """Return the word a comparison with the period before starts with: 同比, 环比 or 较上期."""
    if period.kind == YEAR:
        return SAME_PERIOD_LAST_YEAR
    if period.kind == CUSTOM:
        return PREVIOUS_RANGE
    return PERIOD_BEFORE


def briefing_title(unit: OrgUnit, period: Period) -> str:
    """Return the title: 晋泰煤业集团2026年10月职工诉求工作简报."""
    return _("%(unit)s%(period)s职工诉求工作简报") % {
        "unit": unit.name,
        "period": period_words(period),
    }


# --- the figures table ----------------------------------------------------------------------------

_COUNT_ROWS = (
    ("received", gettext_noop("收到诉求（件）")),
    ("rejected", gettext_noop("不予受理（件）")),
    ("merged", gettext_noop("合并办理（件）")),
    ("dispatched", gettext_noop("派单（件次）")),
    ("returned", gettext_noop("退单（件次）")),
    ("closed", gettext_noop("办结（件）")),
    ("rated", gettext_noop("职工评价（件次）")),
    ("supervised", gettext_noop("督办（件次）")),
)
_RATE_ROWS = (
    ("response_rate", gettext_noop("响应率")),
    ("solution_rate", gettext_noop("解决率")),
    ("satisfaction_rate", gettext_noop("满意率")),
    ("on_time_rate", gettext_noop("按时办结率")),
    ("reopen_rate", gettext_noop("重办率")),
    ("return_rate", gettext_noop("退单率")),
)


def _table(comparison: metrics.Comparison, overdue: int) -> list[FigureRow]:
    now, before = comparison.current, comparison.previous
    rows = [
        FigureRow(
            key,
            _(label),
            str(now.counts[key]),
            str(before.counts[key]),
            count_change(now.counts[key], before.counts[key], basis="", measure=""),
        )
        for key, label in _COUNT_ROWS
    ]
    for key, label in _RATE_ROWS:
        current, previous = getattr(now, key), getattr(before, key)
        rows.append(
            FigureRow(
                key,
                _(label),
                percent(current),
                percent(previous),
                rate_change(current, previous, basis="") or "—",
            )
        )
    rows += [
        FigureRow(
            "average_handling_days",
            _("平均办理时长（工作日）"),
            days(now.average_handling_days),
            days(before.average_handling_days),
            "—",
        ),
        FigureRow(
            "per_hundred",
            _("每百名职工诉求数（件）"),
            days(now.per_hundred),
            days(before.per_hundred),
            "—",
        ),
        FigureRow("score", _("综合得分"), days(now.score), days(before.score), "—"),
        FigureRow("overdue", _("当前超期未办结（件）"), str(overdue), "—", "—"),
    ]
    return rows


# --- examples -------------------------------------------------------------------------------------


def _shorten(text: str, length: int) -> str:
    flat = " ".join(text.split()).rstrip("。！？.!? ")
    return flat if len(flat) <= length else flat[:length].rstrip("，,。；; ") + "……"


def anonymised(text: str, case: Case) -> str:
    """Return ``text`` without the submitter's name, number, phone or e-mail, or long numbers."""
    for secret in (
        case.submitter_name,
        case.submitter_employee_no,
        case.submitter_phone,
        case.submitter_email,
    ):
        if secret and len(secret) >= 2:
            text = text.replace(secret, HIDDEN)
    return _IDENTIFYING_NUMBER.sub(HIDDEN, text)


def _example(case: Case) -> Example:
    origin = case_origin_shown(actor=None, case=case)
    return Example(
        origin=origin.name,
        category=case.category.label if case.category else "",
        text=_shorten(anonymised(case.text, case), TEXT_LENGTH),
        answer=_shorten(anonymised(case.answer, case), ANSWER_LENGTH),
    )


def solved_examples(unit: OrgUnit, period: Period, *, limit: int = EXAMPLES) -> list[Example]:
    """Return up to ``limit`` cases the employees rated solved in ``period``, of different kinds.

    They are taken from the cases the 解决率 counts as solved, newest first, one per category
    while there are categories left.
    """
    selection = metrics.CaseSelection(unit, period, "solved")
    pool = list(
        metrics.counted_cases(selection)
        .exclude(answer="")
        .select_related("origin_unit", "category")
        .order_by("-answered_at", "-id")[:EXAMPLE_POOL]
    )
    chosen: list[Case] = []
    seen: set[int | None] = set()
    for case in pool:
        if case.category_id not in seen:
            chosen.append(case)
            seen.add(case.category_id)
    chosen += [case for case in pool if case not in chosen]
    return [_example(case) for case in chosen[:limit]]


# --- overdue --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueUnit:
    """A unit holding overdue cases now, and how many."""

    name: str
    cases: int


def overdue_by_unit(unit: OrgUnit, *, limit: int = OVERDUE_UNITS) -> list[OverdueUnit]:
    """Return the units of ``unit``'s subtree holding the most of the dashboard's overdue cases."""
    rows = (
        metrics.overdue_cases(unit)
        .values("responsible_unit__name")
        .annotate(n=Count("id"))
        .order_by("-n", "responsible_unit__name")[:limit]
    )
    return [OverdueUnit(row["responsible_unit__name"], row["n"]) for row in rows]


# --- the paragraphs -------------------------------------------------------------------------------


def _overview(unit: OrgUnit, period: Period, comparison: metrics.Comparison) -> str:
    now, before = comparison.current, comparison.previous
    basis = comparison_basis(period)
    channels = metrics.breakdown(unit, period, Dimension.CHANNEL)[:TOP_CHANNELS]
    text = _("%(period)s，%(unit)s共收到职工诉求和意见建议%(received)s，%(change)s。") % {
        "period": period_words(period),
        "unit": unit.name,
        "received": count(now["received"], _("件")),
        "change": count_change(now["received"], before["received"], basis=basis, measure=_("件")),
    }
    if channels:
        text += _("从来源看，%(channels)s。") % {
            "channels": join_words(
                _("%(channel)s%(cases)s")
                % {"channel": share.label, "cases": count(share.cases, _("件"))}
                for share in channels
            )
        }
    text += _(
        "各级受理部门向责任单位派单%(dispatched)s，办结%(closed)s，"
        "其中按时办结%(on_time)s，按时办结率%(on_time_rate)s。"
    ) % {
        "dispatched": count(now["dispatched"], _("件次")),
        "closed": count(now["closed"], _("件")),
        "on_time": count(now["closed_on_time"], _("件")),
        "on_time_rate": percent(now.on_time_rate),
    }
    if now["rejected"] or now["merged"]:
        text += _("对不属于受理范围的%(rejected)s诉求说明了原因，合并办理重复反映%(merged)s。") % {
            "rejected": count(now["rejected"], _("件")),
            "merged": count(now["merged"], _("件")),
        }
    return text


def _rate_words(label: str, current: float | None, previous: float | None, basis: str) -> str:
    change = rate_change(current, previous, basis=basis)
    words = _("%(label)s%(rate)s") % {"label": label, "rate": percent(current)}
    return _("%(rate)s，%(change)s") % {"rate": words, "change": change} if change else words


def _rate_pairs(comparison: metrics.Comparison) -> list[tuple[float | None, float | None]]:
    now, before = comparison.current, comparison.previous
    return [
        (now.response_rate, before.response_rate),
        (now.solution_rate, before.solution_rate),
        (now.satisfaction_rate, before.satisfaction_rate),
    ]


def _rates(period: Period, comparison: metrics.Comparison) -> str:
    now, before = comparison.current, comparison.previous
    basis = comparison_basis(period)
    if now.response_rate is None and now.solution_rate is None:
        return _("本期没有到期的签收和职工评价，暂不统计响应率、解决率和满意率。")
    parts = [
        _rate_words(_("响应率"), now.response_rate, before.response_rate, basis),
        _rate_words(_("解决率"), now.solution_rate, before.solution_rate, basis),
        _rate_words(_("满意率"), now.satisfaction_rate, before.satisfaction_rate, basis),
    ]
    # Clauses that carry a comparison already hold a comma: they are separated by semicolons.
    with_change = any(rate_change(*pair, basis=basis) for pair in _rate_pairs(comparison))
    rates = (_("；") if with_change else _("，")).join(parts)
    text = _("从办理质量看，%(rates)s。") % {"rates": rates}
    if now["rated"]:
        text += _(
            "职工对答复评价%(rated)s，其中认为问题已解决%(solved)s，"
            "表示满意%(satisfied)s、基本满意%(basic)s。"
        ) % {
            "rated": count(now["rated"], _("件次")),
            "solved": count(now["solved"], _("件次")),
            "satisfied": count(now["satisfied"], _("件次")),
            "basic": count(now["basically_satisfied"], _("件次")),
        }
    if now.average_handling_days is not None:
        text += _("诉求平均办理时长%(days)s个工作日。") % {"days": days(now.average_handling_days)}
    if now["supervised"] or now["reopened"]:
        text += _("对办理不力的诉求督办%(supervised)s，职工不满意重新办理%(reopened)s。") % {
            "supervised": count(now["supervised"], _("件次")),
            "reopened": count(now["reopened"], _("件次")),
        }
    return text


def _categories(unit: OrgUnit, period: Period) -> str:
    shares = [
        share
        for share in metrics.breakdown(unit, period, Dimension.CATEGORY)
        if share.key  # the uncategorised are no topic
    ][:TOP_CATEGORIES]
    if not shares:
        return ""
    return _("从诉求类别看，职工反映较为集中的是%(categories)s方面的问题。") % {
        "categories": join_words(
            _("%(category)s（%(cases)s）")
            % {"category": share.label, "cases": count(share.cases, _("件"))}
            for share in shares
        )
    }


def _examples_text(examples: list[Example]) -> str:
    if not examples:
        return ""
    told = [
        _("%(origin)s职工反映“%(text)s”，责任单位答复“%(answer)s”")
        % {
            "origin": example.origin,
            "text": example.text,
            "answer": example.answer,
        }
        for example in examples
    ]
    return _("各责任单位坚持“件件有着落、事事有回音”，一批职工急难愁盼问题得到解决。如：") + (
        _("%(examples)s。") % {"examples": _("；").join(told)}
    )


def _overdue_text(unit: OrgUnit, overdue: int, today: dt.date) -> str:
    if not overdue:
        return _("截至%(day)s，%(unit)s没有超期未办结的诉求。") % {
            "day": day_words(today),
            "unit": unit.name,
        }
    units = overdue_by_unit(unit)
    text = _("截至%(day)s，仍有%(overdue)s诉求超过办理时限未办结") % {
        "day": day_words(today),
        "overdue": count(overdue, _("件")),
    }
    if units:
        text += _("，主要集中在%(units)s") % {
            "units": join_words(
                _("%(unit)s（%(cases)s）") % {"unit": row.name, "cases": count(row.cases, _("件"))}
                for row in units
            )
        }
    return text + _("，已督促相关单位抓紧办理。")


def _closing(unit: OrgUnit) -> str:
    return _(
        "下一步，%(unit)s将坚持问题导向，对超期和职工不满意的诉求跟踪督办，"
        "推动职工心声件件有回音、事事有着落。"
    ) % {"unit": unit.name}


# --- the whole ------------------------------------------------------------------------------------


def _raw(figures: metrics.Figures) -> dict[str, object]:
    return figures.as_dict()


def build_content(
    unit: OrgUnit, period: Period, *, today: dt.date | None = None, language: str = ""
) -> BriefingContent:
    """Return the briefing of ``unit``'s subtree over ``period``; the caller checked the scope."""
    today = today or timezone.localdate()
    language = language or document_language()
    with translation.override(language):
        comparison = metrics.figures_compared(unit, period)
        overdue = metrics.overdue_now(unit)
        examples = solved_examples(unit, period)
        sections = {
            section.key: section.build(unit=unit, period=period)
            for section in contributions("BRIEFING_SECTIONS")
        }
        paragraphs = [
            _overview(unit, period, comparison),
            _rates(period, comparison),
            _categories(unit, period),
            _examples_text(examples),
            *(text for text, _figures in sections.values()),
            _overdue_text(unit, overdue, today),
            _closing(unit),
        ]
        rows = _table(comparison, overdue)
        figures: dict[str, Any] = {
            "language": language,
            "unit": unit.code,
            "unit_name": unit.name,
            "period": {
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "kind": period.kind,
                "words": period_words(period),
            },
            "basis": comparison_basis(period),
            "current": _raw(comparison.current),
            "previous": _raw(comparison.previous),
            "overdue": overdue,
            "overdue_on": today.isoformat(),
            **{key: section_figures for key, (_text, section_figures) in sections.items()},
            "rows": [asdict(row) for row in rows],
        }
        return BriefingContent(
            title=briefing_title(unit, period),
            paragraphs=[text for text in paragraphs if text],
            figures=figures,
            examples=examples,
        )


def period_from_figures(figures: dict[str, Any]) -> Period:
    """Return the period stored in a briefing's ``figures``."""
    stored = figures["period"]
    return Period(
        dt.date.fromisoformat(stored["start"]),
        dt.date.fromisoformat(stored["end"]),
        stored.get("kind", CUSTOM),
    )


# --- the document ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BriefingDocument:
    """Everything a rendering (Word, HTML) of a briefing shows, in order."""

    title: str
    subtitle: str
    paragraphs: list[str]
    rows: list[FigureRow]
    basis: str  # the heading of the column of changes
    notes: list[str]
    language: str = DOCUMENT_LANGUAGE


def document_of(title: str, paragraphs: list[str], figures: dict[str, Any]) -> BriefingDocument:
    """Return the document of a briefing: its (edited) text and the figures it was made with."""
    period = period_from_figures(figures)
    language = str(figures.get("language") or DOCUMENT_LANGUAGE)
    with translation.override(language):
        subtitle = _("%(unit)s　统计期间：%(period)s") % {
            "unit": figures.get("unit_name", ""),
            "period": period_words(period),
        }
        notes = [
            _(
                "注：上期为%(previous)s。当前超期未办结件数为截至%(day)s的实时数，"
                "其余数据按统计期间计算，与数据看板一致。"
            )
            % {
                "previous": period_words(period.previous()),
                "day": day_words(dt.date.fromisoformat(figures["overdue_on"])),
            }
        ]
        return BriefingDocument(
            title=title,
            subtitle=subtitle,
            paragraphs=list(paragraphs),
            rows=figure_rows(figures),
            basis=basis_heading(str(figures.get("basis", ""))),
            notes=notes,
            language=language,
        )
