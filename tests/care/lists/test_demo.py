"""The demo's distributions and sanatorium batches: a festival list mostly delivered, the 94
names of the 开斋节 list each with a consent record, and two batches within their quotas."""

import datetime as dt
import random

import pytest

from tests.care.factories import make_person
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import NominationStatus, SensitiveKind
from xinsheng.care.lists import demo
from xinsheng.care.lists.sanatorium_selectors import quotas_for
from xinsheng.care.models import DistributionRecipient, Nomination, SanatoriumBatch, SensitiveRecord
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


def test_the_demo_lists_and_batches(tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    for n in range(200):
        born = dt.date(1970 + n % 30, 1 + n % 12, 10)
        make_person((tree.team1, tree.area1, tree.mine1)[n % 3], birth_date=born)
    today = dt.date(2026, 12, 3)

    made = demo.load(union=union, company=tree.company1, rng=random.Random(1), today=today)  # noqa: S311

    assert made["eid"] == 94
    eid = DistributionRecipient.objects.filter(programme__title="2026年开斋节慰问")
    consented = SensitiveRecord.objects.filter(
        kind=SensitiveKind.RELIGION, consent_on__isnull=False
    )
    assert set(eid.values_list("person", flat=True)) == set(
        consented.values_list("person", flat=True)
    )
    festival = DistributionRecipient.objects.filter(programme__title="2026年春节送温暖")
    assert festival.count() == made["festival"] >= 150
    assert festival.filter(delivered_on__isnull=False).count() > 0.8 * made["festival"]
    birthdays = DistributionRecipient.objects.filter(programme__title="2026年12月生日祝福")
    assert birthdays.count() == made["birthdays"] == 200 // 12  # those born in December
    assert SanatoriumBatch.objects.count() == 2
    attended = Nomination.objects.filter(status=NominationStatus.ATTENDED).count()
    assert attended > 0
    assert made["nominations"] <= 50
    for batch in SanatoriumBatch.objects.all():
        assert batch.nominations.count() <= batch.capacity
        assert all(q.used <= q.places for q in quotas_for(batch=batch))
    # The history agrees: the audit events the services would have written are there.
    audited = AuditEvent.objects.filter
    assert audited(action="care.distribution.build").count() == 3
    delivered = DistributionRecipient.objects.filter(delivered_on__isnull=False)
    assert set(audited(action="care.distribution.deliver").values_list("object_id", flat=True)) == {
        str(pk) for pk in delivered.values_list("pk", flat=True)
    }
    assert audited(action="care.sanatorium.batch").count() == 2
    assert audited(action="care.sanatorium.nominate").count() == made["nominations"]
    assert audited(action="care.sanatorium.attend").count() == attended
    again = random.Random(1)  # noqa: S311
    assert demo.load(union=union, company=tree.company1, rng=again, today=today) == {}
