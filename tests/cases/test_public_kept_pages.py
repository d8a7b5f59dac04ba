"""The phone form and its receipt page are rendered once per address and kept: every visitor
still gets their own CSRF token, idempotency key, case number and receipt code, and a change of
the unit or of the language shows at once."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from tests.cases.test_public import INTAKE_URL, form_data, intake_key_on, post_intake, receipt_of
from tests.conftest import Tree
from xinsheng.cases.models import Case
from xinsheng.cases.public.receipt_views import receipt_context
from xinsheng.org.models import OrgUnit

pytestmark = pytest.mark.usefixtures("fresh_cache")

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def without_tokens(html: str) -> str:
    """Return ``html`` with its CSRF tokens and idempotency key blanked."""
    html = CSRF_VALUE.sub('name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'name="intake_key" value="[^"]+"', 'name="intake_key" value=""', html)


def test_every_visitor_gets_their_own_tokens_on_the_same_page(tree: Tree) -> None:
    # Given two phones opening the same unit's link one after the other
    first, second = Client(), Client()
    one = first.get(INTAKE_URL.format(code=tree.team1.code)).content.decode()
    two = second.get(INTAKE_URL.format(code=tree.team1.code)).content.decode()

    # Then the pages are the same but for their tokens, which are their own
    assert without_tokens(one) == without_tokens(two)
    assert intake_key_on(one) != intake_key_on(two)
    assert CSRF_VALUE.findall(one)
    assert set(CSRF_VALUE.findall(one)).isdisjoint(CSRF_VALUE.findall(two))

    # ... and the second phone's token is accepted with its own cookie when it sends the form
    second.handler.enforce_csrf_checks = True
    token = CSRF_VALUE.findall(two)[0]
    data = form_data(intake_key=intake_key_on(two), csrfmiddlewaretoken=token)
    response = post_intake(second, tree.team1, data)
    assert response.status_code == 200
    assert Case.objects.count() == 1


def test_a_renamed_unit_and_another_language_show_at_once(client: Client, tree: Tree) -> None:
    # Given the form shown once
    url = INTAKE_URL.format(code=tree.team1.code)
    assert "我要反映" in client.get(url).content.decode()

    # When the unit is renamed
    OrgUnit.objects.filter(pk=tree.team1.pk).update(name="综采二队（新）")

    # Then the next visitor sees the new name
    assert "综采二队（新）" in client.get(url).content.decode()

    # ... and a visitor who chose English gets the English page
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "我要反映" not in english
    assert 'lang="en"' in english


def test_the_receipt_page_shows_each_voice_its_own_number_code_and_contact(
    client: Client, tree: Tree
) -> None:
    # Given an anonymous voice, then a named one with a phone number, at the same unit
    anonymous = post_intake(client, tree.team1, form_data())
    named = post_intake(
        client,
        tree.team1,
        form_data(identity="named", name="李建国", employee_no="JT0100", phone="13800001234"),
    )
    again = post_intake(client, tree.team1, form_data())

    # Then each page shows its own case number and receipt code, and only its own
    first, second, third = Case.objects.order_by("id")
    pages = [anonymous.content.decode(), named.content.decode(), again.content.decode()]
    codes = [receipt_of(anonymous), receipt_of(named), receipt_of(again)]
    assert len(set(codes)) == 3
    for page, case, code in zip(pages, (first, second, third), codes, strict=True):
        assert case.case_no in page
        assert [other for other in codes if other in page] == [code]
    # ... the named voice is offered to send the code to its phone, masked; the others are not
    assert "发送到" in pages[1]
    assert "13800001234" not in pages[1]
    assert "发送到" not in pages[0]
    assert "发送到" not in pages[2]

    # ... and each page is exactly what the template renders for that voice
    for page, case, code in zip(pages, (first, second, third), codes, strict=True):
        context = {**receipt_context(case, code), "draft_key": f"xinsheng-draft:{tree.team1.code}"}
        context |= {"case_no": case.case_no, "merged_no": ""}
        request = RequestFactory().post(INTAKE_URL.format(code=tree.team1.code))
        expected = render_to_string("cases/public/done.html", context, request=request)
        assert without_tokens(page) == without_tokens(expected)
