"""Every read of distribution lists, scoped to what the user may see.

A recipient belongs to the unit path of its person as it was when listed: whoever may see care
there sees the row. A programme is seen by those who may see care at its unit or who have
recipients of it in their scope; anything else is "not found". Why someone is on a list drawn
from recorded belief is shown to the privacy role alone, and each such reading is logged.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from xinsheng.care.choices import ProgrammeKind, SensitiveKind
from xinsheng.care.lists.rules import ATTRIBUTES, rule_of
from xinsheng.care.models import DistributionRecipient, Programme, SensitiveRecord
from xinsheng.care.scope import may_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org import permissions

VIEW = "care.view"
SENSITIVE = "care.view_sensitive"


@dataclass(frozen=True)
class Progress:
    """How far a distribution has got in the user's scope."""

    total: int
    delivered: int

    @property
    def pending(self) -> int:
        return self.total - self.delivered


def scoped_recipients(actor: Actor, action: str = VIEW) -> QuerySet[DistributionRecipient]:
    """Return the recipients at units where ``actor`` may do ``action``."""
    return DistributionRecipient.objects.filter(
        permissions.scope_q(actor, action, path_field="unit_path")
    )


def distributions_for(*, actor: Actor) -> QuerySet[Programme]:
    """Return the distribution programmes ``actor`` may see, newest first, with the progress
    of the recipients in their scope."""
    mine = scoped_recipients(actor)
    return (
        Programme.objects.filter(kind=ProgrammeKind.DISTRIBUTION)
        .filter(
            permissions.scope_q(actor, VIEW, path_field="unit_path")
            | Exists(mine.filter(programme=OuterRef("pk")))
        )
        .annotate(
            listed=Count("recipients", filter=Q(recipients__in=mine), distinct=True),
            delivered=Count(
                "recipients",
                filter=Q(recipients__in=mine, recipients__delivered_on__isnull=False),
                distinct=True,
            ),
        )
        .annotate(pending=F("listed") - F("delivered"))
        .select_related("unit")
        .order_by("-year", "-id")
    )


def distribution_get_for(*, actor: Actor, programme_id: int) -> Programme:
    """Return distribution ``programme_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    programme = distributions_for(actor=actor).filter(pk=programme_id).first()
    if programme is None:
        raise NotFound()
    return programme


def recipients_for(
    *, actor: Actor, programme: Programme, pending: bool | None = None, text: str = ""
) -> QuerySet[DistributionRecipient]:
    """Return ``programme``'s recipients in ``actor``'s scope (pending or delivered only when
    asked), by unit then name."""
    rows = scoped_recipients(actor).filter(programme=programme)
    if pending is not None:
        rows = rows.filter(delivered_on__isnull=pending)
    if text := text.strip()[:50]:
        rows = rows.filter(Q(person__name__icontains=text) | Q(person__employee_no=text))
    return rows.select_related("person", "person__unit", "delivered_by").order_by(
        "unit_path", "person__name", "id"
    )


def progress_for(*, actor: Actor, programme: Programme) -> Progress:
    """Return how many of ``programme``'s recipients in ``actor``'s scope are listed and
    delivered."""
    counts = (
        scoped_recipients(actor)
        .filter(programme=programme)
        .aggregate(total=Count("id"), delivered=Count("id", filter=Q(delivered_on__isnull=False)))
    )
    return Progress(counts["total"], counts["delivered"])


def recipient_get_for(
    *, actor: Actor, recipient_id: int, action: str = VIEW
) -> DistributionRecipient:
    """Return recipient ``recipient_id`` if ``actor`` may do ``action`` to it; ``NotFound``
    otherwise."""
    recipient = (
        scoped_recipients(actor).select_related("programme", "person").filter(pk=recipient_id)
    ).first()
    if recipient is None or (
        action != VIEW and not may_at_path(actor, action, recipient.unit_path)
    ):
        raise NotFound()
    return recipient


def rule_text_for(*, actor: Actor, programme: Programme) -> str:
    """Return who the list is for, as ``actor`` may read it: the unit and attributes, and the
    recorded belief only for the privacy role (the reading logged)."""
    try:
        rule = rule_of(programme)
    except InvalidInput as error:
        return str(error)
    parts = [rule.unit.name] + [str(ATTRIBUTES[a]) for a in rule.attributes]
    if rule.birth_month is not None:
        parts.append(_("%(month)d月生日") % {"month": rule.birth_month})
    if rule.sensitive and may_at_path(actor, SENSITIVE, programme.unit_path):
        audit_record(actor=actor, action="care.sensitive.view", obj=programme, note="list rule")
        parts.append(str(SensitiveKind.RELIGION.label) + "：" + rule.religion)
    return " · ".join(parts)


def reasons_for(
    *, actor: Actor, programme: Programme, recipients: list[DistributionRecipient]
) -> dict[int, str]:
    """Return, for the privacy role, the recorded belief (with its consent day) that put each
    of ``recipients`` on a list drawn from belief, the reading logged; nothing for anyone else
    or for other lists."""
    try:
        rule = rule_of(programme)
    except InvalidInput:
        return {}
    if not rule.sensitive or not recipients:
        return {}
    shown = [r for r in recipients if may_at_path(actor, SENSITIVE, r.unit_path)]
    if not shown:
        return {}
    records = SensitiveRecord.objects.filter(
        kind=SensitiveKind.RELIGION, person_id__in=[r.person_id for r in shown]
    )
    found = {
        record.person_id: f"{record.value}（{record.consent_on:%Y-%m-%d}）"
        for record in records
        if record.consent_on is not None
    }
    audit_record(
        actor=actor,
        action="care.sensitive.view",
        obj=programme,
        after={"people": len(found)},
        note="distribution list",
    )
    return {r.pk: found[r.person_id] for r in shown if r.person_id in found}
