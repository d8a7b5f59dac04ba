"""Every write of sanatorium batches (疗休养): nominate, confirm, record attendance, withdraw.

A person is nominated by their unit (``care.propose``) against the batch's capacity and the
quota of the unit they belong to; someone who went (or is confirmed to go) within the
programme's last N years (``rules["years"]``, 3 when unset) is refused unless an override
reason is given. The union confirms (``care.approve``) and records who attended. Each step is
audited in the same transaction; a refusal writes nothing.
"""

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.choices import BatchKind, NominationStatus, ProgrammeKind
from xinsheng.care.models import BatchQuota, Nomination, Programme, SanatoriumBatch
from xinsheng.care.scope import in_subtree, require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.org.models import OrgUnit, Person

MANAGE = "care.manage"
PROPOSE = "care.propose"
TEXT_MAX = 100
CAPACITY_MAX = 1000
APPROVE = "care.approve"
REASON_MAX = 300
DEFAULT_YEARS = 3
TAKING = (NominationStatus.NOMINATED, NominationStatus.CONFIRMED, NominationStatus.ATTENDED)
WENT = (NominationStatus.CONFIRMED, NominationStatus.ATTENDED)


def years_of(batch: SanatoriumBatch) -> int:
    """Return the years within which someone who went is not nominated again."""
    rules = batch.programme.rules if isinstance(batch.programme.rules, dict) else {}
    try:
        years = int(rules.get("years", DEFAULT_YEARS))
    except (TypeError, ValueError):
        return DEFAULT_YEARS
    return max(0, min(years, 20))


def quota_for(batch: SanatoriumBatch, path: str) -> BatchQuota | None:
    """Return the quota of the nearest unit above ``path`` that has one in ``batch``."""
    found = [q for q in batch.quotas.select_related("unit") if path.startswith(q.unit.path)]
    return max(found, key=lambda q: len(q.unit.path), default=None)


def recent_stays(batch: SanatoriumBatch, person: Person) -> QuerySet[Nomination]:
    """Return ``person``'s stays (confirmed or attended) in other batches that began within
    the programme's years before this batch."""
    years = years_of(batch)
    start = batch.starts_on
    since = start.replace(year=start.year - years, day=min(start.day, 28))
    return Nomination.objects.filter(
        person=person,
        status__in=WENT,
        batch__starts_on__gt=since,
        batch__starts_on__lte=start,
    ).exclude(batch=batch)


@transaction.atomic
def batch_create(
    *,
    actor: Actor,
    programme: Programme,
    kind: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    place: str,
    capacity: int,
    quotas: dict[OrgUnit, int] | None = None,
) -> SanatoriumBatch:
    """Set up a batch of a sanatorium programme, with each unit's quota of its places."""
    require_at_path(actor, MANAGE, programme.unit_path)
    if programme.kind != ProgrammeKind.SANATORIUM:
        raise InvalidInput(_("只有疗休养项目才能设立批次。"))
    if kind not in BatchKind.values:
        raise InvalidInput(_("请选择疗休养类型。"))
    title, place = " ".join(title.split()), " ".join(place.split())
    if not title or len(title) > TEXT_MAX or not place or len(place) > TEXT_MAX:
        raise InvalidInput(_("批次名称和地点须填写，且不超过100个字。"))
    if ends_on < starts_on:
        raise InvalidInput(_("结束日期不能早于开始日期。"))
    if not 1 <= capacity <= CAPACITY_MAX:
        raise InvalidInput(_("名额应在1到1000之间。"))
    quotas = quotas or {}
    if any(not u.path.startswith(programme.unit_path) for u in quotas):
        raise InvalidInput(_("分配名额的单位须在主办单位之下。"))
    if any(places < 1 for places in quotas.values()) or sum(quotas.values()) > capacity:
        raise InvalidInput(_("各单位名额之和不能超过批次名额。"))
    batch = SanatoriumBatch.objects.create(
        programme=programme,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        capacity=capacity,
    )
    BatchQuota.objects.bulk_create(
        BatchQuota(batch=batch, unit=unit, places=places) for unit, places in quotas.items()
    )
    audit_record(
        actor=actor,
        action="care.sanatorium.batch",
        obj=batch,
        after={"capacity": capacity, "quotas": {u.code: n for u, n in quotas.items()}},
    )
    return batch


@transaction.atomic
def nominate(
    *, actor: Actor, batch: SanatoriumBatch, person: Person, override_reason: str = ""
) -> Nomination:
    """Nominate ``person`` for ``batch``, within its capacity and their unit's quota."""
    path = person.unit.path
    require_at_path(actor, PROPOSE, path)
    if not path.startswith(batch.programme.unit_path):
        raise InvalidInput(_("该职工不在本项目的主办单位范围内。"))
    if not person.is_active:
        raise InvalidInput(_("该职工已不在职。"))
    reason = " ".join(str(override_reason or "").split())
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("再次推荐理由不能超过300个字。"))
    batch = SanatoriumBatch.objects.select_for_update().select_related("programme").get(pk=batch.pk)
    if batch.starts_on < timezone.localdate():
        raise Conflict(_("该批次已开始，不能再推荐。"))
    if Nomination.objects.filter(batch=batch, person=person).exists():
        raise Conflict(_("该职工已在本批次名单中。"))
    taken = Nomination.objects.filter(batch=batch, status__in=TAKING)
    if taken.count() >= batch.capacity:
        raise InvalidInput(_("本批次%(n)s个名额已满。") % {"n": batch.capacity})
    quota = quota_for(batch, path)
    if batch.quotas.exists():
        if quota is None:
            raise InvalidInput(_("该职工所在单位在本批次没有名额。"))
        used = taken.filter(**in_subtree(quota.unit.path)).count()
        if used >= quota.places:
            raise InvalidInput(
                _("%(unit)s在本批次的%(n)s个名额已用完。")
                % {"unit": quota.unit.name, "n": quota.places}
            )
    recent = recent_stays(batch, person).select_related("batch").first()
    if recent is not None and not reason:
        raise InvalidInput(
            _("该职工%(years)s年内已参加过疗休养（%(batch)s），如需再次推荐请填写理由。")
            % {"years": years_of(batch), "batch": recent.batch.title},
            fields={"override_reason": [_("请填写再次推荐理由。")]},
        )
    nomination = Nomination.objects.create(
        batch=batch,
        person=person,
        unit_path=path,
        override_reason=reason if recent is not None else "",
        nominated_by=actor if actor.is_authenticated else None,  # type: ignore[misc]
    )
    audit_record(
        actor=actor,
        action="care.sanatorium.nominate",
        obj=nomination,
        after={"batch": batch.pk, "override_reason": nomination.override_reason},
    )
    return nomination


def _move(
    actor: Actor, nomination: Nomination, action: str, to: str, allowed: tuple[str, ...]
) -> Nomination:
    locked = Nomination.objects.select_for_update().select_related("batch").get(pk=nomination.pk)
    if locked.status not in allowed:
        raise Conflict(
            _("当前状态为“%(status)s”，不能进行此操作。") % {"status": locked.get_status_display()}
        )
    before = locked.status
    locked.status = to
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"care.sanatorium.{action}",
        obj=locked,
        before={"status": before},
        after={"status": to},
    )
    return locked


@transaction.atomic
def nomination_confirm(*, actor: Actor, nomination: Nomination) -> Nomination:
    """The union confirms a nomination."""
    require_at_path(actor, APPROVE, nomination.unit_path)
    return _move(
        actor, nomination, "confirm", NominationStatus.CONFIRMED, (NominationStatus.NOMINATED,)
    )


@transaction.atomic
def nomination_attend(
    *, actor: Actor, nomination: Nomination, today: dt.date | None = None
) -> Nomination:
    """Record that a confirmed person went, once the batch has begun."""
    require_at_path(actor, APPROVE, nomination.unit_path)
    if nomination.batch.starts_on > (today or timezone.localdate()):
        raise InvalidInput(_("批次尚未开始，不能登记参加。"))
    return _move(
        actor, nomination, "attend", NominationStatus.ATTENDED, (NominationStatus.CONFIRMED,)
    )


@transaction.atomic
def nomination_withdraw(*, actor: Actor, nomination: Nomination) -> Nomination:
    """Withdraw a nomination not yet attended; its place is free again."""
    require_at_path(actor, PROPOSE, nomination.unit_path)
    return _move(
        actor,
        nomination,
        "withdraw",
        NominationStatus.WITHDRAWN,
        (NominationStatus.NOMINATED, NominationStatus.CONFIRMED),
    )
