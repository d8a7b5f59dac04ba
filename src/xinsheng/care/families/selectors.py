"""Every read of hardship files, pairs and care visits, scoped to what the user may see.

A file belongs to the unit path of its employee as it was when written: whoever may see care
there (``care.view``, held at the unit or above) sees it, its history, pairs and visits. A file
outside the user's scope is "not found" like a missing one.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from xinsheng.care.choices import FileStatus
from xinsheng.care.models import CareVisit, FileEvent, HardshipFile, Pair, Payment
from xinsheng.care.scope import may_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.periods import QUARTER, period_of
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit

VIEW = "care.view"


def visit_months() -> int:
    """Return the months a pair may go without a visit before it is flagged."""
    return int(settings.XINSHENG.get("CARE_PAIR_VISIT_MONTHS", 3))


def months_before(day: dt.date, months: int) -> dt.date:
    """Return the day ``months`` months before ``day`` (the month's last day when shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - a month has at least 28 days


@dataclass
class FileFilters:
    """What the list of files is narrowed by; every field optional."""

    unit: OrgUnit | None = None
    tier: str = ""
    status: str = ""
    text: str = ""  # the employee's name or number
    review_overdue: bool = False
    unvisited: bool = False  # active and not visited this quarter (三不让)
    waiting: str = ""  # "review" or "approve": waiting for that step


def scoped_files(actor: Actor, action: str = VIEW) -> QuerySet[HardshipFile]:
    """Return the files at units where ``actor`` may do ``action``."""
    return HardshipFile.objects.filter(permissions.scope_q(actor, action, path_field="unit_path"))


def visited_in_quarter(today: dt.date) -> Exists:
    """Whether a file (the outer row) has a care visit in ``today``'s quarter: the 三不让 test."""
    quarter = period_of(QUARTER, today)
    return Exists(
        CareVisit.objects.filter(
            file=OuterRef("pk"), visited_on__gte=quarter.start, visited_on__lte=quarter.end
        )
    )


def file_list_for(*, actor: Actor, filters: FileFilters | None = None) -> QuerySet[HardshipFile]:
    """Return the files ``actor`` may see, narrowed by ``filters``, by unit then newest."""
    f = filters or FileFilters()
    today = timezone.localdate()
    files = scoped_files(actor)
    if f.unit is not None:
        files = files.filter(unit_path__startswith=f.unit.path)
    if f.tier:
        files = files.filter(tier=f.tier)
    if f.status:
        files = files.filter(status=f.status)
    if text := f.text.strip():
        files = files.filter(Q(person__name__icontains=text) | Q(person__employee_no=text))
    if f.review_overdue:
        files = files.filter(
            status__in=(FileStatus.APPROVED, FileStatus.ACTIVE), review_due__lt=today
        )
    if f.waiting == "review":
        files = files.filter(status=FileStatus.PROPOSED).filter(
            permissions.scope_q(actor, "care.review", path_field="unit_path")
        )
    elif f.waiting == "approve":
        files = files.filter(status=FileStatus.REVIEWED).filter(
            permissions.scope_q(actor, "care.approve", path_field="unit_path")
        )
    files = files.annotate(visited_quarter=visited_in_quarter(today))
    if f.unvisited:
        files = files.filter(status=FileStatus.ACTIVE, visited_quarter=False)
    return files.select_related("person", "person__unit").order_by("unit_path", "-id")


def file_get_for(*, actor: Actor, file_id: int, action: str = VIEW) -> HardshipFile:
    """Return file ``file_id`` if ``actor`` may do ``action`` to it; ``NotFound`` otherwise."""
    file = (
        scoped_files(actor, VIEW)
        .select_related("person", "person__unit", "proposed_by")
        .filter(pk=file_id)
        .first()
    )
    if file is None or (action != VIEW and not may_at_path(actor, action, file.unit_path)):
        raise NotFound()
    return file


def file_events_for(*, actor: Actor, file: HardshipFile) -> QuerySet[FileEvent]:
    """Return a file's history, oldest first."""
    return file.events.select_related("actor").order_by("at", "id")


def pairs_for(*, actor: Actor, file: HardshipFile) -> QuerySet[Pair]:
    """Return a file's pairs, running first, with the day each was last visited."""
    return (
        _with_last_visit(file.pairs.all())
        .select_related("cadre", "cadre__unit")
        .order_by(Coalesce("ends_on", dt.date.max), "starts_on", "id")
    )


def visits_for(*, actor: Actor, file: HardshipFile) -> list[CareVisit]:
    """Return a file's visits, newest first, with their visitors and money."""
    return list(file.visits.prefetch_related("visitors", "payments").order_by("-visited_on", "-id"))


def pair_get_for(*, actor: Actor, pair_id: int, action: str = VIEW) -> Pair:
    """Return pair ``pair_id`` if ``actor`` may do ``action`` to its file, else ``NotFound``."""
    pair = (
        Pair.objects.filter(permissions.scope_q(actor, VIEW, path_field="file__unit_path"))
        .select_related("file", "cadre", "file__person")
        .filter(pk=pair_id)
        .first()
    )
    if pair is None or (action != VIEW and not may_at_path(actor, action, pair.file.unit_path)):
        raise NotFound()
    return pair


def _with_last_visit(pairs: QuerySet[Pair]) -> QuerySet[Pair]:
    last = (
        CareVisit.objects.filter(file=OuterRef("file"), visitors=OuterRef("cadre"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    return pairs.annotate(last_visit=Subquery(last))


def pairs_overdue_for(
    *, actor: Actor, unit: OrgUnit | None = None, today: dt.date | None = None
) -> QuerySet[Pair]:
    """Return the running pairs whose cadre has not visited for the set number of months.

    A pair never visited counts from the day it started.
    """
    today = today or timezone.localdate()
    since = months_before(today, visit_months())
    pairs = Pair.objects.filter(
        permissions.scope_q(actor, VIEW, path_field="file__unit_path"),
        ends_on__isnull=True,
        file__status=FileStatus.ACTIVE,
    )
    if unit is not None:
        pairs = pairs.filter(file__unit_path__startswith=unit.path)
    return (
        _with_last_visit(pairs)
        .filter(Q(last_visit__lt=since) | Q(last_visit__isnull=True, starts_on__lt=since))
        .select_related("cadre", "file__person")
        .order_by("file__unit_path", "id")
    )


@dataclass(frozen=True)
class Unvisited:
    """The 三不让 indicator of hardship families: those on file not visited this quarter."""

    count: int
    families: list[HardshipFile]
    quarter_start: dt.date
    quarter_end: dt.date
    target: int = 0


def unvisited_this_quarter(
    *, actor: Actor, unit: OrgUnit | None = None, today: dt.date | None = None, limit: int = 200
) -> Unvisited:
    """Return the active hardship families of ``unit``'s subtree (within the user's scope) with
    no care visit this quarter: how many, and the first ``limit`` of them."""
    today = today or timezone.localdate()
    quarter = period_of(QUARTER, today)
    files = file_list_for(
        actor=actor, filters=FileFilters(unit=unit, status=FileStatus.ACTIVE, unvisited=True)
    )
    families = list(files[:limit])
    count = len(families) if len(families) < limit else files.count()
    return Unvisited(count, families, quarter.start, quarter.end)


def file_may(actor: Actor, file: HardshipFile) -> dict[str, bool]:
    """Return what ``actor`` may do to ``file`` now, for the page's buttons."""
    open_ = file.status != FileStatus.CLOSED
    at = file.unit_path
    return {
        "review": file.status == FileStatus.PROPOSED and may_at_path(actor, "care.review", at),
        "approve": file.status == FileStatus.REVIEWED and may_at_path(actor, "care.approve", at),
        "refuse": (
            (file.status == FileStatus.PROPOSED and may_at_path(actor, "care.review", at))
            or (file.status == FileStatus.REVIEWED and may_at_path(actor, "care.approve", at))
        ),
        "yearly": file.status in (FileStatus.APPROVED, FileStatus.ACTIVE)
        and may_at_path(actor, "care.review", at),
        "close": open_ and may_at_path(actor, "care.review", at),
        "pair": file.status in (FileStatus.APPROVED, FileStatus.ACTIVE)
        and may_at_path(actor, "care.manage", at),
        "visit": file.status == FileStatus.ACTIVE and may_at_path(actor, "care.visit", at),
        "sensitive": may_at_path(actor, "care.view_sensitive", at),
    }


def visit_money(visits: list[CareVisit]) -> dict[str, Any]:
    """Return the money of ``visits``: total from funds and from cadres' own pockets."""
    fund = personal = Decimal("0")
    for visit in visits:
        for payment in visit.payments.all():
            if payment.source == "fund":
                fund += payment.amount
            else:
                personal += payment.amount
    return {"fund": fund, "personal": personal}


def waiting_counts(actor: Actor) -> dict[str, int]:
    """Return how many files wait for ``actor``'s review and approval (one query)."""
    review_q = permissions.scope_q(actor, "care.review", path_field="unit_path")
    approve_q = permissions.scope_q(actor, "care.approve", path_field="unit_path")
    counts = HardshipFile.objects.filter(
        Q(status=FileStatus.PROPOSED) & review_q | Q(status=FileStatus.REVIEWED) & approve_q
    ).aggregate(
        review=Count("id", filter=Q(status=FileStatus.PROPOSED)),
        approve=Count("id", filter=Q(status=FileStatus.REVIEWED)),
    )
    return {"review": counts["review"] or 0, "approve": counts["approve"] or 0}


def personal_money_total(*, actor: Actor, unit: OrgUnit | None = None) -> Any:
    """Return the cadres' own money handed over at visits in scope (net of reversals)."""
    payments = Payment.objects.filter(
        permissions.scope_q(actor, VIEW, path_field="unit_path"),
        source="personal",
        visit__isnull=False,
    )
    if unit is not None:
        payments = payments.filter(unit_path__startswith=unit.path)
    return payments.aggregate(total=Sum("amount"))["total"] or 0
