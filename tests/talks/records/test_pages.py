"""The staff pages of talk records: fast entry (plain and by script), the ledger and its filters,
a record's page with its voices and sensitive note, corrections, the people picker."""

import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.core.test_language import CJK, visible_text
from tests.org.factories import make_staff
from tests.talks.records.factories import Talkers, make_talkers, record, voice
from xinsheng.cases import services as case_services
from xinsheng.cases.models import Case
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.talks.models import TalkRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def talkers(tree: Tree) -> Talkers:
    return make_talkers(tree)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _entry(tree: Tree, **fields: str) -> dict[str, str]:
    values = {
        "kind": "talk",
        "unit": tree.area1.code,
        "held_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "people": "W001",
        "place": "underground",
        "place_note": "三号工作面",
        "direction": "initiated",
        "summary": "谈了轮休安排。",
        "voice_kind_1": "demand",
        "voice_kind_2": "demand",
        "voice_kind_3": "demand",
        "client_key": "3f1c9a52-0d1e-4c8e-9a55-0b6f0e2f7a10",
    }
    values.update(fields)
    return values


def test_the_entry_page_offers_the_form_with_the_recorders_unit_and_person(
    tree: Tree, talkers: Talkers
) -> None:
    html = _client(talkers.recorder).get("/talks/new/").content.decode()

    assert "保存并继续记录下一条" in html
    assert f'<option value="{tree.area1.code}" selected>' in html
    assert 'value="' + talkers.recorder.person.employee_no + '"' in html  # type: ignore[attr-defined]
    assert 'name="client_key"' in html
    assert "talks/entry.js" in html
    assert "<script>" not in html
    assert "style=" not in html


def test_saving_a_record_keeps_where_and_when_for_the_next_one(
    tree: Tree, talkers: Talkers
) -> None:
    client = _client(talkers.recorder)

    response = client.post(
        "/talks/new/", _entry(tree, voice_text_1="澡堂热水不足，希望延长供应时间。")
    )

    html = response.content.decode()
    talk = TalkRecord.objects.get()
    case = Case.objects.get()
    assert response.status_code == 200
    assert "已保存" in html
    assert case.case_no in html
    assert f'href="/talks/{talk.pk}/"' in html
    assert 'value="三号工作面"' in html  # kept for the next record
    assert 'name="people" value=""' in html or 'name="people" maxlength' in html
    assert talk.place == "underground"
    assert case.heard_place == "井下/工作面（三号工作面）"
    # ... and the receipt code to hand to the person who raised it, shown this once
    [code] = re.findall(r"查询码（只显示这一次，请交给反映人）：([0-9A-Z-]+)", html)
    assert case_services.case_for_receipt(code) == case


def test_the_script_gets_json_and_a_resend_writes_nothing_new(tree: Tree, talkers: Talkers) -> None:
    client = _client(talkers.recorder)
    body = _entry(tree, voice_text_1="澡堂热水不足，希望延长供应时间。")

    first = client.post("/talks/new/", body, HTTP_ACCEPT="application/json")
    again = client.post("/talks/new/", body, HTTP_ACCEPT="application/json")

    assert first.status_code == 201
    assert again.status_code == 200
    one, two = json.loads(first.content), json.loads(again.content)
    assert one["id"] == two["id"] == TalkRecord.objects.get().pk
    assert one["case_nos"] == two["case_nos"] == [Case.objects.get().case_no]
    assert two["created"] is False
    assert "未重复记录" in two["message"]
    assert len(one["receipt_codes"]) == 1
    assert two["receipt_codes"] == []  # shown once only


def test_bad_entries_answer_the_fields_in_chinese_and_write_nothing(
    tree: Tree, talkers: Talkers
) -> None:
    client = _client(talkers.recorder)
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()

    as_json = client.post(
        "/talks/new/", _entry(tree, people="X999"), HTTP_ACCEPT="application/json"
    )
    as_page = client.post("/talks/new/", _entry(tree, people="", held_on=future))

    errors = json.loads(as_json.content)["errors"]
    assert as_json.status_code == 400
    assert "X999" in errors["people"][0]
    assert as_page.status_code == 400
    assert "谈话日期不能晚于今天" in as_page.content.decode()
    assert TalkRecord.objects.count() == 0


def test_the_people_picker_finds_people_in_scope_by_name_or_number(
    tree: Tree, talkers: Talkers
) -> None:
    client = _client(talkers.recorder)

    by_name = client.get("/talks/people/", {"q": "王"}).content.decode()
    by_number = client.get("/talks/people/", {"q": "W002"}).content.decode()
    outside = client.get("/talks/people/", {"q": "赵六"}).content.decode()

    assert '<option value="W001">王强' in by_name
    assert '<option value="W002">李刚' in by_number
    assert "F001" not in outside


def _ledger(client: Client, **params: str) -> str:
    return client.get("/talks/", params).content.decode()


def test_the_ledger_lists_records_in_scope_with_their_people_and_cases(
    tree: Tree, talkers: Talkers
) -> None:
    talk = record(tree, talkers.recorder, voices=[voice()], place="underground").record
    case = Case.objects.get()

    html = _ledger(_client(talkers.head))

    assert f'href="/talks/{talk.pk}/"' in html
    assert "王强" in html
    assert talkers.recorder.person.name in html
    assert "井下/工作面" in html
    assert tree.area1.name in html
    assert f'href="/cases/{case.case_no}/"' in html
    assert "暂无谈心走访记录" in _ledger(_client(make_staff(tree.company2, Role.LEADER)))


def test_the_ledger_filters(tree: Tree, talkers: Talkers) -> None:
    today = timezone.localdate()
    talk = record(tree, talkers.recorder, tags=["住房"], voices=[voice()]).record
    visit = record(
        tree,
        talkers.head,
        kind="visit",
        place="canteen",
        person_employee_nos=["W002"],
        held_on=today - dt.timedelta(days=20),
        summary="食堂走访，饭菜可口。",
    ).record
    client = _client(make_staff(tree.company1, Role.LEADER))

    def shown(**params: str) -> set[int]:
        html = _ledger(client, **params)
        return {r.pk for r in (talk, visit) if f'href="/talks/{r.pk}/"' in html}

    assert shown() == {talk.pk, visit.pk}
    assert shown(kind="visit") == {visit.pk}
    assert shown(place="canteen") == {visit.pk}
    assert shown(voices="with") == {talk.pk}
    assert shown(voices="without") == {visit.pk}
    assert shown(tag="住房") == {talk.pk}
    assert shown(host=talkers.head.person.employee_no) == {visit.pk}  # type: ignore[attr-defined]
    assert shown(q="李刚") == {visit.pk}
    assert shown(q="饭菜") == {visit.pk}
    assert shown(unit=tree.team1.code) == set()
    assert shown(unit=tree.area1.code) == {talk.pk, visit.pk}
    assert shown(date_from=(today - dt.timedelta(days=5)).isoformat()) == {talk.pk}
    assert shown(date_to=(today - dt.timedelta(days=10)).isoformat()) == {visit.pk}
    assert "找不到单位代码" in _ledger(client, unit=tree.mine2.code + "X")


def test_the_ledger_pages_by_keyset(tree: Tree, talkers: Talkers) -> None:
    today = timezone.localdate()
    for days in range(55):
        record(tree, talkers.recorder, held_on=today - dt.timedelta(days=days))
    client = _client(talkers.recorder)

    first = _ledger(client)
    assert first.count('href="/talks/') - first.count('href="/talks/new/"') >= 50
    cursor = first.split('rel="next"', 1)[0].rsplit("cursor=", 1)[1].split('"', 1)[0]
    second = client.get("/talks/?cursor=" + cursor.replace("&amp;", "&")).content.decode()
    oldest = TalkRecord.objects.order_by("held_on").first()
    assert oldest is not None
    assert f'href="/talks/{oldest.pk}/"' in second
    assert 'rel="prev"' in second


def test_the_record_page_shows_everything_and_masks_the_sensitive_note(
    tree: Tree, talkers: Talkers
) -> None:
    talk = record(
        tree,
        talkers.recorder,
        sensitive_note="母亲重病，家庭困难。",
        tags=["家庭困难"],
        voices=[voice()],
    ).record

    as_recorder = _client(talkers.recorder).get(f"/talks/{talk.pk}/").content.decode()
    as_head = _client(talkers.head).get(f"/talks/{talk.pk}/").content.decode()

    for html in (as_recorder, as_head):
        assert "王强" in html
        assert "W001" in html
        assert "谈了轮休安排" in html
        assert "家庭困难" in html
        assert "办公室" in html
        assert "主动约谈" in html
        assert Case.objects.get().case_no in html
        assert "待受理" in html
    assert "母亲重病" not in as_recorder
    assert "（敏感信息，无权查看）" in as_recorder
    assert "母亲重病" in as_head
    logged = AuditEvent.objects.filter(action="talk.sensitive_view")
    assert [e.actor for e in logged] == [talkers.head]
    assert logged.get().note == f"/talks/{talk.pk}/"
    assert "更正" in as_recorder
    assert f"/talks/{talk.pk}/edit/" not in as_head


def test_a_record_out_of_scope_is_not_found(tree: Tree, talkers: Talkers) -> None:
    talk = record(tree, talkers.recorder).record

    assert _client(talkers.stranger).get(f"/talks/{talk.pk}/").status_code == 404
    assert _client(talkers.recorder).get("/talks/999999/").status_code == 404


def test_the_recorder_corrects_a_record_on_its_page(tree: Tree, talkers: Talkers) -> None:
    talk = record(tree, talkers.recorder).record
    client = _client(talkers.recorder)

    form = client.get(f"/talks/{talk.pk}/edit/").content.decode()
    response = client.post(
        f"/talks/{talk.pk}/edit/",
        _entry(tree, people="W001、W002", summary="补记：还谈了李刚。", client_key=""),
    )

    assert 'value="W001"' in form
    assert response.status_code == 302
    assert response["Location"] == f"/talks/{talk.pk}/"
    talk.refresh_from_db()
    assert talk.summary == "补记：还谈了李刚。"
    assert talk.participants.count() == 2
    assert AuditEvent.objects.filter(action="talk.correct").count() == 1
    assert _client(talkers.head).get(f"/talks/{talk.pk}/edit/").status_code == 403


def test_the_menu_shows_the_ledger_to_staff(tree: Tree, talkers: Talkers) -> None:
    html = _client(talkers.recorder).get("/").content.decode()

    assert 'href="/talks/"' in html
    assert "谈心走访" in html


def test_the_pages_in_english_show_only_data_in_chinese(tree: Tree, talkers: Talkers) -> None:
    talk = record(
        tree,
        talkers.recorder,
        sensitive_note="母亲重病。",
        tags=["住房"],
        voices=[voice()],
    ).record
    case = Case.objects.get()
    client = _client(talkers.head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = [
        tree.group.name,
        tree.company1.name,
        tree.mine1.name,
        tree.area1.name,
        tree.team1.name,
        "王强",
        talkers.head.person.name,  # type: ignore[attr-defined]
        talkers.recorder.person.name,  # type: ignore[attr-defined]
        "谈了轮休安排，情绪稳定。",
        "母亲重病。",
        "住房",
        case.title,
    ]

    for url in ("/talks/new/", "/talks/", f"/talks/{talk.pk}/", "/talks/import/"):
        if url == "/talks/import/":
            client.force_login(talkers.dispatcher)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
            data.append(talkers.dispatcher.person.name)  # type: ignore[attr-defined]
        html = client.get(url).content.decode()
        text = visible_text(html)
        for words in sorted(data, key=len, reverse=True):
            text = text.replace(words, "")
        assert not CJK.search(text), (url, re.findall(r"[\u4e00-\u9fff（）]+", text))


def test_a_corrector_who_may_not_read_the_sensitive_note_neither_sees_nor_erases_it(
    tree: Tree, talkers: Talkers
) -> None:
    talk = record(tree, talkers.recorder, sensitive_note="家中老人卧床。").record
    client = _client(talkers.recorder)

    form = client.get(f"/talks/{talk.pk}/edit/").content.decode()
    client.post(f"/talks/{talk.pk}/edit/", _entry(tree, summary="补记。", client_key=""))

    assert "家中老人卧床" not in form
    assert "您无权查看" in form
    talk.refresh_from_db()
    assert talk.summary == "补记。"
    assert talk.sensitive_note == "家中老人卧床。"
