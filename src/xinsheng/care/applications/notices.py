"""Public notices (公示) of approved applications, and the objections raised against them.

A notice lists a programme's approved applications for its days; when it has ended, those with
no open objection become payable. An objection upheld refuses the application with the
resolution as its reason; one dismissed lets it go on.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.applications import validation, workflow
from xinsheng.care.choices import ApplicationStatus as S
from xinsheng.care.models import Application, ApplicationEvent, Objection, Programme, PublicNotice
from xinsheng.care.scope import require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, InvalidInput

APPROVE = "care.approve"
OBJECTION_MAX = 500


def _actor_id(actor: Actor) -> int | None:
    return actor.pk if actor.is_authenticated else None


def _step(application: Application, actor: Actor, action: str, to: str, reason: str = "") -> None:
    before = application.status
    application.status = to
    application.save(update_fields=["status", "notice", "refused_reason", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        action=action,
        status_from=before,
        status_to=to,
        reason=reason[: validation.REASON_MAX],
        actor_id=_actor_id(actor),
    )


def notice_publish(
    *, actor: Actor, programme: Programme, starts_on: dt.date | None = None, title: str = ""
) -> PublicNotice:
    """Put the programme's approved applications on a public notice for its notice days."""
    require_at_path(actor, APPROVE, programme.unit_path)
    if programme.notice_days == 0:
        raise Conflict(_("该项目不需要公示。"), code="no_notice")
    start = starts_on or timezone.localdate()
    with transaction.atomic():
        waiting = list(
            Application.objects.select_for_update()
            .filter(programme=programme, status=S.APPROVED)
            .order_by("id")
        )
        if not waiting:
            raise Conflict(_("没有待公示的申请。"), code="nothing_to_notice")
        notice = PublicNotice.objects.create(
            programme=programme,
            title=(title.strip() or _("%(title)s拟资助名单公示") % {"title": programme.title})[
                :100
            ],
            starts_on=start,
            ends_on=start + dt.timedelta(days=programme.notice_days - 1),
            published_by_id=_actor_id(actor),
        )
        for application in waiting:
            application.notice = notice
            _step(application, actor, "notice", S.NOTICED, notice.title)
        audit_record(
            actor=actor,
            action="care.notice.publish",
            obj=notice,
            after={"applications": len(waiting), "ends_on": notice.ends_on.isoformat()},
        )
    return notice


def _open_objection(application: Application) -> bool:
    return application.objections.filter(upheld__isnull=True).exists()


def notice_close(*, actor: Actor, notice: PublicNotice, today: dt.date | None = None) -> int:
    """After the notice has ended, make payable its applications with no open objection;
    return how many."""
    require_at_path(actor, APPROVE, notice.programme.unit_path)
    day = today or timezone.localdate()
    if day <= notice.ends_on:
        raise Conflict(
            _("公示期到%(day)s结束，期满后才能发放。") % {"day": notice.ends_on.isoformat()},
            code="notice_running",
        )
    count = 0
    with transaction.atomic():
        for application in Application.objects.select_for_update().filter(
            notice=notice, status=S.NOTICED
        ):
            if _open_objection(application):
                continue
            _step(application, actor, "notice_end", S.PAYABLE, _("公示期满无异议。"))
            count += 1
        audit_record(actor=actor, action="care.notice.close", obj=notice, after={"payable": count})
    return count


def objection_record(
    *, actor: Actor, application: Application, text: object, received_on: dt.date | None = None
) -> Objection:
    """Record an objection raised against a name on the notice."""
    require_at_path(actor, APPROVE, application.unit_path)
    workflow.require_step(application.status, "notice_end")
    body = "" if text is None else str(text).strip()
    if not body:
        raise InvalidInput(fields={"text": [_("请填写异议内容。")]})
    if len(body) > OBJECTION_MAX:
        raise InvalidInput(fields={"text": [_("异议内容不能超过500字。")]})
    day = received_on or timezone.localdate()
    if day > timezone.localdate():
        raise InvalidInput(fields={"received_on": [_("收到日期不能晚于今天。")]})
    assert application.notice_id is not None  # noqa: S101 - noticed applications have one
    with transaction.atomic():
        objection = Objection.objects.create(
            notice_id=application.notice_id,
            application=application,
            text=body,
            received_on=day,
            recorded_by_id=_actor_id(actor),
        )
        ApplicationEvent.objects.create(
            application=application,
            action="objection",
            status_from=application.status,
            status_to=application.status,
            reason=body[: validation.REASON_MAX],
            actor_id=_actor_id(actor),
        )
        audit_record(actor=actor, action="care.objection", obj=objection, after={"text": body})
    return objection


def objection_decide(
    *, actor: Actor, objection: Objection, upheld: bool, resolution: object
) -> Objection:
    """Settle an objection: upheld refuses the application with the resolution as its reason;
    dismissed lets it go on (payable at once when the notice has ended)."""
    application = objection.application
    require_at_path(actor, APPROVE, application.unit_path)
    text = validation.reason_clean(resolution, required=_("请填写处理结果。"))
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.upheld is not None:
            raise Conflict(_("该异议已经处理过了。"), code="objection_decided")
        locked.upheld = upheld
        locked.resolution = text
        locked.save(update_fields=["upheld", "resolution", "updated_at"])
        target = (
            Application.objects.select_for_update(of=("self",))
            .select_related("notice")
            .get(pk=application.pk)
        )
        if upheld and workflow.may_step(target.status, "reject"):
            target.refused_reason = _("公示异议成立：%(text)s") % {"text": text}
            target.refused_reason = target.refused_reason[: validation.REASON_MAX]
            _step(target, actor, "objection_upheld", S.REFUSED, target.refused_reason)
        else:
            ApplicationEvent.objects.create(
                application=target,
                action="objection_dismissed",
                status_from=target.status,
                status_to=target.status,
                reason=text,
                actor_id=_actor_id(actor),
            )
            ended = target.notice is not None and timezone.localdate() > target.notice.ends_on
            if target.status == S.NOTICED and ended and not _open_objection(target):
                _step(target, actor, "notice_end", S.PAYABLE, _("异议不成立，公示期满。"))
        audit_record(
            actor=actor,
            action="care.objection.decide",
            obj=locked,
            after={"upheld": upheld, "resolution": text},
        )
    return locked
