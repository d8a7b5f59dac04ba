"""On a phone, in a real browser: an employee opens a round's link, names themselves, answers
the questions against the clock and sees their score."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser import conftest as kit
from tests.conftest import Tree
from tests.engage.quizzes.factories import make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.engage.quizzes.models import Attempt, Question
from xinsheng.org.choices import Role

pytestmark = pytest.mark.browser


def fits_the_phone(page: Page) -> bool:
    """Return whether the page is no wider than the phone's screen (nothing to scroll sideways)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_an_employee_takes_a_quiz_on_a_phone(
    open_page: kit.OpenPage, browser_errors: kit.BrowserErrors, tree: Tree
) -> None:
    make_bank(tree.group)
    organiser = make_staff(tree.company1, Role.UNION)
    quiz_round = make_round(make_campaign(tree.company1, organiser), organiser, count=4)
    PersonFactory(unit=tree.team1, name="韩磊", employee_no="YK0016")
    phone = open_page(**kit.PHONE)

    phone.goto(f"/dati/{quiz_round.pk}/")
    phone.get_by_label("工号").fill("YK0016")
    phone.get_by_label("姓名").fill("韩磊")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="开始答题").tap()

    expect(phone.locator("#quiz-clock")).to_contain_text(":")
    attempt = Attempt.objects.get()
    keys = dict(Question.objects.filter(pk__in=attempt.questions).values_list("id", "answer"))
    for pk in attempt.questions:
        for letter in keys[pk]:
            phone.locator(f"input[name='q_{pk}'][value='{letter}']").check()
    expect(phone.locator("#quiz-answered")).to_have_text("4")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="交卷").tap()

    expect(phone.locator("#quiz-score")).to_have_text("100")
    expect(phone.get_by_text("正确答案和解析在本轮结束后公布")).to_be_visible()
    assert Attempt.objects.get().score == 100
    browser_errors.check()
