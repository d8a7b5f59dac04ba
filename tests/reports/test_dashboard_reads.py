"""The dashboard's statements written out (``core.plain_sql``) count what the ORM's count.

Each written-out read is compared, on the demo enterprise, for the group, a company and a team
and for periods of every kind, with the ORM query it replaced (kept here as the reference) or
with the same function's ORM path (several units at once). A mistake in a condition, a join or
a parameter shows as a different number.
"""

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from pytest_django.fixtures import Settings

from xinsheng.care import figures as care_figures
from xinsheng.care import pledge
from xinsheng.care.choices import FileStatus, NominationStatus, Tier
from xinsheng.care.families.selectors import visited_in_quarter
from xinsheng.care.models import CareVisit, HardshipFile, Nomination, Pair
from xinsheng.care.scope import in_subtree as care_in_subtree
from xinsheng.cases.models import Case, Category, label_of
from xinsheng.core.periods import (
    DAY,
    MONTH,
    QUARTER,
    YEAR,
    Period,
    period_between,
    period_of,
    period_to_date,
)
from xinsheng.engage.quizzes.figures import quiz_figures_of
from xinsheng.engage.quizzes.models import Attempt
from xinsheng.org import demo as org_demo
from xinsheng.org.models import OrgUnit, Person, in_subtree
from xinsheng.projects import selectors as project_selectors
from xinsheng.projects.models import Project
from xinsheng.reports import metrics, subtree_reads
from xinsheng.reports.models import Dimension, SubtreeBreakdown, SubtreeFigures
from xinsheng.talks import aggregates
from xinsheng.talks import figures as talk_figures
from xinsheng.talks.choices import RequestStatus, TalkKind
from xinsheng.talks.models import (
    Meeting,
    Rectification,
    TalkFiguresState,
    TalkRecord,
    TalkRequest,
    TalkVoice,
)


@pytest.fixture
def demo(db: None, settings: Settings) -> OrgUnit:
    settings.XINSHENG = {**settings.XINSHENG, "DEMO_CASES": 300}
    call_command("demo", stdout=StringIO())
    return org_demo.demo_group()


def _units(group: OrgUnit) -> list[OrgUnit]:
    company = metrics.children_of(group)[0]
    team = OrgUnit.objects.filter(path__startswith=company.path).order_by("-depth", "path")[0]
    return [group, company, team]


def _periods() -> list[Period]:
    today = timezone.localdate()
    return [
        period_to_date(period_of(YEAR, today), today),
        period_of(YEAR, today).previous(),
        period_of(QUARTER, today - dt.timedelta(days=100)),
        period_of(MONTH, today - dt.timedelta(days=40)),
        period_of(DAY, today - dt.timedelta(days=20)),
        period_between(today - dt.timedelta(days=400), today - dt.timedelta(days=3)),
    ]


# --- the references: the ORM queries the statements replaced ----------------------------------


def _voices(unit: OrgUnit, period: Period) -> talk_figures.Voices:
    links = TalkVoice.objects.filter(
        record__unit_path__startswith=unit.path,
        record__held_on__gte=period.start,
        record__held_on__lte=period.end,
    )
    kinds = links.aggregate(
        talks=Count("case_id", distinct=True, filter=Q(record__kind=TalkKind.TALK)),
        visits=Count("case_id", distinct=True, filter=Q(record__kind__in=talk_figures.VISIT_KINDS)),
    )
    meeting_cases = Meeting.cases.through.objects.filter(
        meeting__unit_path__startswith=unit.path,
        meeting__held_on__gte=period.start,
        meeting__held_on__lte=period.end,
    )
    linked = links.values("case_id").union(meeting_cases.values("case_id"))
    totals = Case.objects.filter(pk__in=linked).aggregate(
        raised=Count("id"),
        solved=Count("id", filter=talk_figures.solved_q()),
        by_meetings=Count("id", filter=Q(pk__in=meeting_cases.values("case_id"))),
    )
    return talk_figures.Voices(
        kinds["talks"], kinds["visits"], totals["by_meetings"], totals["raised"], totals["solved"]
    )


def _rectifications(unit: OrgUnit, period: Period, today: dt.date) -> tuple[int, int, int]:
    totals = (
        Rectification.objects.filter(unit_path__startswith=unit.path)
        .filter(
            Q(meeting__held_on__gte=period.start, meeting__held_on__lte=period.end)
            | Q(inspection__held_on__gte=period.start, inspection__held_on__lte=period.end)
        )
        .aggregate(
            raised=Count("id"),
            done=Count("id", filter=Q(done_on__isnull=False)),
            overdue=Count("id", filter=Q(done_on__isnull=True, due_on__lt=today)),
        )
    )
    return totals["raised"], totals["done"], totals["overdue"]


def _requests(unit: OrgUnit, period: Period) -> tuple[int, int, int]:
    made = Q(created_at__date__gte=period.start, created_at__date__lte=period.end)
    counted = TalkRequest.objects.filter(unit_path__startswith=unit.path).aggregate(
        n=Count("id", filter=made),
        held=Count("id", filter=made & Q(status=RequestStatus.HELD)),
        waiting=Count("id", filter=Q(status__in=talk_figures.WAITING)),
    )
    return counted["n"], counted["held"], counted["waiting"]


def _meetings(unit: OrgUnit, period: Period) -> dict[str, int]:
    return dict(
        Meeting.objects.filter(
            unit_path__startswith=unit.path, held_on__gte=period.start, held_on__lte=period.end
        )
        .order_by()
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )


def _families(unit: OrgUnit, day: dt.date) -> tuple[dict[str, int], int]:
    rows = (
        HardshipFile.objects.filter(status=FileStatus.ACTIVE, unit_path__startswith=unit.path)
        .order_by()
        .values("tier")
        .annotate(n=Count("id"), unvisited=Count("id", filter=~Q(visited_in_quarter(day))))
    )
    by_tier = {row["tier"]: row["n"] for row in rows}
    return {tier: by_tier.get(tier, 0) for tier in Tier.values}, sum(
        row["unvisited"] for row in rows
    )


def _care(unit: OrgUnit, period: Period) -> dict[str, Any]:
    start, end = period.start, period.end
    pairs = Pair.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start),
        file__unit_path__startswith=unit.path,
        starts_on__lte=end,
    ).aggregate(
        pairs=Count("id"),
        cadres=Count("cadre_id", distinct=True),
        families=Count("file_id", distinct=True),
    )
    visits = CareVisit.objects.filter(
        **care_in_subtree(unit.path), visited_on__gte=start, visited_on__lte=end
    ).aggregate(visits=Count("id"), families=Count("file_id", distinct=True))
    stays = (
        Nomination.objects.filter(
            unit_path__startswith=unit.path,
            status=NominationStatus.ATTENDED,
            batch__starts_on__gte=start,
            batch__starts_on__lte=end,
        )
        .order_by()
        .values_list("batch__kind")
        .annotate(batches=Count("batch_id", distinct=True), people=Count("id"))
    )
    return {
        "pairs": (pairs["pairs"], pairs["cadres"], pairs["families"]),
        "visits": (visits["visits"], visits["families"]),
        "stays": ({kind: b for kind, b, _ in stays}, {kind: p for kind, _, p in stays}),
    }


def _quiz(unit: OrgUnit, period: Period) -> tuple[int, int, float | None]:
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    found = Attempt.objects.filter(
        unit_path__startswith=unit.path, submitted_at__gte=start, submitted_at__lt=end
    ).aggregate(n=Count("id"), people=Count("person_id", distinct=True), avg=Avg("score"))
    return found["n"], found["people"], None if found["avg"] is None else float(found["avg"])


def _breakdowns(unit: OrgUnit, period: Period) -> dict[tuple[str, str], int]:
    rows = (
        SubtreeBreakdown.objects.filter(metrics._period_q(period), unit=unit)
        .order_by()
        .values_list("dimension", "key")
        .annotate(n=Sum("cases"))
    )
    return {(dimension, key): n for dimension, key, n in rows}


def _people(unit: OrgUnit) -> dict[str, int]:
    length = len(unit.path) + OrgUnit.steplen
    return dict(
        Person.objects.filter(**in_subtree(unit.path, via="unit"), is_active=True)
        .annotate(prefix=Substr("unit__path", 1, length))
        .order_by()
        .values("prefix")
        .annotate(n=Count("id"))
        .values_list("prefix", "n")
    )


# --- the comparisons --------------------------------------------------------------------------


def test_the_written_out_statements_count_what_the_orm_counts(demo: OrgUnit) -> None:
    today = timezone.localdate()
    units = _units(demo)
    seen: dict[str, int] = {}

    def counted(name: str, value: Any) -> None:
        seen[name] = seen.get(name, 0) + bool(value)

    categories = Category.objects.values_list("pk", "name", "english_name")
    labels = {str(pk): label_of(name, english) for pk, name, english in categories}
    assert {key: label for key, label in metrics.category_labels().items() if key} == labels
    for unit in units:
        other = OrgUnit.objects.exclude(pk=unit.pk).filter(depth=unit.depth).first()
        together = [unit, other] if other is not None else [unit]
        assert metrics.overdue_now(unit) == metrics.overdue_cases(unit).count()
        assert subtree_reads.people_by_child(unit, len(unit.path) + OrgUnit.steplen) == _people(
            unit
        )
        counted("people", _people(unit))
        assert care_figures.families_on_file(unit.path, today) == _families(unit, today)
        assert care_figures.families_on_file(unit.path) == (_families(unit, today)[0], 0)
        counted("families", _families(unit, today)[1])
        assert pledge.students_not_aided_count(unit, today.year) == len(
            pledge.students_not_aided(unit, today.year)
        )
        for period in _periods():
            voices = talk_figures.voices_of(unit, period)
            assert voices == _voices(unit, period), (unit.code, period)
            counted("voices", voices.raised)
            items = talk_figures.rectifications_of(unit, period, today)
            assert (items.raised, items.done, items.overdue) == _rectifications(unit, period, today)
            counted("rectifications", items.raised)
            asked = talk_figures.requests_of(unit, period)
            assert (asked.received, asked.held, asked.waiting) == _requests(unit, period)
            counted("requests", asked.received)
            figures = talk_figures.talk_figures_of(unit, period)
            assert {k: v for k, v in figures.meetings.items() if v} == _meetings(unit, period)
            # One unit is read through the statements written out, several through the ORM.
            assert (
                talk_figures.counted_raw([unit], period)[unit.pk]
                == (talk_figures.counted_raw(together, period)[unit.pk])
            )
            assert (
                talk_figures.counted_by_unit([unit], period)[unit.pk]
                == (talk_figures.counted_by_unit(together, period)[unit.pk])
            )
            assert (
                talk_figures.pairs_by_unit([unit], period)[unit.pk]
                == (talk_figures.pairs_by_unit(together, period)[unit.pk])
            )
            counted("reach", talk_figures.counted_raw([unit], period)[unit.pk]["people"])
            counted("pairs", talk_figures.pairs_by_unit([unit], period)[unit.pk])
            care = _care(unit, period)
            assert care_figures.pairs_running(unit.path, period.start, period.end) == care["pairs"]
            assert care_figures.visits_made(unit.path, period.start, period.end) == care["visits"]
            assert (
                care_figures.sanatorium_attended(unit.path, period.start, period.end)
                == care["stays"]
            )
            counted("care visits", care["visits"][0])
            quiz = quiz_figures_of(unit, period)
            assert (quiz.attempts, quiz.people, quiz.average_score) == _quiz(unit, period)
            counted("quiz", quiz.attempts)
            assert project_selectors.project_figures_of(unit, period.start, period.end) == (
                project_selectors._figures_of(
                    Project.objects.filter(**in_subtree(unit.path, via="owner_unit")),
                    period.start,
                    period.end,
                )
            )
            shares = metrics.breakdowns(unit, period)
            assert {
                (dimension, share.key): share.cases
                for dimension, found in shares.items()
                for share in found
            } == {key: n for key, n in _breakdowns(unit, period).items() if n}
            counted("breakdowns", shares[Dimension.CHANNEL])
            trend = metrics.trend(unit, period)
            assert (
                sum(point.figures["received"] for point in trend)
                == (metrics.figures_for(unit, period, headcount=False)["received"])
            )
    # The demo gives every read something to count somewhere.
    assert all(seen.values()), seen
    assert SubtreeFigures.objects.exists()


def test_behind_answers_as_the_aggregates_catch_up(demo: OrgUnit) -> None:
    aggregates.aggregates_refresh()
    assert aggregates.behind() is False
    record = TalkRecord.objects.order_by("pk").first()
    assert record is not None
    TalkRecord.objects.filter(pk=record.pk).update(updated_at=timezone.now())
    assert aggregates.behind() is True
    aggregates.aggregates_refresh()
    assert aggregates.behind() is False
    # The same answer as the catch-up's own test, which the ORM builds each time.
    TalkRecord.objects.filter(pk=record.pk).update(updated_at=timezone.now())
    state = TalkFiguresState.objects.order_by("pk").first()
    assert aggregates._behind(state) is aggregates.behind()
