"""The figures of proposals for a unit's subtree, a period and (optionally) a window.

The proposals counted are those submitted in the period (by the day they came in), with where
they stand now: collected, by category, adopted (the committee adopted them, in full or in
part), implemented (carried out and verified), their estimated savings (of those adopted) and
actual savings (of those implemented). Rewards paid are the payments made in the period, less
reversals. The adoption rate is adopted / collected, the implementation rate implemented /
adopted; proposals per 100 employees divide by the employees on file in the subtree now.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from xinsheng.core.periods import Period
from xinsheng.org.models import OrgUnit, Person
from xinsheng.org.shared_reads import SharedReads
from xinsheng.proposals.choices import ADOPTING, IMPLEMENTED_STATES
from xinsheng.proposals.models import Proposal, RewardPayment, Window

ZERO = Decimal("0")
TOP_UNITS = 5


@dataclass
class ProposalFigures:
    collected: int = 0
    adopted: int = 0
    implemented: int = 0
    estimated_savings: Decimal = ZERO
    actual_savings: Decimal = ZERO
    rewards_paid: Decimal = ZERO
    rewarded_people: int = 0
    employees: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    top_units: list[tuple[str, int]] = field(default_factory=list)

    @property
    def adoption_rate(self) -> float | None:
        return self.adopted / self.collected if self.collected else None

    @property
    def implementation_rate(self) -> float | None:
        return self.implemented / self.adopted if self.adopted else None

    @property
    def per_hundred(self) -> Decimal | None:
        if not self.employees:
            return None
        return (Decimal(self.collected) * 100 / self.employees).quantize(Decimal("0.1"))

    def as_dict(self) -> dict[str, Any]:
        """Return the figures as JSON-safe values (money as strings of yuan)."""
        data = asdict(self)
        for key in ("estimated_savings", "actual_savings", "rewards_paid"):
            data[key] = f"{data[key]:.2f}"
        data["top_units"] = [list(row) for row in self.top_units]
        data["adoption_rate"] = self.adoption_rate
        data["implementation_rate"] = self.implementation_rate
        per_hundred = self.per_hundred
        data["per_hundred"] = str(per_hundred) if per_hundred is not None else None
        return data


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def proposal_figures_of(
    unit: OrgUnit,
    period: Period,
    window: Window | None = None,
    *,
    shared: SharedReads | None = None,
) -> ProposalFigures:
    """Return the figures of ``unit``'s subtree for ``period`` (and ``window``); the headcount
    from ``shared`` when the page has it."""
    start, end = _bounds(period)
    proposals = Proposal.objects.filter(
        unit_path__startswith=unit.path, submitted_at__gte=start, submitted_at__lt=end
    )
    payments = RewardPayment.objects.filter(
        unit_path__startswith=unit.path, paid_on__gte=period.start, paid_on__lte=period.end
    )
    if window is not None:
        proposals = proposals.filter(window=window)
        payments = payments.filter(proposal__window=window)
    adopted = Q(decision__in=list(ADOPTING))
    implemented = Q(status__in=list(IMPLEMENTED_STATES))
    # One statement: the counts per category and unit, added up here into the totals, the
    # categories and the units with most proposals.
    groups = (
        proposals.order_by()
        .values_list("category", "unit__name")
        .annotate(
            collected=Count("id"),
            adopted=Count("id", filter=adopted),
            implemented=Count("id", filter=implemented),
            estimated=Sum("estimated_savings", filter=adopted),
            actual=Sum("actual_savings", filter=implemented),
        )
    )
    totals: dict[str, Any] = {"collected": 0, "adopted": 0, "implemented": 0}
    estimated: Decimal | None = None
    actual: Decimal | None = None
    categories: dict[str, int] = {}
    units: dict[str, int] = {}
    for category, unit_name, n, n_adopted, n_implemented, saved, gained in groups:
        totals["collected"] += n
        totals["adopted"] += n_adopted
        totals["implemented"] += n_implemented
        if saved is not None:
            estimated = saved if estimated is None else estimated + saved
        if gained is not None:
            actual = gained if actual is None else actual + gained
        categories[category or ""] = categories.get(category or "", 0) + n
        units[unit_name] = units.get(unit_name, 0) + n
    paid = payments.aggregate(
        total=Sum("amount"),
        people=Count("person", distinct=True, filter=Q(reverses__isnull=True)),
    )
    top = sorted(units.items(), key=lambda row: (-row[1], row[0]))[:TOP_UNITS]
    if shared is not None:
        employees = shared.headcount(unit.path)
    else:
        employees = Person.objects.filter(unit__path__startswith=unit.path, is_active=True).count()
    return ProposalFigures(
        collected=totals["collected"],
        adopted=totals["adopted"],
        implemented=totals["implemented"],
        estimated_savings=estimated or ZERO,
        actual_savings=actual or ZERO,
        rewards_paid=paid["total"] or ZERO,
        rewarded_people=paid["people"],
        employees=employees,
        # Most first, then by name (ties came in whatever order the database gave).
        by_category=dict(sorted(categories.items(), key=lambda row: (-row[1], row[0]))),
        top_units=top,
    )
