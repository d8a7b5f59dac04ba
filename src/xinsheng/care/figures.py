"""The figures of assistance for a unit subtree and a period: families on file by tier, pairs and
cadres, care visits, money by programme and source, students aided, relief cases, distributions
delivered and sanatorium stays by kind (for the dashboard, the briefing, ``xinsheng rates`` and
the figures API, which have checked the reader's scope: no actor here).

Every figure is an aggregate query straight on the rows, read through the unit path each row
repeats (``unit_path__startswith``); money is read through the covering indexes of ``Payment``
(``(unit_path, paid_on)`` for a subtree, ``(programme, paid_on)`` for one programme), reversals
included so that every sum is net. Definitions: docs/metrics.md, "Assistance (帮扶)".
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from xinsheng.care.applications.figures import Paid
from xinsheng.care.choices import (
    FileStatus,
    MoneySource,
    NominationStatus,
    ProgrammeKind,
    Tier,
)
from xinsheng.care.models import (
    ZERO,
    CareVisit,
    DistributionRecipient,
    HardshipFile,
    Nomination,
    Pair,
    Payment,
    Programme,
    ProgrammeTally,
    SanatoriumBatch,
)
from xinsheng.care.scope import in_subtree
from xinsheng.core.periods import QUARTER, Period, period_of
from xinsheng.core.plain_sql import column, day, fetch, prefix, starts_with, table
from xinsheng.org.models import OrgUnit


def yuan(amount: Decimal) -> str:
    """Return an amount of yuan as the API and ``xinsheng rates`` write it: ``"25600.00"``."""
    return f"{amount:.2f}"


@dataclass(frozen=True)
class ProgrammePaid:
    """What one programme paid in the subtree and the period, reversals deducted."""

    programme_id: int
    kind: str
    title: str
    year: int
    people: int
    fund: Decimal
    personal: Decimal

    @property
    def amount(self) -> Decimal:
        return self.fund + self.personal

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme_id": self.programme_id,
            "kind": self.kind,
            "title": self.title,
            "year": self.year,
            "people": self.people,
            "amount": yuan(self.amount),
            "fund": yuan(self.fund),
            "personal": yuan(self.personal),
        }


@dataclass(frozen=True)
class CareFigures:
    """The figures of assistance of one subtree over one period."""

    unit_path: str
    start: dt.date
    end: dt.date
    families_by_tier: dict[str, int]
    pairs: int
    cadres: int
    families_paired: int
    visits: int
    families_visited: int
    programmes: list[ProgrammePaid]
    students: Paid
    relief: Paid
    distributions_delivered: int
    distributions_value: Decimal
    batches_by_kind: dict[str, int] = field(default_factory=dict)
    sanatorium_by_kind: dict[str, int] = field(default_factory=dict)
    # The active files not visited in the quarter of a day (the pledge's first indicator), when
    # asked for with the figures (``care_figures(unvisited_on=…)``); not a figure of the period.
    unvisited_families: int | None = field(default=None, compare=False)

    @property
    def families(self) -> int:
        return sum(self.families_by_tier.values())

    @property
    def fund_money(self) -> Decimal:
        return sum((row.fund for row in self.programmes), ZERO)

    @property
    def personal_money(self) -> Decimal:
        return sum((row.personal for row in self.programmes), ZERO)

    @property
    def money(self) -> Decimal:
        return self.fund_money + self.personal_money

    @property
    def people_paid(self) -> int:
        return sum(row.people for row in self.programmes)

    @property
    def sanatorium_people(self) -> int:
        return sum(self.sanatorium_by_kind.values())

    @property
    def batches(self) -> int:
        return sum(self.batches_by_kind.values())

    def as_dict(self) -> dict[str, Any]:
        """Return the figures JSON-safe: counts as numbers, amounts as strings of yuan."""
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "families": self.families,
            "families_by_tier": dict(self.families_by_tier),
            "pairs": self.pairs,
            "cadres": self.cadres,
            "families_paired": self.families_paired,
            "visits": self.visits,
            "families_visited": self.families_visited,
            "programmes": [row.as_dict() for row in self.programmes],
            "money": {
                "total": yuan(self.money),
                "fund": yuan(self.fund_money),
                "personal": yuan(self.personal_money),
            },
            "students_aided": self.students.people,
            "student_aid": yuan(self.students.amount),
            "relief_cases": self.relief.people,
            "relief": yuan(self.relief.amount),
            "distributions_delivered": self.distributions_delivered,
            "distributions_value": yuan(self.distributions_value),
            "sanatorium_batches": self.batches,
            "sanatorium_batches_by_kind": dict(self.batches_by_kind),
            "sanatorium_people": self.sanatorium_people,
            "sanatorium_people_by_kind": dict(self.sanatorium_by_kind),
        }


# --- one figure each -----------------------------------------------------------------------------


def families_by_tier(unit_path: str) -> dict[str, int]:
    """Return the active files (帮扶中) under ``unit_path`` by tier, every tier present."""
    return families_on_file(unit_path)[0]


def families_on_file(
    unit_path: str, unvisited_on: dt.date | None = None
) -> tuple[dict[str, int], int]:
    """Return the active files under ``unit_path`` by tier (every tier present) and, with
    ``unvisited_on``, how many of them had no care visit in that day's quarter (as
    ``pledge.unvisited_families`` counts them; else 0), in one statement (written out: the
    dashboard asks on every visit)."""
    tier = column(HardshipFile, "tier", "f")
    unvisited_sql, params = "0", []
    if unvisited_on is not None:
        quarter = period_of(QUARTER, unvisited_on)
        visited_on = column(CareVisit, "visited_on", "cv")
        # As ``families.selectors.visited_in_quarter`` tests it.
        unvisited_sql = (
            f"COUNT(CASE WHEN NOT EXISTS (SELECT 1 FROM {table(CareVisit)} cv "  # noqa: S608 - our names
            f"WHERE {column(CareVisit, 'file', 'cv')} = {column(HardshipFile, 'id', 'f')} "
            f"AND {visited_on} >= %s AND {visited_on} <= %s) THEN 1 END)"
        )
        params = [day(quarter.start), day(quarter.end)]
    rows = fetch(
        f"SELECT {tier}, COUNT(*), {unvisited_sql} FROM {table(HardshipFile)} f "  # noqa: S608 - our names
        f"WHERE {column(HardshipFile, 'status', 'f')} = %s "
        f"AND {starts_with(column(HardshipFile, 'unit_path', 'f'))} GROUP BY {tier}",
        [*params, FileStatus.ACTIVE.value, prefix(unit_path)],
    )
    by_tier: dict[str, int] = {}
    unvisited = 0
    for found_tier, n, not_visited in rows:
        by_tier[found_tier] = n
        unvisited += not_visited
    return {tier: by_tier.get(tier, 0) for tier in Tier.values}, unvisited


def pairs_running(unit_path: str, start: dt.date, end: dt.date) -> tuple[int, int, int]:
    """Return the pairs with a family under ``unit_path`` running on some day of the period,
    the distinct cadres in them and the distinct families they pair with."""
    ends_on = column(Pair, "ends_on", "p")
    pairs, cadres, families = fetch(
        f"SELECT COUNT(*), COUNT(DISTINCT {column(Pair, 'cadre', 'p')}), "  # noqa: S608 - our names
        f"COUNT(DISTINCT {column(Pair, 'file', 'p')}) "
        f"FROM {table(Pair)} p INNER JOIN {table(HardshipFile)} f "
        f"ON {column(Pair, 'file', 'p')} = {column(HardshipFile, 'id', 'f')} "
        f"WHERE ({ends_on} IS NULL OR {ends_on} >= %s) "
        f"AND {starts_with(column(HardshipFile, 'unit_path', 'f'))} "
        f"AND {column(Pair, 'starts_on', 'p')} <= %s",
        [day(start), prefix(unit_path), day(end)],
    )[0]
    return pairs, cadres, families


def visits_made(unit_path: str, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Return the care visits under ``unit_path`` in the period and the families visited."""
    path, visited_on = column(CareVisit, "unit_path"), column(CareVisit, "visited_on")
    # As ``scope.in_subtree`` bounds it: the prefix, and the range when there is one.
    bounds = in_subtree(unit_path)
    where, params = starts_with(path), [prefix(unit_path)]
    if "unit_path__gte" in bounds:
        where += f" AND {path} >= %s AND {path} < %s"
        params += [bounds["unit_path__gte"], bounds["unit_path__lt"]]
    visits, families = fetch(
        f"SELECT COUNT(*), COUNT(DISTINCT {column(CareVisit, 'file')}) "  # noqa: S608 - our names
        f"FROM {table(CareVisit)} WHERE {where} AND {visited_on} >= %s AND {visited_on} <= %s",
        [*params, day(start), day(end)],
    )[0]
    return visits, families


def paid_in_subtree(
    unit_path: str, start: dt.date, end: dt.date
) -> tuple[list[ProgrammePaid], dict[str, Paid]]:
    """Return what each programme paid under ``unit_path`` in the period, by source, and the
    people aided and amount by kind of programme (``applications.figures.paid_by_kind``), from
    one pass over the entries: a person counts when what they were paid by a programme (or by
    the programmes of a kind) still stands after reversals."""
    fund, personal = Q(source=MoneySource.FUND), Q(source=MoneySource.PERSONAL)
    # The programme's kind, title and year come along (grouped by them too, as each programme
    # has one of each): one statement, not a second one for the programmes.
    rows = (
        Payment.objects.filter(**in_subtree(unit_path), paid_on__gte=start, paid_on__lte=end)
        .order_by()
        .values_list(
            "programme_id",
            "person_id",
            "programme__kind",
            "programme__title",
            "programme__year",
        )
        .annotate(fund=Sum("amount", filter=fund), personal=Sum("amount", filter=personal))
    )
    money: dict[int, list[Decimal]] = {}
    people: dict[int, int] = {}
    per_person: dict[tuple[int, int], Decimal] = {}
    programmes: dict[int, tuple[str, str, int]] = {}
    for programme_id, person_id, kind, title, year, fund_total, personal_total in rows:
        programmes[programme_id] = (kind, title, year)
        sums = money.setdefault(programme_id, [ZERO, ZERO])
        sums[0] += fund_total or ZERO
        sums[1] += personal_total or ZERO
        total = (fund_total or ZERO) + (personal_total or ZERO)
        per_person[(programme_id, person_id)] = total
        if total > 0:
            people[programme_id] = people.get(programme_id, 0) + 1
    kinds: dict[int, str] = {}
    found = []
    for programme_id, (kind, title, year) in programmes.items():
        kinds[programme_id] = kind
        found.append(
            ProgrammePaid(
                programme_id=programme_id,
                kind=kind,
                title=title,
                year=year,
                people=people.get(programme_id, 0),
                fund=money[programme_id][0],
                personal=money[programme_id][1],
            )
        )
    by_kind_person: dict[tuple[str, int], Decimal] = {}
    for (programme_id, person_id), total in per_person.items():
        key = (kinds[programme_id], person_id)
        by_kind_person[key] = by_kind_person.get(key, ZERO) + total
    amounts: dict[str, Decimal] = {}
    aided: dict[str, int] = {}
    for row in found:
        amounts[row.kind] = amounts.get(row.kind, ZERO) + row.amount
    for (kind, _person), total in by_kind_person.items():
        if total > 0:
            aided[kind] = aided.get(kind, 0) + 1
    by_kind = {kind: Paid(aided.get(kind, 0), amount) for kind, amount in amounts.items()}
    found.sort(key=lambda row: (row.kind, -row.year, row.title, row.programme_id))
    return found, by_kind


def paid_by_programme(unit_path: str, start: dt.date, end: dt.date) -> list[ProgrammePaid]:
    """Return what each programme paid under ``unit_path`` in the period, by source."""
    return paid_in_subtree(unit_path, start, end)[0]


def programme_paid(programme: Programme, start: dt.date, end: dt.date) -> ProgrammePaid:
    """Return what ``programme`` paid (everywhere) in the period: people and money by source.

    When the period holds every entry of the programme (its figures for its year, the usual
    question), the answer is its tally (``ProgrammeTally``), kept as each entry is appended;
    otherwise one pass over the entries of the period, grouped by person in the database."""
    tally = ProgrammeTally.objects.filter(programme=programme).first()
    if tally is not None and (
        tally.first_paid_on is None
        or (
            tally.last_paid_on is not None
            and start <= tally.first_paid_on
            and tally.last_paid_on <= end
        )
    ):
        return ProgrammePaid(
            programme.pk,
            programme.kind,
            programme.title,
            programme.year,
            tally.people,
            tally.fund,
            tally.personal,
        )
    return programme_paid_counted(programme, start, end)


def programme_paid_counted(programme: Programme, start: dt.date, end: dt.date) -> ProgrammePaid:
    """Return what ``programme`` paid in the period, summed from its entries in one pass: per
    person by source, then the people whose net total is above zero, all in the database."""
    fund, personal = Q(source=MoneySource.FUND), Q(source=MoneySource.PERSONAL)
    per_person = (
        Payment.objects.filter(programme=programme, paid_on__gte=start, paid_on__lte=end)
        .order_by()
        .values("person_id")
        .annotate(
            fund=Coalesce(Sum("amount", filter=fund), ZERO),
            personal=Coalesce(Sum("amount", filter=personal), ZERO),
        )
        .annotate(total=F("fund") + F("personal"))
    )
    found = per_person.aggregate(
        fund_total=Sum("fund"),
        personal_total=Sum("personal"),
        people=Count("person_id", filter=Q(total__gt=0)),
    )
    return ProgrammePaid(
        programme.pk,
        programme.kind,
        programme.title,
        programme.year,
        found["people"] or 0,
        found["fund_total"] or ZERO,
        found["personal_total"] or ZERO,
    )


def distributions_delivered(unit_path: str, start: dt.date, end: dt.date) -> tuple[int, Decimal]:
    """Return the gifts of distributions delivered under ``unit_path`` in the period, and their
    value."""
    found = DistributionRecipient.objects.filter(
        unit_path__startswith=unit_path, delivered_on__gte=start, delivered_on__lte=end
    ).aggregate(n=Count("id"), value=Sum("value"))
    return found["n"], found["value"] or ZERO


def sanatorium_attended(
    unit_path: str, start: dt.date, end: dt.date
) -> tuple[dict[str, int], dict[str, int]]:
    """Return, by kind of stay, the batches that began in the period with someone from
    ``unit_path`` attending, and the people from there who attended them."""
    kind, starts_on = (
        column(SanatoriumBatch, "kind", "b"),
        column(SanatoriumBatch, "starts_on", "b"),
    )
    rows = fetch(
        f"SELECT {kind}, COUNT(DISTINCT {column(Nomination, 'batch', 'n')}), COUNT(*) "  # noqa: S608 - our names
        f"FROM {table(Nomination)} n INNER JOIN {table(SanatoriumBatch)} b "
        f"ON {column(Nomination, 'batch', 'n')} = {column(SanatoriumBatch, 'id', 'b')} "
        f"WHERE {starts_with(column(Nomination, 'unit_path', 'n'))} "
        f"AND {column(Nomination, 'status', 'n')} = %s "
        f"AND {starts_on} >= %s AND {starts_on} <= %s GROUP BY {kind}",
        [prefix(unit_path), NominationStatus.ATTENDED.value, day(start), day(end)],
    )
    batches: dict[str, int] = {}
    people: dict[str, int] = {}
    for batch_kind, batch_count, person_count in rows:
        batches[batch_kind] = batch_count
        people[batch_kind] = person_count
    return batches, people


# --- all of them ---------------------------------------------------------------------------------


def care_figures(
    unit_path: str, start: dt.date, end: dt.date, *, unvisited_on: dt.date | None = None
) -> CareFigures:
    """Return every figure of assistance under ``unit_path`` from ``start`` to ``end`` (and the
    families unvisited in the quarter of ``unvisited_on``, when given)."""
    tiers, unvisited = families_on_file(unit_path, unvisited_on)
    pairs, cadres, paired = pairs_running(unit_path, start, end)
    visits, visited = visits_made(unit_path, start, end)
    programmes, by_kind = paid_in_subtree(unit_path, start, end)
    delivered, value = distributions_delivered(unit_path, start, end)
    batches, people = sanatorium_attended(unit_path, start, end)
    return CareFigures(
        unit_path=unit_path,
        start=start,
        end=end,
        families_by_tier=tiers,
        pairs=pairs,
        cadres=cadres,
        families_paired=paired,
        visits=visits,
        families_visited=visited,
        programmes=programmes,
        students=by_kind.get(ProgrammeKind.STUDENT_AID, Paid(0, ZERO)),
        relief=by_kind.get(ProgrammeKind.ILLNESS_RELIEF, Paid(0, ZERO)),
        distributions_delivered=delivered,
        distributions_value=value,
        batches_by_kind=batches,
        sanatorium_by_kind=people,
        unvisited_families=unvisited if unvisited_on is not None else None,
    )


def care_figures_of(
    unit: OrgUnit, period: Period, *, unvisited_on: dt.date | None = None
) -> CareFigures:
    return care_figures(unit.path, period.start, period.end, unvisited_on=unvisited_on)
