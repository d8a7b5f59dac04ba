"""Test factories of the care app: funds with money in them, programmes, applications."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.org.factories import PersonFactory
from xinsheng.care.choices import ApplicationStatus, ProgrammeKind
from xinsheng.care.models import Application, ApplicationEvent, Fund, FundDeposit, Programme
from xinsheng.org.models import OrgUnit, Person


def make_fund(unit: OrgUnit, *, name: str = "送温暖基金", deposit: str | None = "100000") -> Fund:
    """Create a fund held by ``unit`` with ``deposit`` yuan in it (none when None)."""
    fund = Fund.objects.create(name=name, unit=unit, unit_path=unit.path)
    if deposit is not None:
        FundDeposit.objects.create(
            fund=fund, amount=Decimal(deposit), received_on=timezone.localdate()
        )
    return fund


def make_programme(
    unit: OrgUnit,
    *,
    kind: str = ProgrammeKind.STUDENT_AID,
    title: str = "金秋助学",
    year: int | None = None,
    fund: Fund | None = None,
    budget: str | None = None,
    **extra: Any,
) -> Programme:
    """Create a programme run by ``unit`` this year (or ``year``)."""
    return Programme.objects.create(
        kind=kind,
        title=title,
        year=year or timezone.localdate().year,
        unit=unit,
        unit_path=unit.path,
        fund=fund,
        budget=Decimal(budget) if budget is not None else None,
        **extra,
    )


def make_person(unit: OrgUnit, **fields: Any) -> Person:
    return PersonFactory(unit=unit, **fields)  # type: ignore[no-any-return]


def make_approved_application(
    programme: Programme, person: Person, *, amount: str = "3000", subject: str = ""
) -> tuple[Application, ApplicationEvent]:
    """Create an application already approved for ``amount`` yuan, with its approving step
    (bypassing the services: for tests of what comes after approval)."""
    application = Application.objects.create(
        programme=programme,
        kind=programme.kind,
        year=programme.year,
        person=person,
        unit_path=person.unit.path,
        subject=subject,
        status=ApplicationStatus.PAYABLE,
        amount_granted=Decimal(amount),
        decide_by=timezone.localdate() + dt.timedelta(days=10),
    )
    event = ApplicationEvent.objects.create(
        application=application,
        action="approve",
        status_from=ApplicationStatus.REVIEWED,
        status_to=ApplicationStatus.APPROVED,
        amount=Decimal(amount),
    )
    return application, event
