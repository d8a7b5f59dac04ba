"""The public intake by unit code: on PostgreSQL one statement, with the rows of the usual path.

``case_submit_at`` is what the public API calls. Each test runs on SQLite (the usual path) and on
PostgreSQL (one statement), and both must give the same answers and rows.
"""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from tests.cases.factories import Cast, make_cast
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus, EventKind
from xinsheng.cases.intake import idempotency
from xinsheng.cases.models import Case, CaseEvent
from xinsheng.core.errors import Conflict, InvalidInput, NotFound

ANONYMOUS = services.Identity(anonymous=True, name="王强", employee_no="JT1", phone="13900001111")
NAMED = services.Identity(
    anonymous=False, name="李梅", employee_no="JT0000002", phone="13900002222"
)
ROW_SKIP = ("id", "case_no", "receipt_hash", "intake_key_hash")  # the body hash is compared


def submit_at(code: str = "T1", **changes: Any) -> services.Submitted:
    fields: dict[str, Any] = {
        "unit_code": code,
        "kind": "demand",
        "title": "",
        "text": "井口澡堂的热水供应时间太短，夜班下井回来经常没有热水。",
        "identity": ANONYMOUS,
    }
    return services.case_submit_at(**(fields | changes))


def row(case: Case) -> dict[str, Any]:
    values = model_to_dict(Case.objects.get(pk=case.pk))
    return {key: value for key, value in values.items() if key not in ROW_SKIP}


def event_row(case: Case) -> dict[str, Any]:
    event = CaseEvent.objects.get(case=case)
    values = model_to_dict(event)
    keys = ("kind", "from_status", "to_status", "unit", "is_public", "data")
    return {key: values[key] for key in keys}


def whole(case: Case) -> dict[str, Any]:
    """Return every column of ``case`` as the instance holds it."""
    return {field.attname: getattr(case, field.attname) for field in Case._meta.concrete_fields}


@pytest.mark.parametrize("identity", [ANONYMOUS, NAMED], ids=["anonymous", "named"])
def test_the_rows_are_those_of_the_usual_path(tree: Tree, identity: services.Identity) -> None:
    by_code = submit_at(identity=identity, intake_key="by-code")
    usual = services.case_submit(
        unit=tree.team1,
        kind="demand",
        title="",
        text="井口澡堂的热水供应时间太短，夜班下井回来经常没有热水。",
        identity=identity,
        intake_key="usual",
    )
    assert row(by_code.case) == row(usual.case)
    assert event_row(by_code.case) == event_row(usual.case)
    assert event_row(by_code.case)["kind"] == EventKind.SUBMITTED
    stored = Case.objects.get(pk=by_code.case.pk)
    assert whole(by_code.case) == whole(stored)  # the case handed back is the one saved
    assert not by_code.case._state.adding
    assert stored.case_no == by_code.case.case_no
    assert stored.status == CaseStatus.SUBMITTED
    assert stored.origin_unit_id == tree.team1.pk
    assert services.case_for_receipt(by_code.receipt_code) == stored
    if identity.anonymous:
        assert (stored.submitter_name, stored.submitter_phone) == ("", "")
    else:
        assert stored.submitter_name == "李梅"


def test_case_numbers_run_on_from_the_usual_path(tree: Tree) -> None:
    first = services.case_submit(
        unit=tree.team1, kind="demand", title="", text="通勤班车太挤了。", identity=ANONYMOUS
    )
    second = submit_at()
    year, number = first.case.case_no.split("-")
    assert second.case.case_no == f"{year}-{int(number) + 1:06d}"


def test_a_retry_returns_the_first_case_and_receipt(tree: Tree) -> None:
    first = submit_at(intake_key="tap-1")
    again = submit_at(intake_key="tap-1")
    assert (again.case.pk, again.receipt_code, again.created) == (
        first.case.pk,
        first.receipt_code,
        False,
    )
    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def usual_submit(unit: Any, **changes: Any) -> services.Submitted:
    fields: dict[str, Any] = {
        "unit": unit,
        "kind": "demand",
        "title": "",
        "text": "井口澡堂的热水供应时间太短，夜班下井回来经常没有热水。",
        "identity": ANONYMOUS,
    }
    return services.case_submit(**(fields | changes))


def test_both_paths_store_the_same_hashes_and_never_the_key(tree: Tree) -> None:
    key = "Plain-Key-7f3a9c"
    by_code = submit_at(intake_key=key)
    stored = Case.objects.get(pk=by_code.case.pk)
    voice = idempotency.Voice(
        unit_code="T1",
        kind="demand",
        text="井口澡堂的热水供应时间太短，夜班下井回来经常没有热水。",
    )
    assert stored.intake_key_hash == idempotency.key_hash("T1", key)
    assert stored.intake_body_hash == idempotency.body_hash(voice)
    assert by_code.receipt_code == idempotency.receipt_for(
        idempotency.key_hash("T1", key), idempotency.body_hash(voice)
    )
    usual = usual_submit(tree.area1, intake_key=key)  # the same key at another unit
    assert usual.case.pk != by_code.case.pk
    assert Case.objects.get(pk=usual.case.pk).intake_key_hash == idempotency.key_hash("A1", key)
    # No column of the cases or of their events holds the key, in any case
    with connection.cursor() as cursor:
        for table in (Case._meta.db_table, CaseEvent._meta.db_table):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = cursor.fetchall()
            assert len(rows) == 2
            for values in rows:
                assert not any(key.lower() in str(value).lower() for value in values), table


@pytest.mark.parametrize("first_by_code", [True, False], ids=["by-code-first", "usual-first"])
def test_a_retry_by_the_other_path_is_the_same_submission(tree: Tree, first_by_code: bool) -> None:
    def by_code() -> services.Submitted:
        return submit_at(intake_key="tap-x", identity=NAMED)

    def usual() -> services.Submitted:
        return usual_submit(tree.team1, intake_key="tap-x", identity=NAMED)

    first, again = (by_code(), usual()) if first_by_code else (usual(), by_code())
    assert (again.case.pk, again.receipt_code, again.created) == (
        first.case.pk,
        first.receipt_code,
        False,
    )
    assert services.case_for_receipt(again.receipt_code) == first.case
    with pytest.raises(idempotency.IntakeKeyReused):
        usual_submit(tree.team1, intake_key="tap-x", identity=NAMED, text="另一条不同的诉求内容。")
    with pytest.raises(idempotency.IntakeKeyReused):
        submit_at(intake_key="tap-x", identity=NAMED, text="另一条不同的诉求内容。")
    assert (Case.objects.count(), CaseEvent.objects.count()) == (1, 1)


ANOTHER_VOICE: dict[str, dict[str, Any]] = {
    "text": {"text": "通勤班车太挤了，希望增加车次。"},
    "title": {"title": "澡堂热水"},
    "kind": {"kind": "suggestion"},
    "named": {"identity": NAMED},
    "another-name": {
        "identity": services.Identity(anonymous=False, name="赵六", employee_no="JT9")
    },
}


@pytest.mark.parametrize("changes", ANOTHER_VOICE.values(), ids=ANOTHER_VOICE.keys())
def test_a_key_sent_with_another_voice_is_refused_and_nothing_written(
    tree: Tree, changes: dict[str, Any]
) -> None:
    base = {"identity": NAMED} if changes.get("identity") not in (None, NAMED) else {}
    first = submit_at(intake_key="reused", **base)
    with pytest.raises(idempotency.IntakeKeyReused) as refused:
        submit_at(intake_key="reused", **(base | changes))
    assert (refused.value.code, refused.value.status) == ("idempotency_key_reused", 422)
    assert first.receipt_code not in str(refused.value.message)
    assert first.case.case_no not in str(refused.value.message)
    assert (Case.objects.count(), CaseEvent.objects.count()) == (1, 1)
    # The first voice's retry still gets its answer
    again = submit_at(intake_key="reused", **base)
    assert (again.case.pk, again.receipt_code) == (first.case.pk, first.receipt_code)


def test_the_same_key_at_another_unit_is_another_key(tree: Tree) -> None:
    first = submit_at(intake_key="shared")
    other = submit_at("A1", intake_key="shared")
    assert other.created
    assert other.case.pk != first.case.pk
    assert other.receipt_code != first.receipt_code
    assert Case.objects.get(pk=other.case.pk).origin_unit_id == tree.area1.pk
    assert submit_at("A1", intake_key="shared").case.pk == other.case.pk


def test_units_that_take_no_voice_say_why_and_keep_nothing(tree: Tree) -> None:
    cast: Cast = make_cast(tree)
    with pytest.raises(NotFound):
        submit_at("NO-SUCH-UNIT")
    point = services.intake_point_set(actor=cast.dispatcher, unit=tree.team1, rotate=True)
    with pytest.raises(Conflict) as rotated:
        submit_at(token="OLDTOKEN")
    assert rotated.value.code == "intake_code_rotated"
    assert submit_at(token=point.token).created
    services.intake_point_set(actor=cast.dispatcher, unit=tree.team1, enabled=False)
    with pytest.raises(Conflict) as disabled:
        submit_at()
    assert disabled.value.code == "intake_disabled"
    with pytest.raises(InvalidInput):
        submit_at("C2", text="短")
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_voice_costs_one_statement(tree: Tree, settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement intake is PostgreSQL's")
    # As in production: the queue runs tasks later, and the first voice of a burst queues the
    # refresh of the figures for all of them.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    cache.clear()
    submit_at(intake_key="first")
    with CaptureQueriesContext(connection) as queries:
        submitted = submit_at(intake_key="one")
    assert len(queries) == 1, [query["sql"] for query in queries]
    assert Case.objects.get(pk=submitted.case.pk).events.count() == 1


def test_a_voice_is_normalised_and_its_original_kept(tree: Tree) -> None:
    typed = "食堂飯菜太鹹了，ＷｉＦｉ也連不上，希望改進。"
    usual = services.case_submit(
        unit=tree.team1, kind="demand", title="", text=typed, identity=ANONYMOUS
    ).case
    by_code = submit_at(text=typed).case
    for case in (usual, by_code):
        stored = Case.objects.get(pk=case.pk)
        assert stored.text == "食堂饭菜太咸了，WiFi也连不上，希望改进。"
        assert stored.text_original == typed
        assert stored.title.startswith("食堂饭菜太咸了")
    plain = submit_at(text="通勤班车太挤了，希望增加车次。")
    assert Case.objects.get(pk=plain.case.pk).text_original == ""


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_phone_form_takes_a_voice_in_one_statement(
    tree: Tree, settings: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement intake is PostgreSQL's")
    from django.test import Client

    from tests.cases.test_public import form_data, post_intake

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    cache.clear()
    client = Client()
    assert post_intake(client, tree.team1, form_data()).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        answer = post_intake(client, tree.team1, form_data())
    assert answer.status_code == 200
    assert "查询码" in answer.content.decode()
    assert len(queries) == 1, [query["sql"] for query in queries]  # no look-up of the unit
