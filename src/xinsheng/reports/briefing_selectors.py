"""Every read of briefings, filtered to the units where the acting user may write them."""

from django.db.models import QuerySet

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.reports.briefing_models import Briefing

ACTION = "briefing.write"


def briefing_list_for(*, actor: Actor) -> QuerySet[Briefing]:
    """Return the briefings of the units ``actor`` may brief, last changed first."""
    briefings = permissions.in_scope(Briefing.objects.all(), actor, ACTION)
    return briefings.select_related("unit", "created_by__person", "updated_by__person").order_by(
        "-updated_at", "-id"
    )


def briefing_get_for(*, actor: Actor, briefing_id: int) -> Briefing:
    """Return briefing ``briefing_id`` if ``actor`` may brief its unit; ``NotFound`` otherwise."""
    briefing = briefing_list_for(actor=actor).filter(pk=briefing_id).first()
    if briefing is None:
        raise NotFound()
    return briefing


def briefing_unit_get_for(*, actor: Actor, code: str) -> OrgUnit:
    """Return the active unit ``code`` if ``actor`` may brief it; ``NotFound`` otherwise."""
    unit = (permissions.units_for(actor, ACTION).filter(code=code.strip(), is_active=True)).first()
    if unit is None:
        raise NotFound()
    return unit
