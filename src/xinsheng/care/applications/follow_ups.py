"""Follow-up visits to aided students (跟踪走访): one each term after the aid is paid, due on a
day, flagged overdue when not done by then."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.models import Application, ApplicationEvent, FollowUp
from xinsheng.care.scope import require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, InvalidInput

VISIT = "care.visit"
NOTE_MAX = 500


def terms_after(paid_on: dt.date) -> list[tuple[str, dt.date]]:
    """Return the two terms after aid paid on ``paid_on``, each with the day its visit is due:
    the autumn term by 15 December, the spring term by 15 June."""
    year = paid_on.year
    autumn = dt.date(year, 12, 15)
    if paid_on > autumn:
        return [
            (_("%(year)s年春季学期") % {"year": year + 1}, dt.date(year + 1, 6, 15)),
            (_("%(year)s年秋季学期") % {"year": year + 1}, dt.date(year + 1, 12, 15)),
        ]
    return [
        (_("%(year)s年秋季学期") % {"year": year}, autumn),
        (_("%(year)s年春季学期") % {"year": year + 1}, dt.date(year + 1, 6, 15)),
    ]


def follow_ups_schedule(application: Application, paid_on: dt.date) -> list[FollowUp]:
    """Plan a visit for each term after the payment (inside the payment's transaction); terms
    already planned are kept."""
    made = []
    for term, due in terms_after(paid_on):
        follow_up, created = FollowUp.objects.get_or_create(
            application=application, term=term, defaults={"due_on": due}
        )
        if created:
            made.append(follow_up)
    return made


def is_overdue(follow_up: FollowUp, today: dt.date | None = None) -> bool:
    return follow_up.done_on is None and follow_up.due_on < (today or timezone.localdate())


def follow_up_record(
    *, actor: Actor, follow_up: FollowUp, done_on: dt.date | None, note: object
) -> FollowUp:
    """Record the visit: when it took place and how the student is doing."""
    application = follow_up.application
    require_at_path(actor, VISIT, application.unit_path)
    day = done_on or timezone.localdate()
    if day > timezone.localdate():
        raise InvalidInput(fields={"done_on": [_("走访日期不能晚于今天。")]})
    text = "" if note is None else str(note).strip()
    if not text:
        raise InvalidInput(fields={"note": [_("请填写走访情况。")]})
    if len(text) > NOTE_MAX:
        raise InvalidInput(fields={"note": [_("走访情况不能超过500字。")]})
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.done_on is not None:
            raise Conflict(_("这次走访已经记录过了。"), code="follow_up_done")
        locked.done_on = day
        locked.note = text
        locked.done_by_id = actor.pk if actor.is_authenticated else None
        locked.save(update_fields=["done_on", "note", "done_by", "updated_at"])
        ApplicationEvent.objects.create(
            application=application,
            action="follow_up",
            status_from=application.status,
            status_to=application.status,
            reason=f"{locked.term} {day.isoformat()}",
            actor_id=actor.pk if actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action="care.follow_up",
            obj=locked,
            after={"done_on": day.isoformat()},
        )
    return locked
