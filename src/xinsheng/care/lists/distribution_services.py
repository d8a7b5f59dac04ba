"""Every write of distribution lists: build the list from the programme's rule, confirm a
delivery. Each checks the permission at the row's unit path, is audited in the same
transaction, and writes nothing on a refusal."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.choices import Handover, ProgrammeKind
from xinsheng.care.lists.rules import eligible_people, rule_of
from xinsheng.care.models import DistributionRecipient, Programme
from xinsheng.care.scope import require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, InvalidInput

MANAGE = "care.manage"
DELIVER = "care.visit"
LIST_MAX = 20000


@transaction.atomic
def recipients_build(*, actor: Actor, programme: Programme) -> int:
    """Add to ``programme``'s list everyone its rule names who is not on it yet; return how
    many were added. Those already on it keep their rows (and deliveries)."""
    require_at_path(actor, MANAGE, programme.unit_path)
    if programme.kind != ProgrammeKind.DISTRIBUTION:
        raise InvalidInput(_("只有慰问发放项目才有发放名单。"))
    rule = rule_of(programme)
    listed = set(programme.recipients.values_list("person_id", flat=True))
    people = [p for p in eligible_people(rule) if p.pk not in listed]
    if len(listed) + len(people) > LIST_MAX:
        raise InvalidInput(_("名单人数超过上限，请缩小范围。"))
    DistributionRecipient.objects.bulk_create(
        DistributionRecipient(
            programme=programme,
            person=person,
            unit_path=person.unit.path,
            item=rule.item,
            value=rule.value,
        )
        for person in people
    )
    audit_record(
        actor=actor,
        action="care.distribution.build",
        obj=programme,
        after={"added": len(people), "unit": rule.unit.code},
    )
    return len(people)


@transaction.atomic
def delivery_confirm(
    *,
    actor: Actor,
    recipient: DistributionRecipient,
    handover: str,
    on: dt.date | None = None,
) -> DistributionRecipient:
    """Record that ``recipient``'s gift reached them: signed for by them, or confirmed by the
    deliverer. A delivery is confirmed once."""
    require_at_path(actor, DELIVER, recipient.unit_path)
    if handover not in Handover.values:
        raise InvalidInput(_("请选择确认方式：本人签收或经办人确认。"))
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise InvalidInput(_("送达日期不能晚于今天。"))
    locked = DistributionRecipient.objects.select_for_update().get(pk=recipient.pk)
    if locked.delivered_on is not None:
        raise Conflict(_("该职工的慰问品已确认送达。"))
    locked.delivered_on = day
    locked.handover = handover
    locked.delivered_by = actor if actor.is_authenticated else None
    locked.save(update_fields=["delivered_on", "handover", "delivered_by", "updated_at"])
    audit_record(
        actor=actor,
        action="care.distribution.deliver",
        obj=locked,
        after={"delivered_on": day.isoformat(), "handover": handover},
    )
    return locked
