"""Exchange a username and password for an API token, and revoke it.

The password is checked by ``django.contrib.auth.authenticate`` with the request, so that the
login throttle (django-axes) counts API failures with the web login's and locks out the same way.
"""

from collections.abc import Sequence
from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api import selectors, services
from xinsheng.api.errors import InvalidCredentials, LockedOut
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import TokenRequestSerializer, TokenSerializer


def _locked_out_message(request: Request) -> str:
    """Return the lockout message, saying how long to wait when the cool-off is known."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return str(LockedOut.default_message)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return gettext("登录失败次数过多，已暂时锁定，请 %(minutes)d 分钟后再试。") % {
        "minutes": minutes
    }


class TokenView(APIView):
    """Obtain the caller's token (POST) or revoke it (DELETE).

    POST asks for no credentials but the body's: a token or session sent along is not even read.
    The same token is returned until it expires or is revoked.
    """

    renderer_classes = [JSONRenderer]

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        drf_request = super().initialize_request(request, *args, **kwargs)
        if request.method == "POST":
            drf_request.authenticators = ()
        return drf_request

    def get_permissions(self) -> Sequence[BasePermission]:
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_obtain",
        summary=_("获取令牌"),
        description=_(
            "用用户名和密码换取 API 令牌；此后在请求头中发送 Authorization: Token <token>。"
            "令牌在 expires 所示时间失效（401，code 为 token_expired），届时重新获取即得新令牌。"
            "连续失败达到上限后，该用户名在该地址上暂时锁定（429，code 为 locked_out）；"
            "账号已停用或人员已离职时不发令牌（403，code 为 account_inactive）。"
        ),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **error_responses(400, 403, 429)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        credentials = TokenRequestSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = authenticate(
            request=request,  # axes reads DRF's request as well as Django's
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(_locked_out_message(request))
            raise InvalidCredentials()
        token = services.token_issue(actor=user)
        # Like a web login: axes resets the failure count, Django records the last login.
        user_logged_in.send(sender=type(user), request=request, user=user)
        body = {"token": token.key, "expires": selectors.token_expires_at(token)}
        return Response(TokenSerializer(body).data)

    @extend_schema(
        operation_id="auth_token_revoke",
        summary=_("吊销令牌"),
        description=_(
            "吊销调用者的令牌：此后该令牌的请求一律回答 401。"
            "再次用用户名和密码获取时得到新令牌。没有令牌时同样回答 204。"
        ),
        request=None,
        responses={204: None, **error_responses(401)},
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        user = request.user
        if isinstance(user, AbstractBaseUser):  # always: IsAuthenticated let only users in
            services.token_revoke(actor=user)
        return Response(status=204)
