"""What a row of the ledger page shows, worked out once per page rather than once per cell.

A page of the ledger holds fifty rows of nine columns. Left to the template, each row would
reverse its link twice, format three dates, and look up the translation of its kind, channel and
status; here the link is reversed once per page, each label is translated once per page (per
value met), and the row carries its columns as plain text.

The rows' markup is written here too (``rows_html``), one format string per row with every text
escaped as the template would escape it: through the template engine, fifty rows are about a
thousand look-ups and escapes, the largest part of the page's rendering.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from django.db.models import Field
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from xinsheng.cases.models import Case
from xinsheng.org.models import OrgUnit

UNVERIFIED = frozenset({"name_mismatch", "unknown_no"})  # a name the staff register contradicts
_PLACEHOLDER = "0000-000000"
_NONE = "—"


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """A case as a ledger row: its columns as shown, with the origin this user may see."""

    case: Case
    origin: OrgUnit
    href: str
    day: str
    time: str
    kind: str
    channel: str
    unverified: str  # the submitter check's label when the name is doubtful, else ""
    category: str
    responsible: str
    deadline: str
    status_label: str


def _labels(field: str) -> Callable[[Any], str]:
    """Return a look-up of the labels of ``field``'s choices, each translated when first met."""
    found = Case._meta.get_field(field)
    choices = dict(found.flatchoices) if isinstance(found, Field) else {}
    met: dict[Any, str] = {}

    def label(value: Any) -> str:
        try:
            return met[value]
        except KeyError:
            met[value] = text = str(choices.get(value, value))
            return text

    return label


def _day(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"  # as strftime("%Y-%m-%d"), faster


def ledger_rows(cases: Iterable[Case], origins: Callable[[Case], OrgUnit]) -> list[LedgerRow]:
    """Return the rows of ``cases``; ``origins`` names the origin unit each may show."""
    link = reverse("cases:detail", args=[_PLACEHOLDER])
    before, _found, after = link.partition(_PLACEHOLDER)
    kind, channel = _labels("kind"), _labels("channel")
    status, check = _labels("status"), _labels("submitter_check")
    rows = []
    for case in cases:
        created = timezone.localtime(case.created_at)
        category, responsible = case.category, case.responsible_unit
        doubtful = case.submitter_check in UNVERIFIED
        rows.append(
            LedgerRow(
                case=case,
                origin=origins(case),
                href=f"{before}{quote(case.case_no)}{after}",
                day=_day(created),
                time=f"{created.hour:02d}:{created.minute:02d}",
                kind=kind(case.kind),
                channel=channel(case.channel),
                unverified=check(case.submitter_check) if doubtful else "",
                category=(category.label if category is not None else "") or _NONE,
                responsible=(responsible.name if responsible is not None else "") or _NONE,
                deadline=_day(case.deadline) if case.deadline else _NONE,
                status_label=status(case.status),
            )
        )
    return rows


_ROW = (
    "<tr{overdue_class}>"
    '<td class="nowrap"><a href="{href}">{case_no}</a></td>'
    '<td><span class="nowrap">{day}</span> <span class="nowrap">{time}</span></td>'
    '<td>{kind}<br><span class="muted small">{channel}</span></td>'
    '<td class="title"><a href="{href}">{title}</a>{unverified}</td>'
    "<td>{origin}</td>"
    "<td>{category}</td>"
    "<td>{responsible}</td>"
    '<td class="nowrap">{deadline}</td>'
    '<td><span class="status status-{status}">{status_label}</span>{overdue}{supervised}</td>'
    "</tr>"
)


def rows_html(rows: Iterable[LedgerRow]) -> SafeString:
    """Return the table rows (``<tr>``) of ``rows``, each text escaped."""
    overdue = f' <span class="badge overdue">{escape(gettext("超期"))}</span>'
    supervised: dict[int, str] = {}  # the badge per number of times supervised

    def supervision(times: int) -> str:
        if not times:
            return ""
        if times not in supervised:
            label = ngettext("督办%(counter)s次", "督办%(counter)s次", times) % {"counter": times}
            supervised[times] = f' <span class="badge overdue">{escape(label)}</span>'
        return supervised[times]

    lines = []
    for row in rows:
        case = row.case
        unverified = (
            f' <span class="badge warn submitter-unverified">{escape(row.unverified)}</span>'
            if row.unverified
            else ""
        )
        lines.append(
            _ROW.format(
                overdue_class=' class="overdue"' if case.is_overdue else "",
                href=escape(row.href),
                case_no=escape(case.case_no),
                day=escape(row.day),
                time=escape(row.time),
                kind=escape(row.kind),
                channel=escape(row.channel),
                title=escape(case.title),
                unverified=unverified,
                origin=escape(row.origin.name),
                category=escape(row.category),
                responsible=escape(row.responsible),
                deadline=escape(row.deadline),
                status=escape(case.status),
                status_label=escape(row.status_label),
                overdue=overdue if case.is_overdue else "",
                supervised=supervision(case.supervision_count),
            )
        )
    return mark_safe("\n".join(lines))  # noqa: S308 — every text above is escaped
