"""The pieces public pages share: client counting, photo cleaning, taking a rating, the layering."""

import ast
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django import forms
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation
from PIL import Image
from pytest_django.fixtures import Settings

import xinsheng.core
from xinsheng.core.client import client_address, client_key, counter_incr
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.core.photos import photo_clean
from xinsheng.core.ratings import RatingForm, rating_take, satisfaction_field

DOMAIN_APPS = ("org", "cases", "projects", "reports", "insight")


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    """Messages are checked in the default language, whatever a test before left active."""
    with translation.override("zh-hans"):
        yield


def test_core_imports_no_domain_app() -> None:
    root = Path(xinsheng.core.__file__).parent
    imported = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name) for alias in node.names)
    domain = {f"xinsheng.{app}" for app in DOMAIN_APPS}
    offending = {
        (name, module)
        for name, module in imported
        if any(module == app or module.startswith(f"{app}.") for app in domain)
    }
    assert offending == set()


def test_the_client_address_is_read_through_the_configured_proxies(
    settings: Settings,
) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.AXES_IPWARE_PROXY_COUNT = None
    assert client_address(request) == "10.0.0.1"
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.7"  # the entry the trusted proxy wrote


def test_a_client_key_hides_the_address_and_depends_on_the_scope() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    key = client_key(request, salt="test", scope="h1", prefix="xinsheng:test")
    assert key.startswith("xinsheng:test:")
    assert "203.0.113.7" not in key
    assert key == client_key(request, salt="test", scope="h1", prefix="xinsheng:test")
    assert key != client_key(request, salt="test", scope="h2", prefix="xinsheng:test")


def test_a_counter_counts_from_one() -> None:
    cache.delete("xinsheng:test:counter")
    assert [counter_incr("xinsheng:test:counter", timeout=60) for _ in range(3)] == [1, 2, 3]


def test_a_photo_is_re_encoded_without_its_metadata() -> None:
    exif = Image.Exif()
    exif[0x0110] = "Distinctive-Camera-Model"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG", exif=exif)

    photo = photo_clean(out.getvalue())

    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 40, 30)
    assert b"Distinctive-Camera-Model" not in photo.content.read()


def test_what_is_not_a_photo_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        photo_clean(b"%PDF-1.4 not a photo")
    assert refused.value.fields is not None
    assert "photos" in refused.value.fields


class _Form(RatingForm):
    satisfaction = satisfaction_field("满意吗")


def _valid() -> dict[str, str]:
    return {"satisfaction": "satisfied", "solved": "yes", "comment": " 好 "}


def test_a_rating_is_recorded_and_thanked() -> None:
    recorded = []

    def record(satisfaction: str, solved: bool, comment: str) -> None:
        recorded.append((satisfaction, solved, comment))

    rated = rating_take(_Form(_valid()), record, blank=_Form)
    assert recorded == [("satisfied", True, "好")]
    assert (rated.status, rated.notice, rated.problem) == (200, "感谢您的评价。", "")
    assert not rated.form.is_bound


def test_an_incomplete_rating_records_nothing() -> None:
    def record(satisfaction: str, solved: bool, comment: str) -> None:
        raise AssertionError("not to be called")

    rated = rating_take(_Form({"solved": "no"}), record, blank=_Form)
    assert rated.status == 400
    assert rated.form.errors["satisfaction"] == ["请选择满意程度。"]


def test_a_refused_rating_shows_why() -> None:
    def invalid(satisfaction: str, solved: bool, comment: str) -> None:
        raise InvalidInput("太长", fields={"comment": ["太长"]})

    def conflict(satisfaction: str, solved: bool, comment: str) -> None:
        raise Conflict("已评价")

    on_field = rating_take(_Form(_valid()), invalid, blank=_Form)
    assert (on_field.status, on_field.form.errors["comment"]) == (400, ["太长"])
    above = rating_take(_Form(_valid()), conflict, blank=_Form)
    assert (above.status, above.problem, above.form.is_bound) == (409, "已评价", False)


def test_the_comment_is_limited_to_500_characters() -> None:
    form = _Form({**_valid(), "comment": "字" * 501})
    assert not form.is_valid()
    assert form.errors["comment"] == ["内容不能超过500字。"]
    assert isinstance(form.fields["comment"].widget, forms.Textarea)
