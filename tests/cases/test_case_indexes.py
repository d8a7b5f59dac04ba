"""A new voice writes no entry into the indexes of what it does not have yet, and the queries
of those columns still find their cases through them (PostgreSQL's plans; SQLite's rows)."""

from typing import Any

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from tests.cases.factories import dispatched, make_cast
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.models import Case
from xinsheng.org.models import in_subtree

PARTIAL = {
    "cases_category_set": "category_id",
    "cases_responsible_unit_set": "responsible_unit_id",
    "cases_handler_set": "handler_id",
    "cases_recorded_by_set": "recorded_by_id",
    "cases_merged_into_set": "merged_into_id",
}
ANONYMOUS = services.Identity(anonymous=True, name="", employee_no="", phone="")


def _voice(code: str) -> Case:
    return services.case_submit_at(
        unit_code=code,
        kind="demand",
        title="",
        text="井口澡堂的热水供应时间太短，夜班下井回来经常没有热水。",
        identity=ANONYMOUS,
        intake_key=f"key-{Case.objects.count()}",
    ).case


def _indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case'")
        return dict(cursor.fetchall())


def _plan(queryset: QuerySet[Any]) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Only whether the index can serve the query is asked: a test's few rows are read
        # fastest whole, so reading the whole table is ruled out.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postgresql(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the indexes' kinds and plans are PostgreSQL's")


@pytest.mark.usefixtures("postgresql")
def test_what_a_new_voice_lacks_is_indexed_only_where_set() -> None:
    indexes = _indexes()
    for name, column in PARTIAL.items():
        assert f"({column}) WHERE ({column} IS NOT NULL)" in indexes[name]
    # No other index of those columns, and no LIKE-pattern index: a voice writes none of them
    for name, definition in indexes.items():
        assert "pattern_ops" not in definition, name
        if name not in PARTIAL:
            assert not any(f"({column})" in definition for column in PARTIAL.values()), name


@pytest.mark.usefixtures("postgresql")
def test_the_queries_of_those_columns_still_use_their_index(tree: Tree) -> None:
    cast = make_cast(tree)
    case = _voice(tree.team1.code)
    units = tree.team1.__class__.objects.filter(**in_subtree(tree.mine1)).values("pk")
    plans = {
        "cases_responsible_unit_set": [
            Case.objects.filter(responsible_unit=tree.team1),
            Case.objects.filter(responsible_unit__in=units),
            Case.objects.filter(**in_subtree(tree.mine1, via="responsible_unit")),
        ],
        "cases_category_set": [Case.objects.filter(category_id__in=[1, 2])],
        "cases_handler_set": [Case.objects.filter(handler__in=[cast.dispatcher.pk])],
        "cases_recorded_by_set": [Case.objects.filter(recorded_by__in=[cast.dispatcher.pk])],
        "cases_merged_into_set": [
            Case.objects.filter(merged_into=case),
            Case.objects.filter(Exists(Case.objects.filter(merged_into=OuterRef("pk")))),
        ],
    }
    for index, querysets in plans.items():
        for queryset in querysets:
            assert index in _plan(queryset), queryset.query


def test_the_cases_of_a_value_are_found_whichever_the_database(tree: Tree) -> None:
    cast = make_cast(tree)
    new = _voice(tree.team1.code)
    moved = dispatched(tree, cast).case
    recorded = services.case_record(
        actor=cast.recorder,
        unit=tree.area1,
        channel="visit",
        kind="demand",
        title="",
        text="通勤班车太挤了，希望增加车次，早班尤其挤。",
        identity=ANONYMOUS,
    ).case
    assert Case.objects.get(pk=new.pk).responsible_unit_id is None
    assert list(Case.objects.filter(responsible_unit=tree.area1)) == [moved]
    category = Case.objects.get(pk=moved.pk).category
    assert category is not None
    assert list(Case.objects.filter(category=category)) == [moved]
    assert list(Case.objects.filter(recorded_by=cast.recorder)) == [recorded]
    assert set(Case.objects.filter(responsible_unit=None)) == {new, recorded}
    assert not Case.objects.filter(merged_into=new).exists()
