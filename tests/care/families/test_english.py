"""The hardship file pages in English show no Chinese but the data."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.care.families.factories import make_carers, make_file
from tests.conftest import Tree
from tests.talks.cycles.test_english import chinese_left
from xinsheng.care.choices import FileStatus
from xinsheng.care.models import Fund, HouseholdMember
from xinsheng.org.models import OrgUnit, Person

pytestmark = pytest.mark.django_db


def data_shown() -> list[str]:
    return [
        *OrgUnit.objects.values_list("name", flat=True),
        *Person.objects.values_list("name", flat=True),
        *Person.objects.values_list("position", flat=True),
        *HouseholdMember.objects.values_list("name", flat=True),
        *HouseholdMember.objects.values_list("occupation", flat=True),
        *Fund.objects.values_list("name", flat=True),
        "李**",
    ]


def test_the_hardship_pages_in_english_have_no_chinese_but_data(tree: Tree) -> None:
    carers = make_carers(tree)
    file = make_file(tree, carers)
    make_file(tree, carers, status=FileStatus.PROPOSED, name="李建军")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(carers.union)
    pages = [
        reverse("care_families:list"),
        reverse("care_families:list") + "?unvisited=on&tier=hardship",
        reverse("care_families:detail", args=[file.pk]),
        reverse("care_families:visit", args=[file.pk]),
        reverse("care_families:propose"),
        reverse("care_families:yearly", args=[file.pk]),
        reverse("care_families:pairs_overdue"),
        reverse("care_families:import"),
    ]
    for url in pages:
        client.force_login(carers.head if "yearly" in url else carers.union)
        html = client.get(url).content.decode()
        assert not chinese_left(html, *data_shown()), url


def test_household_members_are_typed_in_either_language() -> None:
    from django.utils import translation

    from xinsheng.care.families.forms import members_parse

    with translation.override("en"):
        members = members_parse("Li Mei child 2008 County No. 1 High School\n张丽 配偶 1983")
    assert [(m.name, m.relation, m.birth_year, m.occupation) for m in members] == [
        ("Li Mei", "child", 2008, "County No. 1 High School"),
        ("张丽", "spouse", 1983, ""),
    ]
