"""An evaluator opens the proposals waiting for them on a phone and scores one on the rubric."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_evaluator, make_window, make_worker, submit
from xinsheng.org.choices import Role
from xinsheng.proposals import services
from xinsheng.proposals.models import Assignment

pytestmark = pytest.mark.browser


def test_an_evaluator_scores_a_waiting_proposal_on_a_phone(phone: Page, tree: Tree) -> None:
    user, evaluator = make_evaluator(tree.mine1, "李评审")
    make_window(tree.mine1, [evaluator])
    manager = make_staff(tree.mine1, Role.DISPATCHER)
    for title in ("改进皮带机清扫器", "降低主洗车间电耗"):
        proposal, _code = submit(tree.team1, make_worker(tree.team1), title)
        services.evaluators_assign(actor=manager, proposal=proposal, evaluators=[evaluator])
    sign_in(phone, user)

    phone.goto(reverse("proposals:waiting"))
    expect(phone.get_by_role("heading", name="待我评审")).to_be_visible()
    expect(phone.get_by_role("link", name="改进皮带机清扫器")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.get_by_role("link", name="评分").first.click()
    expect(phone.get_by_role("heading", name="评审打分")).to_be_visible()
    phone.get_by_label("创新性（0–30）").fill("35")  # above the criterion's maximum
    phone.get_by_label("可行性（0–30）").fill("25")
    phone.get_by_label("效益（0–40）").fill("30")
    phone.get_by_role("button", name="提交评分").click()
    expect(phone.get_by_text("不能超过满分。")).to_be_visible()
    assert not Assignment.objects.filter(scored_at__isnull=False).exists()

    phone.get_by_label("创新性（0–30）").fill("24")
    phone.get_by_label("评审意见（可不填）").fill("思路可行，建议先在一号皮带试用。")
    submit_button = phone.get_by_role("button", name="提交评分")
    box = submit_button.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390
    submit_button.click()

    expect(phone.get_by_text("已提交对")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    scored = Assignment.objects.get(scored_at__isnull=False)
    assert scored.total == 79
    assert phone.get_by_role("link", name="评分").count() == 1  # one is still waiting
