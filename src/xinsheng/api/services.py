"""Writes of the API app: one transaction each, audited.

The audit records name the user, never the token: the key is a secret.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token

from xinsheng.api import selectors
from xinsheng.api.errors import AccountInactive
from xinsheng.core.audit import audit_record


@transaction.atomic
def token_issue(*, actor: AbstractBaseUser) -> Token:
    """Return ``actor``'s API token: the current one, or a new one when there is none or it expired.

    A user who is disabled or marked as left gets none.
    """
    if not selectors.account_in_service(actor):
        raise AccountInactive()
    token = Token.objects.select_for_update().filter(user_id=actor.pk).first()
    if token is not None and selectors.token_expired(token):
        token.delete()
        audit_record(actor=actor, action="api.token_expire", obj=actor)
        token = None
    if token is None:
        token, created = Token.objects.get_or_create(user_id=actor.pk)
        if created:
            audit_record(actor=actor, action="api.token_create", obj=actor)
    return token


@transaction.atomic
def token_revoke(*, actor: AbstractBaseUser, note: str = "") -> bool:
    """Delete ``actor``'s API token, so that it opens nothing; return whether there was one.

    ``note`` says why in the audit record when it was not the user's own request.
    """
    deleted, _by_model = Token.objects.filter(user_id=actor.pk).delete()
    if deleted:
        audit_record(actor=actor, action="api.token_revoke", obj=actor, note=note)
    return bool(deleted)


def token_revoke_at_sign_out(*, actor: AbstractBaseUser) -> None:
    """Revoke ``actor``'s API token as they sign out of the web pages (the ``ON_SIGN_OUT`` hook):
    signing out ends the user's access through the API as well."""
    token_revoke(actor=actor, note="web sign-out")
