"""Every read of supervision groups, their notices and inspections, filtered to the actor's scope.

A group is seen by its members and by whoever may view talks at one of its assigned units; the
units it shows are those of its assigned units the reader may see. A notice and an inspection
belong to the unit they concern (``talk.view`` there).
"""

from django.db.models import Q, QuerySet

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.talks.models import Inspection, SupervisionGroup, SupervisionNotice

VIEW = "talk.view"


def _person_id(actor: Actor) -> int | None:
    person = getattr(actor, "person", None) if actor.is_authenticated else None
    return person.pk if person is not None else None


def group_list_for(*, actor: Actor) -> QuerySet[SupervisionGroup]:
    """Return the groups ``actor`` belongs to or may see a unit of, by name."""
    seen = Q(
        pk__in=SupervisionGroup.objects.filter(
            permissions.scope_q(actor, VIEW, path_field="units__path")
        ).values("pk")
    )
    if (person_id := _person_id(actor)) is not None:
        seen |= Q(members__id=person_id)
    return SupervisionGroup.objects.filter(seen).distinct().order_by("name")


def group_get_for(*, actor: Actor, group_id: int) -> SupervisionGroup:
    """Return group ``group_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    group = group_list_for(actor=actor).filter(pk=group_id).first()
    if group is None:
        raise NotFound()
    return group


def group_units_for(*, actor: Actor, group: SupervisionGroup) -> list[OrgUnit]:
    """Return the assigned units of ``group`` that ``actor`` may see, in tree order."""
    return list(permissions.in_scope(group.units.all(), actor, VIEW, via="").order_by("path"))


def group_member_of(*, actor: Actor, group: SupervisionGroup) -> bool:
    """Return whether ``actor`` is a member of ``group``."""
    person_id = _person_id(actor)
    return person_id is not None and group.members.filter(pk=person_id).exists()


def groups_acting_for(*, actor: Actor) -> QuerySet[SupervisionGroup]:
    """Return the active groups ``actor`` is a member of (whose notices they may issue)."""
    person_id = _person_id(actor)
    if person_id is None:
        return SupervisionGroup.objects.none()
    return SupervisionGroup.objects.filter(members__id=person_id, is_active=True).order_by("name")


def group_covers(*, group: SupervisionGroup, unit: OrgUnit) -> bool:
    """Return whether ``unit`` lies in the subtree of one of ``group``'s assigned units."""
    return any(unit.path.startswith(path) for path in group.units.values_list("path", flat=True))


def notice_list_for(*, actor: Actor, unit: OrgUnit | None = None) -> QuerySet[SupervisionNotice]:
    """Return the notices to units ``actor`` may see (under ``unit`` if given), newest first."""
    notices = permissions.in_scope(SupervisionNotice.objects.all(), actor, VIEW, via="unit")
    if unit is not None:
        notices = notices.filter(unit__path__startswith=unit.path)
    return notices.select_related("group", "unit", "issued_by").order_by("-created_at", "-id")


def notices_open_for(*, actor: Actor) -> QuerySet[SupervisionNotice]:
    """Return the notices not yet answered that ``actor`` may answer (their unit's own pages)."""
    return (
        permissions.in_scope(
            SupervisionNotice.objects.filter(answered_at__isnull=True),
            actor,
            "rectification.update",
            via="unit",
        )
        .select_related("group", "unit")
        .order_by("-created_at", "-id")
    )


def notice_get_for(*, actor: Actor, notice_id: int) -> SupervisionNotice:
    """Return notice ``notice_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    notice = notice_list_for(actor=actor).filter(pk=notice_id).first()
    if notice is None:
        raise NotFound()
    return notice


def notice_may_answer(*, actor: Actor, notice: SupervisionNotice) -> bool:
    """Return whether ``actor`` may answer ``notice`` (for its unit, not yet answered)."""
    return notice.answered_at is None and permissions.may(
        actor, "rectification.update", notice.unit
    )


def inspection_list_for(
    *, actor: Actor, group: SupervisionGroup | None = None
) -> QuerySet[Inspection]:
    """Return the inspections of units ``actor`` may see (of ``group`` if given), newest first."""
    inspections = permissions.in_scope(Inspection.objects.all(), actor, VIEW, via="unit")
    if group is not None:
        inspections = inspections.filter(group=group)
    return inspections.select_related("group", "unit").order_by("-held_on", "-id")


def inspection_get_for(*, actor: Actor, inspection_id: int) -> Inspection:
    """Return inspection ``inspection_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    inspection = inspection_list_for(actor=actor).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound()
    return inspection
