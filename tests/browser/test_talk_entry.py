"""A recorder writes talks on a phone with a poor signal: what is typed is kept, a record saved
while offline waits on the phone and is sent exactly once when the connection returns, and
records follow one another."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.conftest import Tree
from tests.talks.records.factories import make_talkers
from xinsheng.cases.models import Case
from xinsheng.talks.models import TalkRecord

pytestmark = pytest.mark.browser
SUMMARY = "夜班后在井口食堂谈心，说起孩子上学的事，情绪稳定。"


def test_a_record_saved_offline_is_kept_and_sent_once_when_the_connection_returns(
    phone: Page, tree: Tree
) -> None:
    talkers = make_talkers(tree)
    sign_in(phone, talkers.recorder)
    phone.goto(reverse("talks:record_new"))
    people = phone.get_by_label("谈话对象（工号）")

    # What is typed stays in the browser: a reload loses nothing
    people.fill("W001")
    phone.get_by_label("谈话摘要").fill(SUMMARY)
    phone.get_by_label("地点", exact=True).select_option("canteen")
    phone.reload()
    expect(people).to_have_value("W001")
    expect(phone.get_by_label("谈话摘要")).to_have_value(SUMMARY)

    # The signal drops: saving keeps the record on the phone and clears the form for the next
    phone.context.set_offline(True)
    phone.get_by_role("button", name="保存并继续记录下一条").click()
    pending = phone.locator("#entry-pending")
    expect(pending).to_have_text("1 条待发送")
    expect(phone.locator("#entry-status")).to_contain_text("联网后自动发送")
    expect(people).to_have_value("")
    expect(phone.get_by_label("谈话摘要")).to_have_value("")
    assert TalkRecord.objects.count() == 0

    # The signal returns: the record is sent by itself, once
    phone.context.set_offline(False)
    expect(pending).to_be_hidden()
    expect(phone.locator("#entry-status")).to_contain_text("待发送的记录已全部发送")
    expect(phone.locator("#entry-recent li").first).to_contain_text("谈心")
    assert TalkRecord.objects.filter(summary=SUMMARY).count() == 1

    # Coming back to the page sends nothing again
    phone.reload()
    expect(pending).to_be_hidden()
    assert TalkRecord.objects.count() == 1
    talk = TalkRecord.objects.get()
    assert [p.person.employee_no for p in talk.participants.all()] == ["W001"]
    assert talk.place == "canteen"
    assert talk.recorded_by == talkers.recorder


def test_several_records_in_a_row_keep_where_and_when(phone: Page, tree: Tree) -> None:
    talkers = make_talkers(tree)
    sign_in(phone, talkers.recorder)
    phone.goto(reverse("talks:record_new"))
    people = phone.get_by_label("谈话对象（工号）")
    save = phone.get_by_role("button", name="保存并继续记录下一条")

    # The first: a visit underground, with a voice raised
    phone.get_by_label("走访", exact=True).check()
    phone.get_by_label("地点", exact=True).select_option("underground")
    phone.get_by_label("地点说明").fill("三号工作面")
    people.fill("W001")
    phone.get_by_text("反映的诉求（转为诉求进入办理闭环）").click()
    phone.get_by_label("反映的诉求 1").fill("工作面通风不好，希望尽快检修风机。")
    save.click()
    expect(phone.locator("#entry-status")).to_contain_text("已保存")
    case = Case.objects.get()
    expect(phone.locator("#entry-status")).to_contain_text(case.case_no)

    # The second, picked by name: kind and place stay, the rest is empty
    expect(phone.get_by_label("地点说明")).to_have_value("三号工作面")
    expect(phone.get_by_label("走访", exact=True)).to_be_checked()
    expect(people).to_have_value("")
    expect(phone.get_by_label("反映的诉求 1")).to_have_value("")
    picker = phone.locator("#id_people-search")
    picker.fill("李")
    expect(phone.locator("#id_people-options option[value=W002]")).to_have_count(1)
    picker.fill("W002")
    expect(people).to_have_value("W002")
    save.click()
    expect(phone.locator("#entry-recent li")).to_have_count(2)

    assert TalkRecord.objects.count() == 2
    assert sorted(r.participants.get().person.employee_no for r in TalkRecord.objects.all()) == [
        "W001",
        "W002",
    ]
    assert {r.place_note for r in TalkRecord.objects.all()} == {"三号工作面"}
    assert case.channel == "visit"
