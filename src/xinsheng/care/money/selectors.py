"""Reading money: a fund's balance, what a programme has spent, and the scoped lists.

Balances are computed from the entries every time (deposits less payments, reversals included),
never kept in a column that could drift; the covering indexes on ``fund`` and on
``(programme, paid_on)`` make each one an index-only sum.
"""

from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from xinsheng.care.choices import MoneySource
from xinsheng.care.models import ZERO, Fund, FundDeposit, Payment, Programme
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions

VIEW = "care.view"


def _sum(queryset: QuerySet[Payment] | QuerySet[FundDeposit]) -> Decimal:
    total = queryset.aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


def fund_deposited(fund: Fund) -> Decimal:
    """Return everything ever put into ``fund``."""
    return _sum(FundDeposit.objects.filter(fund=fund))


def fund_paid(fund: Fund) -> Decimal:
    """Return everything paid out of ``fund``, reversals deducted."""
    return _sum(Payment.objects.filter(fund=fund))


def fund_balance(fund: Fund) -> Decimal:
    """Return what is left in ``fund``: its deposits less its payments."""
    return fund_deposited(fund) - fund_paid(fund)


def programme_spent(programme: Programme, *, source: str | None = MoneySource.FUND) -> Decimal:
    """Return what ``programme`` has paid, reversals deducted: fund money by default (what its
    budget limits), a cadre's own money with ``source="personal"``, both with ``None``."""
    payments = Payment.objects.filter(programme=programme)
    if source is not None:
        payments = payments.filter(source=source)
    return _sum(payments)


def fund_list_for(*, actor: Actor) -> QuerySet[Fund]:
    """Return the funds of the units ``actor`` may see assistance in."""
    return Fund.objects.filter(permissions.scope_q(actor, VIEW, path_field="unit_path")).order_by(
        "unit_path", "name"
    )


def fund_get_for(*, actor: Actor, fund_id: int) -> Fund:
    """Return fund ``fund_id`` if ``actor`` may see it; otherwise raise ``NotFound``."""
    fund = fund_list_for(actor=actor).select_related("unit").filter(pk=fund_id).first()
    if fund is None:
        raise NotFound()
    return fund


def payment_list_for(*, actor: Actor, programme: Programme | None = None) -> QuerySet[Payment]:
    """Return the payments to people ``actor`` may see, newest first (optionally of one
    programme), with what a ledger row shows."""
    payments = Payment.objects.filter(
        permissions.scope_q(actor, VIEW, path_field="unit_path")
    ).select_related("person", "person__unit", "fund", "programme", "actor", "reverses")
    if programme is not None:
        payments = payments.filter(programme=programme)
    return payments.order_by("-paid_on", "-id")


def payment_get_for(*, actor: Actor, payment_id: int) -> Payment:
    """Return payment ``payment_id`` if ``actor`` may see it; otherwise raise ``NotFound``."""
    payment = payment_list_for(actor=actor).filter(pk=payment_id).first()
    if payment is None:
        raise NotFound()
    return payment


def payment_is_reversed(payment: Payment) -> bool:
    return Payment.objects.filter(reverses=payment).exists()


def unreversed(queryset: QuerySet[Payment]) -> QuerySet[Payment]:
    """Return the payments of ``queryset`` that stand: neither reversals nor reversed."""
    return queryset.filter(Q(reverses__isnull=True) & Q(reversed_by__isnull=True))
