"""The scene of the oversight tests: a mine with two work areas, people, records and a recorder."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff, make_unit
from tests.talks.oversight.factories import make_people, make_record, raise_voice, solve
from xinsheng.cases.models import Case
from xinsheng.core.periods import Period, period_between
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person


@dataclass
class Scene:
    tree: Tree
    area2: OrgUnit  # a second work area of mine 1
    people1: list[Person]  # 4 in area 1
    people2: list[Person]  # 6 in area 2
    outsider: Person  # in mine 2
    recorder: User
    period: Period
    solved_case: Case


@pytest.fixture
def scene(tree: Tree) -> Scene:
    """Mine 1 holds area 1 (4 people + the recorder) and area 2 (6 people); mine 2 an outsider.

    In the period (this year): an underground talk with two people of area 1; a visit to one
    person of area 1 raising a voice that was solved; a visit to the same person again (counted
    once); a visit in area 2 raising nothing; a talk with the outsider in mine 2; and, before the
    period, a talk in area 2 that does not count.
    """
    area2 = make_unit(tree.mine1, name="掘进二区", kind=UnitKind.AREA, code="A2")
    recorder = make_staff(tree.mine1, Role.RECORDER, Role.UNIT_HEAD)
    people1, people2 = make_people(tree.area1, 4), make_people(area2, 6)
    outsider = make_people(tree.mine2, 1)[0]
    today = timezone.localdate()
    period = period_between(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    day = today.replace(day=1)
    make_record(tree.area1, people1[:2], day, kind="talk", place="underground")
    visit = make_record(tree.area1, [people1[2]], day, kind="visit")
    solved = solve(raise_voice(visit, recorder, "井口澡堂热水不稳定，希望尽快维修。"))
    make_record(tree.area1, [people1[2]], day, kind="home_visit", place="home")
    make_record(area2, [people2[0]], day, kind="visit")
    make_record(tree.mine2, [outsider], day, kind="talk")
    make_record(area2, [people2[1]], dt.date(today.year - 1, 6, 1), kind="talk")
    return Scene(tree, area2, people1, people2, outsider, recorder, period, solved)
