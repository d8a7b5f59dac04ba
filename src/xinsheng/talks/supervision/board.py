"""The coverage board (督导覆盖): per unit, whom the talks and visits reached, and who lags.

A row per unit — the assigned units of a supervision group, or a picked unit and the units right
below it — with its headcount, people reached, coverage, person-times, talks and visits, pairs
planned and held per tier, requests waiting, meetings held, overdue rectification items and
notices; a unit is lagging when its coverage is below ``TALK_COVERAGE_THRESHOLD`` or it has
overdue items. Every figure comes with the address of the records it counts.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from xinsheng.core.periods import Period
from xinsheng.org.models import OrgUnit
from xinsheng.talks import figures
from xinsheng.talks.figures import Reach, TierPairs
from xinsheng.talks.models import SupervisionNotice

RECORDS_URL = "/talks/"  # the records ledger: takes unit, from, to and kind


def threshold() -> float:
    """Return the coverage below which a unit is lagging (``TALK_COVERAGE_THRESHOLD``, 0.9)."""
    return float(settings.XINSHENG.get("TALK_COVERAGE_THRESHOLD", 0.9))


def records_url(unit: OrgUnit, period: Period, kind: str = "") -> str:
    """Return the records ledger filtered to ``unit``'s subtree and ``period`` (and ``kind``)."""
    query = {"unit": unit.code, "from": period.start.isoformat(), "to": period.end.isoformat()}
    if kind:
        query["kind"] = kind
    return f"{RECORDS_URL}?{urlencode(query)}"


@dataclass
class BoardRow:
    """One unit of the board and the addresses of what it counts."""

    unit: OrgUnit
    reach: Reach
    pairs: list[TierPairs]
    requests_waiting: int
    meetings: int
    overdue: int
    notices: int
    links: dict[str, str] = field(default_factory=dict)

    @property
    def pairs_planned(self) -> int:
        """Return the pairs planned in every tier."""
        return sum(tier.planned for tier in self.pairs)

    @property
    def pairs_held(self) -> int:
        """Return the pairs held in every tier."""
        return sum(tier.held for tier in self.pairs)

    @property
    def low_coverage(self) -> bool:
        """Return whether the coverage is below the threshold (a unit with nobody never is)."""
        coverage = self.reach.coverage
        return coverage is not None and coverage < threshold()

    @property
    def lagging(self) -> bool:
        """Return whether the unit lags: coverage below the threshold or items overdue."""
        return self.low_coverage or self.overdue > 0


def _notices_by_unit(units: list[OrgUnit], period: Period) -> dict[int, int]:
    notices = SupervisionNotice.objects.filter(
        created_at__date__gte=period.start, created_at__date__lte=period.end
    )
    rows = figures.summed(notices, units, path_field="unit__path", n=Count("id"))
    return {pk: row["n"] for pk, row in rows.items()}


def _links(unit: OrgUnit, period: Period) -> dict[str, str]:
    dates = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return {
        "records": records_url(unit, period),
        "talks": records_url(unit, period, "talk"),
        "visits": records_url(unit, period, "visit"),
        "meetings": f"{reverse('meetings:list')}?{urlencode({'unit': unit.code, **dates})}",
        "overdue": f"{reverse('meetings:rectifications')}?"
        + urlencode({"unit": unit.code, "overdue": "on"}),
        "notices": f"{reverse('supervision:notices')}?{urlencode({'unit': unit.code})}",
    }


def board_rows(units: list[OrgUnit], period: Period) -> list[BoardRow]:
    """Return the board's row of each of ``units`` for ``period``, in the order given."""
    reach = figures.reach_by_unit(units, period)
    pairs = figures.pairs_by_unit(units, period)
    waiting = figures.requests_waiting_by_unit(units)
    meetings = figures.meetings_by_unit(units, period)
    overdue = figures.overdue_by_unit(units)
    notices = _notices_by_unit(units, period)
    return [
        BoardRow(
            unit=unit,
            reach=reach[unit.pk],
            pairs=pairs[unit.pk],
            requests_waiting=waiting[unit.pk],
            meetings=meetings[unit.pk],
            overdue=overdue[unit.pk],
            notices=notices[unit.pk],
            links=_links(unit, period),
        )
        for unit in units
    ]


def tiers_of(rows: list[BoardRow]) -> list[str]:
    """Return the names of the tiers any row has pairs in, in the tiers' order."""
    seen: dict[str, tuple[int, int]] = {}
    for row in rows:
        for tier in row.pairs:
            seen.setdefault(tier.name, (tier.order, tier.rule_id))
    return sorted(seen, key=lambda name: seen[name])
