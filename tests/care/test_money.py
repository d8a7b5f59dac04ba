"""Money is append-only: payments follow an approval, fit the fund and the budget, and a
mistake is corrected only by a reversal that points to it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from tests.care.factories import make_approved_application, make_fund, make_person, make_programme
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import MoneySource
from xinsheng.care.models import Fund, Payment, Programme
from xinsheng.care.money import selectors, services
from xinsheng.care.money.services import Approval
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.models import AppendOnlyError, AuditEvent
from xinsheng.org.choices import Role
from xinsheng.org.models import Person


@pytest.fixture
def union(tree: Tree) -> User:
    return make_staff(tree.company1, Role.UNION)


@pytest.fixture
def fund(tree: Tree) -> Fund:
    return make_fund(tree.company1, deposit="10000")


@pytest.fixture
def programme(tree: Tree, fund: Fund) -> Programme:
    return make_programme(tree.company1, fund=fund, budget="8000")


@pytest.fixture
def miner(tree: Tree) -> Person:
    return make_person(tree.team1, name="张立军")


def pay(union: User, programme: Programme, miner: Person, amount: str) -> Payment:
    _, approved = make_approved_application(programme, miner, amount=amount, subject=amount)
    return services.payment_make(
        actor=union,
        programme=programme,
        person=miner,
        amount=amount,
        approval=Approval(application_event=approved),
    )


def test_a_payment_lowers_the_balance_and_is_audited(
    union: User, fund: Fund, programme: Programme, miner: Person
) -> None:
    payment = pay(union, programme, miner, "3000")

    assert payment.amount == Decimal("3000.00")
    assert selectors.fund_balance(fund) == Decimal("7000")
    assert selectors.programme_spent(programme) == Decimal("3000")
    assert AuditEvent.objects.filter(action="care.payment", object_id=str(payment.pk)).exists()


def test_a_payment_is_never_edited_or_deleted(
    union: User, programme: Programme, miner: Person
) -> None:
    payment = pay(union, programme, miner, "3000")
    payment.amount = Decimal("300")

    with pytest.raises(AppendOnlyError):
        payment.save()
    with pytest.raises(AppendOnlyError):
        payment.delete()
    assert Payment.objects.get().amount == Decimal("3000")


def test_only_a_reversal_changes_the_total(
    union: User, fund: Fund, programme: Programme, miner: Person
) -> None:
    payment = pay(union, programme, miner, "3000")

    reversal = services.payment_reverse(actor=union, payment=payment, reason="金额录入错误")

    assert reversal.amount == Decimal("-3000")
    assert reversal.reverses == payment
    assert selectors.fund_balance(fund) == Decimal("10000")
    assert selectors.programme_spent(programme) == Decimal("0")
    assert Payment.objects.count() == 2
    with pytest.raises(Conflict, match="已经冲正"):
        services.payment_reverse(actor=union, payment=payment, reason="再冲一次")
    with pytest.raises(Conflict, match="不能再冲正"):
        services.payment_reverse(actor=union, payment=reversal, reason="冲正的冲正")


def test_a_reversal_needs_a_reason(union: User, programme: Programme, miner: Person) -> None:
    payment = pay(union, programme, miner, "3000")

    with pytest.raises(InvalidInput) as refused:
        services.payment_reverse(actor=union, payment=payment, reason="  ")

    assert "reason" in refused.value.fields
    assert Payment.objects.count() == 1


def test_a_payment_beyond_the_balance_is_refused(tree: Tree, union: User, miner: Person) -> None:
    poor = make_fund(tree.company1, name="小额基金", deposit="500")
    programme = make_programme(tree.company1, fund=poor, title="大病救助")

    with pytest.raises(Conflict, match=r"余额500\.00元"):
        pay(union, programme, miner, "800")
    assert not Payment.objects.exists()


def test_a_payment_beyond_the_budget_is_refused(
    union: User, programme: Programme, miner: Person
) -> None:
    pay(union, programme, miner, "6000")

    with pytest.raises(Conflict, match="超出预算"):
        pay(union, programme, miner, "2500")
    assert selectors.programme_spent(programme) == Decimal("6000")


def test_fund_money_without_an_approval_is_refused(
    union: User, programme: Programme, miner: Person
) -> None:
    with pytest.raises(Conflict, match="未经审批"):
        services.payment_make(actor=union, programme=programme, person=miner, amount="100")
    assert not Payment.objects.exists()


def test_a_cadres_own_money_stays_out_of_the_fund(
    union: User, fund: Fund, programme: Programme, miner: Person
) -> None:
    services.payment_make(
        actor=union,
        programme=programme,
        person=miner,
        amount="200",
        source=MoneySource.PERSONAL,
        fund=fund,
    )

    payment = Payment.objects.get()
    assert payment.fund is None
    assert selectors.fund_balance(fund) == Decimal("10000")
    assert selectors.programme_spent(programme) == Decimal("0")
    assert selectors.programme_spent(programme, source=MoneySource.PERSONAL) == Decimal("200")


@pytest.mark.parametrize(
    ("amount", "message"),
    [("abc", "数字"), ("0", "大于0"), ("-5", "大于0"), ("1.005", "两位小数"), ("1e9", "过大")],
)
def test_bad_amounts_are_named(
    union: User, programme: Programme, miner: Person, amount: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.payment_make(
            actor=union,
            programme=programme,
            person=miner,
            amount=amount,
            source=MoneySource.PERSONAL,
        )
    assert message in str(refused.value.fields["amount"][0])


def test_paying_is_the_unions_and_only_in_its_subtree(
    tree: Tree, programme: Programme, miner: Person
) -> None:
    head = make_staff(tree.area1, Role.UNIT_HEAD)
    other_union = make_staff(tree.company2, Role.UNION)

    for actor in (head, other_union):
        with pytest.raises(Forbidden):
            services.payment_make(
                actor=actor,
                programme=programme,
                person=miner,
                amount="100",
                source=MoneySource.PERSONAL,
            )
