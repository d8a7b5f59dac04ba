"""A unit read with its intake point through a statement compiled once is the unit the ORM
reads: the same values, its intake point (or its absence) known without another query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Tree
from xinsheng.cases.models import IntakePoint
from xinsheng.cases.services import intake_point_for
from xinsheng.core.row_reads import row_with_one_to_one
from xinsheng.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def values(instance: object) -> dict[str, object]:
    return {k: v for k, v in vars(instance).items() if not k.startswith("_")}


def test_the_unit_and_its_intake_point_are_what_the_orm_reads(tree: Tree) -> None:
    point = intake_point_for(tree.team1)
    IntakePoint.objects.filter(pk=point.pk).update(is_enabled=False)
    expected = OrgUnit.objects.select_related("intake").get(code=tree.team1.code)

    with CaptureQueriesContext(connection) as queries:
        unit = row_with_one_to_one(OrgUnit, "code", tree.team1.code, "intake")
        assert unit is not None
        assert values(unit) == values(expected)
        assert values(unit.intake) == values(expected.intake)
        assert unit.intake.unit is unit
        assert unit.intake.is_enabled is False
        assert unit.created_at.tzinfo is not None  # converted as the ORM converts
    assert len(queries) == 1


def test_a_unit_without_an_intake_point_and_an_unknown_code(tree: Tree) -> None:
    IntakePoint.objects.filter(unit=tree.mine2).delete()
    with CaptureQueriesContext(connection) as queries:
        unit = row_with_one_to_one(OrgUnit, "code", tree.mine2.code, "intake")
        assert unit == tree.mine2
        with pytest.raises(IntakePoint.DoesNotExist):
            _ = unit.intake
        assert row_with_one_to_one(OrgUnit, "code", "NO-SUCH", "intake") is None
    assert len(queries) == 2
    # ... and the unit saves as any other
    unit.name = "新名称"
    unit.save(update_fields=["name"])
    assert OrgUnit.objects.get(pk=tree.mine2.pk).name == "新名称"


def test_only_a_unique_column_and_a_reverse_one_to_one_are_taken() -> None:
    with pytest.raises(TypeError):
        row_with_one_to_one(OrgUnit, "name", "x", "intake")
    with pytest.raises(TypeError):
        row_with_one_to_one(OrgUnit, "code", "x", "people")
