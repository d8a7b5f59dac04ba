"""Every write of money: funds, deposits, payments and reversals.

A payment is appended, never edited or deleted; ``payment_reverse`` appends the negative entry
that cancels one, with its reason. Fund money is checked against the fund's balance and the
programme's budget while both rows are locked, so that two payments at the same moment cannot
both spend the last yuan; a cadre's own money has no fund and no budget. Each write records its
audit event in the same transaction.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.choices import MoneySource
from xinsheng.care.models import (
    Application,
    ApplicationEvent,
    CareVisit,
    FileEvent,
    Fund,
    FundDeposit,
    Payment,
    Programme,
)
from xinsheng.care.money import selectors
from xinsheng.care.money.amounts import amount_clean
from xinsheng.care.money.tally import tally_add
from xinsheng.care.scope import require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person

MANAGE = "care.manage"
PAY = "care.pay"
REASON_MAX = 300


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _paid_on_clean(paid_on: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if paid_on is None:
        return today
    if paid_on > today:
        raise InvalidInput(fields={"paid_on": [_("发放日期不能晚于今天。")]})
    return paid_on


def fund_create(*, actor: Actor, unit: OrgUnit, name: str, note: str = "") -> Fund:
    """Open a fund held by ``unit``."""
    permissions.require(actor, MANAGE, unit)
    name = name.strip()
    if not name:
        raise InvalidInput(fields={"name": [_("请填写基金名称。")]})
    if Fund.objects.filter(unit=unit, name=name).exists():
        raise InvalidInput(fields={"name": [_("本单位已有同名基金。")]})
    with transaction.atomic():
        fund = Fund.objects.create(
            name=name[:100], unit=unit, unit_path=unit.path, note=note.strip()[:300]
        )
        audit_record(actor=actor, action="care.fund.create", obj=fund, after={"name": fund.name})
    return fund


def fund_deposit(
    *, actor: Actor, fund: Fund, amount: object, received_on: dt.date | None = None, note: str = ""
) -> FundDeposit:
    """Put ``amount`` yuan into ``fund``."""
    require_at_path(actor, MANAGE, fund.unit_path)
    value = amount_clean(amount)
    day = received_on or timezone.localdate()
    if day > timezone.localdate():
        raise InvalidInput(fields={"received_on": [_("到账日期不能晚于今天。")]})
    with transaction.atomic():
        deposit = FundDeposit.objects.create(
            fund=fund,
            amount=value,
            received_on=day,
            note=note.strip()[:300],
            actor_id=actor.pk if actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action="care.fund.deposit",
            obj=fund,
            after={"amount": _money(value), "received_on": day.isoformat()},
        )
    return deposit


@dataclass(frozen=True)
class Approval:
    """What a fund payment follows: an application's approving step, a file's approval, or the
    paper of a historical roster (``roster``: its file name and row) that an import records."""

    application_event: ApplicationEvent | None = None
    file_event: FileEvent | None = None
    roster: str = ""

    @property
    def given(self) -> bool:
        return (
            self.application_event is not None
            or self.file_event is not None
            or bool(self.roster.strip())
        )


def payment_make(
    *,
    actor: Actor,
    programme: Programme,
    person: Person,
    amount: object,
    source: str = MoneySource.FUND,
    fund: Fund | None = None,
    paid_on: dt.date | None = None,
    approval: Approval | None = None,
    application: Application | None = None,
    visit: CareVisit | None = None,
    note: str = "",
    permission: str = PAY,
) -> Payment:
    """Append a payment of ``amount`` yuan to ``person`` under ``programme``.

    Fund money (the default, from ``fund`` or else the programme's) needs ``approval`` and must
    fit both the fund's balance and the programme's budget; a cadre's own money
    (``source="personal"``) names no fund. Call inside the caller's transaction when the
    payment is one step of a larger write (an application paid, a visit recorded).
    """
    require_at_path(actor, permission, person.unit.path)
    value = amount_clean(amount)
    day = _paid_on_clean(paid_on)
    if source not in MoneySource.values:
        raise InvalidInput(fields={"source": [_("资金来源应为基金或个人。")]})
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if source == MoneySource.PERSONAL:
            fund = None
        else:
            fund = _fund_checked(fund or locked.fund, value)
            if approval is None or not approval.given:
                raise Conflict(_("未经审批的款项不能从基金中发放。"))
            _budget_check(locked, value)
        payment = Payment.objects.create(
            programme=locked,
            person=person,
            unit_path=person.unit.path,
            amount=value,
            source=source,
            fund=fund,
            paid_on=day,
            application=application,
            visit=visit,
            approval=approval.application_event if approval else None,
            file_approval=approval.file_event if approval else None,
            imported_from=approval.roster.strip()[:255] if approval else "",
            note=note.strip()[:REASON_MAX],
            actor_id=actor.pk if actor.is_authenticated else None,
        )
        tally_add(payment)
        audit_record(
            actor=actor,
            action="care.payment",
            obj=payment,
            after={
                "programme": locked.pk,
                "person": person.employee_no,
                "amount": _money(value),
                "source": source,
                "fund": fund.pk if fund else None,
                "paid_on": day.isoformat(),
            },
        )
    return payment


def _fund_checked(fund: Fund | None, value: Decimal) -> Fund:
    if fund is None:
        raise InvalidInput(fields={"fund": [_("请选择资金来源的基金。")]})
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    if not locked.is_active:
        raise Conflict(_("该基金已停用。"))
    balance = selectors.fund_balance(locked)
    if value > balance:
        raise Conflict(
            _("基金“%(fund)s”余额%(balance)s元，不足以发放%(amount)s元。")
            % {"fund": locked.name, "balance": _money(balance), "amount": _money(value)}
        )
    return locked


def _budget_check(programme: Programme, value: Decimal) -> None:
    if programme.budget is None:
        return
    spent = selectors.programme_spent(programme)
    if spent + value > programme.budget:
        raise Conflict(
            _("项目“%(title)s”预算%(budget)s元，已发放%(spent)s元，本次%(amount)s元将超出预算。")
            % {
                "title": programme.title,
                "budget": _money(programme.budget),
                "spent": _money(spent),
                "amount": _money(value),
            }
        )


def payment_reverse(
    *, actor: Actor, payment: Payment, reason: str, reversed_on: dt.date | None = None
) -> Payment:
    """Cancel ``payment`` by appending its negative, which points to it and says why.

    A reversal cannot itself be reversed and a payment is reversed at most once; the money
    returns to the fund it came from. It is dated today, or ``reversed_on`` (a historical
    roster's reversal): not before the payment, not after today.
    """
    require_at_path(actor, PAY, payment.unit_path)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(fields={"reason": [_("请填写冲正原因。")]})
    if len(reason) > REASON_MAX:
        raise InvalidInput(fields={"reason": [_("冲正原因不能超过300字。")]})
    with transaction.atomic():
        # The programme first, as ``payment_make`` locks it: its tally counts the reversal.
        Programme.objects.select_for_update().get(pk=payment.programme_id)
        original = Payment.objects.select_for_update().get(pk=payment.pk)
        if original.reverses_id is not None:
            raise Conflict(_("冲正记录不能再冲正。"))
        if selectors.payment_is_reversed(original):
            raise Conflict(_("这笔发放已经冲正过了。"))
        day = _paid_on_clean(reversed_on)
        if day < original.paid_on:
            raise InvalidInput(fields={"paid_on": [_("冲正日期不能早于原发放日期。")]})
        reversal = Payment.objects.create(
            programme_id=original.programme_id,
            person_id=original.person_id,
            unit_path=original.unit_path,
            amount=-original.amount,
            source=original.source,
            fund_id=original.fund_id,
            paid_on=day,
            application_id=original.application_id,
            visit_id=original.visit_id,
            reverses=original,
            note=reason,
            actor_id=actor.pk if actor.is_authenticated else None,
        )
        tally_add(reversal)
        audit_record(
            actor=actor,
            action="care.payment.reverse",
            obj=original,
            after={
                "reversal": reversal.pk,
                "amount": _money(reversal.amount),
                "paid_on": day.isoformat(),
            },
            note=reason,
        )
    return reversal
