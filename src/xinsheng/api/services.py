"""Writes of the API app: one transaction each, audited."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token

from xinsheng.core.audit import audit_record


@transaction.atomic
def token_issue(*, actor: AbstractBaseUser) -> Token:
    """Return ``actor``'s API token, creating it on first use.

    The audit record names the user, never the token: the key is a secret.
    """
    token, created = Token.objects.get_or_create(user_id=actor.pk)
    if created:
        audit_record(actor=actor, action="api.token_create", obj=actor)
    return token
