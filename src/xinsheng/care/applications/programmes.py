"""Writing programmes: create one with its rules, budget, fund and approval chain; edit it."""

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xinsheng.care.applications.rules import rules_clean
from xinsheng.care.choices import ProgrammeKind
from xinsheng.care.models import Fund, Programme
from xinsheng.care.money.amounts import amount_clean
from xinsheng.care.scope import require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import InvalidInput
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit

MANAGE = "care.manage"
TITLE_MAX = 100
NOTICE_DAYS_MAX = 30
DECIDE_WITHIN_MAX = 90


@dataclass
class ProgrammeData:
    """What a programme is made of, as a form or the API gives it."""

    kind: str
    title: str
    year: int
    budget: object = None
    fund: Fund | None = None
    rules: dict[str, Any] = field(default_factory=dict)
    needs_unit_review: bool = True
    needs_union_approval: bool = True
    notice_days: int = 0
    decide_within: int = 10


def _clean(data: ProgrammeData, unit: OrgUnit) -> dict[str, Any]:
    if data.kind not in ProgrammeKind.values:
        raise InvalidInput(fields={"kind": [_("请选择项目类型。")]})
    title = (data.title or "").strip()
    if not title:
        raise InvalidInput(fields={"title": [_("请填写项目名称。")]})
    if len(title) > TITLE_MAX:
        raise InvalidInput(fields={"title": [_("项目名称不能超过100字。")]})
    if not isinstance(data.year, int) or not 2000 <= data.year <= 2100:
        raise InvalidInput(fields={"year": [_("请填写年度（如2026）。")]})
    budget: Decimal | None = None
    if data.budget not in (None, ""):
        budget = amount_clean(data.budget, field="budget")
    if data.fund is not None and not unit.path.startswith(data.fund.unit_path):
        raise InvalidInput(fields={"fund": [_("只能使用本单位或上级单位的基金。")]})
    if not 0 <= data.notice_days <= NOTICE_DAYS_MAX:
        raise InvalidInput(fields={"notice_days": [_("公示天数应在0到30天之间。")]})
    if not 1 <= data.decide_within <= DECIDE_WITHIN_MAX:
        raise InvalidInput(fields={"decide_within": [_("办理时限应在1到90个工作日之间。")]})
    return {
        "kind": data.kind,
        "title": title,
        "year": data.year,
        "budget": budget,
        "fund": data.fund,
        "rules": rules_clean(data.kind, data.rules),
        "needs_unit_review": bool(data.needs_unit_review),
        "needs_union_approval": bool(data.needs_union_approval),
        "notice_days": data.notice_days,
        "decide_within": data.decide_within,
    }


def _logged(values: dict[str, Any]) -> dict[str, Any]:
    shown = dict(values)
    shown["budget"] = f"{values['budget']:.2f}" if values["budget"] is not None else None
    shown["fund"] = values["fund"].pk if values["fund"] is not None else None
    return shown


def programme_create(*, actor: Actor, unit: OrgUnit, data: ProgrammeData) -> Programme:
    """Create a programme run by ``unit`` (the union officer of the unit or above)."""
    permissions.require(actor, MANAGE, unit)
    values = _clean(data, unit)
    if Programme.objects.filter(unit=unit, year=values["year"], title=values["title"]).exists():
        raise InvalidInput(fields={"title": [_("本单位该年度已有同名项目。")]})
    with transaction.atomic():
        programme = Programme.objects.create(unit=unit, unit_path=unit.path, **values)
        audit_record(
            actor=actor, action="care.programme.create", obj=programme, after=_logged(values)
        )
    return programme


def programme_update(*, actor: Actor, programme: Programme, data: ProgrammeData) -> Programme:
    """Change a programme's title, rules, budget, fund, chain and deadlines (not its kind once
    it has applications)."""
    require_at_path(actor, MANAGE, programme.unit_path)
    values = _clean(data, programme.unit)
    if values["kind"] != programme.kind and programme.applications.exists():
        raise InvalidInput(fields={"kind": [_("项目已有申请，不能更改类型。")]})
    clash = Programme.objects.filter(
        unit=programme.unit, year=values["year"], title=values["title"]
    ).exclude(pk=programme.pk)
    if clash.exists():
        raise InvalidInput(fields={"title": [_("本单位该年度已有同名项目。")]})
    changed = list(values)
    before = {name: getattr(programme, name) for name in changed}
    with transaction.atomic():
        for name, value in values.items():
            setattr(programme, name, value)
        programme.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action="care.programme.update",
            obj=programme,
            before=_logged(before),
            after=_logged(values),
        )
    return programme


def programme_data(programme: Programme) -> ProgrammeData:
    """Return what ``programme`` is made of, to fill its form."""
    data = ProgrammeData(kind=programme.kind, title=programme.title, year=programme.year)
    for item in fields(data):
        setattr(data, item.name, getattr(programme, item.name))
    return data
