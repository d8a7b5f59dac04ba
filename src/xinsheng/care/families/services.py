"""Every write of hardship files: propose, review, approve, the yearly review, close.

A file moves proposed → reviewed by the unit (``care.review``) → approved by the union
(``care.approve``) → active (when its first pair starts) → closed with a reason. Each step
appends a ``FileEvent`` with the state and the figures after it, so the history is kept and
never overwritten; each is audited in the same transaction. Bad input raises ``InvalidInput``
with a Chinese message and writes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.choices import OPEN_FILE_STATES, FileStatus, HardshipReason, Relation, Tier
from xinsheng.care.models import FileEvent, HardshipFile, HouseholdMember
from xinsheng.care.scope import require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.org.models import Person

PROPOSE = "care.propose"
REVIEW = "care.review"
APPROVE = "care.approve"
NOTE_MAX = 500
REASON_MAX = 300
NAME_MAX = 50
OCCUPATION_MAX = 100
MEMBERS_MAX = 20
HOUSEHOLD_MAX = 30
INCOME_MAX = Decimal("99999999.99")
CENT = Decimal("0.01")


def invalid(field_name: str, message: str) -> InvalidInput:
    """Return the error of one field, with the message above the form too."""
    return InvalidInput(message, fields={field_name: [message]})


@dataclass
class MemberData:
    """A household member as entered: name, relation, birth year, occupation or school."""

    name: str
    relation: str
    birth_year: int | None = None
    occupation: str = ""


@dataclass
class FileData:
    """What a unit enters about a family: tier, reasons, income and household."""

    tier: str
    reasons: list[str]
    household_size: int | None
    household_income: object
    reason_note: str = ""
    review_due: dt.date | None = None
    members: list[MemberData] = field(default_factory=list)


def _income(value: object) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise invalid("household_income", _("家庭年收入应为数字，单位为元。")) from None
    if not amount.is_finite() or amount < 0:
        raise invalid("household_income", _("家庭年收入应为不小于0的数字。"))
    if amount > INCOME_MAX:
        raise invalid("household_income", _("家庭年收入过大，请核对。"))
    return amount.quantize(CENT)


def _members(members: list[MemberData]) -> list[MemberData]:
    if len(members) > MEMBERS_MAX:
        raise invalid("members", _("家庭成员最多%(n)s人。") % {"n": MEMBERS_MAX})
    year = timezone.localdate().year
    cleaned = []
    for number, member in enumerate(members, start=1):
        name = " ".join(str(member.name or "").split())
        if not name or len(name) > NAME_MAX:
            raise invalid(
                "members", _("第%(n)s位家庭成员的姓名须填写，且不超过50个字。") % {"n": number}
            )
        if member.relation not in Relation.values:
            raise invalid("members", _("第%(n)s位家庭成员的关系无效。") % {"n": number})
        if member.birth_year is not None and not year - 120 <= member.birth_year <= year:
            raise invalid("members", _("第%(n)s位家庭成员的出生年份无效。") % {"n": number})
        occupation = " ".join(str(member.occupation or "").split())
        if len(occupation) > OCCUPATION_MAX:
            raise invalid(
                "members", _("第%(n)s位家庭成员的职业/学校不能超过100个字。") % {"n": number}
            )
        cleaned.append(MemberData(name, member.relation, member.birth_year, occupation))
    return cleaned


def file_data_clean(data: FileData) -> dict[str, Any]:
    """Return the file's fields from ``data``, or raise ``InvalidInput`` naming the field."""
    if data.tier not in Tier.values:
        raise invalid("tier", _("请选择困难类别。"))
    reasons = list(dict.fromkeys(data.reasons))
    if not reasons:
        raise invalid("reasons", _("请至少选择一项致困原因。"))
    if any(reason not in HardshipReason.values for reason in reasons):
        raise invalid("reasons", _("致困原因无效。"))
    size = data.household_size
    if size is None or not 1 <= size <= HOUSEHOLD_MAX:
        raise invalid("household_size", _("家庭人口应为1到30之间的整数。"))
    members = _members(data.members)
    if len(members) >= size:
        raise invalid("members", _("家庭成员（不含职工本人）应少于家庭人口。"))
    note = str(data.reason_note or "").strip()
    if len(note) > NOTE_MAX:
        raise invalid("reason_note", _("困难情况说明不能超过500个字。"))
    today = timezone.localdate()
    review_due = data.review_due or today.replace(year=today.year + 1, day=min(today.day, 28))
    if review_due <= today:
        raise invalid("review_due", _("复核日期应晚于今天。"))
    return {
        "tier": data.tier,
        "reasons": reasons,
        "reason_note": note,
        "household_size": size,
        "household_income": _income(data.household_income),
        "review_due": review_due,
        "members": members,
    }


def file_values(file: HardshipFile, members: list[HouseholdMember] | None = None) -> dict[str, Any]:
    """Return the figures a history step keeps (never the sensitive notes or children's names).

    ``members`` are the file's household when the caller has them at hand.
    """
    if members is None:
        members = list(file.members.all())
    return {
        "tier": file.tier,
        "reasons": list(file.reasons),
        "household_size": file.household_size,
        "household_income": f"{Decimal(file.household_income):.2f}",
        "review_due": file.review_due.isoformat(),
        "members": [
            {"relation": m.relation, "birth_year": m.birth_year, "occupation": m.occupation}
            for m in members
        ],
    }


def file_event_append(
    actor: Actor, file: HardshipFile, action: str, reason: str = "", *, at: Any = None
) -> FileEvent:
    event = FileEvent.objects.create(
        file=file,
        action=action,
        status=file.status,
        values=file_values(file),
        reason=reason[:REASON_MAX],
        actor_id=actor.pk if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action=f"care.file.{action}",
        obj=file,
        after={"status": file.status, "tier": file.tier},
        note=reason,
    )
    return event


def _write_members(file: HardshipFile, members: list[MemberData]) -> None:
    file.members.all().delete()
    HouseholdMember.objects.bulk_create(
        HouseholdMember(
            file=file,
            name=m.name,
            relation=m.relation,
            birth_year=m.birth_year,
            occupation=m.occupation,
        )
        for m in members
    )


def file_propose(
    *,
    actor: Actor,
    person: Person,
    data: FileData,
    status: str = FileStatus.PROPOSED,
    permission: str = PROPOSE,
) -> HardshipFile:
    """Put ``person``'s family on file as proposed by their unit (at most one open file).

    A historical roster's import writes its families as active (``status``) under its own
    permission; their first step is then the import, which fund money follows.
    """
    require_at_path(actor, permission, person.unit.path)
    if not person.is_active:
        raise invalid("person", _("该职工已不在职。"))
    values = file_data_clean(data)
    if HardshipFile.objects.filter(person=person, status__in=OPEN_FILE_STATES).exists():
        raise invalid(
            "person", _("%(name)s已有未退出的困难档案，不能重复建档。") % {"name": person.name}
        )
    members = values.pop("members")
    try:
        with transaction.atomic():
            file = HardshipFile.objects.create(
                person=person,
                unit_path=person.unit.path,
                status=status,
                proposed_by_id=actor.pk if actor.is_authenticated else None,
                **values,
            )
            _write_members(file, members)
            file_event_append(actor, file, "propose" if status == FileStatus.PROPOSED else "import")
    except IntegrityError:  # a second proposal at the same moment
        raise invalid(
            "person", _("%(name)s已有未退出的困难档案，不能重复建档。") % {"name": person.name}
        ) from None
    return file


def file_locked(file: HardshipFile, *states: str) -> HardshipFile:
    locked = HardshipFile.objects.select_for_update().get(pk=file.pk)
    if locked.status not in states:
        raise Conflict(
            _("档案当前状态为“%(status)s”，不能进行此操作。")
            % {"status": locked.get_status_display()}
        )
    return locked


def _step(
    actor: Actor,
    file: HardshipFile,
    *,
    action: str,
    permission: str,
    states: tuple[str, ...],
    to: str,
    reason: str = "",
) -> HardshipFile:
    require_at_path(actor, permission, file.unit_path)
    reason = str(reason or "").strip()
    if len(reason) > REASON_MAX:
        raise invalid("reason", _("说明不能超过300个字。"))
    with transaction.atomic():
        locked = file_locked(file, *states)
        locked.status = to
        locked.save(update_fields=["status", "updated_at"])
        file_event_append(actor, locked, action, reason)
    return locked


def file_review(*, actor: Actor, file: HardshipFile, note: str = "") -> HardshipFile:
    """The unit's review of a proposed file (单位审核)."""
    return _step(
        actor,
        file,
        action="review",
        permission=REVIEW,
        states=(FileStatus.PROPOSED,),
        to=FileStatus.REVIEWED,
        reason=note,
    )


def file_approve(*, actor: Actor, file: HardshipFile, note: str = "") -> HardshipFile:
    """The union's approval of a reviewed file (工会审批); its event is what fund money follows."""
    return _step(
        actor,
        file,
        action="approve",
        permission=APPROVE,
        states=(FileStatus.REVIEWED,),
        to=FileStatus.APPROVED,
        reason=note,
    )


def file_refuse(*, actor: Actor, file: HardshipFile, reason: str) -> HardshipFile:
    """Refuse a file not yet approved (不予认定): it closes with the reason.

    The unit refuses a proposed file, the union a reviewed one.
    """
    permission = APPROVE if file.status == FileStatus.REVIEWED else REVIEW
    require_at_path(actor, permission, file.unit_path)
    reason = str(reason or "").strip()
    if not reason:
        raise invalid("reason", _("请填写不予认定的原因。"))
    if len(reason) > REASON_MAX:
        raise invalid("reason", _("说明不能超过300个字。"))
    with transaction.atomic():
        locked = file_locked(file, FileStatus.PROPOSED, FileStatus.REVIEWED)
        locked.status = FileStatus.CLOSED
        locked.closed_reason = reason
        locked.save(update_fields=["status", "closed_reason", "updated_at"])
        file_event_append(actor, locked, "refuse", reason)
    return locked


def file_activate(*, actor: Actor, file: HardshipFile) -> HardshipFile:
    """Start helping an approved family (done when its first pair starts)."""
    return _step(
        actor,
        file,
        action="activate",
        permission=PROPOSE,
        states=(FileStatus.APPROVED,),
        to=FileStatus.ACTIVE,
    )


def file_yearly_review(
    *, actor: Actor, file: HardshipFile, data: FileData, note: str = ""
) -> HardshipFile:
    """Record the yearly review (年度复核): new figures, tier and members, the next due date."""
    require_at_path(actor, REVIEW, file.unit_path)
    values = file_data_clean(data)
    members = values.pop("members")
    note = str(note or "").strip()
    if len(note) > REASON_MAX:
        raise invalid("note", _("说明不能超过300个字。"))
    with transaction.atomic():
        locked = file_locked(file, FileStatus.APPROVED, FileStatus.ACTIVE)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        _write_members(locked, members)
        file_event_append(actor, locked, "yearly_review", note)
    return locked


def file_close(*, actor: Actor, file: HardshipFile, reason: str) -> HardshipFile:
    """Close a file with its reason (脱困、调离、退休 …); its running pairs end today."""
    require_at_path(actor, REVIEW, file.unit_path)
    reason = str(reason or "").strip()
    if not reason:
        raise invalid("reason", _("请填写退出原因。"))
    if len(reason) > REASON_MAX:
        raise invalid("reason", _("退出原因不能超过300个字。"))
    with transaction.atomic():
        locked = file_locked(file, *OPEN_FILE_STATES)
        locked.status = FileStatus.CLOSED
        locked.closed_reason = reason
        locked.save(update_fields=["status", "closed_reason", "updated_at"])
        today = timezone.localdate()
        for pair in locked.pairs.filter(ends_on__isnull=True):
            pair.ends_on = max(today, pair.starts_on)
            pair.save(update_fields=["ends_on", "updated_at"])
        file_event_append(actor, locked, "close", reason)
    return locked


def file_approval(file: HardshipFile) -> FileEvent | None:
    """Return the step fund money for ``file`` follows: its latest approval (or import)."""
    return file.events.filter(action__in=("approve", "import")).order_by("-at", "-id").first()
