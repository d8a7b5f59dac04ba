"""Every read of sanatorium batches, scoped to what the user may see.

A batch is seen by those who may see care at its programme's unit or who have nominations to
it in their scope; its nominations are shown at the unit path of each person as nominated.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from xinsheng.care.lists.sanatorium_services import TAKING
from xinsheng.care.models import Nomination, SanatoriumBatch
from xinsheng.care.scope import in_subtree, may_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit

VIEW = "care.view"


@dataclass(frozen=True)
class QuotaUse:
    unit: OrgUnit
    places: int
    used: int


def scoped_nominations(actor: Actor, action: str = VIEW) -> QuerySet[Nomination]:
    return Nomination.objects.filter(permissions.scope_q(actor, action, path_field="unit_path"))


def batches_for(*, actor: Actor) -> QuerySet[SanatoriumBatch]:
    """Return the batches ``actor`` may see, latest first, with their places taken."""
    return (
        SanatoriumBatch.objects.filter(
            permissions.scope_q(actor, VIEW, path_field="programme__unit_path")
            | Exists(scoped_nominations(actor).filter(batch=OuterRef("pk")))
        )
        .annotate(
            taken=Count("nominations", filter=Q(nominations__status__in=TAKING), distinct=True)
        )
        .select_related("programme")
        .order_by("-starts_on", "-id")
    )


def batch_get_for(*, actor: Actor, batch_id: int) -> SanatoriumBatch:
    """Return batch ``batch_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    batch = batches_for(actor=actor).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound()
    return batch


def nominations_for(*, actor: Actor, batch: SanatoriumBatch) -> QuerySet[Nomination]:
    """Return ``batch``'s nominations in ``actor``'s scope, by unit then name."""
    return (
        scoped_nominations(actor)
        .filter(batch=batch)
        .select_related("person", "person__unit")
        .order_by("unit_path", "person__name", "id")
    )


def nomination_get_for(*, actor: Actor, nomination_id: int, action: str = VIEW) -> Nomination:
    """Return nomination ``nomination_id`` if ``actor`` may do ``action`` to it."""
    found = (
        scoped_nominations(actor)
        .select_related("batch", "batch__programme", "person")
        .filter(pk=nomination_id)
        .first()
    )
    if found is None or (action != VIEW and not may_at_path(actor, action, found.unit_path)):
        raise NotFound()
    return found


def quotas_for(*, batch: SanatoriumBatch) -> list[QuotaUse]:
    """Return each unit's quota in ``batch`` and how many of it are taken."""
    taken = Nomination.objects.filter(batch=batch, status__in=TAKING)
    return [
        QuotaUse(quota.unit, quota.places, taken.filter(**in_subtree(quota.unit.path)).count())
        for quota in batch.quotas.select_related("unit").order_by("unit__path")
    ]
