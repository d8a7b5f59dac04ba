"""The rows of the ledger page, written as HTML in one pass over the page's cases.

A page of the ledger holds fifty rows of nine columns. Left to the template, each row would
reverse its link twice, format three dates, look up the translation of its kind, channel and
status, and escape a dozen texts through the template engine: about a thousand look-ups and
escapes, the largest part of the page's rendering. Here the link is reversed once per page, each
label is translated and escaped once per page (per value met), the units' and categories' names
are escaped once per page (per name met), dates are written from their numbers (which need no
escaping), and every row is one format string.

The cases come as the named tuples of ``selectors.case_ledger_for`` (``LEDGER_COLUMNS``), not as
model instances: a page would build about two hundred of those.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from html import escape
from typing import Any
from urllib.parse import quote

from django.db.models import Field
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from xinsheng.cases.models import Case

UNVERIFIED = frozenset({"name_mismatch", "unknown_no"})  # a name the staff register contradicts
_PLACEHOLDER = "0000-000000"
_NONE = "—"


def _escaped(texts: Callable[[Any], str]) -> Callable[[Any], str]:
    """Return ``texts`` escaped for HTML, each value worked out once (per page)."""
    met: dict[Any, str] = {}

    def html(value: Any) -> str:
        try:
            return met[value]
        except KeyError:
            met[value] = text = escape(texts(value))
            return text

    return html


def _labels(field: str) -> Callable[[Any], str]:
    """Return a look-up of the escaped labels of ``field``'s choices, each translated once."""
    found = Case._meta.get_field(field)
    choices = dict(found.flatchoices) if isinstance(found, Field) else {}
    return _escaped(lambda value: str(choices.get(value, value)))


def _day(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"  # as strftime("%Y-%m-%d"), faster


def rows_html(cases: Iterable[Any], origins: Callable[[Any], str]) -> SafeString:
    """Return the table rows (``<tr>``) of ``cases``, each text escaped.

    ``origins`` names the origin unit each case may show (an anonymous case from a small unit
    shows a larger one).
    """
    link = reverse("cases:detail", args=[_PLACEHOLDER])
    before, _found, after = (escape(part) for part in link.partition(_PLACEHOLDER))
    kind, channel = _labels("kind"), _labels("channel")
    status, check = _labels("status"), _labels("submitter_check")
    raw = _escaped(str)  # the status as a class name, as the template wrote it
    # Units' and categories' names, met again and again on a page: a missing one shows "—".
    origin, named = _escaped(str), _escaped(lambda value: value or _NONE)
    english = not (translation.get_language() or "zh-hans").startswith("zh")  # as label_of
    late_row = '<tr class="overdue">'
    overdue = f' <span class="badge overdue">{escape(gettext("超期"))}</span>'
    supervised: dict[int, str] = {}  # the badge per number of times supervised

    def supervision(times: int) -> str:
        if not times:
            return ""
        if times not in supervised:
            label = ngettext("督办%(counter)s次", "督办%(counter)s次", times) % {"counter": times}
            supervised[times] = f' <span class="badge overdue">{escape(label)}</span>'
        return supervised[times]

    zone = timezone.get_current_timezone()
    lines = []
    for case in cases:
        created = case.created_at.astimezone(zone)
        href = f"{before}{quote(case.case_no)}{after}"  # quoted: nothing left to escape
        late = case.is_overdue
        unverified = (
            f' <span class="badge warn submitter-unverified">{check(case.submitter_check)}</span>'
            if case.submitter_check in UNVERIFIED
            else ""
        )
        category = (english and case.category__english_name) or case.category__name
        deadline = _day(case.deadline) if case.deadline else _NONE
        lines.append(
            f"{late_row if late else '<tr>'}"
            f'<td class="nowrap"><a href="{href}">{escape(case.case_no)}</a></td>'
            f'<td><span class="nowrap">{_day(created)}</span> '
            f'<span class="nowrap">{created.hour:02d}:{created.minute:02d}</span></td>'
            f"<td>{kind(case.kind)}<br>"
            f'<span class="muted small">{channel(case.channel)}</span></td>'
            f'<td class="title"><a href="{href}">{escape(case.title)}</a>{unverified}</td>'
            f"<td>{origin(origins(case))}</td>"
            f"<td>{named(category)}</td>"
            f"<td>{named(case.responsible_unit__name)}</td>"
            f'<td class="nowrap">{deadline}</td>'
            f'<td><span class="status status-{raw(case.status)}">{status(case.status)}</span>'
            f"{overdue if late else ''}{supervision(case.supervision_count)}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(lines))  # noqa: S308 — every text above is escaped
