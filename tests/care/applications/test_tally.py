"""A programme's tally (the totals the money services keep as entries are appended) always
equals a recount from the entries, and the programme's figures read from it agree with the
figures summed from the entries, reversals included."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.care.applications.conftest import Care
from tests.care.applications.test_figures import two_paid_one_refused
from tests.care.factories import make_programme
from xinsheng.care.choices import MoneySource, ProgrammeKind
from xinsheng.care.figures import programme_paid, programme_paid_counted
from xinsheng.care.models import Payment, ProgrammePersonTally, ProgrammeTally
from xinsheng.care.money.services import payment_make, payment_reverse
from xinsheng.care.money.tally import tally_recount

pytestmark = pytest.mark.django_db


def _kept(programme_id: int) -> tuple[object, ...]:
    tally = ProgrammeTally.objects.get(programme_id=programme_id)
    people = sorted(
        ProgrammePersonTally.objects.filter(programme_id=programme_id).values_list(
            "person_id", "total"
        )
    )
    return (
        tally.fund,
        tally.personal,
        tally.people,
        tally.entries,
        tally.first_paid_on,
        tally.last_paid_on,
        people,
    )


def test_the_tally_kept_by_payments_and_reversals_equals_a_recount(care: Care) -> None:
    paid = two_paid_one_refused(care)
    own = make_programme(care.aid.unit, kind=ProgrammeKind.HARDSHIP, title="结对帮扶")
    payment_make(
        actor=care.union,
        programme=own,
        person=care.miners[0],
        amount="300",
        source=MoneySource.PERSONAL,
        paid_on=dt.date.today() - dt.timedelta(days=3),
    )
    payment_reverse(actor=care.union, payment=paid[1], reason="重复发放")

    for programme in (care.aid, own):
        kept = _kept(programme.pk)
        tally_recount(programme.pk)
        assert _kept(programme.pk) == kept
    # 李国强's payment was reversed: one person aided, 5000 yuan.
    assert _kept(care.aid.pk)[:4] == (Decimal("5000.00"), Decimal("0.00"), 1, 3)
    assert _kept(own.pk)[:3] == (Decimal("0.00"), Decimal("300.00"), 1)


def test_the_figures_from_the_tally_equal_those_summed_from_the_entries(care: Care) -> None:
    paid = two_paid_one_refused(care)
    payment_reverse(actor=care.union, payment=paid[0], reason="发放对象有误")
    year = dt.date.today().year
    whole = (dt.date(year, 1, 1), dt.date(year, 12, 31))

    from_tally = programme_paid(care.aid, *whole)
    counted = programme_paid_counted(care.aid, *whole)

    assert from_tally == counted
    assert (from_tally.people, from_tally.amount) == (1, Decimal("3000.00"))
    # A period that leaves entries out is summed from the entries.
    assert programme_paid(care.aid, *whole).people == 1
    early = programme_paid(care.aid, dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    assert (early.people, early.amount) == (0, Decimal("0"))


def test_a_programme_written_in_bulk_is_recounted_before_it_is_counted(care: Care) -> None:
    two_paid_one_refused(care)
    ProgrammeTally.objects.filter(programme=care.aid).delete()  # as before tallies were kept
    first = Payment.objects.filter(programme=care.aid).order_by("id").first()
    assert first is not None

    payment_reverse(actor=care.union, payment=first, reason="冲销")

    tally = ProgrammeTally.objects.get(programme=care.aid)
    assert (tally.fund, tally.people, tally.entries) == (Decimal("3000.00"), 1, 3)
