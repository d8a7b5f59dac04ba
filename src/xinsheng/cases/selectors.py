"""Every read of cases, filtered to what the acting user may see."""

import contextlib
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections
from django.db.models import BooleanField, Count, Exists, Model, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators
from django.utils import timezone

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases import steps
from xinsheng.cases.choices import (
    OPEN_STATUSES,
    WITH_UNIT,
    CaseStatus,
    EventKind,
    SubmitterCheck,
)
from xinsheng.cases.models import Case, CaseEvent, CasePhoto, Category, Rating, label_of
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.plugins import contributions
from xinsheng.core.row_reads import row_with_one_to_one
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person, in_subtree, mask_phone


@dataclass
class CaseFilters:
    """What the ledger is narrowed by; every field optional."""

    unit: OrgUnit | None = None  # origin or responsible unit within this subtree
    statuses: list[str] = field(default_factory=list)
    kind: str = ""
    channel: str = ""
    category: str = ""  # category code
    overdue: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str = ""


def case_list_for(*, actor: Actor, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Return the cases ``actor`` may see, narrowed by ``filters``, newest first."""
    cases = Case.objects.filter(case_permissions.case_scope_q(actor, "case.view"))
    return (
        _narrowed(cases, filters or CaseFilters())
        .select_related("origin_unit", "responsible_unit", "category")
        .order_by("-created_at", "-id")
    )


def _narrowed(cases: QuerySet[Case], f: CaseFilters) -> QuerySet[Case]:
    """Return ``cases`` narrowed by the ledger's filters ``f``."""
    if f.unit is not None:
        cases = cases.filter(
            Q(**in_subtree(f.unit.path, via="origin_unit"))
            | Q(**in_subtree(f.unit.path, via="responsible_unit"))
        )
    if f.statuses:
        cases = cases.filter(status__in=f.statuses)
    if f.kind:
        cases = cases.filter(kind=f.kind)
    if f.channel:
        cases = cases.filter(channel=f.channel)
    if f.category:
        cases = cases.filter(category__code=f.category)
    if f.overdue:
        cases = cases.filter(is_overdue=True)
    tz = timezone.get_current_timezone()
    if f.date_from:
        start = dt.datetime.combine(f.date_from, dt.time.min, tzinfo=tz)
        cases = cases.filter(created_at__gte=start)
    if f.date_to:
        end = dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        cases = cases.filter(created_at__lt=end)
    if text := f.text.strip():
        cases = cases.filter(
            Q(case_no__iexact=text) | Q(title__icontains=text) | Q(text__icontains=text)
        )
    return cases


# What a row of the ledger shows (``cases.ledger.rows``): a page reads these columns and no
# others (not the text, the answer, the submitter's contact or a dozen timestamps), as a named
# tuple per row rather than a case with its three related rows: building those ~200 instances
# was the largest item of the page's processor time.
LEDGER_COLUMNS = (
    "id",
    "case_no",
    "created_at",
    "kind",
    "channel",
    "title",
    "status",
    "deadline",
    "is_overdue",
    "supervision_count",
    "is_anonymous",
    "submitter_check",
    "origin_unit_id",
    "origin_unit__name",
    "origin_unit__path",
    "responsible_unit__name",
    "category__name",
    "category__english_name",
    "listed",
)


def case_ledger_for(*, actor: Actor, filters: CaseFilters, count_up_to: int) -> QuerySet[Any]:
    """Return the ledger's cases (``case_list_for``) as named tuples of ``LEDGER_COLUMNS``, each
    carrying ``listed``: how many cases the list holds, counted up to ``count_up_to`` + 1.

    The count rides in the statement that reads the page, as a subquery the database runs once.
    It tests the scope by unit ids rather than by joining the units, and when ``actor`` may see
    every root unit of the tree (so every case), it leaves the scope out and counts from the
    status index alone: a group's administrator counts 10,000 cases in ~1.5 ms instead of ~9.

    The query is built once per process for everything it depends on (``_filters_key``) and
    kept unread: each page reads a copy of it (a filter, an order or a slice makes a new
    query), so building it (the scope, the filters, the joins, the columns) is not repeated.
    """
    paths = tuple(permissions.scope_paths(actor, "case.view"))
    key = _filters_key(paths, filters, count_up_to)
    cases = _LEDGERS.get(key)
    if cases is None:
        listed = _count_up_to(actor, filters, count_up_to + 1)
        cases = _kept(
            _LEDGERS,
            key,
            case_list_for(actor=actor, filters=filters)
            .annotate(listed=listed)
            .values_list(*LEDGER_COLUMNS, named=True),
        )
    return cases.all()


def _filters_key(paths: tuple[str, ...], f: CaseFilters, limit: int) -> tuple[Any, ...]:
    """Return everything a ledger query depends on besides its page: the scope, the filters."""
    return (
        Case.objects.db,
        paths,
        limit,
        timezone.get_current_timezone_name(),
        f.unit.path if f.unit is not None else None,
        tuple(f.statuses),
        f.kind,
        f.channel,
        f.category,
        f.overdue,
        f.date_from,
        f.date_to,
        f.text,
    )


Kept = TypeVar("Kept")


def _kept(store: dict[tuple[Any, ...], Kept], key: tuple[Any, ...], value: Kept) -> Kept:
    """Keep ``value`` under ``key`` in ``store`` (bounded: the oldest goes first); return it."""
    store[key] = value
    if len(store) > _KEPT_MAX:
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):  # another thread
            del store[next(iter(store))]
    return value


# The ledger's queries (unread), the count's compiled SQL and the case page's compiled reads,
# by everything each depends on: building or compiling them took longer than the database
# takes to answer them for a group's administrator. Each holds this many at most.
_KEPT_MAX = 256
_LEDGERS: dict[tuple[Any, ...], QuerySet[Any]] = {}


def _compiled(cases: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = cases.query.get_compiler(using=cases.db).as_sql()
    return sql, tuple(params)


_COUNTS: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}


def _count_up_to(actor: Actor, filters: CaseFilters, limit: int) -> RawSQL:
    """Return the number of cases ``actor`` may see under ``filters``, up to ``limit``."""
    paths = tuple(permissions.scope_paths(actor, "case.view"))
    if not paths:
        return RawSQL("0", ())  # nothing in sight: the list itself reads nothing either
    key = _filters_key(paths, filters, limit)
    compiled = _COUNTS.get(key)
    if compiled is None:
        compiled = _kept(_COUNTS, key, _count_sql(paths, filters, limit))
    sql, params = compiled
    return RawSQL(sql, params)  # noqa: S611 — SQL the ORM compiled, values as parameters


def _count_sql(paths: tuple[str, ...], filters: CaseFilters, limit: int) -> tuple[str, Any]:
    """Return the SQL counting the cases under ``paths`` and ``filters``, up to ``limit``."""
    in_sight = permissions.paths_q(paths)  # the units of permissions.scope_q
    units = OrgUnit.objects.filter(in_sight).values("pk")
    in_scope = Q(origin_unit__in=units) | Q(responsible_unit__in=units)  # = case_scope_q
    scoped, scoped_params = _compiled(
        _narrowed(Case.objects.filter(in_scope), filters).order_by().values("pk")[:limit]
    )
    everywhere, everywhere_params = _compiled(
        _narrowed(Case.objects.all(), filters).order_by().values("pk")[:limit]
    )
    # A root unit outside the scope: then some cases are out of sight, and the scope is tested.
    outside, outside_params = _compiled(
        OrgUnit.objects.filter(depth=1).exclude(in_sight).values("pk")[:1]
    )
    sql = (
        f"CASE WHEN EXISTS ({outside}) THEN (SELECT COUNT(*) FROM ({scoped}) AS scoped_cases)"  # noqa: S608
        f" ELSE (SELECT COUNT(*) FROM ({everywhere}) AS all_cases) END"
    )
    return sql, outside_params + scoped_params + everywhere_params


def case_get_for(*, actor: Actor, case_no: str) -> Case:
    """Return case ``case_no`` if ``actor`` may see it; ``NotFound`` otherwise (the same)."""
    case = case_list_for(actor=actor).filter(case_no=case_no).first()
    if case is None:
        raise NotFound()
    return case


@dataclass(frozen=True)
class CaseLists:
    """Whether a case has photos, ratings and cases merged into it (lists its page shows)."""

    photos: bool
    ratings: bool
    merged: bool


def case_page_get_for(*, actor: Actor, case_no: str) -> tuple[Case, CaseLists]:
    """Return ``case_get_for``'s case, and whether it has photos, ratings and merged cases.

    Many cases have none of some of them, and the case page then reads no list of them (each
    is an index look-up inside the statement that reads the case).

    The statement is the ORM's, compiled once per process for each scope (compiling it, with its
    three joins and three subqueries, took longer than the database takes to answer it), and its
    rows become instances the way the ORM makes them (``_CompiledRead``).
    """
    paths = tuple(permissions.scope_paths(actor, "case.view"))
    if not paths:  # nothing in sight: the list itself reads nothing either
        raise NotFound()
    key = (Case.objects.db, connection.vendor, paths)
    read = _CASE_PAGE_READS.get(key)
    if read is None:
        read = _kept(_CASE_PAGE_READS, key, _CompiledRead(_case_page_query(actor), _CASE_NO_MARK))
    found_cases: list[Case] = read.rows(case_no)
    if not found_cases:
        raise NotFound()
    case = found_cases[0]
    found = case.__dict__
    return case, CaseLists(
        bool(found["has_photos"]), bool(found["has_ratings"]), bool(found["has_merged"])
    )


_CASE_NO_MARK = "\x00case_no\x00"  # stands for the case number in the compiled statement


def _case_page_query(actor: Actor) -> QuerySet[Case]:
    """Return the case page's query for ``actor``'s scope, the case number left as a mark."""
    return (
        case_list_for(actor=actor)
        .filter(case_no=_CASE_NO_MARK)
        .annotate(
            has_photos=Exists(CasePhoto.objects.filter(case=OuterRef("pk"))),
            has_ratings=Exists(Rating.objects.filter(case=OuterRef("pk"))),
            has_merged=Exists(Case.objects.filter(merged_into=OuterRef("pk"))),
        )
        .order_by()[:1]  # the case number is unique: no order to compile
    )


class _CompiledRead:
    """A query compiled once, run again with another value in place of its mark.

    The instances are made as ``QuerySet`` makes them: the row's values through the backend's
    and the fields' converters, ``Model.from_db``, the related rows of ``select_related`` by
    Django's populators, the annotations set on each.
    """

    def __init__(self, query: QuerySet[Any], mark: Any) -> None:
        self.db = query.db
        self.compiler = query.query.get_compiler(using=self.db)
        sql, params = self.compiler.as_sql()  # fills select, klass_info, annotation_col_map
        self.sql = sql
        self.params = list(params)
        self.mark = self.params.index(mark)
        select, klass_info = self.compiler.select, self.compiler.klass_info
        if klass_info is None:
            raise RuntimeError("a compiled read must read instances")
        self.model: type[Model] = klass_info["model"]
        fields = klass_info["select_fields"]
        self.own = slice(fields[0], fields[-1] + 1)
        self.names = [column[0].target.attname for column in select[self.own]]
        # (Django 5's signature; the type stubs already have a later version's)
        self.populators = get_related_populators(klass_info, select, self.db)  # type: ignore[call-arg]
        self.annotations = dict(self.compiler.annotation_col_map or {})

    def rows(self, value: Any) -> list[Any]:
        """Return the instances the query reads with ``value`` in place of its mark."""
        params = list(self.params)
        params[self.mark] = value
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        found = []
        for row in self.compiler.results_iter(results=[fetched]):
            instance = self.model.from_db(self.db, self.names, row[self.own])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


_CASE_PAGE_READS: dict[tuple[Any, ...], _CompiledRead] = {}  # by database, scope (_KEPT_MAX)


def dispatcher_inbox_for(*, actor: Actor) -> QuerySet[Case]:
    """Return the cases waiting for ``actor`` as dispatcher: new, accepted, returned, or
    with an extension request to decide."""
    scope = case_permissions.case_scope_q(actor, "case.dispatch")
    waiting = Q(status__in=[CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.RETURNED])
    asking = Q(status__in=WITH_UNIT, extension_until__isnull=False)
    return (
        Case.objects.filter(scope & (waiting | asking))
        .select_related("origin_unit", "responsible_unit", "category")
        .order_by("created_at", "id")
    )


def handler_inbox_for(*, actor: Actor) -> QuerySet[Case]:
    """Return the cases ``actor``'s units hold: dispatched or in progress, soonest due first."""
    scope = case_permissions.case_scope_q(actor, "case.sign")
    return (
        Case.objects.filter(scope, status__in=WITH_UNIT)
        .select_related("origin_unit", "responsible_unit", "category")
        .order_by("deadline", "id")
    )


def supervision_list_for(*, actor: Actor) -> QuerySet[Case]:
    """Return overdue, reopened and escalated cases in ``actor``'s supervision scope."""
    scope = case_permissions.case_scope_q(actor, "case.supervise")
    watch = (
        Q(status__in=WITH_UNIT, is_overdue=True)
        | Q(status__in=OPEN_STATUSES | {CaseStatus.ANSWERED}, reopen_count__gt=0)
        | Q(status=CaseStatus.CLOSED, escalated=True)
    )
    return (
        Case.objects.filter(scope & watch)
        .select_related("origin_unit", "responsible_unit", "category")
        .order_by("deadline", "id")
    )


# The kinds of work of each inbox, as filters of its cases. The inbox pages list them and the
# staff home counts them, so a count on the home is the length of the list it links to.
DISPATCH_WORK: dict[str, Q] = {
    "new": Q(status=CaseStatus.SUBMITTED),
    "accepted": Q(status=CaseStatus.ACCEPTED),
    "returned": Q(status=CaseStatus.RETURNED),
    "extension": Q(status__in=WITH_UNIT, extension_until__isnull=False),
}
SUPERVISION_WORK: dict[str, Q] = {
    "overdue": Q(status__in=WITH_UNIT, is_overdue=True),
    "reopened": Q(reopen_count__gt=0) & ~Q(status=CaseStatus.CLOSED),
    "escalated": Q(status=CaseStatus.CLOSED, escalated=True),
}
DUE_SOON_DAYS = 1  # "due soon": today or within this many days after


def handler_work(today: dt.date) -> dict[str, Q]:
    """Return the kinds of work of the handler's inbox on ``today``, as filters of its cases."""
    overdue = Q(is_overdue=True) | Q(deadline__lt=today)
    return {
        "overdue": overdue,
        "due_soon": Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
        & ~overdue,
        "to_sign": Q(status=CaseStatus.DISPATCHED),
        "in_progress": Q(status=CaseStatus.IN_PROGRESS),
        "due_today": Q(deadline=today) & ~overdue,
    }


def _counted(cases: QuerySet[Case], kinds: dict[str, Q]) -> dict[str, int]:
    """Return how many of ``cases`` are of each kind, in one query."""
    counts = cases.order_by().aggregate(
        **{key: Count("id", filter=where) for key, where in kinds.items()}
    )
    return {key: int(value or 0) for key, value in counts.items()}


def dispatcher_work_counts(*, actor: Actor, now: dt.datetime) -> dict[str, int]:
    """Return how many cases wait for ``actor`` as dispatcher, by kind, and how many new ones
    have waited more than a day (``new_late``); one query."""
    late = DISPATCH_WORK["new"] & Q(created_at__lt=now - dt.timedelta(days=1))
    return _counted(dispatcher_inbox_for(actor=actor), {**DISPATCH_WORK, "new_late": late})


def handler_work_counts(*, actor: Actor, today: dt.date) -> dict[str, int]:
    """Return how many cases ``actor``'s units hold, by kind, and how many of those to sign are
    past their response deadline (``to_sign_late``); one query."""
    kinds = handler_work(today)
    late = kinds["to_sign"] & Q(response_deadline__lt=today)
    return _counted(handler_inbox_for(actor=actor), {**kinds, "to_sign_late": late})


def supervision_work_counts(*, actor: Actor) -> dict[str, int]:
    """Return how many cases in ``actor``'s supervision scope need watching, by kind; one query."""
    return _counted(supervision_list_for(actor=actor), SUPERVISION_WORK)


def case_events_for(*, actor: Actor, case: Case) -> QuerySet[CaseEvent]:
    """Return the whole timeline of ``case`` (which ``actor`` already may see)."""
    return case.events.select_related("actor", "unit").order_by("at", "id")


# What the case page's timeline shows of an event (not the actor's password, dates and flags).
TIMELINE_COLUMNS = (
    "case",
    "at",
    "kind",
    "note",
    "is_public",
    "data",
    "unit__name",
    "actor__username",
    "actor__person__name",
)
_CASE_ID_MARK = -7_340_291_553  # stands for the case's id in the compiled statement


def case_timeline_for(*, actor: Actor, case: Case) -> list[CaseEvent]:
    """Return ``case_events_for``'s events with the columns the case page shows of them.

    Its statement is compiled once per process (``_CompiledRead``); each event knows its case.
    """
    read = _TIMELINES.get(Case.objects.db)
    if read is None:
        query = (
            CaseEvent.objects.filter(case_id=_CASE_ID_MARK)
            .select_related("actor__person", "unit")
            .only(*TIMELINE_COLUMNS)
            .order_by("at", "id")
        )
        read = _TIMELINES[Case.objects.db] = _CompiledRead(query, _CASE_ID_MARK)
    events: list[CaseEvent] = read.rows(case.pk)
    relation = CaseEvent._meta.get_field("case")
    for event in events:
        relation.set_cached_value(event, case)
    return events


_TIMELINES: dict[str, _CompiledRead] = {}  # by database


def case_public_events(*, case: Case) -> QuerySet[CaseEvent]:
    """Return the events a submitter sees on the follow-up page: public ones, no actors."""
    return case.events.filter(is_public=True).select_related("unit").order_by("at", "id")


def category_list(*, active_only: bool = True) -> QuerySet[Category]:
    """Return the categories dispatchers choose from."""
    categories = Category.objects.all()
    return categories.filter(is_active=True) if active_only else categories


def category_choices(*, active_only: bool = True) -> list[tuple[str, str]]:
    """Return (code, shown name) of the categories of ``category_list``, in its order."""
    found = category_list(active_only=active_only).values_list("code", "name", "english_name")
    return [(code, label_of(name, english)) for code, name, english in found]


def category_labels(codes: Iterable[str]) -> dict[str, str]:
    """Return the shown name (``Category.label``) of each category of ``codes``, by code."""
    found = Category.objects.filter(code__in=list(codes))
    rows = found.values_list("code", "name", "english_name")
    return {code: label_of(name, english) for code, name, english in rows}


def case_origin_shown(*, actor: Actor | None, case: Case) -> OrgUnit:
    """Return the unit to show as a case's origin.

    An anonymous case from a small unit would point at a handful of people, so it shows the
    nearest ancestor with at least the configured number of people, except to administrators.
    """
    unit = case.origin_unit
    if not case.is_anonymous:
        return unit
    return anonymous_origins_shown(actor=actor, units=[unit])[unit.pk]


def anonymous_origins_shown(*, actor: Actor | None, units: Iterable[OrgUnit]) -> dict[int, OrgUnit]:
    """Return, by unit id, the unit an anonymous case from each of ``units`` shows as origin.

    That is the unit itself to whoever manages it; to anyone else the nearest ancestor (or the
    unit) with at least ``SMALL_UNIT_THRESHOLD`` active people, else the root. All the units'
    ancestors are read in one statement, each with whether it has that many people (an index
    look-up that stops at the threshold-th person), however many units there are.
    """
    given = {unit.pk: unit for unit in units}
    found = _anonymous_origins(actor, {pk: unit.path for pk, unit in given.items()})
    return {pk: given[pk] if unit is None else unit for pk, unit in found.items()}


def anonymous_origin_names_shown(
    *, actor: Actor | None, units: dict[int, tuple[str, str]]
) -> dict[int, str]:
    """Return, by unit id, the name of the unit an anonymous case from each of ``units`` (id →
    path and name) shows as origin: ``anonymous_origins_shown`` for rows read as values."""
    found = _anonymous_origins(actor, {pk: path for pk, (path, _name) in units.items()})
    return {pk: units[pk][1] if unit is None else unit.name for pk, unit in found.items()}


def _anonymous_origins(actor: Actor | None, paths: dict[int, str]) -> dict[int, OrgUnit | None]:
    """Return, by unit id, the unit shown for each of ``paths`` (id → path); None: the unit."""
    threshold = settings.XINSHENG["SMALL_UNIT_THRESHOLD"]
    managed = permissions.scope_paths(actor, "unit.manage") if actor is not None else []
    shown: dict[int, OrgUnit | None] = {}
    ancestry: dict[int, list[str]] = {}  # unit id → its path and its ancestors', nearest first
    for unit_id, path in paths.items():
        if threshold <= 0 or any(path.startswith(root) for root in managed):  # permissions.may
            shown[unit_id] = None
            continue
        ancestry[unit_id] = [path[:i] for i in range(len(path), 0, -OrgUnit.steplen)]
    if not ancestry:
        return shown
    # The root is shown when no unit below it has enough people: it needs no count.
    wanted = sorted({path for lineage in ancestry.values() for path in lineage})
    counted = [path for path in wanted if len(path) > OrgUnit.steplen]
    found = {
        unit.path: unit
        for unit in OrgUnit.objects.filter(path__in=wanted).annotate(
            populous=_populous(counted, threshold)
        )
    }
    for unit_id, lineage in ancestry.items():
        nearest = next((path for path in lineage if found[path].populous), lineage[-1])
        shown[unit_id] = found[nearest]
    return shown


_MARK = "PATH"  # stands for a unit's path in the compiled statement


def _populous(paths: list[str], threshold: int) -> RawSQL:
    """Return whether the unit (of ``paths``) has ``threshold`` active people or more."""
    if not paths:
        return RawSQL("%s", (False,), output_field=BooleanField())
    exists, params = _populous_exists(connection.vendor, threshold)
    prefix = connection.ops.prep_for_like_query
    path_column = (
        f"{connection.ops.quote_name(OrgUnit._meta.db_table)}.{connection.ops.quote_name('path')}"
    )
    sql = " ".join(f"WHEN {path_column} = %s THEN EXISTS ({exists})" for _path in paths)
    values: list[Any] = []
    for path in paths:
        values += [path, *(prefix(path) + "%" if p == _MARK else p for p in params)]
    return RawSQL(  # noqa: S611 — SQL the ORM compiled, values as parameters
        f"CASE {sql} ELSE %s END", (*values, False), output_field=BooleanField()
    )


@functools.lru_cache(maxsize=8)
def _populous_exists(vendor: str, threshold: int) -> tuple[str, tuple[Any, ...]]:
    """Return the SQL finding the ``threshold``-th active person under a path, compiled once
    (compiling it for every unit of a page took longer than running it)."""
    people = Person.objects.filter(unit__path__startswith=_MARK, is_active=True).order_by()
    sql, params = _compiled(people.values("pk")[threshold - 1 : threshold])
    marked = tuple(_MARK if isinstance(p, str) and p.startswith(_MARK) else p for p in params)
    if _MARK not in marked:
        raise RuntimeError("the head count's statement lost its path")
    return sql, marked


def case_submitter_shown(*, actor: Actor, case: Case) -> dict[str, str]:
    """Return the submitter's name, number, phone and e-mail as ``actor`` may see them.

    ``check`` says whether the number and name were found to be a person's of the enterprise
    (``SubmitterCheck``), and ``check_label`` says it in words; every reader of the case sees
    it, since an unconfirmed name is something to weigh, not a secret.
    """
    if case.is_anonymous:
        return {
            "name": "",
            "employee_no": "",
            "phone": "",
            "email": "",
            "check": "",
            "check_label": "",
        }
    check = SubmitterCheck(case.submitter_check)
    marks = {"check": check.value, "check_label": str(check.label) if check else ""}
    if not case_permissions.may_case(actor, "case.view_identity", case):
        name = case.submitter_name
        masked = name[:1] + "*" * max(len(name) - 1, 1)
        return {"name": masked, "employee_no": "", "phone": "", "email": "", **marks}
    phone, email = case.submitter_phone, case.submitter_email
    if not case_permissions.may_case(actor, "case.dispatch", case) and not (
        case.responsible_unit and permissions.may(actor, "case.answer", case.responsible_unit)
    ):
        phone = mask_phone(phone) if phone else ""
        email = _mask_email(email)
    return {
        "name": case.submitter_name,
        "employee_no": case.submitter_employee_no,
        "phone": phone,
        "email": email,
        **marks,
    }


def _mask_email(email: str) -> str:
    """Return ``email`` with all but the first letter of its name hidden ("" stays "")."""
    name, at, domain = email.partition("@")
    return f"{name[:1]}***{at}{domain}" if email else ""


def case_is_due_soon(case: Case, today: dt.date | None = None) -> bool:
    """Return whether ``case`` is with a unit and due within a day."""
    today = today or timezone.localdate()
    return bool(case.status in WITH_UNIT and case.deadline and case.deadline <= today)


def dispatch_unit_suggested_for(*, actor: Actor, case: Case) -> OrgUnit | None:
    """Return the unit an installed app suggests dispatching ``case`` to (``UNIT_SUGGESTIONS``).

    Only a unit ``actor`` may dispatch to (active, in sight) is suggested, and never the unit
    that has just sent the case back.
    """
    returned_by = case.responsible_unit_id if case.status == CaseStatus.RETURNED else None
    for suggest in contributions("UNIT_SUGGESTIONS"):
        unit = suggest(actor=actor, case=case)
        if unit is None or not unit.is_active or unit.pk == returned_by:
            continue
        if permissions.may(actor, "unit.view", unit):
            return unit  # type: ignore[no-any-return]
    return None


def events_of_kind(case: Case, kind: EventKind) -> QuerySet[CaseEvent]:
    return case.events.filter(kind=kind)


def case_actions_for(*, actor: Actor, case: Case) -> list[str]:
    """Return the steps ``actor`` may take on ``case`` now, in the order of the loop."""
    return [
        step.name
        for step in steps.STAFF_STEPS
        if step.open_for(case) and case_permissions.may_case(actor, step.permission, case)
    ]


@dataclass(frozen=True)
class ContributedAction:
    """A button another app adds to the case page (``CASE_ACTIONS``): its words and link."""

    label: str
    url: str


def case_contributed_actions_for(*, actor: Actor, case: Case) -> list[ContributedAction]:
    """Return what other apps offer to do with ``case`` that applies to it and ``actor`` may do.

    The permission is asked before the app's own test, so a user who may not do an action costs
    its app no query.
    """
    return [
        ContributedAction(str(entry.label), entry.url(case))
        for entry in contributions("CASE_ACTIONS")
        if permissions.may(actor, entry.action, case.origin_unit) and entry.applies(case)
    ]


def case_rating_open_for(*, via: Case) -> bool:
    """Return whether the holder of ``via``'s receipt may rate the answer they follow now.

    The case they follow must be answered in its current round, and this receipt must not have
    rated that answer yet. A follower of a merged case may rate after the first submitter did.
    """
    case = via.followed_case
    if case.answered_at is None:
        return False
    round_ = case.answer_count
    if case.ratings.filter(via_case=via, answer_round=round_).exists():
        return False
    if case.status == CaseStatus.ANSWERED:
        return True
    return case.ratings.filter(answer_round=round_).exists()


def case_photos_for(*, actor: Actor, case: Case) -> QuerySet[CasePhoto]:
    """Return the photos of ``case``, which ``actor`` was allowed to open."""
    return case.photos.order_by("id")


def case_photo_get_for(*, actor: Actor, case_no: str, photo_id: int) -> CasePhoto:
    """Return one photo of a case ``actor`` may see; ``NotFound`` otherwise."""
    case = case_get_for(actor=actor, case_no=case_no)
    photo = case.photos.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound()
    return photo


def case_ratings_for(*, actor: Actor, case: Case) -> QuerySet[Rating]:
    """Return the ratings of ``case``'s answers, oldest first."""
    return case.ratings.order_by("at", "id")


def case_merged_numbers_for(*, actor: Actor, case: Case) -> list[str]:
    """Return the numbers of the cases merged into ``case``."""
    return list(case.merged_cases.order_by("id").values_list("case_no", flat=True))


def intake_unit_get(code: str) -> OrgUnit | None:
    """Return the unit a public link names, active or not; None when no unit has that code.

    This is the one read of the public form that has no acting user; whether the unit takes
    voices is decided by ``services.intake_unit_check``.
    """
    # What ``select_related("intake").filter(code=code).first()`` reads, compiled once.
    return row_with_one_to_one(OrgUnit, "code", code, "intake")


# Spaces and the middle dots of transcribed names (阿卜杜·热合曼) are not part of a name.
_NOT_IN_NAME = re.compile(r"[\s·・•‧.]+")


def person_name_key(name: str) -> str:
    """Return ``name`` as names are compared: full-width folded, no spaces or middle dots."""
    return _NOT_IN_NAME.sub("", unicodedata.normalize("NFKC", name)).casefold()


def submitter_check_for(*, name: str, employee_no: str) -> SubmitterCheck:
    """Return whether ``employee_no`` is a person's of the enterprise and ``name`` is theirs.

    One look-up by the unique employee number (an index), made as a named voice comes in; no
    acting user, like the rest of the intake. Without a number there is nothing to check.
    """
    if not employee_no:
        return SubmitterCheck.NOT_CHECKED
    names = list(Person.objects.filter(employee_no=employee_no).values_list("name", flat=True))
    if not names:
        return SubmitterCheck.UNKNOWN_NO
    if person_name_key(names[0]) != person_name_key(name):
        return SubmitterCheck.NAME_MISMATCH
    return SubmitterCheck.VERIFIED
