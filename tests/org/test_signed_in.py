"""Who is signed in: the session kept in the cache, the user read with their roles, and every
change to either seen on the next page."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import submit
from tests.conftest import Tree
from tests.org.factories import UserFactory, make_staff
from xinsheng.org import services
from xinsheng.org.choices import Role
from xinsheng.org.models import Person

PASSWORD = "pw-for-tests"  # the password tests.org.factories gives every user
LEDGER = reverse("cases:ledger")
IMPORT_MENU = reverse("org:import")


def signed_in(username: str) -> Client:
    """Return a browser signed in as ``username`` through the login form."""
    browser = Client()
    response = browser.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return browser


def goes_to_login(browser: Client) -> bool:
    response = browser.get(LEDGER)
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_signed_in_page_reads_no_session_and_the_user_with_roles_at_once(tree: Tree) -> None:
    # given a dispatcher signed in, who has opened the ledger once
    user = make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    person = Person.objects.get(user=user)
    browser = signed_in("zhang")
    browser.get(LEDGER)
    # when they open it again
    with CaptureQueriesContext(connection) as queries:
        text = browser.get(LEDGER).content.decode()
    # then it shows who they are, and no statement read the session; one read the user, their
    # person and their roles together
    statements = [query["sql"] for query in queries.captured_queries]
    assert f'<span class="who">{person.name}</span>' in text
    assert not [sql for sql in statements if "django_session" in sql]
    users = [sql for sql in statements if '"auth_user"' in sql]
    assert len(users) == 1
    assert '"org_roleassignment"' in users[0]
    assert '"org_person"' in users[0]
    assert not [sql for sql in statements if '"org_roleassignment"' in sql and sql not in users]


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(tree: Tree) -> None:
    # given a dispatcher signed in, and a copy of the session's cookie
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    browser = signed_in("zhang")
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert copy.get(LEDGER).status_code == 200
    # when they sign out
    assert browser.post("/logout/").status_code == 302
    # then neither the browser nor the copy of its cookie opens a staff page
    assert goes_to_login(browser)
    assert goes_to_login(copy)


def test_a_session_past_its_end_signs_nobody_in(tree: Tree) -> None:
    # given a dispatcher signed in
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    browser = signed_in("zhang")
    assert browser.get(LEDGER).status_code == 200
    # when the session reaches its end
    session = SessionStore(browser.cookies[settings.SESSION_COOKIE_NAME].value)
    session.set_expiry(timezone.now() - dt.timedelta(seconds=1))
    session.save()
    # then the next page asks them to sign in again
    assert goes_to_login(browser)


def test_a_role_given_or_taken_shows_on_the_next_page(tree: Tree) -> None:
    # given a dispatcher signed in, and the group's administrator
    user = make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    browser = signed_in("zhang")
    assert IMPORT_MENU not in browser.get(LEDGER).content.decode()
    # when the administrator makes them administrator of their company
    person = Person.objects.get(user=user)
    given = services.role_assign(
        actor=admin, person=person, unit=tree.company1, role=Role.ADMINISTRATOR
    )
    # then their next page offers what an administrator does
    assert IMPORT_MENU in browser.get(LEDGER).content.decode()
    # and once it is taken again, it does not
    services.role_revoke(actor=admin, assignment=given)
    assert IMPORT_MENU not in browser.get(LEDGER).content.decode()


def test_a_person_who_left_keeps_no_role(tree: Tree) -> None:
    # given a dispatcher signed in, who sees a voice of their company on the ledger
    user = make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    case = submit(tree).case
    browser = signed_in("zhang")
    assert case.case_no in browser.get(LEDGER).content.decode()
    # when their person is marked as left
    Person.objects.filter(user=user).update(is_active=False)
    # then their roles end with it: the ledger shows them nothing
    assert case.case_no not in browser.get(LEDGER).content.decode()


def test_a_superuser_without_a_person_is_signed_in_with_the_whole_tree(tree: Tree) -> None:
    UserFactory(username="root", is_superuser=True, is_staff=True)
    browser = signed_in("root")
    response = browser.get(LEDGER)
    assert response.status_code == 200
    assert IMPORT_MENU in response.content.decode()


def test_an_account_switched_off_is_signed_out(tree: Tree) -> None:
    make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    browser = signed_in("zhang")
    User.objects.filter(username="zhang").update(is_active=False)
    assert goes_to_login(browser)
