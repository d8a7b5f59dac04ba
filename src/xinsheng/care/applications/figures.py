"""What programmes paid in a unit subtree and a period: people aided and amount, per programme
kind, reversals deducted (for the figures and the briefing, which have checked the reader's
scope: no actor here).

A person counts once per kind when what was paid to them in the period still stands (more
than zero after reversals); the amount is the sum of every entry, reversals included.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from xinsheng.care.choices import ProgrammeKind
from xinsheng.care.models import ZERO, Payment


@dataclass(frozen=True)
class Paid:
    """People aided and the amount paid (yuan) under one kind of programme."""

    people: int
    amount: Decimal


def paid_by_kind(*, unit_path: str, date_from: dt.date, date_to: dt.date) -> dict[str, Paid]:
    """Return, for each programme kind that paid anything under ``unit_path`` from
    ``date_from`` to ``date_to`` (both included), the people aided and the amount."""
    rows = (
        Payment.objects.filter(
            unit_path__startswith=unit_path, paid_on__gte=date_from, paid_on__lte=date_to
        )
        .values_list("programme__kind", "person_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    people: dict[str, int] = {}
    amounts: dict[str, Decimal] = {}
    for kind, _person, total in rows:
        amounts[kind] = amounts.get(kind, ZERO) + (total or ZERO)
        if total and total > 0:
            people[kind] = people.get(kind, 0) + 1
    return {kind: Paid(people.get(kind, 0), amount) for kind, amount in amounts.items()}


def students_aided(*, unit_path: str, date_from: dt.date, date_to: dt.date) -> Paid:
    """Return the students aided and the student aid paid (为N名学子发放助学金X万元)."""
    found = paid_by_kind(unit_path=unit_path, date_from=date_from, date_to=date_to)
    return found.get(ProgrammeKind.STUDENT_AID, Paid(0, ZERO))
