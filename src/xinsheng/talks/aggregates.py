"""Monthly aggregates of talks and visits, kept current from the records, for fast figures.

Counting a year of a million records on every look at the coverage board is too slow, and
distinct people do not add up across days. So two tables hold what the figures need, by month:

- ``TalkCount``: records per unit path and month, by kind (talks, visits, home visits);
- ``TalkReach``: per person, unit path and year, how often they were reached in each month.
  Distinct people reached in whole months is a count of rows with a non-zero month among them
  (a person under two paths of one subtree is counted once by a distinct count), and person-times
  is the sum of those months.

``aggregates_refresh`` catches them up with the records changed since it last ran (by the
records' ``updated_at``): it compares each changed record with what it last counted of it
(``TalkCounted``), moves the record's count from its old month and path to the new ones, and
rebuilds the reach rows of every person the record had or has, from the participants themselves.
Applying a record twice changes nothing, so the pass re-reads a margin before its last mark and
a transaction that committed late is not missed. The figures call it before they read, and the
scheduler runs it too; a service that changes a record's people saves the record (its
``updated_at`` moves). ``aggregates_rebuild`` builds everything from the records at once.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, F, Max, Q, Sum, When
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth

from xinsheng.core.periods import Period
from xinsheng.talks.choices import TalkKind
from xinsheng.talks.models import (
    TalkCount,
    TalkCounted,
    TalkFiguresState,
    TalkParticipant,
    TalkReach,
    TalkRecord,
)

OVERLAP = dt.timedelta(minutes=10)  # re-read this much before the last mark
BATCH = 2000
MONTH_FIELDS = [f"m{number}" for number in range(1, 13)]
Key = tuple[str, dt.date]


def month_of(day: dt.date) -> dt.date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def _kind_fields(kind: str) -> list[str]:
    if kind == TalkKind.TALK:
        return ["talks"]
    if kind == TalkKind.HOME_VISIT:
        return ["visits", "home_visits"]
    return ["visits"]


# --- keeping current ------------------------------------------------------------------------------


def _people_of(record_ids: list[int]) -> dict[int, list[int]]:
    people: dict[int, list[int]] = defaultdict(list)
    rows = TalkParticipant.objects.filter(record_id__in=record_ids).values_list(
        "record_id", "person_id"
    )
    for record_id, person_id in rows:
        people[record_id].append(person_id)
    return {record_id: sorted(ids) for record_id, ids in people.items()}


def _apply_counts(deltas: dict[Key, dict[str, int]]) -> None:
    for (path, month), changes in deltas.items():
        changes = {name: value for name, value in changes.items() if value}
        if not changes:
            continue
        row, _created = TalkCount.objects.get_or_create(unit_path=path, month=month)
        TalkCount.objects.filter(pk=row.pk).update(
            **{name: F(name) + value for name, value in changes.items()}
        )


def _rebuild_reach(person_ids: Iterable[int]) -> None:
    """Write the reach rows of ``person_ids`` again from their participant rows."""
    persons = sorted(set(person_ids))
    for start in range(0, len(persons), BATCH):
        chunk = persons[start : start + BATCH]
        TalkReach.objects.filter(person_id__in=chunk).delete()
        _write_reach(TalkParticipant.objects.filter(person_id__in=chunk))


def _write_reach(participants: Any) -> None:
    """Write the reach rows of ``participants``, grouped by path, year and person in order."""
    rows: list[TalkReach] = []
    grouped = (
        participants.annotate(year=ExtractYear("held_on"), month=ExtractMonth("held_on"))
        .values_list("unit_path", "year", "person_id", "month")
        .annotate(times=Count("id"))
        .order_by("unit_path", "year", "person_id")
    )
    for path, year, person_id, month, times in grouped.iterator(chunk_size=10_000):
        if not rows or (rows[-1].unit_path, rows[-1].year, rows[-1].person_id) != (
            path,
            year,
            person_id,
        ):
            if len(rows) >= 20_000:  # a key's months come together, so a new key may flush
                TalkReach.objects.bulk_create(rows, batch_size=5000)
                rows = []
            rows.append(TalkReach(unit_path=path, year=year, person_id=person_id))
        setattr(rows[-1], f"m{month}", times)
    TalkReach.objects.bulk_create(rows, batch_size=5000)


def _catch_up(records: Sequence[Mapping[str, Any]]) -> None:
    """Apply ``records`` (id, unit_path, held_on, kind) that may have changed since counted."""
    ids = [record["id"] for record in records]
    people = _people_of(ids)
    counted = {row.record_id: row for row in TalkCounted.objects.filter(record_id__in=ids)}
    deltas: dict[Key, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    touched: set[int] = set()
    changed: list[TalkCounted] = []
    for record in records:
        now = TalkCounted(
            record_id=record["id"],
            unit_path=record["unit_path"],
            month=month_of(record["held_on"]),
            kind=record["kind"],
            people=people.get(record["id"], []),
        )
        before = counted.get(record["id"])
        same = before is not None and (
            (before.unit_path, before.month, before.kind, before.people)
            == (now.unit_path, now.month, now.kind, now.people)
        )
        if same:
            continue
        if before is not None:
            for name in _kind_fields(before.kind):
                deltas[(before.unit_path, before.month)][name] -= 1
            touched.update(before.people)
        for name in _kind_fields(now.kind):
            deltas[(now.unit_path, now.month)][name] += 1
        touched.update(now.people)
        changed.append(now)
    _apply_counts(deltas)
    TalkCounted.objects.bulk_create(
        changed,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["record_id"],
        update_fields=["unit_path", "month", "kind", "people"],
    )
    _rebuild_reach(touched)


def aggregates_refresh(*, margin: bool = False) -> int:
    """Catch the aggregates up with the records changed since the last pass; return how many.

    A reader (``margin`` False) passes at once when no record is newer than the last mark; the
    scheduler's pass (``margin`` True) always re-reads the margin before it, for transactions
    that committed after the mark with an earlier time.
    """
    if not margin:
        state = TalkFiguresState.objects.order_by("pk").first()
        seen = state.seen_until if state is not None else None
        if seen is not None and not TalkRecord.objects.filter(updated_at__gt=seen).exists():
            return 0
    return _refresh()


@transaction.atomic
def _refresh() -> int:
    state = TalkFiguresState.objects.select_for_update().order_by("pk").first()
    if state is None:
        state = TalkFiguresState.objects.create()
    records = TalkRecord.objects.all()
    if state.seen_until is not None:
        records = records.filter(updated_at__gte=state.seen_until - OVERLAP)
    latest = records.aggregate(latest=Max("updated_at"))["latest"]
    if latest is None:
        return 0
    rows = list(records.order_by("id").values("id", "unit_path", "held_on", "kind"))
    for start in range(0, len(rows), BATCH):
        _catch_up(rows[start : start + BATCH])
    if state.seen_until is None or latest > state.seen_until:
        state.seen_until = latest
        state.save(update_fields=["seen_until"])
    return len(rows)


@transaction.atomic
def aggregates_rebuild() -> None:
    """Build every aggregate from the records at once (after an import or a migration)."""
    TalkCount.objects.all().delete()
    TalkReach.objects.all().delete()
    TalkCounted.objects.all().delete()
    TalkFiguresState.objects.all().delete()
    latest = TalkRecord.objects.aggregate(latest=Max("updated_at"))["latest"]
    counts = (
        TalkRecord.objects.annotate(month=TruncMonth("held_on"))
        .order_by()
        .values_list("unit_path", "month")
        .annotate(
            talks=Count("id", filter=Q(kind=TalkKind.TALK)),
            visits=Count("id", filter=Q(kind__in=(TalkKind.VISIT, TalkKind.HOME_VISIT))),
            home_visits=Count("id", filter=Q(kind=TalkKind.HOME_VISIT)),
        )
    )
    TalkCount.objects.bulk_create(
        (
            TalkCount(unit_path=p, month=m, talks=t, visits=v, home_visits=h)
            for p, m, t, v, h in counts.iterator(chunk_size=10_000)
        ),
        batch_size=5000,
    )
    _write_reach(TalkParticipant.objects.all())
    last = 0
    while True:
        batch = list(
            TalkRecord.objects.filter(id__gt=last)
            .order_by("id")
            .values("id", "unit_path", "held_on", "kind")[:20_000]
        )
        if not batch:
            break
        people = _people_of([record["id"] for record in batch])
        TalkCounted.objects.bulk_create(
            (
                TalkCounted(
                    record_id=record["id"],
                    unit_path=record["unit_path"],
                    month=month_of(record["held_on"]),
                    kind=record["kind"],
                    people=people.get(record["id"], []),
                )
                for record in batch
            ),
            batch_size=5000,
        )
        last = batch[-1]["id"]
    TalkFiguresState.objects.create(seen_until=latest)


# --- reading --------------------------------------------------------------------------------------


def whole_months(period: Period) -> dict[int, list[int]] | None:
    """Return the months of ``period`` by year when it is made of whole months; else None."""
    last_day = period.end + dt.timedelta(days=1)
    if period.start.day != 1 or last_day.day != 1:
        return None
    months: dict[int, list[int]] = defaultdict(list)
    cursor = period.start
    while cursor <= period.end:
        months[cursor.year].append(cursor.month)
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return dict(months)


def reach_rows(months: dict[int, list[int]]) -> tuple[Any, Any]:
    """Return the reach rows with a visit in ``months`` and the sum of those months' times."""
    hit = Q(pk__in=[])
    for year, numbers in months.items():
        any_month = Q(pk__in=[])
        for number in numbers:
            any_month |= Q(**{f"m{number}__gt": 0})
        hit |= Q(year=year) & any_month
    rows = TalkReach.objects.filter(hit)
    whens = []
    for year, numbers in months.items():
        total: Any = F(f"m{numbers[0]}")
        for number in numbers[1:]:
            total = total + F(f"m{number}")
        whens.append(When(year=year, then=total))
    times = Sum(Case(*whens, default=0))
    return rows, times


def count_rows(months: dict[int, list[int]]) -> Any:
    """Return the monthly record counts of ``months``."""
    firsts = [dt.date(year, number, 1) for year, numbers in months.items() for number in numbers]
    return TalkCount.objects.filter(month__in=firsts)


def grouped_months(
    units: Sequence[Any], months: dict[int, list[int]], grouped: Any
) -> dict[int, dict[str, int]]:
    """Return people, person-times, talks, visits and home visits per unit from the aggregates."""
    rows, times = reach_rows(months)
    people = grouped(rows, units, people=Count("person_id", distinct=True), person_times=times)
    records = grouped(
        count_rows(months),
        units,
        talks=Sum("talks"),
        visits=Sum("visits"),
        home_visits=Sum("home_visits"),
    )
    return {unit.pk: {**people[unit.pk], **records[unit.pk]} for unit in units}
