"""The demo's hardship families tell the story of the source documents, in bulk, once."""

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from django.utils import timezone

from xinsheng.care import demo as care_demo
from xinsheng.care.choices import FileStatus, MoneySource, Tier
from xinsheng.care.families import selectors
from xinsheng.care.models import Fund, HardshipFile, Pair, Payment, ProgrammeTally
from xinsheng.care.money.selectors import fund_balance
from xinsheng.care.money.tally import tally_recount
from xinsheng.org import demo as org_demo
from xinsheng.org.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_pairs_cadres_with_families_in_every_tier() -> None:
    org_demo.demo_load(seed=5)

    made = care_demo.demo_load(seed=5)

    assert made["active"] == 121
    assert 200 <= made["cadres"] <= 343  # all the demo enterprise has
    assert set(HardshipFile.objects.values_list("tier", flat=True)) == set(Tier.values)
    assert set(HardshipFile.objects.values_list("status", flat=True)) == set(FileStatus.values)
    assert Pair.objects.values("cadre").distinct().count() == made["cadres"]
    personal = Payment.objects.filter(source=MoneySource.PERSONAL).aggregate(t=Sum("amount"))["t"]
    assert 50000 <= personal <= 56000
    assert fund_balance(Fund.objects.get(name="送温暖基金")) > 0
    admin = User.objects.get(username="admin")
    assert selectors.pairs_overdue_for(actor=admin).exists()
    assert 0 < selectors.unvisited_this_quarter(actor=admin).count < 30
    assert care_demo.demo_load(seed=5) == {}  # once
    # Every person has a birth date of working age, and each month has birthdays to wish.
    this_year = timezone.localdate().year
    born = list(Person.objects.values_list("birth_date", flat=True))
    assert all(date is not None and 20 <= this_year - date.year <= 59 for date in born)
    assert {date.month for date in born if date is not None} == set(range(1, 13))
    # The programmes' tallies, recounted after the demo's bulk writes, equal a recount.
    for tally in ProgrammeTally.objects.all():
        kept = (tally.fund, tally.personal, tally.people, tally.entries)
        again = tally_recount(tally.programme_id)
        assert (again.fund, again.personal, again.people, again.entries) == kept
    assert made["students"] == 80 + 107  # the programmes' part follows, as the union account
