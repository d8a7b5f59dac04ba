"""Every read of talk requests: the staff's, filtered to their scope; the employee's, by receipt
code; and the figures the coverage board shows.

A request belongs to the unit it was made at: whoever may handle requests there
(``talk.request.handle``, held at that unit or above) sees it. Anything else is "not found",
exactly like what does not exist.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from xinsheng.cases.intake.receipts import receipt_hash
from xinsheng.core.actors import Actor
from xinsheng.core.calendar import add_working_days
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person, in_subtree, mask_phone
from xinsheng.talks.choices import RequestStatus
from xinsheng.talks.models import TalkRecord, TalkRequest
from xinsheng.talks.requests.workflow import OPEN

ACTION = "talk.request.handle"
HOSTS_MAX = 200  # people offered as the host of a talk


def wait_days() -> int:
    """Return the working days a request may wait for a time before it is overdue."""
    return int(settings.XINSHENG.get("TALK_REQUEST_WAIT_DAYS", 3))


def overdue_since(today: dt.date | None = None) -> dt.datetime:
    """Return the moment before which a request still waiting (已申请) is overdue.

    A request is overdue when more than ``wait_days()`` working days lie after the day it came in
    up to today: that is, it came in before the (n+1)-th working day counting back from today.
    """
    day = (today or timezone.localdate()) + dt.timedelta(days=1)
    first_late = add_working_days(day, -(wait_days() + 1))
    midnight = dt.datetime.combine(first_late, dt.time.min)
    return timezone.make_aware(midnight, timezone.get_current_timezone())


def is_overdue(request: TalkRequest, since: dt.datetime) -> bool:
    """Return whether ``request`` waits for a time past the limit (``overdue_since``)."""
    return request.status == RequestStatus.REQUESTED and request.created_at < since


# --- the staff's reads ----------------------------------------------------------------------------


@dataclass
class RequestFilters:
    """What the requests list is narrowed by; every field optional."""

    unit: OrgUnit | None = None  # requests made within this subtree
    status: str = ""
    overdue: bool = False
    text: str = ""  # the name (contains), employee number (exact) or topic (contains)


def _scoped(actor: Actor) -> QuerySet[TalkRequest]:
    return permissions.in_scope(TalkRequest.objects.all(), actor, ACTION, via="unit")


def request_list_for(
    *, actor: Actor, filters: RequestFilters | None = None
) -> QuerySet[TalkRequest]:
    """Return the requests ``actor`` may handle, narrowed by ``filters``, newest first."""
    f = filters or RequestFilters()
    requests = _scoped(actor)
    if f.unit is not None:
        requests = requests.filter(**in_subtree(f.unit.path, via="unit"))
    if f.status:
        requests = requests.filter(status=f.status)
    if f.overdue:
        requests = requests.filter(status=RequestStatus.REQUESTED, created_at__lt=overdue_since())
    if text := f.text.strip():
        requests = requests.filter(
            Q(name__contains=text) | Q(employee_no=text) | Q(topic__contains=text)
        )
    return requests.select_related("unit", "host", "person").order_by("-created_at", "-id")


def request_get_for(*, actor: Actor, request_id: int) -> TalkRequest:
    """Return request ``request_id`` if ``actor`` may handle it; ``NotFound`` otherwise."""
    request = (
        _scoped(actor)
        .select_related("unit", "host__unit", "person__unit", "record")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound()
    return request


def request_phone_for(*, actor: Actor, request: TalkRequest) -> str:
    """Return the employee's phone number, masked unless ``actor`` must call people back."""
    if not request.phone or permissions.may(actor, "person.view_phone", request.unit):
        return request.phone
    return mask_phone(request.phone)


def request_host_choices(*, actor: Actor, request: TalkRequest) -> list[Person]:
    """Return the people who may host the talk: cadres and principals of the request's unit and
    of the units above it, nearest first, then those under the unit."""
    step = OrgUnit.steplen
    path = request.unit_path
    above = [path[:end] for end in range(step, len(path) + 1, step)]
    people = (
        Person.objects.filter(is_active=True)
        .filter(Q(unit__path__in=above) | Q(unit__path__startswith=path))
        .filter(Q(is_principal=True) | ~Q(cadre_rank=""))
        .select_related("unit")
    )
    found = list(people[:HOSTS_MAX])
    return sorted(
        found,
        key=lambda p: (
            p.unit.path not in above,
            -len(p.unit.path) if p.unit.path in above else len(p.unit.path),
            not p.is_principal,
            p.name,
        ),
    )


def request_host_get(*, actor: Actor, request: TalkRequest, employee_no: str) -> Person:
    """Return the host named by ``employee_no`` among ``request_host_choices``; ``NotFound``."""
    for person in request_host_choices(actor=actor, request=request):
        if person.employee_no == employee_no:
            return person
    raise NotFound()


def record_get_for(*, actor: Actor, record_id: int) -> TalkRecord:
    """Return the talk record ``record_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    record: TalkRecord | None = (
        permissions.in_scope(TalkRecord.objects.all(), actor, "talk.view")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise NotFound()
    return record


# --- the employee's read --------------------------------------------------------------------------


def request_unit_get(code: str) -> OrgUnit | None:
    """Return the active unit a public link names; None when there is none (no acting user)."""
    return OrgUnit.objects.filter(code=code, is_active=True).first()


def request_for_receipt(code: str) -> TalkRequest:
    """Return the request ``code`` opens; ``NotFound`` for any code that opens none."""
    digest = receipt_hash(code)
    request = (
        TalkRequest.objects.select_related("unit", "host").filter(receipt_hash=digest).first()
        if digest is not None
        else None
    )
    if request is None:
        raise NotFound(
            _not_found_message(),
            code="receipt_not_found",
            fields={"code": [_not_found_message()]},
        )
    return request


def _not_found_message() -> str:
    return gettext("查询码不正确，请核对后重新输入。")


# --- figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestCounts:
    """The requests received in a period, and where they stand now."""

    received: int
    held: int
    declined: int
    waiting: int  # not yet held or declined (requested or scheduled)


def requests_counts(*, unit_path: str, date_from: dt.date, date_to: dt.date) -> RequestCounts:
    """Return the requests made under ``unit_path`` from ``date_from`` to ``date_to`` (both
    included), by where they stand now: received = held + declined + waiting.

    For the coverage board, which has checked the reader's scope: no actor here.
    """
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min), zone)
    end = timezone.make_aware(
        dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min), zone
    )
    rows = dict(
        TalkRequest.objects.filter(
            unit_path__startswith=unit_path, created_at__gte=start, created_at__lt=end
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return RequestCounts(
        received=sum(rows.values()),
        held=rows.get(RequestStatus.HELD, 0),
        declined=rows.get(RequestStatus.DECLINED, 0),
        waiting=sum(rows.get(status, 0) for status in OPEN),
    )
