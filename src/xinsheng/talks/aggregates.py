"""Aggregates of talks and visits, kept current from the records, so that the figures are fast.

Counting a year of a million records on every look at the coverage board is too slow, and
distinct people add up neither across units nor across months. Three tables hold what the
figures need:

- ``TalkTally``: per unit path and calendar month, quarter and year, the records by kind, the
  person-times, and ``people``, a signed count whose sum over a subtree is the distinct people
  reached there in that period. For one person and period, take the unit paths they were
  reached at in tree order p1 < p2 < … < pk (paths sort in tree order): +1 at each pi, −1 at the
  deepest unit shared by each neighbouring pair pi, pi+1. A subtree holding some of the paths
  holds a run of neighbours, j of them and the j−1 shared units between them, and no other
  shared unit (one of the pair would be outside): its sum is 1, and 0 when it holds none. So the
  figures of a calendar month, quarter or year are sums over the rows of one period, about one
  per unit, whatever the records.
- ``TalkReach``: per person, unit path and year, how often they were reached in each month:
  what a person's entries in ``people`` were made from, so that a change replaces them exactly;
  and what a run of whole months that is no calendar month, quarter or year counts distinct
  people from (a distinct count of rows, slower). Any other period counts the participants.
- ``TalkCounted``: per record, what was last counted of it (unit path, month, kind, people) and
  the record's ``updated_at`` then.

``aggregates_refresh`` catches up with every record whose ``updated_at`` differs from the one
counted, looking from a margin before the last pass so that a transaction that committed late is
not missed, and with every record deleted since (deleting a record through the ORM, as the admin
does, sets its counted row's record to NULL; a delete around the ORM breaks the foreign key and
is refused). It moves each record's counts from its old path and months to the new ones, and
rebuilds the reach rows of every person the record had or has from the participants, replacing
those people's entries in ``people``. The records' service changes a record's people and saves
the record in one transaction, so a change of people is a change of ``updated_at``. Readers ask
with three small indexed queries whether anything is to be caught up, and catch up before they
read: a figure lags no committed record, unless its transaction took longer than ``OVERLAP``
between saving and committing, or its people were changed without saving it (``aggregates_rebuild``
puts either right). The scheduler catches up too. The first pass builds everything at once.
"""

import datetime as dt
import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth

from xinsheng.core.periods import MONTH, QUARTER, YEAR, Period, period_of
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import TalkKind
from xinsheng.talks.models import (
    TalkCounted,
    TalkFiguresState,
    TalkParticipant,
    TalkReach,
    TalkRecord,
    TalkTally,
)

OVERLAP = dt.timedelta(minutes=10)  # re-read this much before the last mark
# The mark of aggregates built when there was no record yet: "counted", unlike None ("never
# built"), so that readers of an installation without talks do not rebuild on every page.
NOTHING_YET = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
BATCH = 2000
MONTH_FIELDS = [f"m{number}" for number in range(1, 13)]
TALLY_FIELDS = ("talks", "visits", "home_visits", "person_times", "people")
Key = tuple[str, str, dt.date]  # unit path, span, first day of the period
Tally = defaultdict[Key, defaultdict[str, int]]
RECORD_FIELDS = ("id", "updated_at", "unit_path", "held_on", "kind")


def month_of(day: dt.date) -> dt.date:
    """Return the first day of ``day``'s month."""
    return day.replace(day=1)


def spans_of(month: dt.date) -> list[tuple[str, dt.date]]:
    """Return the calendar periods holding ``month``: itself, its quarter and its year."""
    quarter = dt.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    return [(MONTH, month), (QUARTER, quarter), (YEAR, dt.date(month.year, 1, 1))]


# The periods of a year as (span, first day, indexes of its months), for a person's reach rows.
def _year_spans(year: int) -> list[tuple[str, dt.date, list[int]]]:
    spans = [(MONTH, dt.date(year, n + 1, 1), [n]) for n in range(12)]
    spans += [
        (QUARTER, dt.date(year, q * 3 + 1, 1), [q * 3, q * 3 + 1, q * 3 + 2]) for q in range(4)
    ]
    return [*spans, (YEAR, dt.date(year, 1, 1), list(range(12)))]


def new_tally() -> Tally:
    """Return an empty set of changes to the tally rows."""
    return defaultdict(lambda: defaultdict(int))


def _kind_fields(kind: str) -> list[str]:
    if kind == TalkKind.TALK:
        return ["talks"]
    if kind == TalkKind.HOME_VISIT:
        return ["visits", "home_visits"]
    return ["visits"]


def shared_unit(first: str, second: str) -> str:
    """Return the path of the deepest unit at or above both paths ('' when they share none)."""
    step, length = OrgUnit.steplen, 0
    while first[length : length + step] == second[length : length + step] != "":
        length += step
    return first[:length]


def _count_record(tally: Tally, counted: TalkCounted, sign: int) -> None:
    for span, start in spans_of(counted.month):
        for name in _kind_fields(counted.kind):
            tally[(counted.unit_path, span, start)][name] += sign


def _count_person_year(
    tally: Tally, year: int, rows: Sequence[tuple[str, Sequence[int]]], sign: int
) -> None:
    """Add ``sign`` times one person's entries for ``year`` from their reach rows there.

    ``rows`` are (unit path, the twelve months' counts), in any order.
    """
    for span, start, months in _year_spans(year):
        reached = sorted(
            (path, times) for path, counts in rows if (times := sum(counts[i] for i in months))
        )
        for (path, times), following in itertools.zip_longest(reached, reached[1:]):
            entry = tally[(path, span, start)]
            entry["people"] += sign
            entry["person_times"] += sign * times
            if following is not None and (shared := shared_unit(path, following[0])):
                tally[(shared, span, start)]["people"] -= sign


def _apply(tally: Tally) -> None:
    """Add the changes in ``tally`` to the tally rows (creating the rows that are missing)."""
    changes = {
        key: {name: value for name, value in fields.items() if value}
        for key, fields in tally.items()
    }
    changes = {key: fields for key, fields in changes.items() if fields}
    TalkTally.objects.bulk_create(
        [TalkTally(unit_path=path, span=span, starts_on=start) for path, span, start in changes],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    for (path, span, start), fields in changes.items():
        TalkTally.objects.filter(unit_path=path, span=span, starts_on=start).update(
            **{name: F(name) + value for name, value in fields.items()}
        )


# --- the reach rows of people ---------------------------------------------------------------------


def _reach_lines(participants: QuerySet[TalkParticipant]) -> Iterator[tuple[Any, ...]]:
    """Yield (person, year, unit path, month, times) of ``participants``, by person and year."""
    lines = (
        participants.annotate(year=ExtractYear("held_on"), month=ExtractMonth("held_on"))
        .values_list("person_id", "year", "unit_path", "month")
        .annotate(times=Count("id"))
        .order_by("person_id", "year", "unit_path", "month")
    )
    yield from lines.iterator(chunk_size=10_000)


def _write_reach(participants: QuerySet[TalkParticipant], tally: Tally) -> None:
    """Write the reach rows of ``participants`` and add their people's entries to ``tally``."""
    buffer: list[TalkReach] = []
    lines = _reach_lines(participants)
    for (person_id, year), person_lines in itertools.groupby(lines, key=lambda line: line[:2]):
        rows: dict[str, list[int]] = {}
        for _person, _year, path, month, times in person_lines:
            rows.setdefault(path, [0] * 12)[month - 1] = times
        _count_person_year(tally, year, list(rows.items()), +1)
        for path, counts in rows.items():
            buffer.append(
                TalkReach(
                    person_id=person_id,
                    year=year,
                    unit_path=path,
                    **dict(zip(MONTH_FIELDS, counts, strict=True)),
                )
            )
        if len(buffer) >= 10_000:
            TalkReach.objects.bulk_create(buffer, batch_size=5000)
            buffer = []
    TalkReach.objects.bulk_create(buffer, batch_size=5000)


def _replace_reach(person_ids: Iterable[int], tally: Tally) -> None:
    """Write the reach rows of ``person_ids`` again, replacing their entries in ``tally``."""
    persons = sorted(set(person_ids))
    for start in range(0, len(persons), BATCH):
        chunk = persons[start : start + BATCH]
        old = TalkReach.objects.filter(person_id__in=chunk)
        lines = old.order_by("person_id", "year").values_list(
            "person_id", "year", "unit_path", *MONTH_FIELDS
        )
        for (_person, year), rows in itertools.groupby(lines, key=lambda line: line[:2]):
            _count_person_year(tally, year, [(row[2], row[3:]) for row in rows], -1)
        old.delete()
        _write_reach(TalkParticipant.objects.filter(person_id__in=chunk), tally)


# --- keeping current ------------------------------------------------------------------------------


def _people_of(record_ids: list[int]) -> dict[int, list[int]]:
    people: dict[int, list[int]] = defaultdict(list)
    rows = TalkParticipant.objects.filter(record_id__in=record_ids).values_list(
        "record_id", "person_id"
    )
    for record_id, person_id in rows:
        people[record_id].append(person_id)
    return {record_id: sorted(ids) for record_id, ids in people.items()}


def _counted_now(record: Mapping[str, Any], people: dict[int, list[int]]) -> TalkCounted:
    return TalkCounted(
        record_id=record["id"],
        updated_at=record["updated_at"],
        unit_path=record["unit_path"],
        month=month_of(record["held_on"]),
        kind=record["kind"],
        people=people.get(record["id"], []),
    )


def _catch_up(records: Sequence[Mapping[str, Any]], gone: Sequence[TalkCounted]) -> None:
    """Count ``records`` (changed since counted, or new) again and take ``gone`` off."""
    ids = [record["id"] for record in records]
    people = _people_of(ids)
    counted = {row.record_id: row for row in TalkCounted.objects.filter(record_id__in=ids)}
    tally = new_tally()
    touched: set[int] = set()
    changed: list[TalkCounted] = []
    for record in records:
        now = _counted_now(record, people)
        before = counted.get(record["id"])
        changed.append(now)
        what = (now.unit_path, now.month, now.kind, now.people)
        if before is not None and (
            (before.unit_path, before.month, before.kind, before.people) == what
        ):
            continue  # saved again with nothing counted changed
        if before is not None:
            _count_record(tally, before, -1)
            touched.update(before.people)
        _count_record(tally, now, +1)
        touched.update(now.people)
    for row in gone:
        _count_record(tally, row, -1)
        touched.update(row.people)
    _replace_reach(touched, tally)
    _apply(tally)
    TalkCounted.objects.bulk_create(
        changed,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["record"],
        update_fields=["updated_at", "unit_path", "month", "kind", "people"],
    )
    TalkCounted.objects.filter(pk__in=[row.pk for row in gone]).delete()


def _behind(state: TalkFiguresState | None) -> bool:
    """Return whether a record changed, appeared or went since the aggregates counted it."""
    if state is None or state.seen_until is None:
        return True
    return _uncounted(state.seen_until).exists() or _gone().exists()


def _uncounted(seen_until: dt.datetime) -> QuerySet[TalkRecord]:
    """Return the records from the margin before ``seen_until`` not counted as they are now."""
    same = TalkCounted.objects.filter(record_id=OuterRef("pk"), updated_at=OuterRef("updated_at"))
    return TalkRecord.objects.filter(updated_at__gte=seen_until - OVERLAP).filter(~Exists(same))


def _gone() -> QuerySet[TalkCounted]:
    return TalkCounted.objects.filter(record__isnull=True)


def behind() -> bool:
    """Return whether the aggregates miss a change of the records, asking in one statement and
    changing nothing (for pages that only read: they count the records instead).

    The statement never changes: it is compiled once per process and database (compiling it
    took the dashboard longer than the database took to answer it).
    """
    sql, params = _behind_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        state = cursor.fetchone()
    if state is None or state[0] is None:
        return True
    return bool(state[1] or state[2])


@functools.lru_cache(maxsize=4)
def _behind_statement(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """Return the statement of ``behind`` for the database ``vendor``: the state's
    ``seen_until``, whether a record is not counted as it is now, whether a counted one went."""
    seen = ExpressionWrapper(OuterRef("seen_until") - OVERLAP, output_field=DateTimeField())
    same = TalkCounted.objects.filter(record_id=OuterRef("pk"), updated_at=OuterRef("updated_at"))
    uncounted = TalkRecord.objects.filter(updated_at__gte=seen).filter(~Exists(same))
    state = (
        TalkFiguresState.objects.order_by("pk")
        .annotate(uncounted=Exists(uncounted), gone=Exists(_gone()))
        .values_list("seen_until", "uncounted", "gone")
    )[:1]
    sql, params = state.query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params)


def aggregates_refresh(*, margin: bool = False) -> int:
    """Catch the aggregates up with the records changed since they were counted; return how many.

    A reader (``margin`` False) passes at once when nothing changed; the scheduler's pass
    (``margin`` True) always takes the lock and looks.
    """
    if not margin and not _behind(TalkFiguresState.objects.order_by("pk").first()):
        return 0
    return _refresh()


@transaction.atomic
def _refresh() -> int:
    state = _locked_state()
    if state.seen_until is None:
        return _rebuild(state)
    records = list(_uncounted(state.seen_until).order_by("id").values(*RECORD_FIELDS))
    gone = list(_gone())
    for start in range(0, max(len(records), len(gone)), BATCH):
        _catch_up(records[start : start + BATCH], gone[start : start + BATCH])
    latest = max((record["updated_at"] for record in records), default=None)
    if latest is not None and latest > state.seen_until:
        state.seen_until = latest
        state.save(update_fields=["seen_until"])
    return len(records) + len(gone)


def _locked_state() -> TalkFiguresState:
    """Return the state row, locked until the transaction ends (one pass at a time)."""
    state = TalkFiguresState.objects.select_for_update().order_by("pk").first()
    return state if state is not None else TalkFiguresState.objects.create()


@transaction.atomic
def aggregates_rebuild() -> int:
    """Build every aggregate from the records at once; return how many records were counted."""
    return _rebuild(_locked_state())


def _rebuild(state: TalkFiguresState) -> int:
    TalkTally.objects.all().delete()
    TalkReach.objects.all().delete()
    TalkCounted.objects.all().delete()
    latest = TalkRecord.objects.aggregate(latest=Max("updated_at"))["latest"]
    tally = new_tally()
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
    for path, month, talks, visits, home_visits in counts.iterator(chunk_size=10_000):
        for span, start in spans_of(month):
            entry = tally[(path, span, start)]
            entry["talks"] += talks
            entry["visits"] += visits
            entry["home_visits"] += home_visits
    _write_reach(TalkParticipant.objects.all(), tally)
    TalkTally.objects.bulk_create(
        (
            TalkTally(unit_path=path, span=span, starts_on=start, **fields)
            for (path, span, start), fields in tally.items()
        ),
        batch_size=5000,
    )
    total, last = 0, 0
    while batch := list(
        TalkRecord.objects.filter(id__gt=last).order_by("id").values(*RECORD_FIELDS)[:20_000]
    ):
        people = _people_of([record["id"] for record in batch])
        TalkCounted.objects.bulk_create(
            (_counted_now(record, people) for record in batch), batch_size=5000
        )
        total, last = total + len(batch), batch[-1]["id"]
    state.seen_until = latest if latest is not None else NOTHING_YET
    state.save()
    return total


# --- reading --------------------------------------------------------------------------------------


def calendar_span(period: Period) -> tuple[str, dt.date] | None:
    """Return ``period`` as (span, first day) when it is a calendar month, quarter or year."""
    for span in (YEAR, QUARTER, MONTH):
        whole = period_of(span, period.start)
        if (whole.start, whole.end) == (period.start, period.end):
            return span, whole.start
    return None


def whole_months(period: Period) -> list[dt.date] | None:
    """Return the first days of ``period``'s months when it is made of whole months; else None."""
    if period.start.day != 1 or (period.end + dt.timedelta(days=1)).day != 1:
        return None
    months, cursor = [], period.start
    while cursor <= period.end:
        months.append(cursor)
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return months


def tally_rows(span: str, start: dt.date) -> QuerySet[TalkTally]:
    """Return the tally rows of one calendar period (their sums over a subtree are its figures)."""
    return TalkTally.objects.filter(span=span, starts_on=start)


def month_rows(months: Sequence[dt.date]) -> QuerySet[TalkTally]:
    """Return the tally rows of ``months`` (all but ``people`` add up across months)."""
    return TalkTally.objects.filter(span=MONTH, starts_on__in=months)


def reach_rows(months: Sequence[dt.date]) -> QuerySet[TalkReach]:
    """Return the reach rows of people reached in any of ``months`` (count distinct people)."""
    hit = Q(pk__in=[])
    for year, firsts in itertools.groupby(months, key=lambda month: month.year):
        any_month = Q(pk__in=[])
        for month in firsts:
            any_month |= Q(**{f"m{month.month}__gt": 0})
        hit |= Q(year=year) & any_month
    return TalkReach.objects.filter(hit)
