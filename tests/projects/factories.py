"""Test helpers of the projects app."""

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from xinsheng.org.models import OrgUnit
from xinsheng.projects import services
from xinsheng.projects.models import Project


def make_project(
    actor: User,
    unit: OrgUnit,
    *,
    title: str = "增设职工停车位75个",
    due_in_days: int = 60,
    **extra: object,
) -> Project:
    """Create a project owned by ``unit`` through the service, due ``due_in_days`` from today."""
    data = services.ProjectData(
        title=title,
        owner_unit=unit,
        due_date=timezone.localdate() + dt.timedelta(days=due_in_days),
        **extra,  # type: ignore[arg-type]
    )
    return services.project_create(actor=actor, data=data)
