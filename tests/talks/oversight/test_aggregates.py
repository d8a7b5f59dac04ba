"""The aggregates behind the board stay equal to a recount of the records whatever happens to them:
people moved between units, a record's people changed, a record deleted, a late commit."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.org.factories import make_staff
from tests.talks.oversight.conftest import Scene
from tests.talks.oversight.factories import make_people, make_record
from xinsheng.core.periods import MONTH, QUARTER, YEAR, Period, period_between, period_of
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks import aggregates, figures
from xinsheng.talks.models import TalkFiguresState, TalkParticipant, TalkRecord, TalkTally

pytestmark = pytest.mark.django_db


def _units(scene: Scene) -> list[OrgUnit]:
    tree = scene.tree
    return [tree.group, tree.company1, tree.mine1, tree.area1, scene.area2, tree.mine2]


def _periods(scene: Scene) -> list[Period]:
    day = _held(scene, 6)
    return [
        scene.period,  # this year, where the scene's records are
        period_of(MONTH, scene.period.end.replace(day=1)),
        period_of(YEAR, day),
        period_of(QUARTER, day),
        period_of(MONTH, day),
        period_between(dt.date(day.year, 1, 1), dt.date(day.year, 7, 31)),  # a run of months
        period_between(dt.date(day.year, 1, 10), dt.date(day.year, 6, 20)),  # any days
    ]


def assert_recount(scene: Scene) -> None:
    """Every unit's figures for every kind of period equal a count of the records themselves."""
    units = _units(scene)
    for period in _periods(scene):
        assert figures.counted_by_unit(units, period) == figures.counted_raw(units, period)
    aggregates.aggregates_refresh()
    counted = set(TalkTally.objects.values_list("span", "starts_on", "unit_path", *TALLIED))
    aggregates.aggregates_rebuild()
    rebuilt = set(TalkTally.objects.values_list("span", "starts_on", "unit_path", *TALLIED))
    assert {row for row in counted if any(row[3:])} == {row for row in rebuilt if any(row[3:])}


TALLIED = ("talks", "visits", "home_visits", "person_times", "people")


def _held(scene: Scene, month: int, day: int = 1) -> dt.date:
    """Return a day of the year before last, where the scene has no records."""
    return dt.date(scene.period.start.year - 2, month, day)


def _reached(unit: OrgUnit, period: Period) -> int:
    return figures.reach_of(unit, period).people_reached


def _correct_people(record: TalkRecord, people: list[Person]) -> None:
    """Change the people of ``record`` as the records' service does: saved, in one transaction."""
    with transaction.atomic():
        record.save()
        record.participants.all().delete()
        for person in people:
            TalkParticipant.objects.create(
                record=record, person=person, held_on=record.held_on, unit_path=person.unit.path
            )


def test_a_person_reached_in_two_units_counts_once_above_them_and_once_in_each(
    scene: Scene,
) -> None:
    person = scene.people1[3]
    make_record(scene.tree.area1, [person], _held(scene, 5))
    person.unit = scene.area2
    person.save()
    make_record(scene.area2, [person], _held(scene, 6))
    make_record(scene.area2, [person], _held(scene, 6, 9))  # twice in June: once
    make_record(scene.tree.mine2, [scene.outsider], _held(scene, 6))
    year, june = period_of(YEAR, _held(scene, 6)), period_of(MONTH, _held(scene, 6))

    assert _reached(scene.tree.area1, year) == 1
    assert _reached(scene.area2, year) == 1
    assert _reached(scene.tree.mine1, year) == 1  # not 2: the person is one person
    assert _reached(scene.tree.group, year) == 2  # and the outsider of mine 2
    assert _reached(scene.tree.area1, june) == 0
    assert figures.reach_of(scene.tree.mine1, june).person_times == 2
    assert _reached(scene.tree.group, june) == 2
    assert_recount(scene)


def test_a_record_whose_people_change_moves_its_counts_to_the_new_people(scene: Scene) -> None:
    record = make_record(scene.area2, scene.people2[2:4], _held(scene, 3))
    quarter = period_of(QUARTER, _held(scene, 3))
    assert _reached(scene.area2, quarter) == 2

    _correct_people(record, [scene.people2[4], scene.people1[0]])

    got = figures.reach_of(scene.area2, quarter)
    assert (got.people_reached, got.person_times) == (1, 1)
    assert _reached(scene.tree.area1, quarter) == 1
    assert _reached(scene.tree.mine1, quarter) == 2
    assert_recount(scene)


def test_a_deleted_record_is_taken_off_the_figures(scene: Scene) -> None:
    person = make_people(scene.area2, 1)[0]
    record = make_record(scene.area2, [person], _held(scene, 2), kind="home_visit")
    year = period_of(YEAR, _held(scene, 2))
    before = figures.reach_of(scene.tree.mine1, year)

    # as the admin deletes: through the ORM (TalkCounted keeps what it counted, record NULL)
    TalkRecord.objects.filter(pk=record.pk).delete()
    person.delete()  # the person goes too before anyone looks: their reach rows stay to undo

    after = figures.reach_of(scene.tree.mine1, year)
    assert after.people_reached == before.people_reached - 1
    assert (after.visits, after.home_visits) == (before.visits - 1, before.home_visits - 1)
    assert_recount(scene)


def _delete_around_the_orm(record: TalkRecord) -> None:
    """Delete ``record`` and its people in SQL, then have the database check its keys."""
    with connection.cursor() as cursor:
        for table, column in ((TalkParticipant, "record_id"), (TalkRecord, "id")):
            cursor.execute(
                f"DELETE FROM {table._meta.db_table} WHERE {column} = %s",  # noqa: S608
                [record.pk],
            )
    connection.check_constraints()


def test_a_delete_around_the_orm_is_refused(scene: Scene) -> None:
    record = make_record(scene.area2, [scene.people2[5]], _held(scene, 4))
    figures.reach_of(scene.area2, scene.period)  # counted
    with pytest.raises(IntegrityError), transaction.atomic():
        _delete_around_the_orm(record)
    assert TalkRecord.objects.filter(pk=record.pk).exists()


def test_a_record_committed_after_a_pass_with_an_earlier_time_is_still_counted(
    scene: Scene,
) -> None:
    june = period_of(MONTH, _held(scene, 6))
    assert _reached(scene.area2, june) == 0
    seen = TalkFiguresState.objects.get().seen_until
    assert seen is not None
    record = make_record(scene.area2, [scene.people2[1]], _held(scene, 6))
    TalkRecord.objects.filter(pk=record.pk).update(updated_at=seen - dt.timedelta(minutes=5))

    assert _reached(scene.area2, june) == 1
    assert_recount(scene)


def test_the_board_reads_as_many_queries_for_three_units_as_for_two(scene: Scene) -> None:
    client = Client()
    client.force_login(make_staff(scene.tree.group, Role.SUPERVISOR))
    dates = f"from={scene.period.start}&to={scene.period.end}"
    client.get(f"/talks/supervision/?unit=M1&{dates}")  # catch the aggregates up
    queries = []
    for code in ("C1", "GRP"):  # C1: itself and its mine; GRP: itself and two companies
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/talks/supervision/?unit={code}&{dates}").status_code == 200
        queries.append(len(captured))
    assert queries[0] == queries[1]


def test_readers_of_an_installation_without_talks_write_nothing() -> None:
    # Given an installation where nobody has recorded a talk yet, whose aggregates were built once
    assert not TalkRecord.objects.exists()
    aggregates.aggregates_refresh()
    # When the dashboard's readers ask for fresh aggregates again
    with CaptureQueriesContext(connection) as queries:
        counted = aggregates.aggregates_refresh()
    # Then nothing was counted, locked or written: the read stays a read
    assert counted == 0
    statements = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "FOR UPDATE" not in statements
    assert "DELETE" not in statements
    assert "INSERT" not in statements


def test_the_dashboards_reading_neither_locks_nor_writes_and_counts_what_is_behind(
    scene: Scene,
) -> None:
    # Given aggregates counted once, and then a record the last pass has not seen
    year = period_of(YEAR, _held(scene, 6))
    units = [scene.tree.group]
    aggregates.aggregates_refresh()
    make_record(scene.area2, [scene.people2[1], scene.people2[2]], _held(scene, 6))
    assert aggregates.behind()
    # When the dashboard reads the figures (as its talks panel does: no catching up)
    with CaptureQueriesContext(connection) as queries:
        counted = figures.counted_by_unit(units, year, catch_up=False)
    # Then nothing was locked or written, and the figures are the records' own
    statements = " ".join(query["sql"].upper() for query in queries.captured_queries)
    for word in ("FOR UPDATE", "INSERT", "UPDATE ", "DELETE", "SAVEPOINT"):
        assert word not in statements
    assert counted == figures.counted_raw(units, year)
    assert counted[scene.tree.group.pk]["people"] >= 2
    assert aggregates.behind()  # left to the scheduler and the pages that catch up
    # ... and once caught up, the aggregates say the same
    aggregates.aggregates_refresh()
    assert not aggregates.behind()
    assert figures.counted_by_unit(units, year, catch_up=False) == counted
