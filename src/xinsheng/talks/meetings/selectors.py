"""Every read of meetings and rectification items, filtered to what the acting user may see.

A meeting belongs to its unit: whoever may view talks there (``talk.view``, held at the unit or
above) sees it. A rectification item is seen by those who see its owner unit or the unit of the
meeting or inspection that found it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, in_subtree
from xinsheng.talks.models import Meeting, Rectification

VIEW = "talk.view"


@dataclass
class MeetingFilters:
    """What the meeting list is narrowed by; every field optional."""

    unit: OrgUnit | None = None  # held at this unit or below
    kind: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    text: str = ""


def _scoped(actor: Actor) -> QuerySet[Meeting]:
    return permissions.in_scope(Meeting.objects.all(), actor, VIEW, via="unit")


def meeting_list_for(*, actor: Actor, filters: MeetingFilters | None = None) -> QuerySet[Meeting]:
    """Return the meetings ``actor`` may see, narrowed by ``filters``, newest first."""
    f = filters or MeetingFilters()
    meetings = _scoped(actor)
    if f.unit is not None:
        meetings = meetings.filter(**in_subtree(f.unit.path, via="unit"))
    if f.kind:
        meetings = meetings.filter(kind=f.kind)
    if f.start is not None:
        meetings = meetings.filter(held_on__gte=f.start)
    if f.end is not None:
        meetings = meetings.filter(held_on__lte=f.end)
    if text := f.text.strip():
        meetings = meetings.filter(Q(title__icontains=text) | Q(topics__icontains=text))
    today = timezone.localdate()
    return (
        meetings.select_related("unit", "host")
        .annotate(
            item_count=Count("rectifications", distinct=True),
            items_done=Count(
                "rectifications", filter=Q(rectifications__done_on__isnull=False), distinct=True
            ),
            items_overdue=Count(
                "rectifications",
                filter=Q(rectifications__done_on__isnull=True, rectifications__due_on__lt=today),
                distinct=True,
            ),
            case_count=Count("cases", distinct=True),
        )
        .order_by("-held_on", "-id")
    )


def meeting_get_for(*, actor: Actor, meeting_id: int) -> Meeting:
    """Return meeting ``meeting_id`` if ``actor`` may see it; ``NotFound`` otherwise (the same)."""
    meeting = _scoped(actor).select_related("unit", "host").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_items_for(*, actor: Actor, meeting: Meeting) -> QuerySet[Rectification]:
    """Return the rectification items of a meeting ``actor`` may see, soonest due first."""
    return meeting.rectifications.select_related("owner_unit").order_by("due_on", "id")


def meeting_cases_for(*, actor: Actor, meeting: Meeting) -> QuerySet[Case]:
    """Return the cases raised at a meeting ``actor`` may see, in the order written."""
    return meeting.cases.select_related("responsible_unit").order_by("id")


def meeting_may(*, actor: Actor, meeting: Meeting, action: str = "meeting.record") -> bool:
    """Return whether ``actor`` may do ``action`` at the meeting's unit."""
    return permissions.may(actor, action, meeting.unit)


@dataclass
class ItemFilters:
    """What the list of rectification items is narrowed by."""

    unit: OrgUnit | None = None  # owned by this unit or below
    overdue: bool = False  # not done and past the due date
    open_only: bool = False  # not done


def _items_scoped(actor: Actor) -> QuerySet[Rectification]:
    return Rectification.objects.filter(
        permissions.scope_q(actor, VIEW, path_field="owner_unit__path")
        | permissions.scope_q(actor, VIEW, path_field="meeting__unit__path")
        | permissions.scope_q(actor, VIEW, path_field="inspection__unit__path")
    )


def rectification_list_for(
    *, actor: Actor, filters: ItemFilters | None = None
) -> QuerySet[Rectification]:
    """Return the rectification items ``actor`` may see, narrowed, soonest due first."""
    f = filters or ItemFilters()
    items = _items_scoped(actor)
    if f.unit is not None:
        items = items.filter(unit_path__startswith=f.unit.path)
    if f.open_only or f.overdue:
        items = items.filter(done_on__isnull=True)
    if f.overdue:
        items = items.filter(due_on__lt=timezone.localdate())
    return items.select_related(
        "owner_unit", "meeting", "inspection", "inspection__group"
    ).order_by("due_on", "id")


def rectification_get_for(*, actor: Actor, item_id: int) -> Rectification:
    """Return item ``item_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    item = _items_scoped(actor).select_related("owner_unit").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def rectification_may_finish(*, actor: Actor, item: Rectification) -> bool:
    """Return whether ``actor`` may mark ``item`` done (open, and at the owner unit)."""
    return item.done_on is None and permissions.may(actor, "rectification.update", item.owner_unit)
