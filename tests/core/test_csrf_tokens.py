"""The public pages' CSRF tokens (``core.csrf_tokens``) are Django's, drawn more cheaply: Django's
own middleware accepts them, refuses them altered, and the cookie is sent as Django sends it."""

import collections
import re

import pytest
from django.middleware import csrf as django_csrf
from django.test import Client, RequestFactory

from tests.cases.test_public import INTAKE_URL, form_data, intake_key_on, receipt_of
from tests.conftest import Tree
from xinsheng.cases.models import Case
from xinsheng.core import csrf_tokens

pytestmark = pytest.mark.usefixtures("fresh_cache")

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_token_is_the_secret_under_a_fresh_mask_as_django_reads_it() -> None:
    secret = django_csrf._get_new_csrf_string()
    tokens = {csrf_tokens.masked(secret) for _ in range(200)}
    assert len(tokens) == 200  # a new mask every time
    for token in tokens:
        assert len(token) == django_csrf.CSRF_TOKEN_LENGTH
        assert not django_csrf.invalid_token_chars_re.search(token)
        assert django_csrf._unmask_cipher_token(token) == secret
    # ... and Django's own tokens of our secrets unmask the same way
    ours = csrf_tokens.new_secret()
    assert django_csrf._unmask_cipher_token(django_csrf._mask_cipher_secret(ours)) == ours


def test_every_character_is_drawn_from_as_many_bytes() -> None:
    # Each allowed character stands for exactly 4 of the 248 bytes kept; the 8 others are dropped
    kept = csrf_tokens._CHAR_OF_BYTE[: csrf_tokens._KEPT]
    counts = collections.Counter(kept.decode("ascii"))
    assert set(counts) == set(django_csrf.CSRF_ALLOWED_CHARS)
    assert set(counts.values()) == {4}
    assert bytes(range(248, 256)) == csrf_tokens._DROPPED
    secrets_drawn = {csrf_tokens.new_secret() for _ in range(200)}
    assert len(secrets_drawn) == 200
    assert all(
        len(s) == django_csrf.CSRF_SECRET_LENGTH
        and not django_csrf.invalid_token_chars_re.search(s)
        for s in secrets_drawn
    )


def test_get_token_sets_and_renews_the_cookie_as_djangos_does(rf: RequestFactory) -> None:
    first = rf.get("/")
    token = csrf_tokens.get_token(first)
    secret = first.META["CSRF_COOKIE"]
    assert first.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert django_csrf._unmask_cipher_token(token) == secret
    again = rf.get("/")
    again.META["CSRF_COOKIE"] = secret  # as CsrfViewMiddleware sets it from the cookie
    assert django_csrf._unmask_cipher_token(csrf_tokens.get_token(again)) == secret
    assert again.META["CSRF_COOKIE"] == secret
    assert again.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_the_phone_forms_token_passes_djangos_check_and_an_altered_one_does_not(
    tree: Tree,
) -> None:
    browser = Client(enforce_csrf_checks=True)
    url = INTAKE_URL.format(code=tree.team1.code)
    html = browser.get(url).content.decode()
    token = CSRF_VALUE.findall(html)[0]
    cookie = browser.cookies["csrftoken"].value
    assert django_csrf._unmask_cipher_token(token) == cookie

    # One character of the token changed: the secret it hides is another, refused
    altered = token[:40] + ("a" if token[40] != "a" else "b") + token[41:]
    refused = browser.post(
        url, form_data(intake_key=intake_key_on(html), csrfmiddlewaretoken=altered)
    )
    assert refused.status_code == 403
    assert not Case.objects.exists()
    # A token of another secret: refused
    stranger = csrf_tokens.masked(csrf_tokens.new_secret())
    refused = browser.post(
        url, form_data(intake_key=intake_key_on(html), csrfmiddlewaretoken=stranger)
    )
    assert refused.status_code == 403

    taken = browser.post(url, form_data(intake_key=intake_key_on(html), csrfmiddlewaretoken=token))
    assert taken.status_code == 200
    assert receipt_of(taken)
    assert Case.objects.count() == 1
    # The page after the voice holds a new token of the same secret, and sends the cookie again
    after = CSRF_VALUE.findall(taken.content.decode())
    assert after
    assert token not in after
    assert all(django_csrf._unmask_cipher_token(t) == cookie for t in after)
    assert taken.cookies["csrftoken"].value == cookie
