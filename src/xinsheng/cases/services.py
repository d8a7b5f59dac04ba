"""Every write of the closed loop. One transaction each; checked, moved, and recorded as an event.

Each service locks the case row, checks the actor's permission and the transition table, writes
the new state and an append-only ``CaseEvent`` together, and schedules notifications after commit.
Two people acting on one case at once cannot both succeed: the second sees the new state and
gets ``Conflict``.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases import selectors, steps, workflow
from xinsheng.cases.choices import (
    SUPPORTABLE,
    WITH_UNIT,
    CaseKind,
    CaseStatus,
    Channel,
    CloseReason,
    EventKind,
    Urgency,
)
from xinsheng.cases.deadlines import deadline_from, response_deadline_from
from xinsheng.cases.event_hooks import case_events_written
from xinsheng.cases.intake import contact, idempotency, receipts
from xinsheng.cases.intake import insert as intake_insert
from xinsheng.cases.models import Case, CaseEvent, CasePhoto, Category, IntakePoint, Rating
from xinsheng.cases.numbering import case_no_next
from xinsheng.cases.photos import MAX_PHOTOS
from xinsheng.cases.validation import (
    REASON_MAX,
    clean_choice,
    clean_note,
    clean_text_normalized,
    clean_title,
)
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.calendar import add_working_days
from xinsheng.core.errors import Conflict, InvalidInput, NotFound
from xinsheng.core.photos import CleanPhoto, photo_clean
from xinsheng.core.ratings import Satisfaction
from xinsheng.org import permissions
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, in_subtree
from xinsheng.org.notifications import notify_role_holders
from xinsheng.org.validation import clean_employee_no, clean_name, clean_phone

HANDLING_ROLES = frozenset({Role.HANDLER, Role.UNIT_HEAD})
DISPATCHING_ROLES = frozenset({Role.DISPATCHER, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Submitted:
    """What a submitter gets back: the case number and the receipt code (shown once)."""

    case: Case
    receipt_code: str
    created: bool


@dataclass(frozen=True)
class Identity:
    """Who raised a case, when they agree to be named."""

    anonymous: bool
    name: str = ""
    employee_no: str = ""
    phone: str = ""
    email: str = ""  # where to be told of the case's progress, with a mobile ``phone``


# --- helpers --------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _event(
    case: Case,
    kind: EventKind,
    *,
    actor: Actor | None = None,
    from_status: str = "",
    note: str = "",
    public: bool = True,
    unit: OrgUnit | None = None,
    data: dict[str, object] | None = None,
) -> CaseEvent:
    case_events_written()  # e.g. fold this change into the aggregated figures after commit
    contact.milestone_tell_later(case, kind, data)  # the submitter, if they left a contact
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=case.status if from_status else "",
        note=note,
        is_public=public,
        unit=unit,
        data=data or {},
    )


def _locked(case: Case) -> Case:
    """Return ``case`` re-read and locked for the rest of the transaction."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("origin_unit", "responsible_unit", "category")
        .get(pk=case.pk)
    )


def _take(case: Case, step: steps.Step) -> str:
    """Set the state ``step`` leads ``case`` to (the step was checked); return the old one."""
    previous = case.status
    target = step.target(previous)
    if target is not None:
        case.status = target
    return previous


def _move(case: Case, name: str) -> str:
    """Take step ``name``, which nobody's permission decides (a rating, a sweep, a support),
    after checking the case's state and the step's guard; return the old state."""
    step = steps.STEP[name]
    workflow.require_open(step, case)
    return _take(case, step)


def _shift(case: Case, target: CaseStatus) -> str:
    """Move ``case`` to ``target`` if the loop allows that move at all; return the old state."""
    workflow.require_transition(case.status, target)
    previous = case.status
    case.status = target
    return previous


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.case_no])


def _tell_unit(case: Case, text: str) -> None:
    if case.responsible_unit_id is not None:
        notify_role_holders(
            unit_id=case.responsible_unit_id,
            roles=HANDLING_ROLES,
            kind="case",
            text=text,
            url=_case_url(case),
        )


def _tell_dispatchers(case: Case, text: str) -> None:
    notify_role_holders(
        unit_id=case.origin_unit_id,
        roles=DISPATCHING_ROLES,
        kind="case",
        text=text,
        url=_case_url(case),
    )


def _claim(
    intake_key: str | None,
    unit_code: str,
    *,
    identity: Identity,
    text: str,
    kind: str = "",
    title: str = "",
    support: str = "",
    photos: list[bytes] | None = None,
) -> idempotency.Claim | None:
    """Return the hashes of a keyed submission (see ``idempotency``), or None without a key."""
    voice = idempotency.Voice(
        unit_code=unit_code,
        kind=kind,
        title=title,
        text=text,
        anonymous=identity.anonymous,
        name=identity.name,
        employee_no=identity.employee_no,
        phone=identity.phone,
        email=identity.email,
        support=support,
        photos=idempotency.Voice.photo_digests(photos or []),
    )
    return idempotency.claim_for(intake_key, voice)


def _receipt_for(claim: idempotency.Claim | None) -> str:
    """Return the receipt code of a new voice: derived from its claim, so that a retry gets the
    same one without the code being stored; random without a key."""
    return claim.receipt() if claim is not None else receipts.receipt_new()


def _submitted_before(
    claim: idempotency.Claim | None, unit_code: str, error: IntegrityError
) -> Submitted:
    """Return what the first submission of the same voice with the same key made, once a retry's
    insert failed on the unique key hash (its transaction rolled back whole).

    The same key with another voice, or at another unit that has since taken the first one's
    code, is refused (``IntakeKeyReused``): nothing was written and the first case is not told.
    Raise ``error`` when the insert failed otherwise.
    """
    existing = (
        Case.objects.select_related("origin_unit").filter(intake_key_hash=claim.key_hash).first()
        if claim is not None
        else None
    )
    if existing is None or claim is None:
        raise error
    if existing.intake_body_hash != claim.body_hash or existing.origin_unit.code != unit_code:
        raise idempotency.IntakeKeyReused()
    return Submitted(existing, claim.receipt(), created=False)


def _identity(identity: Identity) -> dict[str, str]:
    """Return the submitter's columns of a new case: none when anonymous (and nothing looked
    up); a named submitter's number checked against the people of the enterprise."""
    if identity.anonymous:
        return {
            "submitter_name": "",
            "submitter_employee_no": "",
            "submitter_phone": "",
            "submitter_email": "",
        }
    name = clean_name(identity.name)
    employee_no = clean_employee_no(identity.employee_no)
    return {
        "submitter_name": name,
        "submitter_employee_no": employee_no,
        "submitter_phone": clean_phone(identity.phone),
        "submitter_email": contact.clean_email(identity.email),
        "submitter_check": selectors.submitter_check_for(name=name, employee_no=employee_no),
    }


def _photos_clean(photos: list[bytes]) -> list[CleanPhoto]:
    """Check and re-encode every photo before the voice's transaction begins.

    Decoding is the slow part of a submission with photos; done inside the transaction it would
    hold the database's write lock (all of SQLite) for its whole length.
    """
    if len(photos) > MAX_PHOTOS:
        message = _("最多上传3张照片。")
        raise InvalidInput(message, fields={"photos": [message]})
    return [photo_clean(data) for data in photos]  # check all before storing any


def _attach_photos(
    case: Case, cleaned: list[CleanPhoto], *, answer_round: int | None = None
) -> None:
    for photo in cleaned:
        CasePhoto.objects.create(
            case=case,
            image=photo.content,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            answer_round=answer_round,
        )


# --- intake ---------------------------------------------------------------------------------------


def intake_point_for(unit: OrgUnit) -> IntakePoint:
    """Return the unit's intake point, creating an enabled one on first use."""
    point, _created = IntakePoint.objects.get_or_create(
        unit=unit, defaults={"token": receipts.receipt_new().replace("-", "")[:8]}
    )
    return point


def intake_unit_check(*, unit: OrgUnit | None, token: str | None = None) -> OrgUnit:
    """Return ``unit`` if it takes voices now (and ``token``, when given, is its current one)."""
    if unit is None or not unit.is_active:
        raise NotFound(_("找不到该单位，请确认二维码或链接是否正确。"), code="unit_not_found")
    try:
        point: IntakePoint | None = unit.intake  # fetched with the unit by intake_unit_get
    except IntakePoint.DoesNotExist:
        point = None
    if point is not None and not point.is_enabled:
        raise Conflict(_("该单位的意见征集码已停用。"), code="intake_disabled")
    if token and point is not None and token != point.token:
        raise Conflict(
            _("此二维码已更换，请扫描该单位张贴的新二维码。"), code="intake_code_rotated"
        )
    return unit


def case_submit(
    *,
    unit: OrgUnit | None,
    kind: str,
    title: str,
    text: str,
    identity: Identity,
    photos: list[bytes] | None = None,
    intake_key: str | None = None,
    token: str | None = None,
) -> Submitted:
    """Take a voice from the public form or API. Nothing identifying is kept when anonymous.

    With ``intake_key`` (a double tap, a retried request), the same key with the same voice at
    the same unit returns the same case and the same receipt code instead of a second case: the
    unique key hash makes the second insert fail, its transaction rolls back whole, and the case
    the first one made is returned. The same key with another voice raises ``IntakeKeyReused``
    and writes nothing (``idempotency`` says what the voice is).
    """
    unit_code = unit.code if unit is not None else ""
    claim = _claim(
        intake_key, unit_code, identity=identity, text=text, kind=kind, title=title, photos=photos
    )
    try:
        return _case_submit_once(
            unit=unit,
            kind=kind,
            title=title,
            text=text,
            identity=identity,
            photos=_photos_clean(photos or []),
            claim=claim,
            token=token,
        )
    except IntegrityError as error:
        return _submitted_before(claim, unit_code, error)


def case_submit_at(
    *,
    unit_code: str,
    kind: str,
    title: str,
    text: str,
    identity: Identity,
    photos: list[bytes] | None = None,
    intake_key: str | None = None,
    token: str | None = None,
) -> Submitted:
    """Take a voice at the unit that ``unit_code`` names: ``case_submit`` for the public API.

    On PostgreSQL a voice without photos is written in one statement (``intake_insert``), which
    also checks the unit; anything it cannot take goes the ordinary way, which raises the
    precise error. The rows, the receipt and the idempotency are those of ``case_submit``.
    """

    def ordinary() -> Submitted:
        return case_submit(
            unit=OrgUnit.objects.select_related("intake").filter(code=unit_code).first(),
            kind=kind,
            title=title,
            text=text,
            identity=identity,
            photos=photos,
            intake_key=intake_key,
            token=token,
        )

    if photos or not intake_insert.available():
        return ordinary()
    claim = _claim(intake_key, unit_code, identity=identity, text=text, kind=kind, title=title)
    receipt = _receipt_for(claim)
    values = _case_values(
        kind=kind, title=title, text=text, identity=identity, claim=claim, receipt=receipt
    )
    insert = intake_insert.insert_of(
        values,
        _SUBMITTED_EVENT,
        unit_code=unit_code,
        token=token,
        year=_today().year,
        now=timezone.now(),
    )
    try:
        case = intake_insert.case_insert_with_event(insert)
    except IntegrityError as error:
        return _submitted_before(claim, unit_code, error)
    if case is None:  # the unit does not take voices: say why (or take it, if that just changed)
        return ordinary()
    case_events_written()  # as ``_event`` does for every event it writes
    return Submitted(case, receipt, created=True)


def case_support(
    *,
    unit: OrgUnit | None,
    case_no: str,
    text: str,
    identity: Identity,
    intake_key: str | None = None,
    token: str | None = None,
) -> Submitted:
    """Add a voice to a case of the same company (附议) instead of filing a new one.

    The supporter's voice is kept as a case of its own with its own receipt code, folded into
    the case it supports at once: the supporter follows that case, sees its answer and may rate
    it, and the case counts one more supporter. A retry with the same ``intake_key`` and the
    same voice returns the first answer, as for a new voice; the number supported is part of the
    voice.
    """
    unit_code = unit.code if unit is not None else ""
    claim = _claim(intake_key, unit_code, identity=identity, text=text, support=case_no)
    try:
        return _case_support_once(
            unit=unit, case_no=case_no, text=text, identity=identity, claim=claim, token=token
        )
    except IntegrityError as error:
        return _submitted_before(claim, unit_code, error)


@transaction.atomic
def _case_support_once(
    *,
    unit: OrgUnit | None,
    case_no: str,
    text: str,
    identity: Identity,
    claim: idempotency.Claim | None,
    token: str | None,
) -> Submitted:
    unit = intake_unit_check(unit=unit, token=token)
    company = unit.company_path
    target = (
        Case.objects.select_for_update(of=("self",))
        .filter(case_no=str(case_no).strip()[:32], **in_subtree(company, via="origin_unit"))
        .first()
    )
    if target is None:
        raise NotFound(_("找不到要附议的诉求。"), code="case_not_found")
    if target.status not in SUPPORTABLE:
        raise Conflict(
            _("该诉求已办结或已合并，不能再附议，请提交新的诉求。"), code="support_closed"
        )
    receipt = _receipt_for(claim)
    case = Case(
        **_case_values(
            kind=target.kind,
            title=f"{_('附议')}：{target.title}"[:100],
            text=text,
            identity=identity,
            claim=claim,
            receipt=receipt,
        )
    )
    case.case_no = case_no_next()
    case.origin_unit = unit
    case.save(force_insert=True)
    _event(case, EventKind.SUBMITTED, unit=unit)
    previous = _move(case, "merge")
    case.merged_into = target
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "merged_into", "closed_at", "updated_at"])
    Case.objects.filter(pk=target.pk).update(supporters=F("supporters") + 1)
    _event(
        case,
        EventKind.MERGED,
        from_status=previous,
        note=_("附议"),
        data={"into": target.case_no, "support": True},
    )
    _event(target, EventKind.SUPPORTED, data={"supported": case.case_no})
    return Submitted(case, receipt, created=True)


# The first event of every voice from the public intake (by attribute name).
_SUBMITTED_EVENT = {"kind": EventKind.SUBMITTED, "is_public": True}


def _case_values(
    *,
    kind: str,
    title: str,
    text: str,
    identity: Identity,
    claim: idempotency.Claim | None,
    receipt: str,
) -> dict[str, Any]:
    """Return the fields of a new voice from the public intake, checked, without unit or
    number (by attribute name; the others take their defaults)."""
    text, original = clean_text_normalized(text)
    return {
        "channel": Channel.QR,
        "is_anonymous": identity.anonymous,
        "receipt_hash": receipts.receipt_hash(receipt),
        "intake_key_hash": claim.key_hash if claim is not None else None,
        "intake_body_hash": claim.body_hash if claim is not None else None,
        "kind": clean_choice("kind", kind, CaseKind),
        "title": clean_title(title, text),
        "text": text,
        "text_original": original,
        **_identity(identity),
    }


@transaction.atomic
def _case_submit_once(
    *,
    unit: OrgUnit | None,
    kind: str,
    title: str,
    text: str,
    identity: Identity,
    photos: list[CleanPhoto],
    claim: idempotency.Claim | None,
    token: str | None,
) -> Submitted:
    unit = intake_unit_check(unit=unit, token=token)
    receipt = _receipt_for(claim)
    case = Case(
        **_case_values(
            kind=kind, title=title, text=text, identity=identity, claim=claim, receipt=receipt
        )
    )
    case.case_no = case_no_next()
    case.origin_unit = unit
    case.save(force_insert=True)
    _attach_photos(case, photos)
    _event(case, EventKind.SUBMITTED, unit=unit)
    # No notification: new voices wait in the dispatchers' inbox, and the intake stays lean.
    return Submitted(case, receipt, created=True)


@transaction.atomic
def case_record(
    *,
    actor: Actor,
    unit: OrgUnit,
    channel: str,
    kind: str,
    title: str,
    text: str,
    identity: Identity,
    heard_on: dt.date | None = None,
    heard_place: str = "",
    permission: str = "case.record",
) -> Submitted:
    """Write down a voice heard face to face (民情记事本); the receipt can be handed over.

    ``permission`` is the action that lets ``actor`` write it down at ``unit``: an app above
    that hears voices in its own work (a talk, a visit) names the action of that work.
    """
    permissions.require(actor, permission, unit)
    channel = clean_choice("channel", channel, Channel)
    if channel == Channel.QR:
        raise InvalidInput(_("选项无效。"), fields={"channel": [_("选项无效。")]})
    heard_on = heard_on or _today()
    if heard_on > _today():
        raise InvalidInput(
            _("听取日期不能晚于今天。"), fields={"heard_on": [_("听取日期不能晚于今天。")]}
        )
    text, original = clean_text_normalized(text)
    receipt = receipts.receipt_new()
    case = Case.objects.create(
        case_no=case_no_next(),
        channel=channel,
        kind=clean_choice("kind", kind, CaseKind),
        title=clean_title(title, text),
        text=text,
        text_original=original,
        origin_unit=unit,
        is_anonymous=identity.anonymous,
        receipt_hash=receipts.receipt_hash(receipt),
        recorded_by_id=actor.pk,
        heard_on=heard_on,
        heard_place=clean_note("heard_place", heard_place, required=False, limit=100),
        **_identity(identity),
    )
    _event(case, EventKind.RECORDED, actor=actor, unit=unit)
    _tell_dispatchers(
        case, _("新诉求 %(no)s：%(title)s") % {"no": case.case_no, "title": case.title}
    )
    return Submitted(case, receipt, created=True)


# --- dispatcher -----------------------------------------------------------------------------------


@transaction.atomic
def case_accept(
    *, case: Case, actor: Actor, category: Category, urgency: str = Urgency.NORMAL, note: str = ""
) -> Case:
    """Accept ``case`` and file it under ``category``."""
    case = _locked(case)
    step = workflow.require_step(actor, "accept", case)
    if not category.is_active:
        raise InvalidInput(_("该类别已停用。"), fields={"category": [_("该类别已停用。")]})
    previous = _take(case, step)
    case.category = category
    case.urgency = clean_choice("urgency", urgency, Urgency)
    case.accepted_at = timezone.now()
    case.save()
    _event(
        case,
        EventKind.ACCEPTED,
        actor=actor,
        from_status=previous,
        note=clean_note("note", note, required=False),
        data={"category": category.code},
    )
    return case


@transaction.atomic
def case_reject(*, case: Case, actor: Actor, reason: str) -> Case:
    """Refuse ``case``; the submitter sees ``reason``."""
    case = _locked(case)
    step = workflow.require_step(actor, "reject", case)
    reason = clean_note("reason", reason, limit=REASON_MAX)
    previous = _take(case, step)
    case.reject_reason = reason
    case.closed_at = timezone.now()
    case.save()
    _event(case, EventKind.REJECTED, actor=actor, from_status=previous, note=reason)
    return case


@transaction.atomic
def case_merge(*, case: Case, actor: Actor, into: Case, note: str = "") -> Case:
    """Fold ``case`` into ``into``: its submitter follows ``into`` and gets its answer."""
    case = _locked(case)
    step = workflow.require_step(actor, "merge", case)
    target = _locked(into)
    if target.pk == case.pk or target.followed_case.pk == case.pk:
        raise InvalidInput(_("不能合并到自身。"), fields={"into": [_("不能合并到自身。")]})
    if target.status in {CaseStatus.MERGED, CaseStatus.REJECTED}:
        raise Conflict(_("目标诉求已合并或不予受理，不能再合并进去。"))
    if not case_permissions.may_case(actor, "case.view", target):
        raise NotFound()
    previous = _take(case, step)
    case.merged_into = target
    case.closed_at = timezone.now()
    case.save()
    Case.objects.filter(pk=target.pk).update(supporters=F("supporters") + 1 + case.supporters)
    _event(
        case,
        EventKind.MERGED,
        actor=actor,
        from_status=previous,
        note=clean_note("note", note, required=False),
        data={"into": target.case_no},
    )
    _event(target, EventKind.SUPPORTED, actor=actor, public=True, data={"merged": case.case_no})
    return case


@transaction.atomic
def case_dispatch(
    *, case: Case, actor: Actor, unit: OrgUnit, deadline: dt.date | None = None, note: str = ""
) -> Case:
    """Hand ``case`` to ``unit`` and start its clocks (response and deadline, working days)."""
    case = _locked(case)
    step = workflow.require_step(actor, "dispatch", case)
    if not unit.is_active or not permissions.may(actor, "unit.view", unit):
        raise InvalidInput(_("责任单位无效。"), fields={"unit": [_("责任单位无效。")]})
    today = _today()
    if deadline is None:  # the step's guard made sure the case has a category
        deadline = deadline_from(today, category=case.category, urgency=case.urgency)
    elif deadline < today:
        raise InvalidInput(
            _("办理时限不能早于今天。"), fields={"deadline": [_("办理时限不能早于今天。")]}
        )
    previous = _take(case, step)
    case.responsible_unit = unit
    case.handler = None
    case.dispatched_at = timezone.now()
    case.response_deadline = response_deadline_from(today)
    case.deadline = deadline
    case.signed_at = None
    case.is_overdue = False
    case.extension_until = None
    case.extension_reason = ""
    case.save()
    _event(
        case,
        EventKind.DISPATCHED,
        actor=actor,
        from_status=previous,
        unit=unit,
        note=clean_note("note", note, required=False),
        data={"deadline": deadline.isoformat()},
    )
    _tell_unit(
        case,
        _("新派单 %(no)s：%(title)s，请于%(date)s前办结。")
        % {"no": case.case_no, "title": case.title, "date": deadline.isoformat()},
    )
    return case


@transaction.atomic
def case_extension_grant(*, case: Case, actor: Actor, note: str = "") -> Case:
    """Grant the extension the unit asked for: the deadline moves."""
    case = _locked(case)
    workflow.require_step(actor, "grant-extension", case)  # an extension is asked for
    old, case.deadline = case.deadline, case.extension_until
    case.extension_until = None
    case.is_overdue = False
    case.save()
    _event(
        case,
        EventKind.EXTENSION_GRANTED,
        actor=actor,
        note=clean_note("note", note, required=False),
        data={
            "from": old.isoformat() if old else None,
            "to": case.deadline and case.deadline.isoformat(),
        },
    )
    _tell_unit(case, _("%(no)s 的延期申请已同意。") % {"no": case.case_no})
    return case


@transaction.atomic
def case_extension_refuse(*, case: Case, actor: Actor, note: str = "") -> Case:
    """Refuse the extension the unit asked for: the deadline stays."""
    case = _locked(case)
    workflow.require_step(actor, "refuse-extension", case)  # an extension is asked for
    asked = case.extension_until
    case.extension_until = None
    case.save()
    _event(
        case,
        EventKind.EXTENSION_REFUSED,
        actor=actor,
        public=False,
        note=clean_note("note", note, required=False),
        data={"asked": asked and asked.isoformat()},
    )
    _tell_unit(case, _("%(no)s 的延期申请未获同意。") % {"no": case.case_no})
    return case


# --- handler --------------------------------------------------------------------------------------


@transaction.atomic
def case_sign(*, case: Case, actor: Actor) -> Case:
    """Sign for ``case`` (签收): the response clock stops, the work begins."""
    case = _locked(case)
    step = workflow.require_step(actor, "sign", case)
    previous = _take(case, step)
    case.signed_at = timezone.now()
    case.handler_id = actor.pk
    case.save()
    _event(case, EventKind.SIGNED, actor=actor, from_status=previous, unit=case.responsible_unit)
    return case


@transaction.atomic
def case_note(*, case: Case, actor: Actor, text: str) -> CaseEvent:
    """Add an internal work note; the submitter does not see it."""
    case = _locked(case)
    workflow.require_step(actor, "note", case)
    return _event(case, EventKind.NOTE, actor=actor, public=False, note=clean_note("text", text))


def case_answer(
    *,
    case: Case,
    actor: Actor,
    text: str,
    solved: bool | None = None,
    photos: list[bytes] | None = None,
) -> Case:
    """Answer ``case`` publicly, with up to three photos; the employee then rates the answer.

    The photos are checked and re-encoded as a voice's are, before the answer's transaction.
    """
    cleaned = _photos_clean(photos or [])
    return _case_answer(case=case, actor=actor, text=text, solved=solved, photos=cleaned)


@transaction.atomic
def _case_answer(
    *, case: Case, actor: Actor, text: str, solved: bool | None, photos: list[CleanPhoto]
) -> Case:
    case = _locked(case)
    step = workflow.require_step(actor, "answer", case)
    text = clean_note("text", text)
    previous = _take(case, step)
    case.answer = text
    case.answered_at = timezone.now()
    case.answer_count += 1
    case.solved_by_unit = solved
    case.extension_until = None
    case.save()
    _attach_photos(case, photos, answer_round=case.answer_count)
    data: dict[str, object] = {"solved": solved, "round": case.answer_count}
    if photos:
        data["photos"] = len(photos)
    _event(
        case,
        EventKind.ANSWERED,
        actor=actor,
        from_status=previous,
        note=text,
        unit=case.responsible_unit,
        data=data,
    )
    return case


@transaction.atomic
def case_return(*, case: Case, actor: Actor, reason: str) -> Case:
    """Send ``case`` back (退单): it is not this unit's; the dispatcher re-dispatches it."""
    case = _locked(case)
    step = workflow.require_step(actor, "return", case)
    reason = clean_note("reason", reason, limit=REASON_MAX)
    unit = case.responsible_unit
    previous = _take(case, step)
    case.extension_until = None
    case.save()
    _event(
        case,
        EventKind.RETURNED,
        actor=actor,
        from_status=previous,
        note=reason,
        public=False,
        unit=unit,
    )
    _tell_dispatchers(case, _("%(no)s 被退单：%(reason)s") % {"no": case.case_no, "reason": reason})
    return case


@transaction.atomic
def case_extension_request(*, case: Case, actor: Actor, until: dt.date, reason: str) -> Case:
    """Ask the dispatcher for more time, until ``until``."""
    case = _locked(case)
    workflow.require_step(actor, "extend", case)
    reason = clean_note("reason", reason, limit=REASON_MAX)
    if case.deadline is not None and until <= case.deadline:
        message = _("延期日期须晚于当前办理时限。")
        raise InvalidInput(message, fields={"until": [message]})
    case.extension_until = until
    case.extension_reason = reason
    case.save()
    _event(
        case,
        EventKind.EXTENSION_REQUESTED,
        actor=actor,
        public=False,
        note=reason,
        data={"until": until.isoformat()},
    )
    _tell_dispatchers(
        case, _("%(no)s 申请延期至%(date)s") % {"no": case.case_no, "date": until.isoformat()}
    )
    return case


# --- answered for a unit (e.g. by a finished project) ---------------------------------------------

# States in which a case can still take an answer given for a unit.
ANSWERABLE_FOR_UNIT = frozenset(
    {
        CaseStatus.SUBMITTED,
        CaseStatus.ACCEPTED,
        CaseStatus.RETURNED,
        CaseStatus.DISPATCHED,
        CaseStatus.IN_PROGRESS,
    }
)


@dataclass(frozen=True)
class UnitAnswer:
    """What ``case_answer_for_unit`` did: ``how`` is "skipped" (the case takes no answer now;
    its state says why), "by_handler" (the actor answered as a handler of the case's unit) or
    "for_unit" (the case was brought to the unit and answered on its behalf)."""

    case: Case
    how: Literal["skipped", "by_handler", "for_unit"]


@transaction.atomic
def case_answer_for_unit(
    *,
    case: Case,
    unit: OrgUnit,
    actor: Actor,
    text: str,
    note: str,
    detail: dict[str, object] | None = None,
) -> UnitAnswer:
    """Bring ``case`` to ``unit`` and answer it with ``text``, through the loop's own moves.

    The caller has decided that ``actor`` speaks for ``unit`` (a project's manager for its owner
    unit). When ``actor`` may answer the case as it stands, this is ``case_answer``. Otherwise the
    case moves as the loop allows, each move with its public event: accepted (when new) and
    dispatched to ``unit``, due today, with ``note``; signed; answered as solved. ``detail`` (for
    example the project's id) is added to the data of each of these events. A case answered,
    closed, rejected or merged takes no answer and is left as it is.
    """
    case = _locked(case)
    if case.status not in ANSWERABLE_FOR_UNIT:
        return UnitAnswer(case, "skipped")
    if workflow.step_allowed(actor, "answer", case):
        return UnitAnswer(case_answer(case=case, actor=actor, text=text, solved=True), "by_handler")
    extra = dict(detail or {})

    def moved(target: CaseStatus, kind: EventKind, words: str, data: dict[str, object]) -> None:
        previous = _shift(case, target)
        _event(
            case,
            kind,
            actor=actor,
            from_status=previous,
            note=words,
            unit=case.responsible_unit,
            data={**data, **extra},
        )

    now = timezone.now()
    today = _today()
    if case.status == CaseStatus.SUBMITTED:
        case.accepted_at = now
        category = case.category.code if case.category else ""
        moved(CaseStatus.ACCEPTED, EventKind.ACCEPTED, note, {"category": category})
    if case.status in {CaseStatus.ACCEPTED, CaseStatus.RETURNED}:
        case.responsible_unit = unit
        case.handler = None
        case.dispatched_at = now
        case.response_deadline = today
        case.deadline = today
        case.is_overdue = False
        case.extension_until = None
        case.extension_reason = ""
        moved(CaseStatus.DISPATCHED, EventKind.DISPATCHED, note, {"deadline": today.isoformat()})
        case.save()
    if case.status == CaseStatus.DISPATCHED:
        moved(CaseStatus.IN_PROGRESS, EventKind.SIGNED, "", {})
        case.signed_at = timezone.now()
        case.save()
    case.answer = text
    case.answered_at = timezone.now()
    case.answer_count += 1
    case.solved_by_unit = True
    case.extension_until = None
    moved(
        CaseStatus.ANSWERED,
        EventKind.ANSWERED,
        text,
        {"solved": True, "round": case.answer_count},
    )
    case.save()
    return UnitAnswer(case, "for_unit")


# --- supervisor -----------------------------------------------------------------------------------


@transaction.atomic
def case_supervise(*, case: Case, actor: Actor, text: str) -> Case:
    """Issue a 督办 notice on an overdue, unsatisfied or escalated case."""
    case = _locked(case)
    step = workflow.require_step(actor, "supervise", case)
    text = clean_note("text", text)
    previous = ""
    if step.target(case.status) is not None:  # supervision reopens what was escalated
        previous = _take(case, step)
        case.closed_at = None
        case.close_reason = ""
        case.escalated = False
        case.deadline = deadline_from(_today(), category=case.category, urgency=case.urgency)
    case.supervision_count += 1
    case.save()
    _event(
        case,
        EventKind.SUPERVISED,
        actor=actor,
        from_status=previous,
        note=text,
        public=False,
        unit=case.responsible_unit,
    )
    _tell_unit(case, _("督办通知 %(no)s：%(text)s") % {"no": case.case_no, "text": text})
    return case


# --- the employee's judgement ---------------------------------------------------------------------


def case_for_receipt(code: str) -> Case:
    """Return the case of receipt ``code``; a wrong code and a missing one look the same."""
    digest = receipts.receipt_hash(code)
    case = Case.objects.filter(receipt_hash=digest).first() if digest else None
    if case is None:
        raise NotFound(_("查询码不正确，请核对后重试。"), code="receipt_not_found")
    return case


@transaction.atomic
def case_rate(*, receipt_code: str, satisfaction: str, solved: bool, comment: str = "") -> Rating:
    """Record the employee's judgement of the current answer of the case they follow.

    不满意 reopens the case (重办) up to ``MAX_REOPENINGS`` times; the next 不满意 closes it and
    sends it to supervision. The first rating of an answer decides; followers of a merged case
    may rate too, and their ratings are counted.
    """
    via = case_for_receipt(receipt_code)
    case = _locked(via.followed_case)
    satisfaction = clean_choice("satisfaction", satisfaction, Satisfaction)
    comment = clean_note("comment", comment, required=False, limit=REASON_MAX)
    answered_round = case.answer_count
    if case.answered_at is None:
        raise Conflict(_("该诉求尚未答复，暂不能评价。"))
    if (
        case.status != CaseStatus.ANSWERED
        and not case.ratings.filter(answer_round=answered_round).exists()
    ):
        raise Conflict(_("该诉求当前不能评价。"))
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case,
                via_case=via,
                answer_round=answered_round,
                satisfaction=satisfaction,
                solved=solved,
                comment=comment,
            )
    except IntegrityError as exc:
        raise Conflict(_("您已评价过本次答复。"), code="already_rated") from exc
    data = {"satisfaction": satisfaction, "solved": solved, "round": answered_round}
    _event(case, EventKind.RATED, note=comment, data=data, public=True)
    if case.status == CaseStatus.ANSWERED:
        _rating_decides(case, satisfaction)
    _tell_unit(
        case,
        _("%(no)s 收到群众评价：%(label)s")
        % {"no": case.case_no, "label": Satisfaction(satisfaction).label},
    )
    return rating


def _rating_decides(case: Case, satisfaction: str) -> None:
    if satisfaction != Satisfaction.UNSATISFIED:
        previous = _move(case, "close")
        case.closed_at = timezone.now()
        case.close_reason = CloseReason.RATED
        case.save()
        _event(case, EventKind.CLOSED, from_status=previous, data={"reason": CloseReason.RATED})
    elif steps.STEP["reopen"].open_for(case):
        previous = _move(case, "reopen")
        case.reopen_count += 1
        case.deadline = deadline_from(_today(), category=case.category, urgency=case.urgency)
        case.is_overdue = False
        case.save()
        _event(
            case,
            EventKind.REOPENED,
            from_status=previous,
            data={"round": case.reopen_count, "deadline": case.deadline.isoformat()},
        )
    else:
        previous = _move(case, "close")
        case.closed_at = timezone.now()
        case.close_reason = CloseReason.SUPERVISION
        case.escalated = True
        case.save()
        _event(
            case, EventKind.CLOSED, from_status=previous, data={"reason": CloseReason.SUPERVISION}
        )
        notify_role_holders(
            unit_id=case.responsible_unit_id or case.origin_unit_id,
            roles=frozenset({Role.SUPERVISOR}),
            kind="case",
            text=_("%(no)s 群众多次不满意，已转督办。") % {"no": case.case_no},
            url=_case_url(case),
        )


# --- scheduled sweeps (run by tasks) --------------------------------------------------------------


@transaction.atomic
def cases_mark_overdue(*, today: dt.date | None = None) -> int:
    """Mark cases past their deadline as overdue and tell their units; return how many."""
    today = today or _today()
    due = (
        Case.objects.select_for_update(of=("self",))
        .filter(status__in=WITH_UNIT, is_overdue=False, deadline__lt=today)
        .select_related("responsible_unit")
    )
    count = 0
    for case in due:
        case.is_overdue = True
        case.save(update_fields=["is_overdue", "updated_at"])
        _event(case, EventKind.OVERDUE, public=False, unit=case.responsible_unit)
        _tell_unit(case, _("%(no)s 已超过办理时限。") % {"no": case.case_no})
        count += 1
    return count


@transaction.atomic
def cases_remind_due(*, today: dt.date | None = None) -> int:
    """Remind units of cases due on the next working day (once per deadline); return how many."""
    today = today or _today()
    tomorrow = add_working_days(today, 1)
    due = Case.objects.filter(status__in=WITH_UNIT, deadline=tomorrow).select_related(
        "responsible_unit"
    )
    count = 0
    for case in due:
        stamp = case.deadline.isoformat() if case.deadline else ""
        if case.events.filter(kind=EventKind.REMINDED, data__deadline=stamp).exists():
            continue
        _event(case, EventKind.REMINDED, public=False, data={"deadline": stamp})
        _tell_unit(
            case, _("%(no)s 将于%(date)s到期，请抓紧办理。") % {"no": case.case_no, "date": stamp}
        )
        count += 1
    return count


@transaction.atomic
def cases_close_unrated(*, now: dt.datetime | None = None) -> int:
    """Close answered cases nobody rated within the configured days; never counted satisfied."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.XINSHENG["UNRATED_CLOSE_DAYS"])
    stale = Case.objects.select_for_update(of=("self",)).filter(
        status=CaseStatus.ANSWERED, answered_at__lt=cutoff
    )
    count = 0
    for case in stale:
        previous = _move(case, "close")
        case.closed_at = now
        case.close_reason = CloseReason.NOT_RATED
        case.save()
        _event(case, EventKind.CLOSED, from_status=previous, data={"reason": CloseReason.NOT_RATED})
        count += 1
    return count


# --- intake points and categories (administration) ------------------------------------------------


@transaction.atomic
def intake_point_set(
    *, actor: Actor, unit: OrgUnit, enabled: bool | None = None, rotate: bool = False
) -> IntakePoint:
    """Enable or disable a unit's QR code, or rotate it so that old posters stop working."""
    permissions.require(actor, "intake.manage", unit)
    point = intake_point_for(unit)
    point = IntakePoint.objects.select_for_update().get(pk=point.pk)
    if enabled is not None:
        point.is_enabled = enabled
    if rotate:
        point.token = receipts.receipt_new().replace("-", "")[:8]
        point.rotated_at = timezone.now()
    point.save()
    audit_record(
        actor=actor,
        action="intake.update",
        obj=point,
        after={"enabled": point.is_enabled, "rotated": rotate},
    )
    return point
