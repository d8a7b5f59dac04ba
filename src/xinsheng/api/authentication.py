"""How an API call proves who makes it: a token that has not expired, of a user still in service.

The key is looked up as by DRF's ``TokenAuthentication``; a token older than ``API_TOKEN_DAYS``
and the token of a user who left are refused with their own codes, so a client can tell
"ask for a new token" from "this account no longer works".
"""

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from xinsheng.api import selectors


class TokenExpired(exceptions.AuthenticationFailed):
    """The token is older than ``API_TOKEN_DAYS``; the client asks for a new one."""

    default_detail = _("令牌已过期，请用用户名和密码重新获取。")
    default_code = "token_expired"


class AccountInactive(exceptions.AuthenticationFailed):
    """The token's user is disabled or marked as left."""

    default_detail = _("账号已停用，不能再使用 API。")
    default_code = "account_inactive"


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused once the token expires or its user leaves."""

    def authenticate_credentials(self, key: str) -> tuple[AbstractBaseUser, Token]:
        try:
            token = Token.objects.select_related("user").get(key=key)
        except Token.DoesNotExist:
            raise exceptions.AuthenticationFailed() from None
        if not selectors.account_in_service(token.user):
            raise AccountInactive()
        if selectors.token_expired(token):
            raise TokenExpired()
        return token.user, token
