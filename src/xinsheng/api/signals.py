"""Signing out of the web pages also ends the user's API access: their token is revoked."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from xinsheng.api import services


def revoke_token_on_logout(
    sender: type, request: HttpRequest, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    """Revoke the token of ``user`` when they sign out of the web pages."""
    if isinstance(user, AbstractBaseUser):
        services.token_revoke(actor=user, note="web logout")
