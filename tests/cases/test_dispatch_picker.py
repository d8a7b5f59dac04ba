"""The dispatcher's unit picker: units found by name, code or path, told apart by their paths.

Every mine has a 综采一队; typed alone, the name is ambiguous, and the dispatcher chooses among
「一矿 › 综采一队」, 「二矿 › 综采一队」 and 「三矿 › 综采一队」. These tests send the forms as a
browser without JavaScript would; tests/browser/test_unit_picker.py taps through it on a phone.
"""

import re
from collections.abc import Iterator

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import Cast, make_cast, make_category, reload, submit
from tests.cases.picker_units import Mines, make_mines
from tests.conftest import Tree
from tests.org.factories import make_staff, make_unit
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case
from xinsheng.core.calendar import add_working_days
from xinsheng.insight import similar_store
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit

BATH = "井口澡堂的热水供应时间太短，夜班下井回来经常没有热水洗澡，希望延长供水时间。"


def handled_to_satisfaction(tree: Tree, cast: Cast, unit: OrgUnit) -> Case:
    """Return the bath voice, sent to ``unit``, answered there and rated satisfied."""
    submitted = submit(tree, BATH)
    earlier = submitted.case
    services.case_accept(case=earlier, actor=cast.dispatcher, category=make_category())
    services.case_dispatch(case=earlier, actor=cast.dispatcher, unit=unit)
    handler = make_staff(unit, Role.HANDLER)
    services.case_sign(case=reload(earlier), actor=handler)
    services.case_answer(case=reload(earlier), actor=handler, text="热水已延长供应。", solved=True)
    services.case_rate(receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True)
    return earlier


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    similar_store.index_reset()
    yield
    similar_store.index_reset()


@pytest.fixture
def mines(tree: Tree) -> Mines:
    return make_mines(tree)


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def accepted(tree: Tree, cast: Cast, text: str = "食堂晚班没有热饭，希望延长供餐时间。") -> Case:
    case = submit(tree, text).case
    services.case_accept(case=case, actor=cast.dispatcher, category=make_category())
    return reload(case)


def deadline() -> str:
    return add_working_days(timezone.localdate(), 5).isoformat()


def dispatch(client: Client, case: Case, **data: str) -> HttpResponse:
    url = reverse("cases:act", args=[case.case_no, "dispatch"])
    response: HttpResponse = client.post(url, {"deadline": deadline(), **data})
    return response


def found(client: Client, typed: str) -> list[str]:
    """Return the units the picker lists for ``typed``, as their buttons read."""
    html = client.get(reverse("org:unit_picker_options"), {"unit": typed}).content.decode()
    buttons = re.findall(
        r'<button type="button" class="unit-candidate"[^>]*>(.*?)</button>', html, re.S
    )
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", b)).strip() for b in buttons]


def test_typing_the_name_lists_every_unit_of_that_name_with_its_path(
    client: Client, mines: Mines, cast: Cast
) -> None:
    client.force_login(cast.dispatcher)

    assert found(client, "综采一队") == [
        "一矿 › 综采一队 M1-ZC1",
        "二矿 › 综采一队 M2-ZC1",
        "三矿 › 综采一队 M3-ZC1",
    ]  # and not the one of the other company


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("二矿 综采一队", ["二矿 › 综采一队 M2-ZC1"]),
        ("二矿/综采", ["二矿 › 综采一队 M2-ZC1"]),
        ("三矿 › 综采一队", ["三矿 › 综采一队 M3-ZC1"]),
        ("一矿>综采一队", ["一矿 › 综采一队 M1-ZC1"]),
        ("m3-zc1", ["三矿 › 综采一队 M3-ZC1"]),
        ("第一煤业公司 三矿 综采一队", ["三矿 › 综采一队 M3-ZC1"]),
        ("四矿 综采一队", []),
    ],
)
def test_a_path_or_a_code_narrows_the_list(
    client: Client, mines: Mines, cast: Cast, typed: str, listed: list[str]
) -> None:
    client.force_login(cast.dispatcher)

    assert found(client, typed) == listed


def test_the_dispatch_form_starts_with_the_suggested_unit(
    client: Client, tree: Tree, mines: Mines, cast: Cast
) -> None:
    # given the same voice went to 二矿's 综采一队 before, and its answer satisfied the employee
    handled_to_satisfaction(tree, cast, mines.second)
    case = accepted(tree, cast, BATH + "已经一个月了。")
    client.force_login(cast.dispatcher)
    # when the dispatcher opens the dispatch form
    html = client.get(reverse("cases:act", args=[case.case_no, "dispatch"])).content.decode()
    # then it starts with that unit, by its path, and says why
    assert 'value="二矿 › 综采一队"' in html
    assert 'name="unit_choice" value="M2-ZC1"' in html
    assert "已按智能建议预填责任单位“二矿 › 综采一队”" in html
    # and sending it as it is dispatches there
    response = dispatch(client, case, unit="二矿 › 综采一队", unit_choice="M2-ZC1")
    assert response.status_code == 302
    assert reload(case).responsible_unit == mines.second


def test_an_ambiguous_name_asks_which_unit_and_the_choice_dispatches(
    client: Client, tree: Tree, mines: Mines, cast: Cast
) -> None:
    case = accepted(tree, cast)
    client.force_login(cast.dispatcher)
    # when the dispatcher types only the name and sends the form (no script on the page)
    response = dispatch(client, case, unit="综采一队", unit_choice="")
    # then nothing is dispatched, and the form asks which of the three
    assert response.status_code == 400
    html = response.content.decode()
    assert "有 3 个单位名为“综采一队”，请从下面选择一个。" in html
    radios = re.findall(r'<input type="radio" name="unit_choice" value="([^"]+)">', html)
    assert radios == ["M1-ZC1", "M2-ZC1", "M3-ZC1"]
    assert "二矿 › </span><strong>综采一队</strong>" in html
    assert 'value="综采一队"' in html  # what was typed is kept
    assert reload(case).status == CaseStatus.ACCEPTED
    # when they choose the second and send again, it goes there
    response = dispatch(client, case, unit="综采一队", unit_choice="M2-ZC1")
    assert response.status_code == 302
    case = reload(case)
    assert (case.status, case.responsible_unit) == (CaseStatus.DISPATCHED, mines.second)


def test_a_typed_path_dispatches_at_once(
    client: Client, tree: Tree, mines: Mines, cast: Cast
) -> None:
    case = accepted(tree, cast)
    client.force_login(cast.dispatcher)

    response = dispatch(client, case, unit="三矿 › 综采一队")

    assert response.status_code == 302
    assert reload(case).responsible_unit == mines.third


def test_what_was_typed_after_a_choice_wins_over_the_choice(
    client: Client, tree: Tree, mines: Mines, cast: Cast
) -> None:
    # given the form started with 一矿's team chosen, then the box was changed to 三矿's
    case = accepted(tree, cast)
    client.force_login(cast.dispatcher)

    response = dispatch(client, case, unit="三矿 › 综采一队", unit_choice="M1-ZC1")

    assert response.status_code == 302
    assert reload(case).responsible_unit == mines.third


def test_a_choice_out_of_sight_is_not_taken(
    client: Client, tree: Tree, mines: Mines, cast: Cast
) -> None:
    case = accepted(tree, cast)
    client.force_login(cast.dispatcher)

    response = dispatch(client, case, unit="综采一队", unit_choice="C2-ZC1")

    assert response.status_code == 400
    assert "有 3 个单位名为“综采一队”" in response.content.decode()
    assert reload(case).responsible_unit is None


def test_a_part_of_a_name_offers_what_it_finds(
    client: Client, tree: Tree, mines: Mines, cast: Cast
) -> None:
    case = accepted(tree, cast)
    client.force_login(cast.dispatcher)

    response = dispatch(client, case, unit="二矿 综采")

    assert response.status_code == 400
    html = response.content.decode()
    assert "没有名称恰为“二矿 综采”的单位，请从下面找到的单位中选择。" in html
    assert re.findall(r'name="unit_choice" value="([^"]+)"', html) == ["M2-ZC1"]


def test_a_name_with_a_slash_is_found_by_its_path(
    client: Client, tree: Tree, mines: Mines, cast: Cast
) -> None:
    office = make_unit(tree.mine1, name="机电/运输科", kind=UnitKind.DEPARTMENT, code="M1-JD")
    case = accepted(tree, cast)
    client.force_login(cast.dispatcher)

    assert found(client, "一矿 › 机电/运输科") == ["一矿 › 机电/运输科 M1-JD"]
    response = dispatch(client, case, unit="一矿 › 机电/运输科", unit_choice="M1-JD")
    assert response.status_code == 302
    assert reload(case).responsible_unit == office
