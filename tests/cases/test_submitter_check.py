"""Named submitters are checked against the people of the enterprise; a made-up one is kept, marked.

A voice by name with an employee number is looked up as it comes in: the number a person's and
the name theirs is a verified submitter; otherwise the voice is taken all the same, and staff see
「未核实：工号与姓名不符」 or 「未核实：工号不存在」 on the case page, in the ledger and in the API.
The employee never learns what the check found, and an anonymous voice is never looked up.
"""

import importlib
import json
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.test_cases_api import api_client, call, intake
from tests.cases.factories import Cast, make_cast
from tests.cases.test_notebook import entry, open_notebook, post
from tests.cases.test_public import form_data, post_intake
from tests.conftest import Tree
from tests.org.factories import PersonFactory
from xinsheng.cases.choices import SubmitterCheck
from xinsheng.cases.models import Case
from xinsheng.org.models import Person


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


@pytest.fixture
def li_na(tree: Tree) -> Person:
    """A real employee of the enterprise."""
    return PersonFactory(unit=tree.team1, name="李娜", employee_no="JT0000777")  # type: ignore[no-any-return]


def named(client: Client, tree: Tree, name: str, employee_no: str) -> tuple[Any, Case]:
    """Send a voice by name through the public form; return the page and the case made."""
    data = form_data(identity="named", name=name, employee_no=employee_no, phone="")
    response = post_intake(client, tree.team1, data)
    assert response.status_code == 200, response.content.decode()[:1000]
    return response, Case.objects.latest("id")


def case_page(client: Client, user: Any, case: Case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.case_no]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_real_employee_is_a_verified_submitter(
    client: Client, tree: Tree, cast: Cast, li_na: Person
) -> None:
    # when 李娜 sends a voice with her own number
    _, case = named(client, tree, "李娜", "JT0000777")
    # then the case says she is who she says, and staff see it
    assert case.submitter_check == SubmitterCheck.VERIFIED
    html = case_page(client, cast.dispatcher, case)
    assert "已核实" in html
    assert "未核实" not in html


def test_a_made_up_employee_is_accepted_and_marked_as_unknown(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # when someone sends a voice as 王建国, 工号 10086, whom the enterprise does not employ
    response, case = named(Client(), tree, "王建国", "10086")
    # then the voice is kept, with a receipt, and nothing on the employee's page tells the check
    assert case.submitter_name == "王建国"
    assert case.submitter_employee_no == "10086"
    assert "未核实" not in response.content.decode()
    assert "工号不存在" not in response.content.decode()
    # and staff see the mark on the case page
    assert case.submitter_check == SubmitterCheck.UNKNOWN_NO
    html = case_page(client, cast.dispatcher, case)
    assert "未核实：工号不存在" in html
    # and in the ledger
    ledger = client.get(reverse("cases:ledger")).content.decode()
    assert "未核实：工号不存在" in ledger
    # and on the dispatcher's action form
    accept = client.get(reverse("cases:act", args=[case.case_no, "accept"])).content.decode()
    assert "未核实：工号不存在" in accept


def test_a_real_number_with_another_name_is_marked_as_not_matching(
    client: Client, tree: Tree, cast: Cast, li_na: Person
) -> None:
    _, case = named(Client(), tree, "王建国", "JT0000777")

    assert case.submitter_check == SubmitterCheck.NAME_MISMATCH
    assert "未核实：工号与姓名不符" in case_page(client, cast.dispatcher, case)
    ledger = client.get(reverse("cases:ledger")).content.decode()
    assert "未核实：工号与姓名不符" in ledger


def test_spaces_and_full_width_letters_in_a_name_do_not_make_it_another_name(
    tree: Tree, li_na: Person
) -> None:
    PersonFactory(unit=tree.team1, name="阿卜杜·热合曼", employee_no="JT0000888")

    _, spaced = named(Client(), tree, " 李 娜 ", "JT0000777")
    _, dotless = named(Client(), tree, "阿卜杜热合曼", "JT0000888")

    assert spaced.submitter_check == SubmitterCheck.VERIFIED
    assert dotless.submitter_check == SubmitterCheck.VERIFIED


def test_an_anonymous_voice_is_never_looked_up(tree: Tree, li_na: Person) -> None:
    person_table = Person._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        response = post_intake(Client(), tree.team1, form_data())
    assert response.status_code == 200

    case = Case.objects.latest("id")
    assert case.is_anonymous
    assert case.submitter_check == SubmitterCheck.NOT_CHECKED
    assert not [q for q in queries.captured_queries if person_table in q["sql"]]


def test_the_named_intake_costs_one_look_up(tree: Tree, li_na: Person) -> None:
    person_table = Person._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        named(Client(), tree, "李娜", "JT0000777")

    looked_up = [q for q in queries.captured_queries if person_table in q["sql"]]
    assert len(looked_up) == 1


def test_the_api_reports_the_check_to_staff_and_not_to_the_submitter(
    tree: Tree, cast: Cast
) -> None:
    status, submitted = intake(Client(), anonymous=False, name="王建国", employee_no="10086")
    assert status == 201
    assert "unknown_no" not in json.dumps(submitted)

    _, case = call(api_client(cast.dispatcher), "get", f"/api/v1/cases/{submitted['case_no']}")
    assert case["submitter"]["check"] == "unknown_no"
    assert case["submitter"]["check_label"] == "未核实：工号不存在"
    _, ledger = call(api_client(cast.dispatcher), "get", "/api/v1/cases")
    row = next(r for r in ledger["results"] if r["case_no"] == submitted["case_no"])
    assert row["submitter_check"] == "unknown_no"


def test_a_voice_written_in_the_notebook_is_checked_too(
    client: Client, tree: Tree, cast: Cast, li_na: Person
) -> None:
    text = open_notebook(client, cast.recorder)
    post(
        client,
        entry(
            text, text="宿舍楼热水器坏了一个月。", named="on", name="李娜", employee_no="JT0000999"
        ),
    )

    case = Case.objects.latest("id")
    assert (case.submitter_name, case.submitter_check) == ("李娜", SubmitterCheck.UNKNOWN_NO)
    assert "未核实：工号不存在" in case_page(client, cast.dispatcher, case)


def test_upgrading_checks_the_named_cases_already_stored(tree: Tree, li_na: Person) -> None:
    # given cases stored before the check existed
    _, real = named(Client(), tree, "李娜", "JT0000777")
    _, wrong = named(Client(), tree, "王建国", "JT0000777")
    _, made_up = named(Client(), tree, "王建国", "10086")
    post_intake(Client(), tree.team1, form_data())
    Case.objects.update(submitter_check="")
    # when the migration's check runs
    upgrade = importlib.import_module("xinsheng.cases.migrations.0009_case_submitter_check")
    upgrade.check_named_cases(django_apps, None)
    # then each has the mark a new voice would get, and the anonymous one none
    checks = dict(Case.objects.values_list("pk", "submitter_check"))
    assert checks.pop(real.pk) == SubmitterCheck.VERIFIED
    assert checks.pop(wrong.pk) == SubmitterCheck.NAME_MISMATCH
    assert checks.pop(made_up.pk) == SubmitterCheck.UNKNOWN_NO
    assert set(checks.values()) == {SubmitterCheck.NOT_CHECKED}
