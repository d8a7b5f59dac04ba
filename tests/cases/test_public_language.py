"""The public pages switch between Chinese and English, and keep the page switched from."""

from django.test import Client
from django.urls import reverse

from tests.conftest import Tree


def test_an_employee_switches_the_public_pages_to_english_and_back(
    client: Client, tree: Tree
) -> None:
    intake = reverse("public:intake", args=[tree.team1.code])
    page = client.get(intake).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="en"' in page

    switched = client.post(reverse("set_language"), {"language": "en", "next": intake})
    assert switched.status_code == 302
    assert switched["Location"] == intake
    english = client.get(intake).content.decode()
    assert '<html lang="en">' in english
    assert 'name="language" value="zh-hans"' in english

    client.post(reverse("set_language"), {"language": "zh-hans", "next": intake})
    assert '<html lang="zh-hans">' in client.get(intake).content.decode()
