"""Shared fixtures: a small organisation tree used across the suite."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from tests.org.factories import make_unit
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit


@dataclass
class Tree:
    """集团 → (公司一 → 一矿 → 综采一区 → 一班), (公司二 → 二矿)."""

    group: OrgUnit
    company1: OrgUnit
    mine1: OrgUnit
    area1: OrgUnit
    team1: OrgUnit
    company2: OrgUnit
    mine2: OrgUnit


@pytest.fixture
def tree(db: None) -> Tree:
    group = make_unit(name="示范煤业集团", kind=UnitKind.GROUP, code="GRP")
    company1 = make_unit(group, name="第一煤业公司", kind=UnitKind.COMPANY, code="C1")
    mine1 = make_unit(company1, name="一矿", kind=UnitKind.MINE, code="M1")
    area1 = make_unit(mine1, name="综采一区", kind=UnitKind.AREA, code="A1")
    team1 = make_unit(area1, name="综采一区一班", kind=UnitKind.TEAM, code="T1")
    company2 = make_unit(group, name="第二煤业公司", kind=UnitKind.COMPANY, code="C2")
    mine2 = make_unit(company2, name="二矿", kind=UnitKind.MINE, code="M2")
    return Tree(group, company1, mine1, area1, team1, company2, mine2)


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Start and end with an empty cache: the hourly rate limits count in it.

    A module whose tests send public forms asks for it with
    ``pytestmark = pytest.mark.usefixtures("fresh_cache")``."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def chinese_first() -> None:
    """Start every test in Chinese: a request in English leaves its language on the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile the English catalogue once, so that pages can be checked in both languages.

    Completeness is a test of its own (tests/core/test_language.py), not a reason to stop the suite.
    """
    from django.core.management import call_command

    call_command("compiletranslations", "--allow-incomplete", verbosity=0)
