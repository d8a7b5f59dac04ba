"""Rows written through statements compiled once are the rows the ORM writes."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.quizzes.factories import make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.rows import row_insert, rows_update
from xinsheng.engage.quizzes.models import Attempt
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db

STARTED = timezone.make_aware(dt.datetime(2026, 5, 4, 8, 30, 15, 123456))


def stored(attempt_id: int) -> dict[str, Any]:
    row = Attempt.objects.values().get(pk=attempt_id)
    return {name: value for name, value in row.items() if name not in {"id", "key", "person_id"}}


def test_an_inserted_row_equals_the_one_save_writes_and_updates_like_the_orm(tree: Tree) -> None:
    organiser = make_staff(tree.company1, Role.UNION)
    make_bank(tree.group)
    quiz_round = make_round(make_campaign(tree.company1, organiser), organiser)
    made = {
        "round": quiz_round,
        "unit_path": tree.team1.path,
        "number": 1,
        "questions": [3, 1, 2],
        "answers": {},
        "started_at": STARTED,
    }
    by_save = Attempt.objects.create(key="by-save", person=PersonFactory(unit=tree.team1), **made)
    compiled = Attempt(key="compiled", person=PersonFactory(unit=tree.team1), **made)

    row_insert(compiled)

    assert compiled.pk is not None
    assert compiled.pk != by_save.pk
    assert not compiled._state.adding
    assert stored(compiled.pk) == stored(by_save.pk)

    submitted = {"answers": {"3": "AC"}, "submitted_at": STARTED, "score": 50, "seconds": 61}
    first = rows_update(Attempt, values=submitted, where={"pk": compiled.pk, "submitted_at": None})
    again = rows_update(
        Attempt, values={**submitted, "score": 0}, where={"pk": compiled.pk, "submitted_at": None}
    )
    Attempt.objects.filter(pk=by_save.pk, submitted_at__isnull=True).update(**submitted)

    assert (first, again) == (1, 0)
    assert stored(compiled.pk) == stored(by_save.pk)
    assert stored(compiled.pk)["score"] == 50
