"""Every write of talk records: record one, correct one, and read a sensitive note (logged).

Each write checks the actor's permission at the record's unit (``talk.record``; an import's
rows ``talk.import``), checks every field at once (``checks.talk_check``: nothing is written
when anything is wrong), writes the record, its hosts and the people talked with in one
transaction with its audit event, and turns each voice raised into a case through
``cases.services.case_record`` (channel 谈心, or 走访 for visits), linked by ``TalkVoice``: the
case then goes round the closed loop like any other. A correction leaves the cases already sent
as they are.
"""

from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from xinsheng.cases import services as case_services
from xinsheng.cases.choices import Channel
from xinsheng.cases.services import Identity
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Forbidden
from xinsheng.org import permissions
from xinsheng.org.validation import PHONE_PATTERN
from xinsheng.talks.choices import Place, TalkKind
from xinsheng.talks.models import TalkHost, TalkParticipant, TalkRecord, TalkVoice
from xinsheng.talks.records import keys
from xinsheng.talks.records import vocabulary as words
from xinsheng.talks.records.checks import (
    CheckedTalk,
    CheckedVoice,
    PeopleFinder,
    TalkInput,
    talk_check,
)
from xinsheng.talks.records.scope import may_at_path

RECORD = "talk.record"
SENSITIVE = "talk.view_sensitive"


@dataclass(frozen=True)
class Recorded:
    """What writing a record gave: the record, the numbers of the cases its voices became, and
    whether it is new (False: a retry of a record already written)."""

    record: TalkRecord
    case_nos: list[str]
    created: bool
    # The receipt codes of the cases just made, in order, to hand to their named speakers (shown
    # once, like the notebook's; never stored). Empty for a retry.
    receipt_codes: list[str] = field(default_factory=list)


# --- helpers --------------------------------------------------------------------------------------


def _case_nos(record: TalkRecord) -> list[str]:
    return list(
        TalkVoice.objects.filter(record=record)
        .order_by("id")
        .values_list("case__case_no", flat=True)
    )


def _heard_place(checked: CheckedTalk) -> str:
    """Return the place as the case keeps it: the place's name (in Chinese, as data) and note."""
    with translation.override(settings.LANGUAGE_CODE):
        name = str(Place(checked.place).label) if checked.place else ""
    if checked.place_note:
        return f"{name}（{checked.place_note}）" if name else checked.place_note
    return name


def _identity(voice: CheckedVoice) -> Identity:
    person = voice.person
    if person is None:
        return Identity(anonymous=True)
    phone = person.phone if PHONE_PATTERN.match(person.phone or "") else ""
    return Identity(anonymous=False, name=person.name, employee_no=person.employee_no, phone=phone)


def _voices_sent(
    record: TalkRecord, checked: CheckedTalk, *, actor: Actor, action: str
) -> list[tuple[str, str]]:
    """Write each voice of ``checked`` as a case linked to ``record``; return the case numbers
    with their receipt codes."""
    channel = Channel.TALK if checked.kind == TalkKind.TALK else Channel.VISIT
    place = _heard_place(checked)
    numbers = []
    for voice in checked.voices:
        submitted = case_services.case_record(
            actor=actor,
            unit=checked.unit,
            channel=channel,
            kind=voice.kind,
            title="",
            text=voice.text,
            identity=_identity(voice),
            heard_on=checked.held_on,
            heard_place=place[:100],
            permission=action,
        )
        TalkVoice.objects.create(record=record, case=submitted.case)
        numbers.append((submitted.case.case_no, submitted.receipt_code))
    return numbers


def _people_rows(record: TalkRecord, checked: CheckedTalk) -> None:
    """Write the hosts and the people of ``record``, each person with their unit's path."""
    TalkHost.objects.bulk_create([TalkHost(record=record, person=p) for p in checked.hosts])
    TalkParticipant.objects.bulk_create(
        [
            TalkParticipant(record=record, person=p, held_on=checked.held_on, unit_path=p.unit.path)
            for p in checked.people
        ]
    )


def _fill(record: TalkRecord, checked: CheckedTalk) -> None:
    record.kind = checked.kind
    record.unit = checked.unit
    record.unit_path = checked.unit.path
    record.held_on = checked.held_on
    record.place = checked.place
    record.place_note = checked.place_note
    record.direction = checked.direction
    record.summary = checked.summary
    record.tags = checked.tags
    record.sensitive_note = checked.sensitive_note


def snapshot(record: TalkRecord) -> dict[str, Any]:
    """Return what the audit keeps of ``record``: every field but the sensitive note's words
    (the log says only whether there is one, so that the note does not spread through it)."""
    return {
        "kind": record.kind,
        "unit": record.unit.code,
        "held_on": record.held_on.isoformat(),
        "place": record.place,
        "place_note": record.place_note,
        "direction": record.direction,
        "summary": record.summary,
        "tags": list(record.tags),
        "sensitive_note": bool(record.sensitive_note),
        "hosts": sorted(record.host_rows.values_list("person__employee_no", flat=True)),
        "people": sorted(record.participants.values_list("person__employee_no", flat=True)),
        "cases": _case_nos(record),
    }


# --- recording ------------------------------------------------------------------------------------


def talk_record_for_key(*, actor: Actor, client_key: str | None) -> TalkRecord | None:
    """Return the record ``actor`` already wrote with ``client_key``, or None."""
    key = keys.key_clean(client_key)
    if key is None or not actor.is_authenticated:
        return None
    return TalkRecord.objects.filter(client_key_hash=keys.key_hash(actor, key)).first()


def talk_record_create(
    *,
    actor: Actor,
    data: TalkInput,
    client_key: str | None = None,
    action: str = RECORD,
    finder: PeopleFinder | None = None,
    key_hash: str | None = None,
) -> Recorded:
    """Write a talk or visit record and turn its voices into cases.

    With ``client_key`` (made by the client when the record was started), sending the same
    record again writes nothing and answers with the record written the first time.
    ``key_hash`` gives the stored hash directly (the import derives it from the row).
    """
    key = keys.key_clean(client_key)
    if key is not None and actor.is_authenticated:
        key_hash = keys.key_hash(actor, key)
    if key_hash is not None and (earlier := _written(key_hash)) is not None:
        return earlier
    try:
        return _create(actor=actor, data=data, action=action, finder=finder, key_hash=key_hash)
    except IntegrityError:
        # Two sends of one record at the same moment: the second finds the first one's row.
        if key_hash is not None and (earlier := _written(key_hash)) is not None:
            return earlier
        raise


def _written(key_hash: str) -> Recorded | None:
    record = TalkRecord.objects.select_related("unit").filter(client_key_hash=key_hash).first()
    if record is None:
        return None
    return Recorded(record, _case_nos(record), created=False)


@transaction.atomic
def _create(
    *,
    actor: Actor,
    data: TalkInput,
    action: str,
    finder: PeopleFinder | None,
    key_hash: str | None,
) -> Recorded:
    if data.unit is not None:
        permissions.require(actor, action, data.unit)
    checked = talk_check(actor=actor, data=data, finder=finder)
    record = TalkRecord(recorded_by_id=actor.pk, client_key_hash=key_hash)
    _fill(record, checked)
    record.save(force_insert=True)
    _people_rows(record, checked)
    sent = _voices_sent(record, checked, actor=actor, action=action)
    note = _("导入") if action != RECORD else ""
    audit_record(actor=actor, action="talk.record", obj=record, after=snapshot(record), note=note)
    return Recorded(
        record, [no for no, _code in sent], created=True, receipt_codes=[c for _no, c in sent]
    )


@transaction.atomic
def talk_record_correct(*, actor: Actor, record: TalkRecord, data: TalkInput) -> Recorded:
    """Correct a record written by ``actor``; its new voices become cases, its old ones stay.

    Only the one who wrote the record may correct it, and only where they may still record;
    the audit keeps the record as it was and as it is now. A corrector who may not read the
    sensitive note keeps it by leaving the field empty (they were not shown it).
    """
    record = (
        TalkRecord.objects.select_for_update(of=("self",)).select_related("unit").get(pk=record.pk)
    )
    if record.recorded_by_id != actor.pk or not may_at_path(actor, RECORD, record.unit_path):
        raise Forbidden(_("只有记录人本人可以更正这条记录。"))
    if data.unit is not None:
        permissions.require(actor, RECORD, data.unit)
    checked = talk_check(actor=actor, data=data)
    if not checked.sensitive_note and not may_at_path(actor, SENSITIVE, record.unit_path):
        # Who may not read the note was not shown it, so leaving it empty erases nothing.
        checked = replace(checked, sensitive_note=record.sensitive_note)
    before = snapshot(record)
    _fill(record, checked)
    record.save()
    record.host_rows.all().delete()
    record.participants.all().delete()
    _people_rows(record, checked)
    sent = _voices_sent(record, checked, actor=actor, action=RECORD)
    added = [no for no, _code in sent]
    audit_record(
        actor=actor,
        action="talk.correct",
        obj=record,
        before=before,
        after=snapshot(record),
        note=_("新增诉求：%(nos)s") % {"nos": "、".join(added)} if added else "",
    )
    return Recorded(record, added, created=False, receipt_codes=[c for _no, c in sent])


# --- sensitive notes ------------------------------------------------------------------------------


def talk_sensitive_note_read(*, actor: Actor, record: TalkRecord, via: str) -> str:
    """Return the sensitive note of ``record`` as ``actor`` may read it, and log the reading.

    Those without ``talk.view_sensitive`` at the record's unit get the masked text; every
    reading by those with it is an audit event (``via``: the page or the API that showed it).
    A record without a note gives "" and logs nothing.
    """
    if not record.sensitive_note:
        return ""
    if not may_at_path(actor, SENSITIVE, record.unit_path):
        return str(words.MASKED)
    audit_record(actor=actor, action="talk.sensitive_view", obj=record, note=via)
    return record.sensitive_note
