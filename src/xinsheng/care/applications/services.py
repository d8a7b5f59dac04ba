"""Every write of an application: submit, review, approve, reject, pay, reverse and renew.

Each step checks the actor's permission at the applicant's unit path, checks the state allows
it (``workflow``), and appends an ``ApplicationEvent`` in the same transaction; a step refused
writes nothing. Money goes through ``care.money.services``: a payment follows the application's
approving event, fits the fund and the budget, and is corrected only by a reversal.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.applications import follow_ups, rules, validation, workflow
from xinsheng.care.choices import CLOSED_APPLICATION_STATES, ApplicationStatus, ProgrammeKind
from xinsheng.care.models import Application, ApplicationEvent, Fund, Payment, Programme
from xinsheng.care.money import services as money
from xinsheng.care.money.amounts import amount_clean
from xinsheng.care.money.selectors import unreversed
from xinsheng.care.scope import may_at_path, require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.calendar import add_working_days
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org.models import Person

PROPOSE = "care.propose"
REVIEW = "care.review"
APPROVE = "care.approve"
PAY = "care.pay"
S = ApplicationStatus


def _actor_id(actor: Actor) -> int | None:
    return actor.pk if actor.is_authenticated else None


def _event(
    application: Application,
    actor: Actor,
    action: str,
    status_from: str,
    *,
    amount: Decimal | None = None,
    reason: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        status_from=status_from,
        status_to=application.status,
        amount=amount,
        reason=reason[: validation.REASON_MAX],
        actor_id=_actor_id(actor),
    )


def _locked(application: Application, step: str) -> Application:
    locked = (
        Application.objects.select_for_update()
        .select_related("programme", "person__unit")
        .get(pk=application.pk)
    )
    workflow.require_step(locked.status, step)
    return locked


def _move(
    application: Application,
    actor: Actor,
    action: str,
    to: str,
    *,
    amount: Decimal | None = None,
    reason: str = "",
    fields: tuple[str, ...] = (),
) -> ApplicationEvent:
    before = application.status
    application.status = to
    application.save(update_fields=["status", *fields, "updated_at"])
    audit_record(
        actor=actor,
        action=f"care.application.{action}",
        obj=application,
        before={"status": before},
        after={"status": to, "amount": f"{amount:.2f}" if amount is not None else None},
        note=reason,
    )
    return _event(application, actor, action, before, amount=amount, reason=reason)


# --- submitting -------------------------------------------------------------------------------


def _in_programme(programme: Programme, person: Person) -> None:
    if not person.unit.path.startswith(programme.unit_path):
        message = _("该职工不在本项目的主办单位范围内。")
        raise InvalidInput(message, fields={"employee_no": [message]})
    if not programme.is_open:
        raise Conflict(_("该项目已停止受理申请。"), code="programme_closed")
    if programme.kind not in (ProgrammeKind.STUDENT_AID, ProgrammeKind.ILLNESS_RELIEF):
        raise InvalidInput(
            _("该类项目按名单发放，不受理个人申请。"),
            fields={"programme_id": [_("该类项目按名单发放，不受理个人申请。")]},
        )


def _duplicate_check(programme: Programme, person: Person, subject: str) -> None:
    open_one = (
        Application.objects.filter(
            kind=programme.kind, year=programme.year, person=person, subject=subject
        )
        .exclude(status__in=CLOSED_APPLICATION_STATES)
        .exists()
    )
    if open_one:
        if programme.kind == ProgrammeKind.STUDENT_AID:
            message = _("该子女本年度已申请过助学金，不能重复申请。")
        else:
            message = _("该职工本年度已申请过大病救助，不能重复申请。")
        raise InvalidInput(message, code="duplicate", fields={"employee_no": [message]})


def _parts(
    programme: Programme, person: Person, data: dict[str, Any]
) -> tuple[validation.Parts, Decimal]:
    """Return the application's parts and what the rules grant, or the reason it is refused."""
    if programme.kind == ProgrammeKind.STUDENT_AID:
        parts = validation.student_parts(data)
        amount = rules.student_eligibility_check(
            programme,
            person,
            level=parts.details["level"],
            admission_year=parts.details["admission_year"],
            renewal="renewal_of" in parts.details,
        )
        return parts, amount
    parts, costs, insurance = validation.relief_parts(data)
    relief = rules.relief_compute(programme.rules, costs, insurance)
    if relief.relief <= 0:
        threshold = Decimal(str({**rules.RELIEF_DEFAULTS, **programme.rules}["threshold"]))
        message = _("不符合条件：个人自付%(own)s元，未超过起付线%(threshold)s元。") % {
            "own": f"{relief.own_share:.2f}",
            "threshold": f"{threshold:.2f}",
        }
        raise InvalidInput(message, code="ineligible", fields={"costs": [message]})
    parts.details = {
        "costs": f"{relief.costs:.2f}",
        "insurance_paid": f"{relief.insurance_paid:.2f}",
        "own_share": f"{relief.own_share:.2f}",
        "relief": f"{relief.relief:.2f}",
    }
    return parts, relief.relief


def application_submit(
    *,
    actor: Actor,
    programme: Programme,
    person: Person,
    data: dict[str, Any],
    amount: object = None,
) -> Application:
    """Submit an application of ``person`` to ``programme``; refuse an ineligible one or a
    second one for the same child (or, for relief, the same employee) in a year, with the
    reason, writing nothing.

    It waits for the unit's review, or for the union's approval when the programme needs no
    review (and is approved at once when it needs neither).
    """
    require_at_path(actor, PROPOSE, person.unit.path)
    _in_programme(programme, person)
    parts, granted = _parts(programme, person, data)
    requested = granted if amount in (None, "") else amount_clean(amount)
    if requested > granted:
        message = _("申请金额不能超过规则核定的%(amount)s元。") % {"amount": f"{granted:.2f}"}
        raise InvalidInput(message, fields={"amount": [message]})
    _duplicate_check(programme, person, parts.subject)
    today = timezone.localdate()
    start = S.SUBMITTED if programme.needs_unit_review else S.REVIEWED
    try:
        with transaction.atomic():
            application = Application.objects.create(
                programme=programme,
                kind=programme.kind,
                year=programme.year,
                person=person,
                unit_path=person.unit.path,
                subject=parts.subject,
                status=start,
                amount_requested=requested,
                details=parts.details,
                sensitive=parts.sensitive,
                decide_by=add_working_days(today, programme.decide_within),
                created_by_id=_actor_id(actor),
            )
            _event(application, actor, "submit", "", amount=requested)
            audit_record(
                actor=actor,
                action="care.application.submit",
                obj=application,
                after={"programme": programme.pk, "person": person.employee_no},
            )
            if not programme.needs_unit_review and not programme.needs_union_approval:
                _approve(application, actor, requested, "")
    except IntegrityError:
        # Two submissions of the same child at once: the constraint stops the second.
        _duplicate_check(programme, person, parts.subject)
        raise
    return application


# --- deciding ---------------------------------------------------------------------------------


def _approve(application: Application, actor: Actor, amount: Decimal, reason: str) -> None:
    to = S.APPROVED if application.programme.notice_days > 0 else S.PAYABLE
    application.amount_granted = amount
    _move(
        application, actor, "approve", to, amount=amount, reason=reason, fields=("amount_granted",)
    )


def application_review(*, actor: Actor, application: Application, reason: str = "") -> Application:
    """The unit's review: passed on to the union, or approved when the programme needs no
    union approval."""
    require_at_path(actor, REVIEW, application.unit_path)
    reason = (reason or "").strip()[: validation.REASON_MAX]
    with transaction.atomic():
        locked = _locked(application, "review")
        _move(locked, actor, "review", S.REVIEWED, reason=reason)
        if not locked.programme.needs_union_approval:
            _approve(locked, actor, locked.amount_requested or Decimal("0"), reason)
    return locked


def _rule_amount(application: Application) -> Decimal:
    if application.kind == ProgrammeKind.STUDENT_AID:
        return rules.student_amount(application.programme, application.details["level"])
    return Decimal(application.details["relief"])


def application_approve(
    *, actor: Actor, application: Application, amount: object = None, reason: str = ""
) -> Application:
    """The union's approval of ``amount`` yuan (what was asked for by default), at most what
    the rules grant; then the public notice, or payment when the programme has none."""
    require_at_path(actor, APPROVE, application.unit_path)
    reason = (reason or "").strip()[: validation.REASON_MAX]
    with transaction.atomic():
        locked = _locked(application, "approve")
        ceiling = _rule_amount(locked)
        value = (
            (locked.amount_requested or ceiling) if amount in (None, "") else amount_clean(amount)
        )
        if value > ceiling:
            message = _("核定金额不能超过规则核定的%(amount)s元。") % {"amount": f"{ceiling:.2f}"}
            raise InvalidInput(message, fields={"amount": [message]})
        _approve(locked, actor, value, reason)
    return locked


def application_reject(*, actor: Actor, application: Application, reason: object) -> Application:
    """Refuse ``application`` with the reason the applicant is told (the unit before its
    review, the union after)."""
    if not (
        may_at_path(actor, APPROVE, application.unit_path)
        or (application.status == S.SUBMITTED and may_at_path(actor, REVIEW, application.unit_path))
    ):
        raise Forbidden()
    text = validation.reason_clean(reason, required=_("请填写不予通过的原因。"))
    with transaction.atomic():
        locked = _locked(application, "reject")
        locked.refused_reason = text
        _move(locked, actor, "reject", S.REFUSED, reason=text, fields=("refused_reason",))
    return locked


# --- paying -----------------------------------------------------------------------------------


def approval_of(application: Application) -> ApplicationEvent:
    """Return the step that approved ``application`` (the latest, should it be approved twice)."""
    event = application.events.filter(action="approve").order_by("-at", "-id").first()
    if event is None:
        raise Conflict(_("未经审批的申请不能发放。"), code="not_approved")
    return event


def application_pay(
    *,
    actor: Actor,
    application: Application,
    amount: object = None,
    fund: Fund | None = None,
    paid_on: dt.date | None = None,
    note: str = "",
) -> Payment:
    """Pay an application that passed its notice (or needed none): ``amount`` yuan (the
    granted amount by default, never more) from ``fund`` (the programme's by default), against
    its approval; student aid then gets a follow-up visit for each term."""
    require_at_path(actor, PAY, application.unit_path)
    with transaction.atomic():
        locked = _locked(application, "pay")
        granted = locked.amount_granted or Decimal("0")
        value = granted if amount in (None, "") else amount_clean(amount)
        if value > granted:
            message = _("发放金额不能超过核定的%(amount)s元。") % {"amount": f"{granted:.2f}"}
            raise InvalidInput(message, fields={"amount": [message]})
        payment = money.payment_make(
            actor=actor,
            programme=locked.programme,
            person=locked.person,
            amount=value,
            fund=fund,
            paid_on=paid_on,
            approval=money.Approval(application_event=approval_of(locked)),
            application=locked,
            note=note,
        )
        _move(locked, actor, "pay", S.PAID, amount=value)
        if locked.kind == ProgrammeKind.STUDENT_AID:
            follow_ups.follow_ups_schedule(locked, payment.paid_on)
    return payment


def application_reverse(
    *, actor: Actor, application: Application, payment_id: int, reason: object
) -> Payment:
    """Reverse one payment of ``application`` with a reason; once nothing paid stands, it is
    payable again. The payment itself is never changed."""
    require_at_path(actor, PAY, application.unit_path)
    text = validation.reason_clean(reason, required=_("请填写冲正原因。"))
    payment = Payment.objects.filter(pk=payment_id, application=application).first()
    if payment is None:
        message = _("该申请没有这笔发放记录。")
        raise NotFound(message, fields={"payment_id": [message]})
    with transaction.atomic():
        locked = _locked(application, "reverse")
        reversal = money.payment_reverse(actor=actor, payment=payment, reason=text)
        if not unreversed(Payment.objects.filter(application=locked)).exists():
            _move(locked, actor, "reverse", S.PAYABLE, amount=reversal.amount, reason=text)
        else:
            _event(locked, actor, "reverse", locked.status, amount=reversal.amount, reason=text)
    return reversal


# --- renewing ---------------------------------------------------------------------------------


def next_programme(application: Application) -> Programme | None:
    """Return the same unit's open programme of the same kind for the next year, if any."""
    return (
        Programme.objects.filter(
            kind=application.kind,
            unit_id=application.programme.unit_id,
            year=application.year + 1,
            is_open=True,
        )
        .order_by("id")
        .first()
    )


def application_renew(*, actor: Actor, application: Application) -> Application:
    """Apply again for a student paid last year (持续帮扶), under next year's programme, with
    the same child and school; the rules are checked again."""
    require_at_path(actor, PROPOSE, application.unit_path)
    application = Application.objects.select_related("programme", "person__unit").get(
        pk=application.pk
    )
    workflow.require_step(application.status, "renew")
    if application.kind != ProgrammeKind.STUDENT_AID:
        raise Conflict(_("只有助学申请可以续助。"), code="application_state")
    programme = next_programme(application)
    if programme is None:
        raise Conflict(
            _("%(year)s年度的助学项目尚未设立，无法续助。") % {"year": application.year + 1},
            code="no_next_programme",
        )
    data = {
        **application.sensitive,
        "level": application.details["level"],
        "admission_year": application.details["admission_year"],
        "renewal_of": application.pk,
    }
    with transaction.atomic():
        renewed = application_submit(
            actor=actor, programme=programme, person=application.person, data=data
        )
        _event(
            application,
            actor,
            "renew",
            application.status,
            reason=_("已提交%(year)s年度续助申请。") % {"year": programme.year},
        )
    return renewed
