"""The figures of assistance: the briefing says in report style how many students were aided and
with how much, the dashboard's 帮扶 section and the figures API count the same, scoped."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.care.applications.conftest import Care
from tests.care.applications.test_api import api
from tests.care.applications.test_student_aid import submit, through_notice
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.applications import services
from xinsheng.care.models import Payment
from xinsheng.care.money.services import payment_reverse
from xinsheng.core.periods import YEAR, period_of
from xinsheng.org.choices import Role
from xinsheng.reports.briefing import build_content

pytestmark = pytest.mark.django_db


def two_paid_one_refused(care: Care) -> list[Payment]:
    first = submit(care, 0, "张小明")
    second = submit(care, 1, "李小红", level="junior_college")
    third = submit(care, 2, "王小刚")
    services.application_reject(
        actor=care.head, application=third, reason="家庭人均收入高于本地最低生活保障标准"
    )
    through_notice(care, [first, second])
    return [services.application_pay(actor=care.union, application=a) for a in (first, second)]


def test_the_briefing_says_how_many_students_were_aided_and_with_how_much(
    care: Care, tree: Tree
) -> None:
    two_paid_one_refused(care)
    period = period_of(YEAR, dt.date.today())

    content = build_content(tree.company1, period)

    text = "\n".join(content.paragraphs)
    assert "为2名学子发放助学金8000元" in text
    assert content.figures["care"]["students_aided"] == 2
    assert content.figures["care"]["student_aid"] == "8000.00"
    # Another company's briefing says nothing of them.
    assert "学子" not in "\n".join(build_content(tree.company2, period).paragraphs)


def test_a_reversal_takes_the_student_and_the_money_out_of_the_briefing(
    care: Care, tree: Tree
) -> None:
    paid = two_paid_one_refused(care)
    payment_reverse(actor=care.union, payment=paid[1], reason="重复发放")
    period = period_of(YEAR, dt.date.today())

    text = "\n".join(build_content(tree.company1, period).paragraphs)

    assert "为1名学子发放助学金5000元" in text


def test_the_dashboard_shows_the_care_section_with_links_to_the_applications(
    care: Care, tree: Tree, client: Client
) -> None:
    two_paid_one_refused(care)
    client.force_login(make_staff(tree.company1, Role.LEADER))

    page = client.get(reverse("reports:dashboard"), {"unit": "C1", "period": "year"})

    html = page.content.decode()
    assert "“三不让”承诺（目标为0）" in html
    year = dt.date.today().year
    assert f"?unit=C1&amp;year={year}&amp;kind=student_aid&amp;status=paid" in html
    listed = client.get(
        reverse("care_programmes:applications"),
        {"unit": "C1", "kind": "student_aid", "status": "paid"},
    ).content.decode()
    assert "张立军" in listed
    assert "李国强" in listed
    assert "王建华" not in listed


def test_the_figures_api_counts_each_programme_scoped(care: Care) -> None:
    two_paid_one_refused(care)
    year = dt.date.today().year

    answer = api(care.union).get(
        "/api/v1/care/figures", {"unit": "C1", "from": f"{year}-01-01", "to": f"{year}-12-31"}
    )

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [(row["title"], row["people"], row["amount"]) for row in body["programmes"]] == [
        ("金秋助学", 2, "8000.00")
    ]
    assert body["totals"]["amount"] == "8000.00"
    assert body["totals"]["fund"] == "8000.00"
    assert body["totals"]["personal"] == "0.00"
    assert body["totals"]["students_aided"] == 2
    assert api(care.outsider).get("/api/v1/care/figures", {"unit": "C1"}).status_code == 404
    assert (
        api(care.union).get("/api/v1/care/figures", {"unit": "C1", "from": "x"}).status_code == 400
    )


def test_the_figures_endpoint_is_in_the_schema(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/care/figures" in schema["paths"]
