"""On a phone, in a real browser: an employee takes a quiz, opens the leaderboard from the
result page and finds their own place, then the campaign's board across the rounds."""

import pytest
from playwright.sync_api import expect

from tests.browser import conftest as kit
from tests.browser.test_quiz_phone import fits_the_phone
from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.engage.quizzes import services
from xinsheng.engage.quizzes.models import Attempt, Question
from xinsheng.org.choices import Role

pytestmark = pytest.mark.browser


def test_an_employee_takes_a_quiz_and_finds_their_place_on_the_board(
    open_page: kit.OpenPage, browser_errors: kit.BrowserErrors, tree: Tree
) -> None:
    # Given a round already taken by two colleagues, 王芳 (100) and 李强 (50)
    make_bank(tree.group)
    organiser = make_staff(tree.company1, Role.UNION)
    quiz_round = make_round(make_campaign(tree.company1, organiser), organiser, count=4)
    for name, number, right in (("王芳", "YK0001", 4), ("李强", "YK0002", 2)):
        PersonFactory(unit=tree.team1, name=name, employee_no=number)
        attempt = services.attempt_start(quiz_round=quiz_round, employee_no=number, name=name)
        services.attempt_submit(key=attempt.key, answers=answers_for(attempt, right))
    PersonFactory(unit=tree.team1, name="韩磊", employee_no="YK0016")
    phone = open_page(**kit.PHONE)

    # When 韩磊 takes the round on a phone, three of four right (75)
    phone.goto(f"/dati/{quiz_round.pk}/")
    phone.get_by_label("工号").fill("YK0016")
    phone.get_by_label("姓名").fill("韩磊")
    phone.get_by_role("button", name="开始答题").tap()
    expect(phone.locator("#quiz-clock")).to_contain_text(":")
    attempt = Attempt.objects.get(person__employee_no="YK0016")
    keys = dict(Question.objects.filter(pk__in=attempt.questions).values_list("id", "answer"))
    for index, pk in enumerate(attempt.questions):
        letters = keys[pk] if index < 3 else ("B" if keys[pk] != "B" else "A")
        for letter in letters:
            phone.locator(f"input[name='q_{pk}'][value='{letter}']").check()
    phone.get_by_role("button", name="交卷").tap()
    expect(phone.locator("#quiz-score")).to_have_text("75")

    # and opens the leaderboard from the result page
    phone.get_by_role("button", name="查看排行榜和我的名次").tap()

    # Then the board shows their place, second of three, their own line marked, surnames only
    expect(phone.locator("#board-rank")).to_have_text("2")
    expect(phone.locator("#board-place")).to_contain_text("共 3 人上榜")
    mine = phone.locator("#person-board tr.mine")
    expect(mine).to_contain_text("韩*")
    expect(mine).to_contain_text("75")
    expect(phone.locator("#person-board")).not_to_contain_text("王芳")
    expect(phone.locator("#unit-board")).to_contain_text("一矿")
    assert fits_the_phone(phone)

    # and the campaign's board keeps their place
    phone.get_by_role("button", name="活动总排行榜").tap()
    expect(phone.get_by_role("heading", name="活动总排行榜")).to_be_visible()
    expect(phone.locator("#board-rank")).to_have_text("2")
    assert fits_the_phone(phone)
    browser_errors.check()
