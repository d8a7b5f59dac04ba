"""People and programmes for the application tests: a company's union runs 金秋助学 and 大病救助
for its mine; the mine's head reviews, the union approves and pays, a privacy officer reads."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from tests.care.factories import make_fund, make_person, make_programme
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import ProgrammeKind
from xinsheng.care.models import Fund, Programme
from xinsheng.org.choices import Role
from xinsheng.org.models import Person


@dataclass
class Care:
    union: User
    head: User
    privacy: User
    outsider: User
    fund: Fund
    aid: Programme
    relief: Programme
    miners: list[Person]


@pytest.fixture
def care(tree: Tree) -> Care:
    fund = make_fund(tree.company1, deposit="100000")
    aid = make_programme(
        tree.company1,
        fund=fund,
        budget="50000",
        notice_days=5,
        rules={"amounts": {"undergraduate": "5000", "junior_college": "3000"}},
    )
    relief = make_programme(
        tree.company1,
        kind=ProgrammeKind.ILLNESS_RELIEF,
        title="大病救助",
        fund=fund,
        notice_days=0,
        rules={"threshold": "10000", "rate": "0.5", "cap": "20000"},
    )
    return Care(
        union=make_staff(tree.company1, Role.UNION),
        head=make_staff(tree.mine1, Role.UNIT_HEAD),
        privacy=make_staff(tree.company1, Role.PRIVACY),
        outsider=make_staff(tree.company2, Role.UNION),
        fund=fund,
        aid=aid,
        relief=relief,
        miners=[
            make_person(tree.team1, name="张立军"),
            make_person(tree.team1, name="李国强"),
            make_person(tree.area1, name="王建华"),
        ],
    )
