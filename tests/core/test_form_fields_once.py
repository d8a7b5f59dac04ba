"""A form whose fields are copied once per class (``core.form_fields_once``) shows and checks
each submission as a form with fields of its own would: its own values and errors, in the
language of its request."""

import pytest
from django import forms
from django.conf import settings
from django.test import Client

from tests.cases.test_public import form_data, post_intake
from tests.conftest import Tree
from xinsheng.core.form_fields_once import FieldsCopiedOnce

pytestmark = pytest.mark.usefixtures("fresh_cache")


def test_refused_voices_each_show_their_own_mistakes_in_their_own_language(tree: Tree) -> None:
    # Given a voice that is too short, sent in Chinese, then a long title sent in English
    chinese = post_intake(Client(), tree.team1, form_data(text="太短"))
    english_client = Client()
    english_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = post_intake(english_client, tree.team1, form_data(title="长" * 101))
    again = post_intake(Client(), tree.team1, form_data(text="也短"))

    # Then each page names its own mistake, in its own language, with what was typed
    for response in (chinese, english, again):
        assert response.status_code == 400
    first, second, third = (r.content.decode() for r in (chinese, english, again))
    assert "请至少写5个字" in first
    assert "太短" in first
    assert "Please write at least 5 characters" not in second
    assert "长" * 101 in second
    assert "Title (optional)" in second
    assert "标题（可不填）" not in second
    assert "请至少写5个字" in third
    assert "也短" in third
    assert "太短" not in third
    assert "长" * 101 not in third


class Note(FieldsCopiedOnce):
    text = forms.CharField(max_length=5)


def test_a_form_may_add_a_field_of_its_own_without_giving_it_to_the_next() -> None:
    first = Note({"text": "abc", "extra": "x"})
    first.fields["extra"] = forms.CharField()
    second = Note({"text": "abcdefg"})

    assert first.is_valid()
    assert first.cleaned_data == {"text": "abc", "extra": "x"}
    assert not second.is_valid()
    assert list(second.errors) == ["text"]
    assert list(second.fields) == ["text"]
