"""The demo cases: a year of voices in every state, with histories that agree with their states."""

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from pytest_django.fixtures import Settings

from xinsheng.cases import demo as cases_demo
from xinsheng.cases import services
from xinsheng.cases.choices import CaseKind, CaseStatus, Channel, CloseReason, EventKind
from xinsheng.cases.models import Case, CaseEvent, Category, Rating
from xinsheng.cases.services import Identity
from xinsheng.core.calendar import add_working_days
from xinsheng.core.models import AuditEvent
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit

# A fixed end, so that the year (its holidays, its weekdays) is the same whatever day tests run.
TODAY = dt.date(2026, 3, 2)
SEED = 2025


def load(cases: int, *, seed: int = SEED) -> dict[str, int]:
    org_demo.demo_load(seed=seed)
    return cases_demo.demo_load(seed=seed, today=TODAY, cases=cases)


def midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- Deterministic, idempotent, and part of ``xinsheng demo`` ----------------------------------


class RolledBack(Exception):
    pass


def demo_cases(seed: int) -> list[tuple[object, ...]]:
    """Return what the demo makes from ``seed``, leaving the database as it was."""
    rows: list[tuple[object, ...]] = []
    try:
        with transaction.atomic():
            load(60, seed=seed)
            # Case numbers come from a sequence that a rollback does not rewind: compare the rest
            rows = list(
                Case.objects.order_by("created_at", "id").values_list(
                    "status", "kind", "channel", "title", "text", "answer",
                    "origin_unit__code", "responsible_unit__code", "category__code",
                    "submitter_name", "created_at", "deadline", "closed_at",
                )
            )  # fmt: skip
            rows += list(
                CaseEvent.objects.order_by("case__created_at", "case_id", "at", "id").values_list(
                    "kind", "at", "from_status", "to_status", "note", "actor__username"
                )
            )
            raise RolledBack
    except RolledBack:
        pass
    return rows


def test_same_seed_same_cases_other_seed_other_cases(db: None) -> None:
    assert not Case.objects.exists()
    first = demo_cases(7)
    again = demo_cases(7)
    other = demo_cases(8)

    assert first
    assert first == again
    assert first != other
    assert not Case.objects.exists()


def test_the_demo_command_loads_cases_once_and_prints_them_by_state(
    db: None, settings: Settings
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "DEMO_CASES": 150}
    out = StringIO()
    call_command("demo", stdout=out)
    output = out.getvalue()
    audit = AuditEvent.objects.get(action="demo.load")
    assert audit.after is not None
    count = audit.after["cases"]["cases"]  # the cases part's own; other parts add voices
    total, events = Case.objects.count(), CaseEvent.objects.count()

    assert count == 150
    assert f"{count:,} cases of the last 12 months in 14 categories" in output
    assert "By state: submitted " in output
    for status in CaseStatus:
        assert f" {status.value} " in output
    # ... and, while the year of cases is worked, says how far it has got
    assert re.search(r"Loading the demo: cases … 0% 10% .* 90% 100% \d+\.\d s", output)

    again = StringIO()
    call_command("demo", "--seed", "3", stdout=again)
    assert "nothing changed" in again.getvalue()
    assert cases_demo.demo_load(seed=3, cases=50) == {}  # nothing twice, even called directly
    assert (Case.objects.count(), CaseEvent.objects.count()) == (total, events)
    assert AuditEvent.objects.filter(action="demo.load").count() == 1


# --- A year of cases --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded_year(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """Load a year of 600 demo cases once for the tests below, and roll it back after them.

    The tests above need an empty database: they come first, so that they run before this.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load(600)
        transaction.set_rollback(True)


@pytest.fixture
def year(loaded_year: dict[str, int], db: None) -> dict[str, int]:
    return loaded_year


def test_the_year_has_cases_in_every_state(year: dict[str, int]) -> None:
    by_status = dict(Case.objects.values_list("status").annotate(n=Count("id")).order_by())
    for status in CaseStatus:
        assert by_status.get(status.value, 0) > 0, status
        assert year[status.value] == by_status[status.value]
    assert 570 <= year["cases"] == Case.objects.count() <= 600
    cases = Case.objects.all()
    assert cases.filter(status=CaseStatus.CLOSED, close_reason=CloseReason.RATED).exists()
    assert cases.filter(status=CaseStatus.CLOSED, close_reason=CloseReason.NOT_RATED).exists()
    assert cases.filter(is_overdue=True, status__in=[CaseStatus.IN_PROGRESS]).exists()
    assert cases.filter(is_overdue=True, status=CaseStatus.CLOSED).exists()  # answered late
    assert cases.filter(reopen_count__gt=0).exists()
    assert cases.filter(supervision_count__gt=0).exists()
    assert CaseEvent.objects.filter(kind=EventKind.EXTENSION_REQUESTED).exists()
    assert CaseEvent.objects.filter(kind=EventKind.EXTENSION_GRANTED).exists()
    assert CaseEvent.objects.filter(kind=EventKind.RETURNED).exists()
    assert CaseEvent.objects.filter(kind=EventKind.REMINDED).exists()
    assert year["overdue"] > 0
    assert year["reopened"] > 0
    assert year["supervised"] > 0


def test_ratings_are_mostly_satisfied_and_never_invented(year: dict[str, int]) -> None:
    satisfaction = Counter(Rating.objects.values_list("satisfaction", flat=True))
    assert satisfaction["satisfied"] > satisfaction["basically_satisfied"]
    assert satisfaction["basically_satisfied"] > 0
    assert satisfaction["unsatisfied"] > 0
    assert sum(satisfaction.values()) == year["ratings"]
    # A case closed as not rated has no rating of its last answer
    for case in Case.objects.filter(close_reason=CloseReason.NOT_RATED):
        answered = case.events.filter(kind=EventKind.ANSWERED).latest("at", "id")
        assert not case.events.filter(kind=EventKind.RATED, at__gte=answered.at).exists()


def test_voices_come_mostly_from_the_mines_teams_by_qr_code_and_face_to_face(
    year: dict[str, int],
) -> None:
    cases = Case.objects.select_related("origin_unit")
    kinds_of_origin = Counter(case.origin_unit.kind for case in cases)
    production = kinds_of_origin[UnitKind.TEAM] + kinds_of_origin[UnitKind.AREA]
    assert production + kinds_of_origin[UnitKind.BRANCH] > 0.7 * year["cases"]
    assert not cases.filter(origin_unit__kind=UnitKind.GROUP).exists()
    channels = Counter(Case.objects.values_list("channel", flat=True))
    (first, _), (second, _) = channels.most_common(2)
    assert (first, second) == (Channel.QR, Channel.FACE_TO_FACE)
    assert len(channels) >= 6
    anonymous = Case.objects.filter(is_anonymous=True).count()
    assert 0.3 < anonymous / year["cases"] < 0.5
    assert set(Case.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    # Cases written down in the notebook come from the branch of the recorder who heard them
    for case in Case.objects.filter(channel=Channel.FACE_TO_FACE).select_related("origin_unit"):
        assert case.origin_unit.kind == UnitKind.BRANCH
        assert case.recorded_by_id is not None
        assert case.heard_on is not None
        assert case.heard_on <= case.created_at.date()


def test_texts_are_plausible_chinese_from_templates_with_variations(year: dict[str, int]) -> None:
    texts = list(Case.objects.values_list("title", "text", "answer", "status"))
    han = re.compile(r"[\u4e00-\u9fff]")
    for title, text, answer, status in texts:
        assert title
        assert len(han.findall(text)) >= 10
        assert "{" not in text
        assert "{" not in answer
        if status in {CaseStatus.ANSWERED, CaseStatus.CLOSED}:
            assert han.search(answer)
    assert len({text for _title, text, _answer, _status in texts}) > 0.6 * len(texts)
    for code, voices in cases_demo.texts().voices.items():
        assert len(voices) >= 8, code
    # Names of the submitter stay in their own fields, not in the words everyone reads
    for name, text, title in Case.objects.exclude(submitter_name="").values_list(
        "submitter_name", "text", "title"
    ):
        assert name not in text
        assert name not in title


def test_categories_are_the_demo_categories_with_working_day_deadlines(
    year: dict[str, int],
) -> None:
    categories = {c.code: c for c in Category.objects.all()}
    assert set(categories) == {
        "canteen", "shuttle", "parking", "housing", "pay", "ppe", "shifts", "bathhouse",
        "schooling", "medical", "training", "safety", "recreation", "other",
    }  # fmt: skip
    assert categories["canteen"].name == "食堂"
    assert categories["shuttle"].name == "通勤班车"
    for category in categories.values():
        assert 3 <= category.deadline_days <= 10
        assert category.urgent_deadline_days < category.deadline_days
        assert category.keywords
    used = set(Case.objects.exclude(category=None).values_list("category__code", flat=True))
    assert used == set(categories)


def test_cases_spread_over_the_year_numbered_in_order(year: dict[str, int]) -> None:
    created = list(Case.objects.order_by("created_at", "id").values_list("created_at", "case_no"))
    first, last = created[0][0], created[-1][0]
    start = midnight(TODAY - dt.timedelta(days=365))
    assert start - dt.timedelta(days=1) <= first < start + dt.timedelta(days=7)
    assert last < midnight(TODAY)
    months = {(at.year, at.month) for at, _no in created}
    assert len(months) >= 12
    # Numbers run on in the order cases came in, dated with the year each came in
    numbers = []
    for at, case_no in created:
        year_text, number = case_no.split("-")
        assert int(year_text) == timezone.localtime(at).year
        numbers.append(int(number))
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)
    # and the next voice goes on from there
    team = OrgUnit.objects.filter(kind=UnitKind.TEAM).order_by("path").first()
    new = services.case_submit(
        unit=team, kind="demand", title="", text="班车经常超员。", identity=Identity(anonymous=True)
    ).case
    year_text, number = new.case_no.split("-")
    assert int(year_text) == timezone.localdate().year
    assert int(number) > max(numbers)


def test_every_history_agrees_with_its_case(year: dict[str, int]) -> None:
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.order_by("case_id", "at", "id"):
        events[event.case_id].append(event)
    deadline_days = {
        c.pk: (c.deadline_days, c.urgent_deadline_days) for c in Category.objects.all()
    }
    cutoff = midnight(TODAY)
    for case in Case.objects.all():
        timeline = events[case.pk]
        assert timeline[0].kind in {EventKind.SUBMITTED, EventKind.RECORDED}
        assert timeline[0].at == case.created_at
        assert all(case.created_at <= e.at <= cutoff for e in timeline)
        # The transitions, in time order, walk from submitted to the case's status
        status = CaseStatus.SUBMITTED
        for event in timeline:
            if event.from_status:
                assert event.from_status == status, (case.case_no, event.kind)
                status = CaseStatus(event.to_status)
        assert status == case.status, case.case_no
        transitions = [e for e in timeline if e.from_status]
        assert transitions == sorted(transitions, key=lambda e: e.pk), case.case_no

        def last(kind: EventKind, in_timeline: list[CaseEvent] = timeline) -> CaseEvent | None:
            return next((e for e in reversed(in_timeline) if e.kind == kind), None)

        stamps = [
            (case.accepted_at, EventKind.ACCEPTED),
            (case.dispatched_at, EventKind.DISPATCHED),
            (case.answered_at, EventKind.ANSWERED),
        ]
        for stamp, kind in stamps:
            event = last(kind)
            assert (stamp is None) == (event is None), (case.case_no, kind)
            if event is not None:
                assert stamp == event.at, (case.case_no, kind)
        if case.status == CaseStatus.CLOSED:
            closing = last(EventKind.CLOSED)
            assert closing is not None
            assert case.closed_at == closing.at
        if case.status in {CaseStatus.REJECTED, CaseStatus.MERGED}:
            assert case.closed_at == transitions[-1].at
        dispatch = last(EventKind.DISPATCHED)
        if dispatch is not None and case.category_id is not None:
            normal, urgent = deadline_days[case.category_id]
            days = urgent if case.urgency == "urgent" else normal
            expected = add_working_days(timezone.localdate(dispatch.at), days)
            assert dispatch.data == {"deadline": expected.isoformat()}
            assert case.dispatched_at is not None
            if case.signed_at is not None:
                assert case.dispatched_at <= case.signed_at
        moments = [case.created_at, case.accepted_at, case.dispatched_at, case.answered_at]
        present = [m for m in moments if m is not None]
        assert present == sorted(present), case.case_no
        if case.closed_at is not None:
            assert case.closed_at >= present[-1]
        assert case.reopen_count == sum(e.kind == EventKind.REOPENED for e in timeline)
        if case.is_overdue:
            assert last(EventKind.OVERDUE) is not None
    for rating in Rating.objects.all():
        rated = [e for e in events[rating.case_id] if e.kind == EventKind.RATED]
        assert rating.at in {e.at for e in rated}


def test_merged_cases_follow_a_case_of_their_mine(year: dict[str, int]) -> None:
    merged = Case.objects.filter(status=CaseStatus.MERGED).select_related(
        "merged_into__origin_unit", "origin_unit"
    )
    assert merged.exists()
    for case in merged:
        target = case.merged_into
        assert target is not None
        assert target.status not in {CaseStatus.MERGED, CaseStatus.REJECTED}
        assert target.created_at < case.created_at
        mine = case.origin_unit.path[: 3 * 4]
        assert target.origin_unit.path.startswith(mine)
        assert target.supporters >= 1
        event = case.events.get(kind=EventKind.MERGED)
        assert event.data == {"into": target.case_no}


def test_praise_is_thanked_on_time_and_never_supervised(year: dict[str, int]) -> None:
    praise = Case.objects.filter(kind=CaseKind.PRAISE)
    assert praise.filter(status=CaseStatus.CLOSED).count() > 10
    assert not praise.filter(is_overdue=True).exists()
    statuses = set(praise.values_list("status", flat=True))
    assert not statuses & {CaseStatus.REJECTED, CaseStatus.RETURNED}
    assert not praise.filter(supervision_count__gt=0).exists()
    kinds = set(CaseEvent.objects.filter(case__in=praise).values_list("kind", flat=True))
    assert not kinds & {
        EventKind.SUPERVISED,
        EventKind.OVERDUE,
        EventKind.RETURNED,
        EventKind.REOPENED,
        EventKind.REJECTED,
    }
    assert not Rating.objects.filter(case__in=praise, satisfaction="unsatisfied").exists()
    for case in praise.filter(status=CaseStatus.CLOSED).exclude(deadline=None)[:50]:
        assert case.answered_at is not None
        assert timezone.localtime(case.answered_at).date() <= case.deadline, case.case_no
        assert "如仍有问题" not in case.answer


def test_voices_go_to_units_that_look_after_what_they_are_about(year: dict[str, int]) -> None:
    sent = Case.objects.exclude(responsible_unit=None)
    bathhouse = sent.filter(category__code="bathhouse")
    assert bathhouse.exists()
    at_the_centre = bathhouse.filter(responsible_unit__name="后勤服务中心")
    assert at_the_centre.count() >= bathhouse.count() * 0.8  # the rest sent back to an office
    assert sent.filter(category__code="canteen", responsible_unit__name="后勤服务中心").exists()
    assert not sent.filter(responsible_unit__name="调度室").exists()
