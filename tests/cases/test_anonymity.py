"""Anonymous means anonymous: no address or user agent anywhere, in the database or the logs."""

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from pytest_django.fixtures import Settings

from tests.cases.factories import make_cast, make_category
from tests.cases.test_public import INTAKE_URL, RECEIPT_URL, form_data, jpeg_with_gps, receipt_of
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case

pytestmark = pytest.mark.usefixtures("fresh_cache")

ADDRESS = "203.0.113.77"
AGENT = "Xinsheng-Test-Agent/9.9 distinctive"
FORWARDED = "192.0.2.199"
SECRETS = (ADDRESS, AGENT, FORWARDED)
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField)


@pytest.fixture
def sql_logged() -> Iterator[None]:
    """Log every SQL statement with its parameters, so that a write of the address would show."""
    previous = connection.force_debug_cursor
    connection.force_debug_cursor = True
    yield
    connection.force_debug_cursor = previous


def orm_values() -> Iterator[tuple[str, str]]:
    """Yield (model.field, value) for every text, char and JSON column of every model."""
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, TEXT_FIELDS) and not f.is_relation
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                yield f"{model._meta.label}.{name}", str(value)


def table_dump() -> Iterator[tuple[str, str]]:
    """Yield (table, value) for every value of every table, read with plain SQL."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    yield table, str(value)


def found_in(texts: Iterator[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(where, secret) for where, text in texts for secret in SECRETS if secret in text]


def test_an_anonymous_voice_leaves_no_address_or_agent_anywhere(
    tree: Tree,
    settings: Settings,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    sql_logged: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Given a phone with a distinctive address and browser, behind one trusted proxy
    settings.MEDIA_ROOT = tmp_path
    settings.AXES_IPWARE_PROXY_COUNT = 1
    for name in ["", *logging.root.manager.loggerDict]:  # every logger, at DEBUG
        caplog.set_level(logging.DEBUG, logger=name)
    phone = Client(
        REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_X_FORWARDED_FOR=f"10.1.1.1, {FORWARDED}"
    )
    cast = make_cast(tree)

    # When it opens the form, sends an anonymous voice with a photo, follows it and rates it
    with django_capture_on_commit_callbacks(execute=True):
        assert phone.get(INTAKE_URL.format(code=tree.team1.code)).status_code == 200
        photo = SimpleUploadedFile("me.jpg", jpeg_with_gps(), content_type="image/jpeg")
        sent = phone.post(
            INTAKE_URL.format(code=tree.team1.code), {**form_data(), "photos": [photo]}
        )
        assert sent.status_code == 200
        code = receipt_of(sent)
        case = Case.objects.get()
        services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
        services.case_dispatch(case=case, actor=cast.dispatcher, unit=tree.area1)
        services.case_sign(case=case, actor=cast.handler)
        services.case_answer(case=case, actor=cast.handler, text="已修复热水器。", solved=True)
        assert phone.post(RECEIPT_URL, {"code": "WRONG-CODE"}).status_code == 404
        assert phone.post(RECEIPT_URL, {"code": code}).status_code == 200
        rated = phone.post(
            RECEIPT_URL,
            {"code": code, "action": "rate", "satisfaction": "satisfied", "solved": "yes"},
        )
        assert rated.status_code == 200
        # ... and once more than allowed, so that a refusal is logged too
        settings.XINSHENG = {**settings.XINSHENG, "RECEIPT_RATE_PER_HOUR": 3}
        assert phone.post(RECEIPT_URL, {"code": code}).status_code == 429

    # Then the case went round the loop, anonymous, and the SQL was logged
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.is_anonymous
    assert (case.submitter_name, case.submitter_employee_no, case.submitter_phone) == ("", "", "")
    assert "INSERT INTO" in caplog.text

    # ... and neither the address nor the agent is in any column of any table
    assert found_in(orm_values()) == []
    assert found_in(table_dump()) == []

    # ... nor in any log line, message or argument
    assert not any(secret in caplog.text for secret in SECRETS)
    for record in caplog.records:
        text = f"{record.getMessage()} {record.args!r}"
        assert not any(secret in text for secret in SECRETS), text

    # ... nor in the stored photo, nor in the cache (which holds only keyed hashes)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert not any(secret.encode() in path.read_bytes() for secret in SECRETS)
    held = getattr(caches["default"], "_cache", {})
    assert any(key.startswith(":1:xinsheng:limit:") for key in held)
    for key, value in held.items():
        assert not any(secret in key or secret.encode() in value for secret in SECRETS)


def test_the_search_would_find_an_address_that_was_kept(
    tree: Tree, caplog: pytest.LogCaptureFixture
) -> None:
    # Given an address written into a case and a log line (what the test above must never see)
    services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text=f"来自 {ADDRESS} 的测试内容",
        identity=services.Identity(anonymous=True),
    )
    caplog.set_level(logging.INFO)
    logging.getLogger("xinsheng.test").info("client %s", AGENT)

    # Then each way of looking finds it
    assert ("cases.Case.text", ADDRESS) in found_in(orm_values())
    assert ("cases_case", ADDRESS) in found_in(table_dump())
    assert AGENT in caplog.text


def test_an_anonymous_voice_holds_no_contact_anywhere(
    tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    # Given someone who typed a mobile number and an e-mail address, then chose anonymous
    contact = ("13955554444", "quiet.miner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        sent = Client().post(
            INTAKE_URL.format(code=tree.team1.code),
            form_data(phone=contact[0], email=contact[1]),
        )

    # Then the voice was taken, and neither is in any column of any table
    assert sent.status_code == 200
    case = Case.objects.get()
    assert (case.submitter_phone, case.submitter_email) == ("", "")
    values = [text for _where, text in table_dump()]
    assert not any(secret in text for text in values for secret in contact)
