"""On a phone, in a real browser: an employee scans a unit's QR code of a survey, answers it (a
question appears only after the answer it waits for), sends it, and on coming back is reminded,
politely, that this browser has answered; the staff's results page draws its charts."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.browser import conftest as kit
from tests.conftest import Tree
from tests.engage.surveys.factories import make_survey, union_of
from xinsheng.engage.surveys.models import SurveyAnswer, SurveyResponse

pytestmark = pytest.mark.browser


def test_an_employee_answers_a_survey_on_a_phone(
    open_page: kit.OpenPage, browser_errors: kit.BrowserErrors, tree: Tree
) -> None:
    cache.clear()
    union = union_of(tree.company1)
    survey = make_survey(tree.company1, actor=union)
    phone = open_page(**kit.PHONE)

    phone.goto(f"/wenjuan/{survey.token}/A1/")
    expect(phone.get_by_role("heading", name="职工满意度调查")).to_contain_text("综采一区")
    branch = phone.get_by_role("group", name="反映的是什么问题")
    expect(branch).to_be_hidden()
    phone.get_by_label("地面").check()
    phone.get_by_label("水果").check()
    phone.locator("fieldset", has_text="总体满意度").get_by_text("4", exact=True).tap()
    for item in ("工资", "食堂", "班车"):
        phone.get_by_role("radiogroup", name=item).get_by_text("5", exact=True).tap()
    phone.get_by_role("group", name="是否反映过问题").get_by_label("是").check()
    expect(branch).to_be_visible()
    branch.get_by_role("textbox").fill("夜班班车太少")
    phone.get_by_role("group", name="其他意见建议").get_by_role("textbox").fill("希望多开一个窗口")
    assert kit_fits(phone)
    phone.get_by_role("button", name="提交问卷").tap()

    expect(phone.get_by_role("heading", name="感谢您的参与！")).to_be_visible()
    response = SurveyResponse.objects.get()
    assert response.unit == tree.area1
    assert response.person is None
    texts = set(SurveyAnswer.objects.exclude(text="").values_list("text", flat=True))
    assert texts == {"夜班班车太少", "希望多开一个窗口"}

    # Coming back on the same phone: a polite note, the form still works
    phone.goto(f"/wenjuan/{survey.token}/A1/")
    expect(phone.get_by_text("本浏览器已提交过这份问卷")).to_be_visible()

    # The staff's results page draws a chart per question
    desk = open_page(**kit.DESKTOP)
    kit.sign_in(desk, union)
    desk.goto(f"/surveys/{survey.pk}/results/")
    expect(desk.locator("[data-chart] canvas").first).to_be_visible()


def kit_fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
