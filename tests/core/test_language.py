"""Chinese first, with a complete English translation."""

import re

import polib
from django.conf import settings
from django.test import Client

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.org.choices import Role

CJK = re.compile(r"[\u4e00-\u9fff]")


def visible_text(html: str) -> str:
    """Return the text of ``html`` a reader would see, minus the language picker's own names."""
    text = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return text.replace("简体中文", "")


def test_the_english_catalogue_is_complete() -> None:
    catalogue = polib.pofile(str(settings.LOCALE_PATHS[0] / "en/LC_MESSAGES/django.po"))
    assert catalogue.untranslated_entries() == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_pages_default_to_chinese_even_for_an_english_browser(client: Client, db: None) -> None:
    assert "工作人员登录" in client.get("/login/").content.decode()
    assert "工作人员登录" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


def test_the_language_switcher_turns_the_pages_english(client: Client, db: None) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Staff sign-in" in client.get("/login/").content.decode()


def test_the_login_page_in_english_has_no_chinese(client: Client, db: None) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/login/").content.decode()
    assert "Staff sign-in" in html or "sign in" in html.lower()
    assert not CJK.search(visible_text(html)), CJK.findall(visible_text(html))


def test_staff_pages_in_english_show_only_data_in_chinese(client: Client, tree: Tree) -> None:
    user = make_staff(tree.company1, Role.ADMINISTRATOR)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    text = visible_text(html)
    for unit in (tree.company1, tree.mine1, tree.area1, tree.team1):
        text = text.replace(unit.name, "")
    text = text.replace(user.person.name, "")  # type: ignore[attr-defined]
    assert not CJK.search(text), CJK.findall(text)


def test_the_switcher_names_each_language_in_itself(client: Client, tree: Tree) -> None:
    client.force_login(make_staff(tree.company1, Role.LEADER))
    html = client.get("/").content.decode()
    assert 'lang="en">English</option>' in html
    assert 'lang="zh-hans" selected>简体中文</option>' in html


def test_the_public_form_switches_language_and_stays_on_the_same_page(
    client: Client, tree: Tree
) -> None:
    path = f"/v/{tree.team1.code}/?k=abc"
    html = client.get(path).content.decode()
    assert 'name="language" value="en"' in html

    switched = client.post("/i18n/setlang/", {"language": "en", "next": path})

    assert switched.status_code == 302
    assert switched["Location"] == path
    english = client.get(path).content.decode()
    assert 'lang="en"' in english
    assert "Every voice gets an answer" in english
