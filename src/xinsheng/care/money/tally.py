"""The derived totals of a programme's money (``ProgrammeTally``): what it paid from funds and
from cadres' own pockets, how many people it paid (net of reversals), and its first and last
day of payment.

``tally_add`` counts one appended entry; the money services call it in the transaction that
appends the entry, under the programme's row lock, so that two payments cannot count over
each other. A programme without a tally yet (paid before tallies were kept, or written in
bulk by the demo or a benchmark) is recounted from its entries instead: ``tally_recount``
rebuilds it from the entries alone, and whatever the services add afterwards keeps it equal to
a recount (tests/care/test_tally.py checks that).
"""

from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum

from xinsheng.care.choices import MoneySource
from xinsheng.care.models import ZERO, Payment, ProgrammePersonTally, ProgrammeTally


def tally_add(payment: Payment) -> None:
    """Count ``payment`` (just appended) in its programme's tally; call under the programme's
    row lock."""
    tally = ProgrammeTally.objects.filter(programme_id=payment.programme_id).first()
    if tally is None:
        tally_recount(payment.programme_id)  # counts ``payment`` with the entries before it
        return
    person, _created = ProgrammePersonTally.objects.get_or_create(
        programme_id=payment.programme_id, person_id=payment.person_id
    )
    before = person.total
    person.total = before + payment.amount
    person.save(update_fields=["total"])
    tally.people += int(person.total > 0) - int(before > 0)
    if payment.source == MoneySource.FUND:
        tally.fund += payment.amount
    else:
        tally.personal += payment.amount
    tally.entries += 1
    day = payment.paid_on
    tally.first_paid_on = min(tally.first_paid_on or day, day)
    tally.last_paid_on = max(tally.last_paid_on or day, day)
    tally.save()


def tally_recount(programme_id: int) -> ProgrammeTally:
    """Rebuild the tally of programme ``programme_id`` from its entries, and return it."""
    entries = Payment.objects.filter(programme_id=programme_id).order_by()
    ProgrammePersonTally.objects.filter(programme_id=programme_id).delete()
    tallies, payments = ProgrammePersonTally._meta.db_table, Payment._meta.db_table
    with connection.cursor() as cursor:  # one statement, however many people
        cursor.execute(
            f"INSERT INTO {tallies} (programme_id, person_id, total) "  # noqa: S608 — model tables
            f"SELECT programme_id, person_id, SUM(amount) FROM {payments} "
            "WHERE programme_id = %s GROUP BY programme_id, person_id",
            [programme_id],
        )
    people = ProgrammePersonTally.objects.filter(programme_id=programme_id, total__gt=0).count()
    found = entries.aggregate(
        fund=Sum("amount", filter=Q(source=MoneySource.FUND)),
        personal=Sum("amount", filter=Q(source=MoneySource.PERSONAL)),
        entries=Count("id"),
        first=Min("paid_on"),
        last=Max("paid_on"),
    )
    tally, _created = ProgrammeTally.objects.update_or_create(
        programme_id=programme_id,
        defaults={
            "fund": found["fund"] or ZERO,
            "personal": found["personal"] or ZERO,
            "people": people,
            "entries": found["entries"],
            "first_paid_on": found["first"],
            "last_paid_on": found["last"],
        },
    )
    return tally


def tallies_recount(programme_ids: set[int] | list[int]) -> None:
    """Rebuild the tallies of several programmes (after a write in bulk)."""
    for programme_id in sorted(set(programme_ids)):
        tally_recount(programme_id)
