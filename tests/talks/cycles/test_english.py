"""The talk cycle pages in English show no Chinese but the data (names of people, units, tiers)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.core.test_language import CJK, visible_text
from tests.org.factories import make_staff
from tests.talks.cycles.mine import Mine, make_mine
from tests.talks.cycles.test_generation import new_cycle, pair
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.cycles import services
from xinsheng.talks.models import TierRule

pytestmark = pytest.mark.django_db


def chinese_left(html: str, *data: str) -> list[str]:
    """Return the Chinese a reader sees in ``html`` once the ``data`` shown is taken out."""
    text = visible_text(html)
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, "")
    return CJK.findall(text)


def data_shown() -> list[str]:
    """Return the names of units, people and tiers, which stay as they were written."""
    return [
        *OrgUnit.objects.values_list("name", flat=True),
        *Person.objects.values_list("name", flat=True),
        *TierRule.objects.values_list("name", flat=True),
        *(name[:13] for name in TierRule.objects.values_list("name", flat=True)),  # shortened
        "2026年第一季度双向约谈",
        "出差",
    ]


@pytest.fixture
def admin(tree: Tree) -> User:
    return make_staff(tree.group, Role.ADMINISTRATOR)


def test_the_cycle_pages_in_english_have_no_chinese_but_data(tree: Tree, admin: User) -> None:
    mine: Mine = make_mine(tree.company1)
    cycle = new_cycle(admin, mine)
    today = timezone.localdate()
    services.pair_hold(actor=admin, pair=pair(cycle, "卫建军", "韩磊"), held_on=today)
    services.pair_waive(actor=admin, pair=pair(cycle, "王建国", "何宏伟"), reason="出差")
    mine.move("尤佳", "A3")
    services.cycle_generate(actor=admin, cycle=cycle)
    client = Client()
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rule = TierRule.objects.get(order=1)

    pages = {
        "/talks/cycles/": "Two-way talks",
        f"/talks/cycles/{cycle.pk}/": "Last generation",
        f"/talks/cycles/{cycle.pk}/?status=retired": "People moved",
        "/talks/cycles/new/": "New talk cycle",
        "/talks/cycles/rules/": "Tier rules",
        f"/talks/cycles/rules/{rule.pk}/": "Change tier rule",
    }
    for url, words in pages.items():
        html = client.get(url).content.decode()
        assert words in html, url
        assert not chinese_left(html, *data_shown()), (url, chinese_left(html, *data_shown()))

    refused = client.post(
        "/talks/cycles/new/",
        {
            "title": "2026年第一季度双向约谈",
            "unit": "YK",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
    ).content.decode()
    assert not chinese_left(refused, *data_shown())
