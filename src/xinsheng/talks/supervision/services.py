"""Every write of supervision groups (督导组): setting them up, 督办 notices, answers, inspections.

An administrator (``supervision.manage`` at every unit assigned) sets a group up. A member of the
group who may act there (``supervision.act``) issues a notice to a unit under the group's units
or records an inspection, whose findings may become rectification items. The unit (those who put
things right there, ``rectification.update``) sees the notice on its pages and in its
notifications, and answers it. One transaction each, audited.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org import permissions
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, Person
from xinsheng.org.notifications import notify_role_holders
from xinsheng.talks.meetings.services import (
    clean_line,
    clean_past_date,
    invalid,
    rectification_create,
)
from xinsheng.talks.models import Inspection, SupervisionGroup, SupervisionNotice
from xinsheng.talks.supervision import selectors

NAME_MAX = 100
TEXT_MAX = 500
FINDINGS_MAX = 4000
NOTICE_KIND = "talk_notice"
# Who hears of a notice at the unit: those who answer it and those who run the unit.
NOTIFIED = frozenset({Role.UNIT_HEAD, Role.RECORDER})


@dataclass
class GroupData:
    """What an administrator enters about a group."""

    name: str
    members: Sequence[Person]
    units: Sequence[OrgUnit]
    is_active: bool = True


def _clean_group(actor: Actor, data: GroupData, group: SupervisionGroup | None) -> str:
    name = clean_line("name", data.name, limit=NAME_MAX)
    taken = SupervisionGroup.objects.filter(name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise invalid("name", _("已有同名的督导组。"))
    if not data.units:
        raise invalid("units", _("请至少指定一个督导单位。"))
    if not data.members:
        raise invalid("members", _("请至少指定一名成员。"))
    for unit in data.units:
        permissions.require(actor, "supervision.manage", unit)
    return name


def _save_group(group: SupervisionGroup, data: GroupData) -> None:
    group.members.set(data.members)
    group.units.set(data.units)


def _group_snapshot(group: SupervisionGroup) -> dict[str, object]:
    return {
        "name": group.name,
        "is_active": group.is_active,
        "members": sorted(group.members.values_list("employee_no", flat=True)),
        "units": sorted(group.units.values_list("code", flat=True)),
    }


@transaction.atomic
def group_create(*, actor: Actor, data: GroupData) -> SupervisionGroup:
    """Set up a group with its members and assigned units."""
    name = _clean_group(actor, data, None)
    group = SupervisionGroup.objects.create(name=name, is_active=data.is_active)
    _save_group(group, data)
    audit_record(
        actor=actor, action="supervision.group_create", obj=group, after=_group_snapshot(group)
    )
    return group


@transaction.atomic
def group_edit(*, actor: Actor, group: SupervisionGroup, data: GroupData) -> SupervisionGroup:
    """Change a group: its name, members, units, or whether it is active."""
    group = SupervisionGroup.objects.select_for_update().get(pk=group.pk)
    for unit in group.units.all():  # the units taken away must be the actor's too
        permissions.require(actor, "supervision.manage", unit)
    before = _group_snapshot(group)
    group.name = _clean_group(actor, data, group)
    group.is_active = data.is_active
    group.save(update_fields=["name", "is_active", "updated_at"])
    _save_group(group, data)
    audit_record(
        actor=actor,
        action="supervision.group_edit",
        obj=group,
        before=before,
        after=_group_snapshot(group),
    )
    return group


def _require_member(actor: Actor, group: SupervisionGroup, unit: OrgUnit) -> None:
    permissions.require(actor, "supervision.act", unit)
    if not group.is_active or not selectors.group_member_of(actor=actor, group=group):
        raise Forbidden(_("只有督导组成员可以督办。"))
    if not selectors.group_covers(group=group, unit=unit):
        raise invalid("unit", _("该单位不在本督导组的督导范围内。"))


@transaction.atomic
def notice_issue(
    *, actor: Actor, group: SupervisionGroup, unit: OrgUnit, text: str
) -> SupervisionNotice:
    """Send a 督办 notice from ``group`` to ``unit``; the unit is told, and answers it."""
    _require_member(actor, group, unit)
    notice = SupervisionNotice.objects.create(
        group=group,
        unit=unit,
        issued_by_id=cast(int, actor.pk),
        text=clean_line("text", text, limit=TEXT_MAX),
    )
    audit_record(
        actor=actor,
        action="supervision.notice",
        obj=notice,
        after=snapshot(notice, ["group", "unit", "text"]),
    )
    notify_role_holders(
        unit_id=unit.pk,
        roles=NOTIFIED,
        kind=NOTICE_KIND,
        text=_("%(group)s督办：%(text)s") % {"group": group.name, "text": notice.text},
        url=reverse("supervision:notices"),
    )
    return notice


@transaction.atomic
def notice_answer(*, actor: Actor, notice: SupervisionNotice, answer: str) -> SupervisionNotice:
    """Answer ``notice`` for its unit: what the unit has done about it."""
    notice = SupervisionNotice.objects.select_for_update().select_related("unit").get(pk=notice.pk)
    permissions.require(actor, "rectification.update", notice.unit)
    if notice.answered_at is not None:
        raise Conflict(_("该督办通知已回复。"), code="notice_answered")
    notice.answer = clean_line("answer", answer, limit=TEXT_MAX)
    notice.answered_at = timezone.now()
    notice.save(update_fields=["answer", "answered_at", "updated_at"])
    audit_record(
        actor=actor, action="supervision.answer", obj=notice, after={"answer": notice.answer}
    )
    return notice


@dataclass
class Finding:
    """A finding of an inspection that becomes a rectification item."""

    text: str
    owner_unit: OrgUnit
    due_on: dt.date | None


@transaction.atomic
def inspection_record(
    *,
    actor: Actor,
    group: SupervisionGroup,
    unit: OrgUnit,
    held_on: dt.date | None,
    findings: str,
    items: Sequence[Finding] = (),
) -> Inspection:
    """Record ``group``'s inspection of ``unit`` and turn its findings into rectification items."""
    _require_member(actor, group, unit)
    text = str(findings or "").strip()
    if not text:
        raise invalid("findings", _("此项必填。"))
    if len(text) > FINDINGS_MAX:
        raise invalid("findings", _("不能超过%(limit)s个字。") % {"limit": FINDINGS_MAX})
    inspection = Inspection.objects.create(
        group=group,
        unit=unit,
        held_on=clean_past_date("held_on", held_on),
        findings=text,
        recorded_by_id=cast(int, actor.pk),
    )
    audit_record(
        actor=actor,
        action="supervision.inspection",
        obj=inspection,
        after=snapshot(inspection, ["group", "unit", "held_on", "findings"]),
    )
    for item in items:
        if not item.owner_unit.path.startswith(unit.path):
            raise InvalidInput(
                _("整改责任单位须为被检查单位或其下级单位。"),
                fields={"owner_unit": [_("整改责任单位须为被检查单位或其下级单位。")]},
            )
        rectification_create(
            actor=actor,
            text=item.text,
            owner_unit=item.owner_unit,
            due_on=item.due_on,
            inspection=inspection,
        )
    return inspection
