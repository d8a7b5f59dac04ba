"""Keeping the aggregated figures up to date as cases move, and rebuilding them from scratch.

Whoever writes ``CaseEvent`` rows calls ``cases.event_hooks.case_events_written``, which calls
``figures_refresh_soon`` (this app subscribes to the ``ON_CASE_EVENTS`` hook): after the
transaction commits, a task folds in the events newer than the stored watermark. For
each case those events belong to, its ``CaseFigure`` rows are computed again from the case, its
events and its ratings (``reports.counting``), and the ``UnitFigures``/``UnitBreakdown`` rows of
exactly the (unit, day), (unit, month) and (unit, year) it touched, before or after, are summed
again, and then the subtree rows of those units and of their ancestors (``reports.subtree_sums``).
A rating writes a ``rated`` event, and an import writes the events of its rows, so both are
folded in the same way. The scheduler runs the same task periodically as a safety net, and
``xinsheng figures_rebuild`` recomputes everything.

Event ids are handed out before their transactions commit, so an id below the watermark can
appear late; ids missing when the watermark moves past them are kept as gaps and looked at
again until they appear or ``GAP_TIMEOUT`` passes (a rolled-back transaction leaves a gap that
never fills).
"""

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Max, Q, Sum, Value
from django.db.models.functions import TruncMonth, TruncYear
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from xinsheng.cases.choices import EventKind
from xinsheng.cases.models import Case, CaseEvent, Rating
from xinsheng.core.calendar import extra_days_off
from xinsheng.org.models import OrgUnit
from xinsheng.reports.counting import CaseRow, EventRow, RatingRow, Rules, case_contributions
from xinsheng.reports.models import (
    COUNTERS,
    CaseFigure,
    Dimension,
    FiguresState,
    Grain,
    UnitBreakdown,
    UnitFigures,
)
from xinsheng.reports.subtree_sums import subtree_sums_rebuild, subtree_sums_refresh

logger = logging.getLogger(__name__)

GAP_TIMEOUT = dt.timedelta(hours=1)
MAX_GAPS = 200  # id ranges remembered; the oldest are dropped beyond this
REFRESH_BATCH = 100_000  # events folded in per transaction (at most about 90 MB to hold)
CHUNK = 500  # cases (or pairs) per query
CASE_FIELDS = (
    "id",
    "origin_unit_id",
    "created_at",
    "channel",
    "category_id",
    "status",
    "responsible_unit_id",
    "response_deadline",
    "dispatched_at",
    "answered_at",
    "deadline",
    "closed_at",
    "close_reason",
)
# The events that figures read; the others (notes, reminders …) change no figure.
COUNTED_EVENTS = (
    EventKind.DISPATCHED,
    EventKind.SIGNED,
    EventKind.RETURNED,
    EventKind.REOPENED,
    EventKind.SUPERVISED,
)

T = TypeVar("T")
Pair = tuple[int, dt.date]  # (unit id, day)


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- scheduling -----------------------------------------------------------------------------------


COALESCE_SECONDS = 5
_QUEUED_KEY = "xinsheng:figures:refresh-queued"


# When the refresh this process knows to be queued will run (epoch seconds, less a margin).
_queued_until = 0.0
_MARGIN_SECONDS = 0.5  # a refresh starting this close to a commit may miss it: queue another


class _Refresh:
    """The after-commit callback that enqueues a refresh; it remembers having run.

    Where the queue can run a task later, the first transaction of a burst (a QR code at a
    shift change) queues a refresh to run ``COALESCE_SECONDS`` later and marks it in the cache
    with that time; the others of those seconds find the mark and queue nothing, so the intake
    does not write a task row per voice. Each process also keeps the time of the refresh it
    knows to be queued, so that the voices it takes until then ask neither the queue nor the
    cache. Without a deferring queue (tests run tasks at once) every transaction refreshes.
    """

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        global _queued_until  # one mark per process
        self.done = True
        if not figures_refresh_task.get_backend().supports_defer:
            figures_refresh_task.enqueue()
            return
        now = time.time()
        if now < _queued_until:  # a refresh queued after this commit will fold it in
            return
        runs_at = now + COALESCE_SECONDS
        if cache.add(_QUEUED_KEY, runs_at, timeout=COALESCE_SECONDS):
            later = timezone.now() + dt.timedelta(seconds=COALESCE_SECONDS)
            figures_refresh_task.using(run_after=later).enqueue()
        else:  # another process queued it: learn when it runs
            runs_at = float(cache.get(_QUEUED_KEY) or 0)
        _queued_until = runs_at - _MARGIN_SECONDS


def figures_refresh_soon() -> None:
    """Fold the events of the current transaction into the figures once it commits.

    Called for every event written; the refresh is scheduled once per transaction.
    """
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(
        isinstance(entry[1], _Refresh) and not entry[1].done for entry in conn.run_on_commit
    ):
        return
    transaction.on_commit(_Refresh(), robust=True)


# --- reading the raw rows -------------------------------------------------------------------------


def rules_now() -> Rules:
    """Return the installation's rules as they stand: the response clock and the days off."""
    return Rules(
        response_days=int(settings.XINSHENG["RESPONSE_DAYS"]),
        days_off=extra_days_off(),
        local_day=lambda moment: timezone.localtime(moment).date(),
    )


FIGURE_COLUMNS = ("case_id", "unit_id", "path", "day", "channel", "category_id", *COUNTERS)
FigureTuple = tuple[object, ...]  # a CaseFigure row, in FIGURE_COLUMNS order


def _figure_tuples(
    case_ids: Sequence[int], rules: Rules, paths: dict[int, str]
) -> list[FigureTuple]:
    """Return the ``CaseFigure`` rows of ``case_ids``, computed from their raw rows."""
    raw = Case.objects.filter(id__in=case_ids).values_list(*CASE_FIELDS)
    cases = [CaseRow(*row) for row in raw]
    events: dict[int, list[EventRow]] = defaultdict(list)
    for case_id, event_id, kind, at, unit_id in (
        CaseEvent.objects.filter(case_id__in=case_ids, kind__in=COUNTED_EVENTS)
        .order_by("case_id", "at", "id")
        .values_list("case_id", "id", "kind", "at", "unit_id")
    ):
        events[case_id].append(EventRow(event_id, kind, at, unit_id))
    ratings: dict[int, list[RatingRow]] = defaultdict(list)
    for case_id, rated_at, satisfaction, solved in (
        Rating.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "at", "id")
        .values_list("case_id", "at", "satisfaction", "solved")
    ):
        ratings[case_id].append(RatingRow(rated_at, satisfaction, solved))
    rows: list[FigureTuple] = []
    for case in cases:
        for part in case_contributions(case, events[case.id], ratings[case.id], rules):
            counts = part.counts
            rows.append(
                (
                    case.id,
                    part.unit_id,
                    paths[part.unit_id],
                    part.day,
                    part.channel,
                    part.category_id,
                    *(counts.get(name, 0) for name in COUNTERS),
                )
            )
    return rows


def _store(rows: list[FigureTuple]) -> None:
    """Insert ``CaseFigure`` rows; with COPY on PostgreSQL, where a rebuild writes millions."""
    if connection.vendor != "postgresql":
        objects = [CaseFigure(**dict(zip(FIGURE_COLUMNS, row, strict=True))) for row in rows]
        CaseFigure.objects.bulk_create(objects, batch_size=1000)
        return
    columns = ", ".join(FIGURE_COLUMNS)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor (psycopg 3), which speaks COPY
        with raw.copy(f"COPY {_table(CaseFigure)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _unit_paths(unit_ids: Iterable[int] | None = None) -> dict[int, str]:
    units = OrgUnit.objects.all() if unit_ids is None else OrgUnit.objects.filter(id__in=unit_ids)
    return dict(units.values_list("id", "path"))


class _Paths(dict[int, str]):
    """Unit paths, loaded on first use."""

    def __missing__(self, unit_id: int) -> str:
        self.update(_unit_paths([unit_id]))
        return self[unit_id]


# --- recounting cases and summing pairs -----------------------------------------------------------


def figures_recount_cases(case_ids: Collection[int]) -> int:
    """Compute the figures of ``case_ids`` again and re-sum the pairs they touch; return pairs."""
    rules = rules_now()
    paths = _Paths()
    pairs: set[Pair] = set()
    for chunk in _chunks(sorted(case_ids)):
        old = CaseFigure.objects.filter(case_id__in=chunk)
        pairs.update(old.values_list("unit_id", "day"))
        old.delete()
        rows = _figure_tuples(chunk, rules, paths)
        _store(rows)
        pairs.update((row[1], row[3]) for row in rows)  # type: ignore[misc]
    _sum_pairs(pairs, paths)
    return len(pairs)


def _pair_q(pairs: Iterable[Pair], field: str) -> Q:
    by_unit: dict[int, list[dt.date]] = defaultdict(list)
    for unit_id, day in pairs:
        by_unit[unit_id].append(day)
    query = Q(pk__in=[])
    for unit_id, days in by_unit.items():
        query |= Q(unit_id=unit_id, **{f"{field}__in": days})
    return query


def _month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _sums() -> dict[str, Any]:
    return {name: Sum(name) for name in COUNTERS}


def _figure_rows(rows: Iterable[dict[str, Any]], grain: str, paths: dict[int, str]) -> list[Any]:
    out = []
    for row in rows:
        counts = {name: row[name] or 0 for name in COUNTERS}
        if any(counts.values()):
            unit_id = row["unit_id"]
            out.append(
                UnitFigures(
                    grain=grain, start=row["start"], unit_id=unit_id, path=paths[unit_id], **counts
                )
            )
    return out


def _breakdown_rows(
    rows: Iterable[tuple[int, dt.date, str, object, int]], grain: str, paths: dict[int, str]
) -> list[UnitBreakdown]:
    return [
        UnitBreakdown(
            grain=grain,
            start=start,
            unit_id=unit_id,
            path=paths[unit_id],
            dimension=dimension,
            key="" if key is None else str(key),
            cases=cases,
        )
        for unit_id, start, dimension, key, cases in rows
        if cases
    ]


def _sum_pairs(pairs: set[Pair], paths: dict[int, str]) -> None:
    """Sum the day rows of ``pairs`` from ``CaseFigure``, then their months from the day rows
    and their years from the months; then the subtree rows of those units and their ancestors."""
    for chunk in _chunks(sorted(pairs)):
        UnitFigures.objects.filter(_pair_q(chunk, "start"), grain=Grain.DAY).delete()
        UnitBreakdown.objects.filter(_pair_q(chunk, "start"), grain=Grain.DAY).delete()
        facts = CaseFigure.objects.filter(_pair_q(chunk, "day")).order_by()
        sums: Any = facts.values("unit_id", start=F("day")).annotate(**_sums())
        UnitFigures.objects.bulk_create(_figure_rows(sums, Grain.DAY, paths))
        received = facts.filter(received__gt=0)
        breakdown: list[tuple[int, dt.date, str, object, int]] = []
        for dimension, field in ((Dimension.CHANNEL, "channel"), (Dimension.CATEGORY, "category")):
            for unit_id, day, key, cases in received.values_list("unit_id", "day", field).annotate(
                n=Sum("received")
            ):
                breakdown.append((unit_id, day, dimension, key, cases))
        UnitBreakdown.objects.bulk_create(_breakdown_rows(breakdown, Grain.DAY, paths))
    months = sorted({(unit_id, _month_of(day)) for unit_id, day in pairs})
    for chunk in _chunks(months):
        _roll_up(chunk, Grain.DAY, Grain.MONTH, paths)
    years = sorted({(unit_id, month.replace(month=1)) for unit_id, month in months})
    for chunk in _chunks(years):
        _roll_up(chunk, Grain.MONTH, Grain.YEAR, paths)
    subtree_sums_refresh(pairs, paths)


def _span_end(start: dt.date, grain: str) -> dt.date:
    """Return the first day after the month or year that starts on ``start``."""
    return start.replace(year=start.year + 1) if grain == Grain.YEAR else _next_month(start)


def _truncate(grain: str) -> Any:
    return TruncYear("start") if grain == Grain.YEAR else TruncMonth("start")


def _roll_up(
    spans: Sequence[tuple[int, dt.date]], source: str, target: str, paths: dict[int, str]
) -> None:
    """Sum the ``target`` rows (months or years) of ``spans`` from their ``source`` rows."""
    exact = Q(pk__in=[])
    inside = Q(pk__in=[])
    for unit_id, start in spans:
        exact |= Q(unit_id=unit_id, start=start)
        inside |= Q(unit_id=unit_id, start__gte=start, start__lt=_span_end(start, target))
    UnitFigures.objects.filter(exact, grain=target).delete()
    UnitBreakdown.objects.filter(exact, grain=target).delete()
    rows = UnitFigures.objects.filter(inside, grain=source).order_by()
    sums = rows.values("unit_id", span=_truncate(target)).annotate(**_sums())
    UnitFigures.objects.bulk_create(
        _figure_rows(({**row, "start": row["span"]} for row in sums), target, paths)
    )
    parts = (
        UnitBreakdown.objects.filter(inside, grain=source)
        .order_by()
        .values_list("unit_id", _truncate(target), "dimension", "key")
        .annotate(n=Sum("cases"))
    )
    UnitBreakdown.objects.bulk_create(_breakdown_rows(parts, target, paths))


# --- the watermark --------------------------------------------------------------------------------


def _missing(low: int, high: int, present: Sequence[int]) -> list[tuple[int, int]]:
    """Return the ranges of ids in ``low..high`` that are not in sorted ``present``."""
    ranges = []
    expected = low
    for value in present:
        if value < low or value > high:
            continue
        if value > expected:
            ranges.append((expected, value - 1))
        expected = max(expected, value + 1)
    if expected <= high:
        ranges.append((expected, high))
    return ranges


def _gaps_after(state: FiguresState, found: Sequence[int], now: dt.datetime) -> list[list[object]]:
    gaps: list[list[object]] = []
    for low, high, seen in state.gaps:
        if now - dt.datetime.fromisoformat(str(seen)) > GAP_TIMEOUT:
            continue
        gaps.extend([lo, hi, seen] for lo, hi in _missing(int(low), int(high), found))
    if found and found[-1] > state.watermark:
        stamp = now.isoformat()
        gaps.extend([lo, hi, stamp] for lo, hi in _missing(state.watermark + 1, found[-1], found))
    return gaps[-MAX_GAPS:]


def figures_state() -> FiguresState:
    """Return the figures' progress row, locked for the rest of the transaction."""
    FiguresState.objects.get_or_create(pk=1)
    return FiguresState.objects.select_for_update().get(pk=1)


def figures_refresh() -> int:
    """Fold in the events not folded in yet; return how many cases were recounted.

    The events are folded in by batches of at most ``REFRESH_BATCH`` past the watermark, each in
    a transaction of its own, so that a worker catching up on a long backlog (it was stopped
    while voices came in) holds one batch in memory at a time, not the backlog.
    """
    recounted = 0
    while True:
        cases, more = _refresh_batch()
        recounted += cases
        if not more:
            return recounted


@transaction.atomic
def _refresh_batch() -> tuple[int, bool]:
    """Fold in the next batch of events; return how many cases were recounted, and whether
    events past the batch are left.

    Serialised by a lock on the progress row, so two workers never fold the same events at once.
    """
    state = figures_state()
    newer = list(
        CaseEvent.objects.filter(id__gt=state.watermark)
        .order_by("id")
        .values_list("id", "case_id")[:REFRESH_BATCH]
    )
    rows = set(newer)
    if state.gaps:
        query = Q(pk__in=[])
        for low, high, _seen in state.gaps:
            query |= Q(id__gte=low, id__lte=high)
        rows.update(CaseEvent.objects.filter(query).values_list("id", "case_id"))
    found = sorted(event_id for event_id, _case in rows)
    case_ids = {case_id for _event, case_id in rows}
    if case_ids:
        figures_recount_cases(case_ids)
    now = timezone.now()
    state.gaps = _gaps_after(state, found, now)
    state.watermark = max([state.watermark, *found])
    state.refreshed_at = now
    state.save()
    return len(case_ids), len(newer) == REFRESH_BATCH


def figures_catch_up() -> str:
    """Fold in every event not folded in yet, now (the ``CATCH_UP`` hook); return a line saying
    how many cases were recounted, or "" when the figures were up to date already."""
    recounted = figures_refresh()
    if not recounted:
        return ""
    return gettext("统计数据已更新：重新统计了 %(count)d 件诉求。") % {"count": recounted}


# --- rebuilding everything ------------------------------------------------------------------------


@task()
def figures_refresh_task() -> int:
    """Fold the case events not folded in yet into the figures; return cases recounted.

    Enqueued after every transaction that writes a case event (``figures_refresh_soon``), and by
    ``xinsheng scheduler`` on every round as a safety net.
    """
    recounted = figures_refresh()
    logger.info("figures refreshed: %d cases recounted", recounted)
    return recounted


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _insert_day_sums() -> None:
    """Sum every day row and day breakdown from ``CaseFigure`` in the database itself."""
    columns = ", ".join(COUNTERS)
    sums = ", ".join(f"SUM({name})" for name in COUNTERS)
    facts, figures, breakdown = _table(CaseFigure), _table(UnitFigures), _table(UnitBreakdown)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {figures} (grain, start, unit_id, path, {columns}) "  # noqa: S608
            f"SELECT %s, day, unit_id, MAX(path), {sums} FROM {facts} GROUP BY unit_id, day",
            [Grain.DAY],
        )
        for dimension, key in (
            (Dimension.CHANNEL, "channel"),
            (Dimension.CATEGORY, "COALESCE(CAST(category_id AS VARCHAR(32)), '')"),
        ):
            cursor.execute(
                f"INSERT INTO {breakdown} (grain, start, unit_id, path, dimension, key, cases) "  # noqa: S608
                f"SELECT %s, day, unit_id, MAX(path), %s, {key}, SUM(received) FROM {facts} "
                f"WHERE received > 0 GROUP BY unit_id, day, {key}",
                [Grain.DAY, dimension],
            )


def _insert_select(model: Any, queryset: Any, columns: dict[str, str]) -> None:
    """Insert the rows ``queryset`` selects into ``model``'s table, in the database itself.

    ``columns`` maps each selected name, in the order the query selects them, to its column.
    """
    sql, params = queryset.query.sql_with_params()
    names = [*queryset.query.values_select, *queryset.query.annotation_select]
    targets = ", ".join(connection.ops.quote_name(columns.get(n, n)) for n in names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {_table(model)} ({targets}) {sql}", params)


def _insert_sums(source: str, target: str) -> None:
    """Sum every ``target`` row (month or year) from the ``source`` rows, in the database."""
    names = {"span": "start", "span_grain": "grain", "unit_path": "path"}
    spans = (
        UnitFigures.objects.filter(grain=source)
        .order_by()
        .values("unit_id")
        .annotate(
            span=_truncate(target), span_grain=Value(target), unit_path=Max("path"), **_sums()
        )
    )
    _insert_select(UnitFigures, spans, names)
    parts = (
        UnitBreakdown.objects.filter(grain=source)
        .order_by()
        .values("unit_id", "dimension", "key")
        .annotate(
            span=_truncate(target),
            span_grain=Value(target),
            unit_path=Max("path"),
            total=Sum("cases"),
        )
    )
    _insert_select(UnitBreakdown, parts, {**names, "total": "cases"})


@transaction.atomic
def figures_rebuild(*, progress: Callable[[int], None] | None = None) -> int:
    """Recompute every figure from the raw cases, events and ratings; return cases counted."""
    state = figures_state()
    watermark = CaseEvent.objects.aggregate(top=Max("id"))["top"] or 0
    UnitBreakdown.objects.all().delete()
    UnitFigures.objects.all().delete()
    CaseFigure.objects.all().delete()
    rules = rules_now()
    paths = _Paths(_unit_paths())
    done, last = 0, 0
    while True:
        ids = list(
            Case.objects.filter(id__gt=last).order_by("id").values_list("id", flat=True)[:2000]
        )
        if not ids:
            break
        _store(_figure_tuples(ids, rules, paths))
        done, last = done + len(ids), ids[-1]
        if progress is not None:
            progress(done)
    _insert_day_sums()
    _insert_sums(Grain.DAY, Grain.MONTH)
    _insert_sums(Grain.MONTH, Grain.YEAR)
    subtree_sums_rebuild()
    state.watermark, state.gaps = watermark, []
    state.rebuilt_at = state.refreshed_at = timezone.now()
    state.save()
    return done
