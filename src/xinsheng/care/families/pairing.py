"""Every write of pairs (结对帮扶) and care visits.

The union pairs one or more cadres (of a cadre rank, or managers) with an approved family for a
period (``care.manage``); the first pair makes the file active. A care visit is recorded against
the running pairs of a file (``care.visit``): the day, which of the paired cadres went, goods
given and money. Money is a ``Payment`` through ``money.services.payment_make`` under the
hardship programme of the year: from a fund it follows the file's approval and is paid by the
union (``care.pay``); from the cadres' own pockets it names no fund and never touches a fund's
balance. Each write appends a ``FileEvent`` and an audit row; bad input raises ``InvalidInput``
and writes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.care.choices import FileStatus, MoneySource, ProgrammeKind
from xinsheng.care.families.services import (
    file_approval,
    file_event_append,
    file_locked,
    invalid,
)
from xinsheng.care.models import CareVisit, Fund, HardshipFile, Pair, Programme
from xinsheng.care.money import services as money
from xinsheng.care.money.amounts import amount_clean
from xinsheng.care.scope import require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import Conflict, Forbidden
from xinsheng.org.models import Person

PAIR = "care.manage"
VISIT = "care.visit"
PAY = "care.pay"
CADRES_MAX = 10
GOODS_MAX = 200
NOTE_MAX = 500


def pair_create(
    *, actor: Actor, file: HardshipFile, cadres: list[Person], starts_on: dt.date | None = None
) -> list[Pair]:
    """Pair ``cadres`` with the family of ``file`` from ``starts_on`` (today by default)."""
    require_at_path(actor, PAIR, file.unit_path)
    today = timezone.localdate()
    starts_on = starts_on or today
    if starts_on > today:
        raise invalid("starts_on", _("结对日期不能晚于今天。"))
    cadres = list(dict.fromkeys(cadres))
    if not cadres:
        raise invalid("cadres", _("请至少填写一名帮扶干部。"))
    if len(cadres) > CADRES_MAX:
        raise invalid("cadres", _("一次最多结对%(n)s名干部。") % {"n": CADRES_MAX})
    for cadre in cadres:
        if not cadre.is_active:
            raise invalid("cadres", _("%(name)s已不在职。") % {"name": cadre.name})
        if not (cadre.cadre_rank or cadre.is_manager):
            raise invalid("cadres", _("%(name)s不是干部，不能结对帮扶。") % {"name": cadre.name})
        if cadre.pk == file.person_id:
            raise invalid("cadres", _("职工本人不能与自己的家庭结对。"))
    with transaction.atomic():
        locked = file_locked(file, FileStatus.APPROVED, FileStatus.ACTIVE)
        running = set(locked.pairs.filter(ends_on__isnull=True).values_list("cadre_id", flat=True))
        for cadre in cadres:
            if cadre.pk in running:
                raise invalid("cadres", _("%(name)s已与该家庭结对。") % {"name": cadre.name})
        pairs = Pair.objects.bulk_create(
            Pair(file=locked, cadre=cadre, starts_on=starts_on) for cadre in cadres
        )
        if locked.status == FileStatus.APPROVED:
            locked.status = FileStatus.ACTIVE
            locked.save(update_fields=["status", "updated_at"])
            file_event_append(actor, locked, "activate")
        names = "、".join(cadre.name for cadre in cadres)
        file_event_append(actor, locked, "pair", names)
    return pairs


def pair_end(*, actor: Actor, pair: Pair, ends_on: dt.date | None = None) -> Pair:
    """End a running pair on ``ends_on`` (today by default)."""
    file = pair.file
    require_at_path(actor, PAIR, file.unit_path)
    ends_on = ends_on or timezone.localdate()
    if ends_on > timezone.localdate():
        raise invalid("ends_on", _("结束日期不能晚于今天。"))
    with transaction.atomic():
        locked = Pair.objects.select_for_update().select_related("cadre").get(pk=pair.pk)
        if locked.ends_on is not None:
            raise Conflict(_("该结对已经结束。"))
        if ends_on < locked.starts_on:
            raise invalid("ends_on", _("结束日期不能早于结对日期。"))
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on", "updated_at"])
        file_event_append(actor, file, "unpair", locked.cadre.name)
    return locked


@dataclass
class VisitData:
    """What is entered about a care visit; money is optional."""

    visited_on: dt.date | None
    visitors: list[Person] = field(default_factory=list)  # of the cadres paired; all if empty
    goods: str = ""
    goods_value: object = ""
    amount: object = ""  # money handed over, in yuan
    source: str = MoneySource.PERSONAL
    fund: Fund | None = None
    note: str = ""


def hardship_programme(file: HardshipFile, year: int) -> Programme | None:
    """Return the year's hardship programme nearest above the family's unit, if any."""
    candidates = [
        programme
        for programme in Programme.objects.filter(kind=ProgrammeKind.HARDSHIP, year=year)
        if file.unit_path.startswith(programme.unit_path)
    ]
    return max(candidates, key=lambda p: len(p.unit_path), default=None)


def _money_given(value: object) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    return amount_clean(value)


def visit_record(*, actor: Actor, file: HardshipFile, data: VisitData) -> CareVisit:
    """Record a care visit to the family of ``file`` by its paired cadres."""
    require_at_path(actor, VISIT, file.unit_path)
    today = timezone.localdate()
    day = data.visited_on
    if day is None:
        raise invalid("visited_on", _("请填写走访日期。"))
    if day > today:
        raise invalid("visited_on", _("走访日期不能晚于今天。"))
    file.refresh_from_db(fields=["status"])
    if file.status != FileStatus.ACTIVE:
        raise Conflict(_("只有帮扶中的家庭才能登记走访。"))
    paired = {
        pair.cadre_id: pair.cadre
        for pair in file.pairs.filter(ends_on__isnull=True, starts_on__lte=day).select_related(
            "cadre"
        )
    }
    if not paired:
        raise invalid("visitors", _("该家庭在走访日期没有结对干部，请先结对。"))
    visitors = list(dict.fromkeys(data.visitors)) or list(paired.values())
    strangers = [person.name for person in visitors if person.pk not in paired]
    if strangers:
        raise invalid(
            "visitors",
            _("%(names)s未与该家庭结对，不能作为走访人。") % {"names": "、".join(strangers)},
        )
    goods = " ".join(str(data.goods or "").split())
    if len(goods) > GOODS_MAX:
        raise invalid("goods", _("慰问物品不能超过200个字。"))
    goods_value = (
        amount_clean(data.goods_value, field="goods_value")
        if str(data.goods_value or "").strip()
        else Decimal("0")
    )
    if goods_value and not goods:
        raise invalid("goods", _("填写了物品价值，请写明慰问物品。"))
    amount = _money_given(data.amount)
    note = str(data.note or "").strip()
    if len(note) > NOTE_MAX:
        raise invalid("note", _("走访情况不能超过500个字。"))
    if data.source not in MoneySource.values:
        raise invalid("source", _("资金来源应为基金或个人。"))
    programme = hardship_programme(file, day.year) if amount is not None else None
    if amount is not None and programme is None:
        raise invalid(
            "amount",
            _("%(year)s年度尚未设立覆盖本单位的困难帮扶项目，不能登记慰问金。")
            % {"year": day.year},
        )
    with transaction.atomic():
        visit = CareVisit.objects.create(
            file=file,
            unit_path=file.unit_path,
            visited_on=day,
            goods=goods,
            goods_value=goods_value,
            note=note,
            recorded_by_id=actor.pk if actor.is_authenticated else None,
        )
        visit.visitors.set(visitors)
        if amount is not None and programme is not None:
            _pay(actor, file, visit, programme, amount, data)
        audit_record(
            actor=actor,
            action="care.visit",
            obj=visit,
            after={
                "file": file.pk,
                "visited_on": day.isoformat(),
                "visitors": [person.employee_no for person in visitors],
                "amount": f"{amount:.2f}" if amount is not None else None,
                "source": data.source if amount is not None else None,
            },
        )
    return visit


def _pay(
    actor: Actor,
    file: HardshipFile,
    visit: CareVisit,
    programme: Programme,
    amount: Decimal,
    data: VisitData,
) -> None:
    if data.source == MoneySource.PERSONAL:
        money.payment_make(
            actor=actor,
            programme=programme,
            person=file.person,
            amount=amount,
            source=MoneySource.PERSONAL,
            paid_on=visit.visited_on,
            visit=visit,
            note=_("干部个人慰问金"),
            permission=VISIT,
        )
        return
    approval = file_approval(file)
    if approval is None:
        raise Conflict(_("该家庭的档案未经工会审批，不能从基金发放慰问金。"))
    try:
        money.payment_make(
            actor=actor,
            programme=programme,
            person=file.person,
            amount=amount,
            source=MoneySource.FUND,
            fund=data.fund,
            paid_on=visit.visited_on,
            approval=money.Approval(file_event=approval),
            visit=visit,
            note=_("走访慰问金"),
            permission=PAY,
        )
    except Forbidden:
        raise invalid("source", _("基金慰问金须由工会经办登记。")) from None
