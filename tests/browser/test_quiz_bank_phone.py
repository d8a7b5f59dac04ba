"""On a phone, in a real browser: an organiser adds a question to the bank by hand and corrects
it, without scrolling sideways."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_quiz_phone import fits_the_phone
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.engage.quizzes.models import Question
from xinsheng.org.choices import Role

pytestmark = pytest.mark.browser


def test_an_organiser_adds_and_corrects_a_question_on_a_phone(phone: Page, tree: Tree) -> None:
    sign_in(phone, make_staff(tree.company1, Role.UNION))
    phone.goto(reverse("quizzes:bank"))
    phone.get_by_role("link", name="新增题目").tap()

    phone.locator("#id_text").fill("“一通三防”中的“三防”是指？")
    phone.locator("#id_kind").select_option("true_false")
    expect(phone.locator("#id_option_a")).to_be_hidden()
    phone.locator("#id_kind").select_option("multiple")
    expect(phone.locator("#id_option_a")).to_be_visible()
    phone.locator("#id_option_a").fill("防瓦斯")
    phone.locator("#id_option_b").fill("防煤尘")
    phone.locator("#id_option_c").fill("防灭火")
    phone.locator("#id_answer").fill("abc")
    phone.locator("#id_tags").fill("安全生产、一通三防")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="保存", exact=True).tap()

    expect(phone.get_by_text("题目已加入题库。")).to_be_visible()
    question = Question.objects.get()
    assert (question.answer, question.tags) == ("ABC", ["安全生产", "一通三防"])
    assert fits_the_phone(phone)
    phone.get_by_role("link", name="“一通三防”中的“三防”是指？").tap()
    phone.locator("#id_difficulty").select_option("hard")
    phone.get_by_role("button", name="保存", exact=True).tap()
    expect(phone.get_by_text("题目已保存。")).to_be_visible()
    question.refresh_from_db()
    assert question.difficulty == "hard"
