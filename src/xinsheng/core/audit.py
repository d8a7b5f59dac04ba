"""Write audit events. Called by services inside their transaction."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from xinsheng.core.models import AuditEvent


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Append an audit event for ``action`` done by ``actor`` to ``obj``."""
    return AuditEvent.objects.create(
        actor_id=actor.pk if isinstance(actor, AbstractBaseUser) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        note=note[:500],
    )


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return the JSON-safe values of ``fields`` of ``obj``, for before/after."""
    result: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        result[name] = value
    return result
