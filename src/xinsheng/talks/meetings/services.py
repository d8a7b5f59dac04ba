"""Every write of meetings and their rectification items. One transaction each, audited.

A meeting is recorded by whoever may record meetings at its unit (``meeting.record``); its
findings become rectification items owned by a unit, followed to done like a project's milestones
(``rectification.update`` at the owner unit); a question raised at the meeting becomes a case
through the closed loop's own ``case_record`` (channel 谈心), linked in ``Meeting.cases``.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.cases.choices import Channel
from xinsheng.cases.models import Case
from xinsheng.cases.services import Identity, case_record
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.choices import MeetingKind
from xinsheng.talks.models import Inspection, Meeting, Rectification

TITLE_MAX = 100
TOPICS_MAX = 2000
ITEM_MAX = 500
NOTE_MAX = 500
HOT_TOPICS_MAX = 20
HOT_TOPIC_MAX = 50
ATTENDANCE_MAX = 100_000
MEETING_FIELDS = ["kind", "title", "unit", "held_on", "host", "attendance", "topics", "hot_topics"]


def invalid(field_name: str, message: str) -> InvalidInput:
    """Return the error of one field, with the message above the form too."""
    return InvalidInput(message, fields={field_name: [message]})


def clean_line(field_name: str, value: object, *, limit: int, required: bool = True) -> str:
    """Return ``value`` as one line of at most ``limit`` characters."""
    text = " ".join(str(value or "").split())
    if required and not text:
        raise invalid(field_name, _("此项必填。"))
    if len(text) > limit:
        raise invalid(field_name, _("不能超过%(limit)s个字。") % {"limit": limit})
    return text


def clean_past_date(field_name: str, value: dt.date | None) -> dt.date:
    """Return ``value``, a day that is not in the future."""
    if value is None:
        raise invalid(field_name, _("此项必填。"))
    if value > timezone.localdate():
        raise invalid(field_name, _("日期不能晚于今天。"))
    return value


def clean_hot_topics(values: list[str]) -> list[str]:
    """Return the hot-topic labels a 宣讲 answered: trimmed, without repeats, at most 20."""
    labels: list[str] = []
    for value in values:
        label = " ".join(str(value).split())
        if not label or label in labels:
            continue
        if len(label) > HOT_TOPIC_MAX:
            raise invalid(
                "hot_topics", _("每个热点不能超过%(limit)s个字。") % {"limit": HOT_TOPIC_MAX}
            )
        labels.append(label)
    if len(labels) > HOT_TOPICS_MAX:
        raise invalid("hot_topics", _("热点最多%(limit)s个。") % {"limit": HOT_TOPICS_MAX})
    return labels


@dataclass
class MeetingData:
    """What a recorder enters about a meeting."""

    kind: str
    unit: OrgUnit
    held_on: dt.date | None
    title: str
    attendance: int | None
    host: Person | None = None
    topics: str = ""
    hot_topics: list[str] = field(default_factory=list)


def _clean_meeting(actor: Actor, data: MeetingData) -> dict[str, object]:
    if data.kind not in MeetingKind.values:
        raise invalid("kind", _("会议类型无效。"))
    if not data.unit.is_active:
        raise invalid("unit", _("单位已停用。"))
    attendance = data.attendance
    if attendance is None or not 0 < attendance <= ATTENDANCE_MAX:
        raise invalid("attendance", _("参加人数须为正整数。"))
    if data.host is not None and not permissions.may(actor, "person.view", data.host.unit):
        raise invalid("host", _("主持人不在您的范围内。"))
    hot_topics = clean_hot_topics(data.hot_topics)
    if hot_topics and data.kind != MeetingKind.LECTURE:
        raise invalid("hot_topics", _("只有宣讲/面对面可以填写回应的热点。"))
    topics = str(data.topics or "").strip()
    if len(topics) > TOPICS_MAX:
        raise invalid("topics", _("不能超过%(limit)s个字。") % {"limit": TOPICS_MAX})
    return {
        "kind": data.kind,
        "unit": data.unit,
        "unit_path": data.unit.path,
        "held_on": clean_past_date("held_on", data.held_on),
        "title": clean_line("title", data.title, limit=TITLE_MAX),
        "attendance": attendance,
        "host": data.host,
        "topics": topics,
        "hot_topics": hot_topics,
    }


@transaction.atomic
def meeting_record(*, actor: Actor, data: MeetingData) -> Meeting:
    """Record a meeting held at ``data.unit``."""
    permissions.require(actor, "meeting.record", data.unit)
    meeting = Meeting.objects.create(
        **_clean_meeting(actor, data),
        recorded_by_id=actor.pk if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor, action="meeting.record", obj=meeting, after=snapshot(meeting, MEETING_FIELDS)
    )
    return meeting


# --- rectification items --------------------------------------------------------------------------


def _clean_item(
    actor: Actor, *, text: str, owner_unit: OrgUnit, due_on: dt.date | None
) -> dict[str, object]:
    if not owner_unit.is_active or not permissions.may(actor, "talk.view", owner_unit):
        raise invalid("owner_unit", _("责任单位无效。"))
    if due_on is None:
        raise invalid("due_on", _("此项必填。"))
    return {
        "text": clean_line("text", text, limit=ITEM_MAX),
        "owner_unit": owner_unit,
        "unit_path": owner_unit.path,
        "due_on": due_on,
    }


def rectification_create(
    *,
    actor: Actor,
    text: str,
    owner_unit: OrgUnit,
    due_on: dt.date | None,
    meeting: Meeting | None = None,
    inspection: Inspection | None = None,
) -> Rectification:
    """Write an item found by ``meeting`` or ``inspection``; the caller checked the permission.

    Runs inside the caller's transaction (``rectification_add`` or the inspection's service).
    """
    fields = _clean_item(actor, text=text, owner_unit=owner_unit, due_on=due_on)
    item = Rectification.objects.create(meeting=meeting, inspection=inspection, **fields)
    audit_record(
        actor=actor,
        action="rectification.create",
        obj=item,
        after=snapshot(item, ["meeting", "inspection", "text", "owner_unit", "due_on"]),
    )
    return item


@transaction.atomic
def rectification_add(
    *, actor: Actor, meeting: Meeting, text: str, owner_unit: OrgUnit, due_on: dt.date | None
) -> Rectification:
    """Add a finding of ``meeting`` as an item to put right by ``owner_unit`` by ``due_on``."""
    permissions.require(actor, "meeting.record", meeting.unit)
    return rectification_create(
        actor=actor, text=text, owner_unit=owner_unit, due_on=due_on, meeting=meeting
    )


@transaction.atomic
def rectification_done(
    *, actor: Actor, item: Rectification, note: str, done_on: dt.date | None = None
) -> Rectification:
    """Mark ``item`` done on ``done_on`` (today by default), saying what was done."""
    item = Rectification.objects.select_for_update().select_related("owner_unit").get(pk=item.pk)
    permissions.require(actor, "rectification.update", item.owner_unit)
    if item.done_on is not None:
        raise Conflict(_("该整改事项已完成。"), code="rectification_done")
    item.done_note = clean_line("note", note, limit=NOTE_MAX)
    item.done_on = clean_past_date("done_on", done_on or timezone.localdate())
    item.save(update_fields=["done_note", "done_on", "updated_at"])
    audit_record(
        actor=actor,
        action="rectification.done",
        obj=item,
        after=snapshot(item, ["done_on", "done_note"]),
    )
    return item


# --- questions raised at a meeting ----------------------------------------------------------------


@transaction.atomic
def meeting_question(
    *,
    actor: Actor,
    meeting: Meeting,
    kind: str,
    text: str,
    title: str = "",
    identity: Identity | None = None,
) -> Case:
    """Write a question raised at ``meeting`` as a case of the closed loop, linked to it.

    The case is recorded at the meeting's unit, heard on the meeting's day, through the talk
    channel (谈心): a meeting is a face-to-face talk with many.
    """
    permissions.require(actor, "meeting.record", meeting.unit)
    submitted = case_record(
        actor=actor,
        unit=meeting.unit,
        channel=Channel.TALK,
        kind=kind,
        title=title,
        text=text,
        identity=identity or Identity(anonymous=True),
        heard_on=meeting.held_on,
        heard_place=meeting.title[:100],
    )
    meeting.cases.add(submitted.case)
    audit_record(
        actor=actor,
        action="meeting.question",
        obj=meeting,
        after={"case": submitted.case.case_no},
    )
    return submitted.case
