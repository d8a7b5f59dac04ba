"""附议: an employee adds their voice to a case that says the same thing, and follows it."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.cases.factories import Cast, answered, make_cast, submit
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus, EventKind
from xinsheng.cases.intake import idempotency
from xinsheng.cases.models import Case
from xinsheng.core.errors import Conflict, NotFound

ME_TOO = "我们班也是这样，夜班下来经常没有热饭吃。"


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def support(tree: Tree, case_no: str, **changes: Any) -> services.Submitted:
    fields: dict[str, Any] = {
        "unit": tree.area1,
        "case_no": case_no,
        "text": ME_TOO,
        "identity": services.Identity(anonymous=True),
    }
    return services.case_support(**(fields | changes))


def test_a_supporter_follows_the_case_and_may_rate_its_answer(tree: Tree, cast: Cast) -> None:
    first = answered(tree, cast)
    target = first.case
    backing = support(tree, target.case_no)
    assert backing.created
    assert backing.receipt_code != first.receipt_code
    target.refresh_from_db()
    assert target.supporters == 1
    assert target.events.filter(kind=EventKind.SUPPORTED).exists()
    own = Case.objects.get(pk=backing.case.pk)
    assert (own.status, own.merged_into) == (CaseStatus.MERGED, target)
    assert own.text == ME_TOO
    assert services.case_for_receipt(backing.receipt_code).followed_case == target
    rating = services.case_rate(
        receipt_code=backing.receipt_code, satisfaction="satisfied", solved=True
    )
    assert rating.case == target


def test_only_open_cases_of_the_same_company_take_support(tree: Tree, cast: Cast) -> None:
    target = submit(tree).case
    with pytest.raises(NotFound):
        support(tree, target.case_no, unit=tree.mine2)  # another company
    with pytest.raises(NotFound):
        support(tree, "2026-999999")
    services.case_reject(case=target, actor=cast.dispatcher, reason="不属于受理范围。")
    with pytest.raises(Conflict):
        support(tree, target.case_no)
    assert Case.objects.count() == 1


def test_a_retried_support_counts_once(tree: Tree) -> None:
    target = submit(tree).case
    first = support(tree, target.case_no, intake_key="again")
    retry = support(tree, target.case_no, intake_key="again")
    assert (retry.case.pk, retry.receipt_code, retry.created) == (
        first.case.pk,
        first.receipt_code,
        False,
    )
    target.refresh_from_db()
    assert target.supporters == 1


def test_a_support_key_reused_for_another_case_or_a_new_voice_is_refused(tree: Tree) -> None:
    target = submit(tree).case
    other = submit(tree, text="更衣室的暖气不热，冬天换衣服很冷。").case
    first = support(tree, target.case_no, intake_key="again")
    with pytest.raises(idempotency.IntakeKeyReused):
        support(tree, other.case_no, intake_key="again")
    with pytest.raises(idempotency.IntakeKeyReused):  # a new voice is another voice
        services.case_submit(
            unit=tree.area1,
            kind="demand",
            title="",
            text=ME_TOO,
            identity=services.Identity(anonymous=True),
            intake_key="again",
        )
    other.refresh_from_db()
    assert other.supporters == 0
    assert Case.objects.count() == 3
    assert support(tree, target.case_no, intake_key="again").case.pk == first.case.pk


def test_the_public_form_supports_a_case(tree: Tree, client: Client) -> None:
    target = submit(tree).case
    data = {
        "kind": "demand",
        "title": "",
        "text": ME_TOO,
        "identity": "anonymous",
        "website": "",
        "intake_key": "form-support",
        "k": "",
        "support": target.case_no,
    }
    page = client.post(reverse("public:intake", args=["A1"]), data).content.decode()
    assert f"您已附议诉求 {target.case_no}" in page
    target.refresh_from_db()
    assert target.supporters == 1


def test_the_api_supports_a_case(tree: Tree, client: Client) -> None:
    target = submit(tree).case
    body = {"kind": "demand", "text": ME_TOO, "anonymous": True, "support": target.case_no}
    response = client.post(
        reverse("api-intake", args=["A1"]), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    code = response.json()["receipt_code"]
    assert services.case_for_receipt(code).followed_case == target
    target.refresh_from_db()
    assert target.supporters == 1
