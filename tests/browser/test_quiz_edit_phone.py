"""On a phone, in a real browser: an organiser edits a campaign and a round that people have
already taken. What is allowed is saved; what would break the attempts made, or is out of range,
is refused with its reason in Chinese and everything typed stays on the page."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserErrors, sign_in
from tests.browser.test_quiz_phone import fits_the_phone
from tests.browser.test_unit_picker import forget_the_refusal
from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_bank, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.models import AuditEvent
from xinsheng.engage.quizzes import services
from xinsheng.engage.quizzes.models import Attempt, Campaign, Round
from xinsheng.org.choices import Role
from xinsheng.org.models import Person

pytestmark = pytest.mark.browser

MINUTE = "%Y-%m-%dT%H:%M"  # what a datetime-local box holds


@pytest.fixture
def organiser(tree: Tree) -> User:
    make_bank(tree.group)
    return make_staff(tree.company1, Role.UNION)


@pytest.fixture
def quiz_round(tree: Tree, organiser: User) -> Round:
    """A round of a campaign, taken twice by 王芳 (50, then 100 points) and once by 李强 (50)."""
    campaign = make_campaign(tree.company1, organiser, min_score=90, min_rounds=1)
    quiz_round = make_round(campaign, organiser, count=4, attempts_allowed=2)
    for name, number, right in (("王芳", "A100", 2), ("王芳", "A100", 4), ("李强", "A101", 2)):
        if not Person.objects.filter(employee_no=number).exists():
            PersonFactory(unit=tree.team1, name=name, employee_no=number)
        attempt = services.attempt_start(quiz_round=quiz_round, employee_no=number, name=name)
        services.attempt_submit(key=attempt.key, answers=answers_for(attempt, right))
    return quiz_round


def test_an_organiser_edits_a_campaign_on_a_phone(
    phone: Page, browser_errors: BrowserErrors, organiser: User, quiz_round: Round
) -> None:
    campaign = quiz_round.campaign
    url = reverse("quizzes:campaign_edit", args=[campaign.pk])
    sign_in(phone, organiser)
    phone.goto(reverse("quizzes:campaign", args=[campaign.pk]))
    board = phone.locator("section", has=phone.get_by_role("heading", name="个人排行（2 人参加）"))
    expect(board).to_contain_text("李*")
    expect(board).not_to_contain_text("李强")
    assert fits_the_phone(phone)
    phone.get_by_role("link", name="编辑活动").tap()

    # Out of range: refused with its reason, what was typed stays, nothing is written.
    phone.get_by_label("活动名称").fill("党史云答题")
    phone.get_by_label("达人分数线").fill("120")
    phone.get_by_label("活动排行榜显示姓名").check()
    phone.get_by_label("各轮次排行榜显示姓名").select_option("show")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="保存").tap()
    expect(phone.get_by_text("确保该值小于或等于100。")).to_be_visible()
    forget_the_refusal(browser_errors, url)  # answered 400 on purpose
    expect(phone.get_by_label("活动名称")).to_have_value("党史云答题")
    expect(phone.get_by_label("活动排行榜显示姓名")).to_be_checked()
    expect(phone.get_by_label("各轮次排行榜显示姓名")).to_have_value("show")
    kept = Campaign.objects.get(pk=campaign.pk)
    assert (kept.title, kept.expert_min_score, kept.show_names) == (campaign.title, 90, False)
    assert not AuditEvent.objects.filter(action="quiz.campaign.update").exists()
    assert fits_the_phone(phone)

    # Corrected: saved, and the campaign's board now names everyone.
    phone.get_by_label("达人分数线").fill("95")
    phone.get_by_role("button", name="保存").tap()
    expect(phone.get_by_text("答题活动已保存。")).to_be_visible()
    expect(phone.get_by_role("heading", name="党史云答题")).to_be_visible()
    expect(board).to_contain_text("李强")
    saved = Campaign.objects.get(pk=campaign.pk)
    assert (saved.title, saved.expert_min_score, saved.show_names) == ("党史云答题", 95, True)
    assert Round.objects.get(pk=quiz_round.pk).show_names
    assert fits_the_phone(phone)


def test_an_organiser_edits_a_round_taken_already_on_a_phone(
    phone: Page, browser_errors: BrowserErrors, organiser: User, quiz_round: Round
) -> None:
    url = reverse("quizzes:round_edit", args=[quiz_round.pk])
    first = Attempt.objects.order_by("started_at").first()
    assert first is not None
    opens, closes = quiz_round.opens_at, quiz_round.closes_at
    sign_in(phone, organiser)
    phone.goto(reverse("quizzes:round", args=[quiz_round.pk]))
    phone.get_by_role("link", name="编辑轮次").tap()
    expect(phone.get_by_text("本轮已有 3 人次答题")).to_be_visible()

    # Opening after people started: refused with the moment they started, nothing lost.
    later = timezone.localtime(first.started_at) + dt.timedelta(hours=1)
    phone.get_by_label("轮次名称").fill("第一轮（补充）")
    phone.locator("#id_opens_at").fill(later.strftime(MINUTE))
    phone.get_by_label("每人可答次数").fill("3")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="保存").tap()
    started = timezone.localtime(first.started_at).strftime("%Y-%m-%d %H:%M")
    expect(
        phone.get_by_text(f"已有职工于{started}开始答题，开始时间不能晚于此时。")
    ).to_be_visible()
    forget_the_refusal(browser_errors, url)  # answered 400 on purpose
    expect(phone.get_by_label("轮次名称")).to_have_value("第一轮（补充）")
    expect(phone.get_by_label("每人可答次数")).to_have_value("3")
    expect(phone.locator("#id_opens_at")).to_have_value(later.strftime(MINUTE))
    kept = Round.objects.get(pk=quiz_round.pk)
    assert (kept.title, kept.opens_at, kept.attempts_allowed) == (quiz_round.title, opens, 2)
    assert not AuditEvent.objects.filter(action="quiz.round.update").exists()
    assert fits_the_phone(phone)

    # Fewer attempts than 王芳 used: refused too.
    phone.locator("#id_opens_at").fill(timezone.localtime(opens).strftime(MINUTE))
    phone.get_by_label("每人可答次数").fill("1")
    phone.get_by_role("button", name="保存").tap()
    expect(phone.get_by_text("已有职工答了2次，每人可答次数不能少于2次。")).to_be_visible()
    forget_the_refusal(browser_errors, url)
    expect(phone.get_by_label("轮次名称")).to_have_value("第一轮（补充）")

    # Allowed: a longer window, more attempts, names on the board.
    longer = timezone.localtime(closes) + dt.timedelta(days=3)
    phone.get_by_label("结束时间").fill(longer.strftime(MINUTE))
    phone.get_by_label("每人可答次数").fill("3")
    phone.get_by_label("排行榜显示姓名").check()
    phone.get_by_role("button", name="保存").tap()
    expect(phone.get_by_text("轮次已保存。")).to_be_visible()
    expect(phone.get_by_role("heading", name="第一轮（补充）")).to_be_visible()
    saved = Round.objects.get(pk=quiz_round.pk)
    assert saved.title == "第一轮（补充）"
    assert saved.opens_at == opens  # shown to the minute, kept to the second
    assert saved.closes_at == longer.replace(second=0, microsecond=0)
    assert (saved.attempts_allowed, saved.show_names, saved.draw) == (3, True, quiz_round.draw)
    assert fits_the_phone(phone)
