"""The demo year written in bulk is the year the services make of the same plan, row for row.

The same seed plans the same cases; one way takes every step through the services (as the demo
did before it was written in bulk, ``demo_by_services``), the other in memory and in bulk
(``cases.demo_year``). Cases, events and ratings must come out the same, except for what is
random or numbered by the database (receipt codes, row ids, the running case numbers).
"""

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from tests.cases.demo_by_services import Runner
from xinsheng.cases import demo as cases_demo
from xinsheng.cases.models import Case, CaseEvent, Rating
from xinsheng.core.calendar import days_off_held
from xinsheng.core.notifications import notifications_suppressed
from xinsheng.org import demo as org_demo
from xinsheng.org.models import Person

TODAY = dt.date(2026, 3, 2)
SEED = 11
CASES = 150

CASE_COLUMNS = (
    "status", "kind", "channel", "title", "text", "text_original", "origin_unit__code",
    "responsible_unit__code", "category__code", "urgency", "handler__username", "is_anonymous",
    "submitter_name", "submitter_employee_no", "submitter_phone", "submitter_email",
    "submitter_check", "recorded_by__username", "heard_on", "heard_place",
    "merged_into__created_at", "reject_reason", "accepted_at", "dispatched_at",
    "response_deadline", "deadline", "signed_at", "answer", "answered_at", "solved_by_unit",
    "extension_until", "extension_reason", "is_overdue", "reopen_count", "answer_count",
    "supervision_count", "escalated", "closed_at", "close_reason", "supporters", "created_at",
    "updated_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "case__created_at", "kind", "at", "actor__username", "from_status", "to_status", "note",
    "is_public", "unit__code", "data",
)  # fmt: skip
RATING_COLUMNS = (
    "case__created_at", "via_case__created_at", "answer_round", "satisfaction", "solved",
    "comment", "at",
)  # fmt: skip


class RolledBack(Exception):
    pass


def rows() -> dict[str, list[tuple[Any, ...]]]:
    """Return the demo's cases, events and ratings, with case numbers given as times."""
    created = dict(Case.objects.values_list("case_no", "created_at"))

    def event(row: tuple[Any, ...]) -> tuple[Any, ...]:
        data = {
            key: created[value] if key in {"into", "merged"} else value
            for key, value in row[-1].items()
        }
        return (*row[:-1], data)

    cases = list(Case.objects.order_by("created_at", "id").values_list(*CASE_COLUMNS))
    events = CaseEvent.objects.order_by("case__created_at", "case_id", "at", "id")
    ratings = Rating.objects.order_by("case__created_at", "at", "id")
    return {
        "cases": cases,
        "events": [event(row) for row in events.values_list(*EVENT_COLUMNS)],
        "ratings": list(ratings.values_list(*RATING_COLUMNS)),
    }


def by_services() -> dict[str, list[tuple[Any, ...]]]:
    """Return what taking the demo year through the services makes, leaving nothing behind."""
    made: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with transaction.atomic():
            org_demo.demo_load(seed=SEED)
            end = timezone.make_aware(dt.datetime.combine(TODAY, dt.time.min))
            rng = random.Random(f"xinsheng.cases.demo:{SEED}")  # noqa: S311 - a story, not a secret
            categories = cases_demo.categories_create()
            world = cases_demo.world_build()
            with days_off_held() as days_off, notifications_suppressed():
                planner = cases_demo.Planner(rng, world, end, days_off)
                plans = planner.plan(CASES)
                Runner(categories, days_off).run(plans, end - dt.timedelta(days=365), end)
            made = rows()
            raise RolledBack
    except RolledBack:
        pass
    return made


def in_bulk() -> dict[str, list[tuple[Any, ...]]]:
    made: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with transaction.atomic():
            org_demo.demo_load(seed=SEED)
            cases_demo.demo_load(seed=SEED, today=TODAY, cases=CASES)
            made = rows()
            raise RolledBack
    except RolledBack:
        pass
    return made


def test_the_bulk_written_year_is_the_year_the_services_make(db: None) -> None:
    expected = by_services()
    got = in_bulk()

    assert len(got["cases"]) == len(expected["cases"]) > 0.9 * CASES
    for mine, theirs in zip(got["cases"], expected["cases"], strict=True):
        assert dict(zip(CASE_COLUMNS, mine, strict=True)) == dict(
            zip(CASE_COLUMNS, theirs, strict=True)
        )
    assert len(got["events"]) == len(expected["events"])
    for mine, theirs in zip(got["events"], expected["events"], strict=True):
        assert dict(zip(EVENT_COLUMNS, mine, strict=True)) == dict(
            zip(EVENT_COLUMNS, theirs, strict=True)
        )
    assert got["ratings"] == expected["ratings"]
    assert not Person.objects.exists()  # both rolled back
