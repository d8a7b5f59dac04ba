"""Every write of talk requests: asking, and the unit's steps. One transaction each, audited.

An employee asks without an account (``request_submit``); a recorder writes down a request heard
in person (``request_record``, ``talk.request.handle`` at the unit). The unit's steps need
``talk.request.handle`` at the request's unit. The receipt code is returned once and only its
hash is stored.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.cases.intake.receipts import receipt_hash, receipt_new
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org import permissions
from xinsheng.org import validation as org_validation
from xinsheng.org.models import OrgUnit, Person
from xinsheng.org.notifications import notify_role_holders
from xinsheng.talks.choices import RequestChannel, RequestStatus
from xinsheng.talks.models import TalkRecord, TalkRequest
from xinsheng.talks.requests import validation, workflow

ACTION = "talk.request.handle"
T = TypeVar("T")


@dataclass(frozen=True)
class Asker:
    """Who asks for a talk and about what."""

    name: str
    employee_no: str
    topic: str
    phone: str = ""
    wanted_host: str = ""


@dataclass(frozen=True)
class Submitted:
    """A request just written, with its receipt code (shown this once, never stored)."""

    request: TalkRequest
    receipt_code: str


def _check(
    problems: dict[str, list[object]], field: str, clean: Callable[[Any], T], value: Any
) -> T | None:
    """Return ``clean(value)``, or None with its message noted under ``field`` in ``problems``."""
    try:
        return clean(value)
    except InvalidInput as error:
        problems[field] = [str(error.message)]
        return None


def _clean(asker: Asker) -> dict[str, str]:
    """Return the checked fields of ``asker``, every problem at once."""
    problems: dict[str, list[object]] = {}
    fields = {
        "name": _check(problems, "name", org_validation.clean_name, asker.name),
        "employee_no": _check(
            problems, "employee_no", org_validation.clean_employee_no, asker.employee_no
        ),
        "phone": _check(problems, "phone", org_validation.clean_phone, asker.phone),
        "topic": _check(problems, "topic", validation.clean_topic, asker.topic),
        "wanted_host": _check(
            problems, "wanted_host", validation.clean_wanted_host, asker.wanted_host
        ),
    }
    if problems:
        raise InvalidInput(fields=problems)
    return {name: value or "" for name, value in fields.items()}


def _person(fields: dict[str, str]) -> Person | None:
    """Return the active person with the number and name given, wherever they work, if any."""
    return Person.objects.filter(
        employee_no=fields["employee_no"], name=fields["name"], is_active=True
    ).first()


def _receipt() -> tuple[str, str]:
    """Return a fresh receipt code and the hash that is all we keep of it."""
    code = receipt_new()
    digest = receipt_hash(code)
    if digest is None:  # a code just made is always well-formed
        raise ValueError("malformed receipt code")
    return code, digest


def _write(*, unit: OrgUnit, asker: Asker, channel: str, actor: Actor | None = None) -> Submitted:
    if not unit.is_active:
        raise NotFound(_("找不到该单位，请确认二维码或链接是否正确。"), code="unit_not_found")
    fields = _clean(asker)
    code, digest = _receipt()
    user = actor if actor is not None and actor.is_authenticated else None
    request = TalkRequest.objects.create(
        unit=unit,
        unit_path=unit.path,
        person=_person(fields),
        channel=channel,
        receipt_hash=digest,
        recorded_by_id=user.pk if user is not None else None,
        **fields,
    )
    audit_record(
        actor=user,
        action="talk.request.create",
        obj=request,
        after={"unit": unit.pk, "channel": channel, "person": request.person_id},
    )
    notify_role_holders(
        unit_id=unit.pk,
        roles=frozenset(permissions.granting(ACTION)),
        kind="talk_request",
        text=_("%(unit)s收到一份约谈申请：%(name)s") % {"unit": unit.name, "name": request.name},
        url=reverse("talk_requests:detail", args=[request.pk]),
    )
    return Submitted(request=request, receipt_code=code)


@transaction.atomic
def request_submit(
    *, unit: OrgUnit | None, asker: Asker, channel: str = RequestChannel.PUBLIC
) -> Submitted:
    """Take an employee's request for a talk at ``unit`` (from its public page or the API)."""
    if unit is None:
        raise NotFound(_("找不到该单位，请确认二维码或链接是否正确。"), code="unit_not_found")
    return _write(unit=unit, asker=asker, channel=channel)


@transaction.atomic
def request_record(*, actor: Actor, unit: OrgUnit, asker: Asker) -> Submitted:
    """Write down a request a recorder heard in person; the employee gets the receipt code."""
    permissions.require(actor, ACTION, unit)
    return _write(unit=unit, asker=asker, channel=RequestChannel.RECORDER, actor=actor)


def _locked(request: TalkRequest, actor: Actor, target: str) -> TalkRequest:
    request = TalkRequest.objects.select_for_update().select_related("unit").get(pk=request.pk)
    permissions.require(actor, ACTION, request.unit)
    workflow.require_move(request.status, target)
    return request


def _audit(
    actor: Actor, request: TalkRequest, before: str, after: dict[str, object], note: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=f"talk.request.{request.status}",
        obj=request,
        before={"status": before},
        after={"status": request.status, **after},
        note=note,
    )


@transaction.atomic
def request_schedule(
    *,
    actor: Actor,
    request: TalkRequest,
    scheduled_at: dt.datetime | None,
    place: str,
    host: Person | None,
) -> TalkRequest:
    """Set the time, place and host of a requested talk (or change them before it is held)."""
    request = _locked(request, actor, RequestStatus.SCHEDULED)
    problems: dict[str, list[object]] = {}
    at = _check(problems, "scheduled_at", validation.clean_scheduled_at, scheduled_at)
    where = _check(problems, "place", validation.clean_place, place)
    if host is None or not host.is_active:
        problems["host"] = [_("请选择约谈人。")]
    if problems or at is None or where is None or host is None:
        raise InvalidInput(fields=problems)
    before = request.status
    request.scheduled_at = at
    request.scheduled_place = where
    request.host = host
    request.status = RequestStatus.SCHEDULED
    request.save(update_fields=["status", "scheduled_at", "scheduled_place", "host", "updated_at"])
    _audit(
        actor,
        request,
        before,
        {
            "scheduled_at": timezone.localtime(request.scheduled_at).isoformat(),
            "place": request.scheduled_place,
            "host": request.host_id,
        },
    )
    return request


@transaction.atomic
def request_hold(
    *,
    actor: Actor,
    request: TalkRequest,
    held_on: dt.date | None,
    record: TalkRecord | None = None,
) -> TalkRequest:
    """Mark a requested talk held on ``held_on``, with the talk record that tells of it."""
    request = _locked(request, actor, RequestStatus.HELD)
    received_on = timezone.localdate(request.created_at)
    request.held_on = validation.clean_held_on(held_on, received_on=received_on)
    before = request.status
    request.record = record
    request.status = RequestStatus.HELD
    request.save(update_fields=["status", "held_on", "record", "updated_at"])
    _audit(
        actor,
        request,
        before,
        {"held_on": request.held_on.isoformat(), "record": record.pk if record else None},
    )
    return request


@transaction.atomic
def request_decline(*, actor: Actor, request: TalkRequest, reason: str) -> TalkRequest:
    """Decline a request with a reason the employee reads on the follow-up page."""
    request = _locked(request, actor, RequestStatus.DECLINED)
    request.decline_reason = validation.clean_reason(reason)
    before = request.status
    request.status = RequestStatus.DECLINED
    request.save(update_fields=["status", "decline_reason", "updated_at"])
    _audit(actor, request, before, {"reason": request.decline_reason}, note=request.decline_reason)
    return request
