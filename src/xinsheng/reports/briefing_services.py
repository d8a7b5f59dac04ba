"""Every write of briefings: generate one from the figures, and save the text staff edit.

Each runs in one transaction, checks ``briefing.write`` at the briefing's unit, and appends an
audit event in the same transaction.
"""

from typing import cast

from django.db import transaction
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import InvalidInput
from xinsheng.core.periods import Period
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.reports.briefing import build_content
from xinsheng.reports.briefing_models import Briefing

ACTION = "briefing.write"
TITLE_MAX = 200
PARAGRAPH_MAX = 5000
PARAGRAPHS_MAX = 30


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def clean_title(value: object) -> str:
    """Return the title stripped; required, at most ``TITLE_MAX`` characters."""
    title = " ".join(str(value or "").split())
    if not title:
        raise _invalid("title", _("请填写标题。"))
    if len(title) > TITLE_MAX:
        raise _invalid("title", _("标题不能超过%(limit)d字。") % {"limit": TITLE_MAX})
    return title


def clean_paragraphs(values: list[str]) -> list[str]:
    """Return the paragraphs stripped, empty ones dropped; at least one, none too long."""
    paragraphs = [str(value).strip() for value in values if str(value).strip()]
    if not paragraphs:
        raise _invalid("paragraphs", _("正文不能为空。"))
    if len(paragraphs) > PARAGRAPHS_MAX:
        message = _("正文不能超过%(limit)d段。") % {"limit": PARAGRAPHS_MAX}
        raise _invalid("paragraphs", message)
    if any(len(text) > PARAGRAPH_MAX for text in paragraphs):
        message = _("每段不能超过%(limit)d字。") % {"limit": PARAGRAPH_MAX}
        raise _invalid("paragraphs", message)
    return paragraphs


@transaction.atomic
def briefing_create(*, actor: Actor, unit: OrgUnit, period: Period) -> Briefing:
    """Write the briefing of ``unit``'s subtree over ``period`` from the dashboard's figures."""
    permissions.require(actor, ACTION, unit)
    content = build_content(unit, period)
    author = cast(int, actor.pk)  # permitted above, so a signed-in user
    briefing = Briefing.objects.create(
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        period_kind=period.kind,
        title=content.title,
        paragraphs=content.paragraphs,
        figures=content.figures,
        created_by_id=author,
        updated_by_id=author,
    )
    audit_record(
        actor=actor,
        action="briefing.create",
        obj=briefing,
        after={
            "unit": unit.code,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "title": briefing.title,
        },
    )
    return briefing


@transaction.atomic
def briefing_update(
    *, actor: Actor, briefing: Briefing, title: str, paragraphs: list[str]
) -> Briefing:
    """Save the text staff edited; the figures table stays as it was generated."""
    briefing = Briefing.objects.select_for_update().select_related("unit").get(pk=briefing.pk)
    permissions.require(actor, ACTION, briefing.unit)
    title = clean_title(title)
    paragraphs = clean_paragraphs(paragraphs)
    before = {"title": briefing.title, "paragraphs": briefing.paragraphs}
    if before == {"title": title, "paragraphs": paragraphs}:
        return briefing
    briefing.title = title
    briefing.paragraphs = paragraphs
    briefing.updated_by_id = cast(int, actor.pk)  # permitted above, so a signed-in user
    briefing.save(update_fields=["title", "paragraphs", "updated_by", "updated_at"])
    audit_record(
        actor=actor,
        action="briefing.update",
        obj=briefing,
        before=before,
        after={"title": title, "paragraphs": paragraphs},
    )
    return briefing
