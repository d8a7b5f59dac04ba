"""What a row of the ledger page shows, worked out once per page rather than once per cell.

A page of the ledger holds fifty rows of nine columns. Left to the template, each row would
reverse its link twice, format three dates, and look up the translation of its kind, channel and
status; here the link is reversed once per page, each label is translated once per page (per
value met), and the row carries its columns as plain text for one template loop to print.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.db.models import Field
from django.urls import reverse
from django.utils import timezone

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
                day=created.strftime("%Y-%m-%d"),
                time=created.strftime("%H:%M"),
                kind=kind(case.kind),
                channel=channel(case.channel),
                unverified=check(case.submitter_check) if doubtful else "",
                category=(category.label if category is not None else "") or _NONE,
                responsible=(responsible.name if responsible is not None else "") or _NONE,
                deadline=case.deadline.strftime("%Y-%m-%d") if case.deadline else _NONE,
                status_label=status(case.status),
            )
        )
    return rows
