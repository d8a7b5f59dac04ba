"""Reads of the API app: when a token expires, and whether its user may still use the API."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from rest_framework.authtoken.models import Token

from xinsheng.core.plugins import contributions


def token_expires_at(token: Token) -> datetime:
    """Return the moment ``token`` stops opening the API (``API_TOKEN_DAYS`` after issue)."""
    created: datetime = token.created
    return created + timedelta(days=settings.XINSHENG["API_TOKEN_DAYS"])


def token_expired(token: Token) -> bool:
    """Return whether ``token`` has expired."""
    return timezone.now() >= token_expires_at(token)


def account_in_service(user: AbstractBaseUser) -> bool:
    """Return whether ``user`` may use the API: an active account no installed app shuts out.

    The org app shuts out the login of a person marked as left (see its ``ACCOUNT_CHECKS``).
    """
    if not user.is_active:
        return False
    return all(check(user) for check in contributions("ACCOUNT_CHECKS"))
