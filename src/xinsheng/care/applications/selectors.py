"""Every read of programmes and applications, scoped to what the user may see.

An application belongs to its applicant's unit path as written: whoever may see assistance
there (``care.view``) sees it, anyone else gets "not found" as for what does not exist. Its
sensitive part (a child's name and school, a diagnosis) is masked for everyone but the privacy
role (``care.view_sensitive``), and each time that role is shown it, the reading is logged.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from xinsheng.care.applications import rules, validation, workflow
from xinsheng.care.choices import ApplicationStatus, ProgrammeKind
from xinsheng.care.models import (
    Application,
    FollowUp,
    Fund,
    Objection,
    Payment,
    Programme,
    PublicNotice,
)
from xinsheng.care.scope import may_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person

VIEW = "care.view"
SENSITIVE = "care.view_sensitive"
FOLLOW_UP_AHEAD_DAYS = 14  # a follow-up shows as due this many days before its day


# --- programmes -------------------------------------------------------------------------------


def programme_list_for(*, actor: Actor, year: int | None = None) -> QuerySet[Programme]:
    """Return the programmes run by units ``actor`` may see assistance in, or above them
    (a mine sees the company's 金秋助学 it takes part in)."""
    paths = permissions.scope_paths(actor, VIEW)
    if not paths:
        return Programme.objects.none()
    query = Q()
    for path in paths:
        query |= Q(unit_path__startswith=path)
        step = OrgUnit.steplen
        query |= Q(unit_path__in=[path[:end] for end in range(step, len(path), step)])
    programmes = Programme.objects.filter(query).select_related("unit", "fund")
    if year is not None:
        programmes = programmes.filter(year=year)
    return programmes.order_by("-year", "unit_path", "title")


def programme_get_for(*, actor: Actor, programme_id: int) -> Programme:
    """Return programme ``programme_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    programme = programme_list_for(actor=actor).filter(pk=programme_id).first()
    if programme is None:
        raise NotFound()
    return programme


def programme_managed_for(*, actor: Actor, programme_id: int) -> Programme:
    """Return programme ``programme_id`` if ``actor`` may change it; ``NotFound`` otherwise."""
    programme = programme_get_for(actor=actor, programme_id=programme_id)
    if not may_at_path(actor, "care.manage", programme.unit_path):
        raise NotFound()
    return programme


def fund_choices_for(*, actor: Actor) -> QuerySet[Fund]:
    """Return the active funds ``actor`` may pay from."""
    return Fund.objects.filter(
        permissions.scope_q(actor, "care.manage", path_field="unit_path"), is_active=True
    ).order_by("unit_path", "name")


# --- applications -----------------------------------------------------------------------------


@dataclass
class ApplicationFilters:
    """What the applications list is narrowed by; every field optional."""

    programme: Programme | None = None
    kind: str = ""
    status: str = ""
    unit: OrgUnit | None = None
    year: int | None = None
    overdue: bool = False  # waiting for a decision past its deadline
    text: str = ""  # the applicant's name (contains) or employee number (exact)


def _scoped(actor: Actor) -> QuerySet[Application]:
    return Application.objects.filter(permissions.scope_q(actor, VIEW, path_field="unit_path"))


def application_list_for(
    *, actor: Actor, filters: ApplicationFilters | None = None
) -> QuerySet[Application]:
    """Return the applications ``actor`` may see, narrowed by ``filters``, newest first."""
    f = filters or ApplicationFilters()
    rows = _scoped(actor)
    if f.programme is not None:
        rows = rows.filter(programme=f.programme)
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.status:
        rows = rows.filter(status=f.status)
    if f.unit is not None:
        rows = rows.filter(unit_path__startswith=f.unit.path)
    if f.year is not None:
        rows = rows.filter(year=f.year)
    if f.overdue:
        rows = rows.filter(status__in=workflow.UNDECIDED, decide_by__lt=timezone.localdate())
    if text := f.text.strip():
        rows = rows.filter(Q(person__name__contains=text) | Q(person__employee_no=text))
    return rows.select_related("programme", "person__unit").order_by("-created_at", "-id")


def application_get_for(*, actor: Actor, application_id: int) -> Application:
    """Return application ``application_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    application = (
        _scoped(actor)
        .select_related("programme__fund", "person__unit", "notice")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def may_see_sensitive(actor: Actor, application: Application) -> bool:
    return may_at_path(actor, SENSITIVE, application.unit_path)


def sensitive_for(
    *, actor: Actor, application: Application, purpose: str = "page"
) -> dict[str, Any]:
    """Return the sensitive part of ``application`` as ``actor`` may see it: in full for the
    privacy role, the reading logged (who, which application, where from); masked otherwise.

    The answer maps each field to ``{"label", "value", "masked"}``.
    """
    shown = may_see_sensitive(actor, application)
    if shown and application.sensitive:
        audit_record(
            actor=actor,
            action="care.sensitive.view",
            obj=application,
            after={"fields": sorted(application.sensitive)},
            note=purpose,
        )
    return {
        key: {
            "label": str(validation.SENSITIVE_LABELS.get(key, key)),
            "value": value if shown else validation.MASK,
            "masked": not shown,
        }
        for key, value in application.sensitive.items()
    }


def history_of(application: Application) -> QuerySet[Any]:
    return application.events.select_related("actor").order_by("at", "id")


def payments_of(application: Application) -> QuerySet[Payment]:
    return application.payments.select_related("fund", "reverses").order_by("paid_on", "id")


def follow_ups_of(application: Application) -> QuerySet[FollowUp]:
    return application.follow_ups.order_by("due_on", "id")


def objections_of(application: Application) -> QuerySet[Objection]:
    return application.objections.order_by("id")


def follow_up_get_for(*, actor: Actor, follow_up_id: int) -> FollowUp:
    follow_up = (
        FollowUp.objects.filter(
            permissions.scope_q(actor, VIEW, path_field="application__unit_path")
        )
        .select_related("application")
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None:
        raise NotFound()
    return follow_up


def objection_get_for(*, actor: Actor, objection_id: int) -> Objection:
    objection = (
        Objection.objects.filter(
            permissions.scope_q(actor, VIEW, path_field="application__unit_path")
        )
        .select_related("application")
        .filter(pk=objection_id)
        .first()
    )
    if objection is None:
        raise NotFound()
    return objection


def person_for(*, actor: Actor, employee_no: str) -> Person:
    """Return the employee ``employee_no`` if ``actor`` may propose for them; ``NotFound``."""
    person = (
        Person.objects.filter(
            permissions.scope_q(actor, "care.propose", path_field="unit__path"),
            employee_no=employee_no.strip(),
            is_active=True,
        )
        .select_related("unit")
        .first()
    )
    if person is None:
        raise NotFound()
    return person


# --- what waits, and the pledge -----------------------------------------------------------------


def relief_overdue_for(*, actor: Actor, today: dt.date | None = None) -> QuerySet[Application]:
    """Return the illness relief applications ``actor`` may see that wait for a decision past
    their deadline: the 三不让 indicator "no employee unable to afford treatment" (target 0)."""
    day = today or timezone.localdate()
    return (
        _scoped(actor)
        .filter(
            kind=ProgrammeKind.ILLNESS_RELIEF,
            status__in=workflow.UNDECIDED,
            decide_by__lt=day,
        )
        .select_related("programme", "person__unit")
        .order_by("decide_by", "id")
    )


@dataclass(frozen=True)
class Indicator:
    """A pledge indicator: how many, and which (the first page of them)."""

    count: int
    rows: list[Application]


def relief_overdue_indicator(*, actor: Actor, limit: int = 50) -> Indicator:
    rows = relief_overdue_for(actor=actor)
    return Indicator(count=rows.count(), rows=list(rows[:limit]))


def waiting_count_for(*, actor: Actor, action: str, status: str) -> int:
    """Return how many applications in ``status`` wait for ``actor`` to do ``action``."""
    return Application.objects.filter(
        permissions.scope_q(actor, action, path_field="unit_path"), status=status
    ).count()


def follow_ups_due_for(*, actor: Actor, today: dt.date | None = None) -> QuerySet[FollowUp]:
    """Return the follow-up visits not yet made and due within two weeks (or overdue) of
    students ``actor`` may visit, soonest first."""
    day = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            permissions.scope_q(actor, "care.visit", path_field="application__unit_path"),
            done_on__isnull=True,
            due_on__lte=day + dt.timedelta(days=FOLLOW_UP_AHEAD_DAYS),
            application__status=ApplicationStatus.PAID,
        )
        .select_related("application__person__unit", "application__programme")
        .order_by("due_on", "id")
    )


# --- the public notice ------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    """One name on a public notice: masked as the rules say, never anything sensitive."""

    name: str
    unit: str
    level: str
    amount: str


def notice_public_get(notice_id: int) -> tuple[PublicNotice, list[NoticeRow]]:
    """Return a public notice and its rows, for anyone (no acting user); ``NotFound`` for one
    that does not exist."""
    notice = PublicNotice.objects.select_related("programme__unit").filter(pk=notice_id).first()
    if notice is None:
        raise NotFound()
    mask = {**rules.STUDENT_DEFAULTS, **notice.programme.rules}.get("mask", "surname")
    shown = (
        Application.objects.filter(notice=notice)
        .exclude(status__in=(ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN))
        .select_related("person__unit")
        .order_by("unit_path", "id")
    )
    rows = []
    for application in shown:
        level = application.details.get("level", "")
        rows.append(
            NoticeRow(
                name=rules.mask_name(application.person.name, mask),
                unit=application.person.unit.name,
                level=rules.level_label(level),
                amount=f"{application.amount_granted or 0:.2f}",
            )
        )
    return notice, rows


def notices_for(*, actor: Actor, programme: Programme) -> QuerySet[PublicNotice]:
    return programme.notices.order_by("-starts_on", "-id")
