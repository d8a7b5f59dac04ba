"""Assistance applications on a phone: the union officer approves and pays a student's aid from
its page, every page fits 390 px, and the public notice shows masked names only."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.care.factories import make_fund, make_person, make_programme
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.applications import notices, services
from xinsheng.care.choices import ApplicationStatus
from xinsheng.care.models import Application
from xinsheng.org.choices import Role

pytestmark = pytest.mark.browser


def fits(phone: Page) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_union_approves_and_pays_a_student_on_a_phone(phone: Page, tree: Tree) -> None:
    union = make_staff(tree.company1, Role.UNION)
    head = make_staff(tree.mine1, Role.UNIT_HEAD)
    programme = make_programme(
        tree.company1,
        fund=make_fund(tree.company1),
        notice_days=5,
        rules={"amounts": {"undergraduate": "5000"}},
    )
    miner = make_person(tree.team1, name="张立军")
    application = services.application_submit(
        actor=head,
        programme=programme,
        person=miner,
        data={
            "child_name": "张小明",
            "school": "中国矿业大学",
            "level": "undergraduate",
            "admission_year": dt.date.today().year,
        },
    )
    services.application_review(actor=head, application=application)

    sign_in(phone, union)
    phone.goto(reverse("care_programmes:applications"))
    expect(phone.get_by_role("heading", name="帮扶申请")).to_be_visible()
    fits(phone)
    phone.get_by_role("link", name="张立军").tap()
    expect(phone.get_by_text("＊＊＊").first).to_be_visible()
    fits(phone)
    phone.get_by_role("button", name="审批通过").tap()
    expect(phone.get_by_text("已审批通过。")).to_be_visible()

    notice = notices.notice_publish(
        actor=union, programme=programme, starts_on=dt.date.today() - dt.timedelta(days=5)
    )
    notices.notice_close(actor=union, notice=notice)
    phone.reload()
    phone.get_by_role("button", name="发放", exact=True).tap()
    expect(phone.get_by_text("已发放5000.00元。")).to_be_visible()
    assert Application.objects.get().status == ApplicationStatus.PAID
    expect(phone.get_by_text("跟踪走访")).to_be_visible()
    fits(phone)

    for name in ("care_programmes:list", "care_programmes:new", "care_programmes:follow_ups"):
        phone.goto(reverse(name))
        fits(phone)

    phone.goto(reverse("care_public:notice", args=[notice.pk]))
    expect(phone.get_by_text("张**")).to_be_visible()
    assert "张小明" not in phone.content()
    fits(phone)
