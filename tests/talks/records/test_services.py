"""Writing talk records: a good one, one with a voice that becomes a case, every kind of bad input
(nothing written), scope, audit, retries with the client's key, corrections, sensitive notes."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.talks.records.factories import Talkers, make_talkers, record, talk_input, voice
from xinsheng.cases.choices import CaseStatus, Channel
from xinsheng.cases.models import Case
from xinsheng.core.errors import Forbidden, InvalidInput, NotFound
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.talks.models import TalkParticipant, TalkRecord, TalkVoice
from xinsheng.talks.records import selectors, services
from xinsheng.talks.records.selectors import TalkFilters

pytestmark = pytest.mark.django_db


@pytest.fixture
def talkers(tree: Tree) -> Talkers:
    return make_talkers(tree)


def _counts() -> tuple[int, int, int, int]:
    return (
        TalkRecord.objects.count(),
        TalkParticipant.objects.count(),
        Case.objects.count(),
        AuditEvent.objects.filter(action__startswith="talk.").count(),
    )


def test_a_talk_is_recorded_with_its_people_their_units_and_an_audit_event(
    tree: Tree, talkers: Talkers
) -> None:
    recorded = record(tree, talkers.recorder, person_employee_nos=["W001", "W002"], tags=["住房"])

    talk = recorded.record
    assert recorded.created
    assert recorded.case_nos == []
    assert talk.unit == tree.area1
    assert talk.unit_path == tree.area1.path
    assert talk.recorded_by == talkers.recorder
    assert [h.person for h in talk.host_rows.all()] == [talkers.recorder.person]  # type: ignore[attr-defined]
    rows = list(talk.participants.order_by("person__employee_no"))
    assert [r.person.employee_no for r in rows] == ["W001", "W002"]
    assert {r.unit_path for r in rows} == {tree.team1.path}
    assert {r.held_on for r in rows} == {talk.held_on}
    event = AuditEvent.objects.get(action="talk.record")
    assert event.actor == talkers.recorder
    assert event.object_id == str(talk.pk)
    assert event.after["people"] == ["W001", "W002"]  # type: ignore[index]
    assert event.after["tags"] == ["住房"]  # type: ignore[index]


def test_a_voice_raised_underground_becomes_a_talk_case_in_the_ledger_linked_both_ways(
    tree: Tree, talkers: Talkers
) -> None:
    recorded = record(
        tree,
        talkers.recorder,
        place="underground",
        place_note="三号工作面",
        voices=[voice()],
    )

    case = Case.objects.get()
    assert recorded.case_nos == [case.case_no]
    assert case.channel == Channel.TALK
    assert case.status == CaseStatus.SUBMITTED
    assert case.origin_unit == tree.area1
    assert case.heard_on == recorded.record.held_on
    assert case.heard_place == "井下/工作面（三号工作面）"
    assert case.submitter_name == "王强"
    assert case.submitter_employee_no == "W001"
    assert TalkVoice.objects.get().record == recorded.record
    assert case.talk_voice.record == recorded.record  # type: ignore[attr-defined]

    dispatcher = Client()
    dispatcher.force_login(talkers.dispatcher)
    ledger = dispatcher.get("/cases/").content.decode()
    assert case.case_no in ledger
    assert "谈心" in ledger.split(case.case_no, 1)[1].split("</tr>", 1)[0]

    recorder = Client()
    recorder.force_login(talkers.recorder)
    talk_page = recorder.get(f"/talks/{recorded.record.pk}/").content.decode()
    assert f'href="/cases/{case.case_no}/"' in talk_page
    assert "待受理" in talk_page


def test_visits_give_visit_cases_and_anonymous_voices_name_nobody(
    tree: Tree, talkers: Talkers
) -> None:
    record(tree, talkers.recorder, kind="home_visit", place="home", voices=[voice(anonymous=True)])

    case = Case.objects.get()
    assert case.channel == Channel.VISIT
    assert case.is_anonymous
    assert case.submitter_name == ""
    assert case.submitter_employee_no == ""


def test_a_voice_is_named_by_the_person_who_raised_it(tree: Tree, talkers: Talkers) -> None:
    record(
        tree,
        talkers.recorder,
        person_employee_nos=["W001", "W002"],
        voices=[voice(employee_no="W002")],
    )

    assert Case.objects.get().submitter_name == "李刚"


def test_a_visit_where_nothing_was_raised_is_a_record_too(tree: Tree, talkers: Talkers) -> None:
    recorded = record(tree, talkers.recorder, kind="visit", place="canteen", summary="")

    assert TalkRecord.objects.get() == recorded.record
    assert Case.objects.count() == 0


def _tomorrow() -> dt.date:
    """Tomorrow when the test runs, not when it was collected (they may straddle midnight)."""
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"person_employee_nos": ["X999"]}, "people", "找不到工号为“X999”的人员"),
        ({"person_employee_nos": ["F001"]}, "people", "不在您的管理范围内"),
        ({"person_employee_nos": []}, "people", "请至少填写一名谈话对象"),
        ({"host_employee_nos": ["F001"]}, "hosts", "找不到工号为“F001”的人员"),
        ({"held_on": _tomorrow}, "held_on", "不能晚于今天"),
        ({"kind": "chat"}, "kind", "请选择类型"),
        ({"place": "moon"}, "place", "请从列表中选择地点"),
        ({"place": "other"}, "place_note", "请填写地点说明"),
        ({"direction": "sideways"}, "direction", "主动约谈或接受约谈"),
        ({"voices": [voice("太短")]}, "voices", "第1条诉求"),
        ({"voices": [voice(employee_no="W009")]}, "voices", "须是谈话对象之一"),
        ({"tags": ["很长很长很长很长很长很长很长很长很长很长很长"]}, "tags", "太长"),
    ],
)
def test_bad_input_names_the_field_in_chinese_and_writes_nothing(
    tree: Tree, talkers: Talkers, fields: dict[str, object], field: str, words: str
) -> None:
    before = _counts()
    fields = {name: value() if callable(value) else value for name, value in fields.items()}

    with pytest.raises(InvalidInput) as raised:
        record(tree, talkers.recorder, **{"voices": [voice()], **fields})

    assert field in raised.value.fields
    assert words in "".join(str(m) for m in raised.value.fields[field])
    assert _counts() == before


def test_several_problems_are_all_named_at_once(tree: Tree, talkers: Talkers) -> None:
    with pytest.raises(InvalidInput) as raised:
        record(
            tree,
            talkers.recorder,
            person_employee_nos=[],
            held_on=timezone.localdate() + dt.timedelta(days=3),
            kind="",
        )

    assert {"people", "held_on", "kind"} <= set(raised.value.fields)


def test_recording_needs_talk_record_at_the_unit(tree: Tree, talkers: Talkers) -> None:
    before = _counts()
    with pytest.raises(Forbidden):
        record(tree, talkers.stranger)  # a recorder of mine M2 at area A1
    with pytest.raises(Forbidden):
        record(tree, make_staff(tree.area1, Role.HANDLER))  # handlers do not record talks
    assert _counts() == before


def test_a_leader_records_a_talk_with_a_voice(tree: Tree, talkers: Talkers) -> None:
    leader = make_staff(tree.company1, Role.LEADER)

    recorded = record(tree, leader, voices=[voice()])

    assert Case.objects.get().case_no == recorded.case_nos[0]


def test_records_are_seen_only_within_scope(tree: Tree, talkers: Talkers) -> None:
    talk = record(tree, talkers.recorder).record
    outsider = make_staff(tree.company2, Role.LEADER)
    above = make_staff(tree.group, Role.LEADER)

    assert list(selectors.talk_list_for(actor=above)) == [talk]
    assert list(selectors.talk_list_for(actor=outsider)) == []
    with pytest.raises(NotFound):
        selectors.talk_get_for(actor=outsider, record_id=talk.pk)
    mine = selectors.talk_list_for(actor=above, filters=TalkFilters(unit=tree.mine2))
    assert list(mine) == []


def test_a_retry_with_the_same_client_key_answers_with_the_first_record(
    tree: Tree, talkers: Talkers
) -> None:
    data = talk_input(tree, voices=[voice()])
    first = services.talk_record_create(actor=talkers.recorder, data=data, client_key="k-1")
    before = _counts()

    again = services.talk_record_create(actor=talkers.recorder, data=data, client_key="k-1")

    assert not again.created
    assert again.record == first.record
    assert again.case_nos == first.case_nos
    assert _counts() == before
    stored = TalkRecord.objects.get().client_key_hash
    assert stored is not None
    assert len(stored) == 64
    assert "k-1" not in stored


def test_the_same_key_from_another_account_is_another_record(tree: Tree, talkers: Talkers) -> None:
    data = talk_input(tree)
    services.talk_record_create(actor=talkers.recorder, data=data, client_key="k-1")
    services.talk_record_create(actor=talkers.head, data=data, client_key="k-1")

    assert TalkRecord.objects.count() == 2


def test_the_recorder_corrects_a_record_and_the_cases_sent_stay(
    tree: Tree, talkers: Talkers
) -> None:
    first = record(tree, talkers.recorder, voices=[voice()])
    case = Case.objects.get()

    corrected = services.talk_record_correct(
        actor=talkers.recorder,
        record=first.record,
        data=talk_input(
            tree,
            kind="visit",
            person_employee_nos=["W002"],
            summary="更正：走访了李刚。",
            voices=[voice("宿舍热水器坏了，希望尽快修理。")],
        ),
    )

    talk = TalkRecord.objects.get()
    assert talk.kind == "visit"
    assert talk.summary == "更正：走访了李刚。"
    assert [r.person.employee_no for r in talk.participants.all()] == ["W002"]
    assert Case.objects.filter(pk=case.pk).exists()
    assert sorted(v.case.case_no for v in talk.voices.all()) == sorted(
        [case.case_no, *corrected.case_nos]
    )
    event = AuditEvent.objects.get(action="talk.correct")
    assert event.before["people"] == ["W001"]
    assert event.after["people"] == ["W002"]
    assert event.before["kind"] == "talk"
    assert event.after["kind"] == "visit"


def test_only_the_recorder_corrects_and_a_bad_correction_changes_nothing(
    tree: Tree, talkers: Talkers
) -> None:
    talk = record(tree, talkers.recorder).record
    with pytest.raises(Forbidden):
        services.talk_record_correct(actor=talkers.head, record=talk, data=talk_input(tree))
    with pytest.raises(InvalidInput):
        services.talk_record_correct(
            actor=talkers.recorder,
            record=talk,
            data=talk_input(tree, person_employee_nos=["X999"], summary="改了"),
        )

    talk.refresh_from_db()
    assert talk.summary == "谈了轮休安排，情绪稳定。"
    assert not AuditEvent.objects.filter(action="talk.correct").exists()


def test_a_sensitive_note_is_shown_to_those_who_may_and_every_reading_is_logged(
    tree: Tree, talkers: Talkers
) -> None:
    talk = record(tree, talkers.recorder, sensitive_note="妻子住院，家庭困难。").record

    masked = services.talk_sensitive_note_read(actor=talkers.recorder, record=talk, via="test")
    assert masked == "（敏感信息，无权查看）"
    assert not AuditEvent.objects.filter(action="talk.sensitive_view").exists()

    for _ in range(2):
        shown = services.talk_sensitive_note_read(actor=talkers.head, record=talk, via="test")
        assert shown == "妻子住院，家庭困难。"
    views = AuditEvent.objects.filter(action="talk.sensitive_view")
    assert views.count() == 2
    assert {e.actor for e in views} == {talkers.head}
    written = AuditEvent.objects.get(action="talk.record")
    assert "妻子" not in str(written.after)


def test_a_record_without_a_sensitive_note_logs_no_reading(tree: Tree, talkers: Talkers) -> None:
    talk = record(tree, talkers.recorder).record

    assert services.talk_sensitive_note_read(actor=talkers.head, record=talk, via="test") == ""
    assert not AuditEvent.objects.filter(action="talk.sensitive_view").exists()
