"""The Content-Security-Policy: on every response, and templates that need nothing it refuses."""

import re
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.core.middleware import CONTENT_SECURITY_POLICY
from xinsheng.org.choices import Role

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "xinsheng"


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# For the error pages: the site's own URLs, plus one that fails.
urlpatterns = [path("broken/", broken), path("", include("xinsheng.urls"))]


def directives(response: HttpResponse) -> dict[str, str]:
    """Return the policy of ``response`` as directive → sources."""
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_the_policy_allows_only_this_site() -> None:
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))

    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data: blob:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY


def test_staff_pages_carry_the_policy(client: Client, tree: Tree) -> None:
    client.force_login(make_staff(tree.company1, Role.ADMINISTRATOR))

    for url in ["/", "/login/", "/notifications/", "/api/docs/"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url


def test_the_public_phone_form_carries_the_policy(client: Client, tree: Tree) -> None:
    response = client.get(f"/v/{tree.team1.code}/")

    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"


@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "en"}])
def test_the_api_carries_the_policy(client: Client, tree: Tree, headers: dict[str, str]) -> None:
    refused = client.get("/api/v1/me", headers=headers)
    client.force_login(make_staff(tree.company1, Role.DISPATCHER))
    answered = client.get("/api/v1/me", headers=headers)

    assert (refused.status_code, answered.status_code) == (401, 200)
    assert refused["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert answered["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.urls("tests.core.test_csp")
def test_error_pages_carry_the_policy(client: Client, db: None) -> None:
    client.raise_request_exception = False

    missing = client.get("/no-such-page/")
    failed = client.get("/broken/")

    assert (missing.status_code, failed.status_code) == (404, 500)
    assert missing["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert failed["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def templates() -> list[Path]:
    return sorted(PACKAGE.rglob("templates/**/*.html"))


INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "htmx hx-on attribute (eval)": re.compile(r"\shx-on[:-]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
}


# The briefing written to a file by `xinsheng briefing -o …html` has nothing to link to, so that
# file carries its style sheet inside; the page the site serves links it (see the template).
STANDALONE = {"reports/templates/reports/briefing/document.html": {"<style> element"}}


def test_no_template_needs_what_the_policy_refuses() -> None:
    found = []
    for template in templates():
        name = str(template.relative_to(PACKAGE))
        text = template.read_text(encoding="utf-8")
        # Comments may name what they avoid.
        text = re.sub(r"\{#.*?#\}", "", text)
        text = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", text, flags=re.S)
        for what, pattern in INLINE.items():
            if what in STANDALONE.get(name, set()):
                continue
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert len(templates()) > 50
    assert found == []
