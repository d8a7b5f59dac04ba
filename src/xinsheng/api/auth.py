"""Exchange a username and password for an API token.

The password is checked by ``django.contrib.auth.authenticate`` with the request, so that the
login throttle (django-axes) counts API failures with the web login's and locks out the same way.
"""

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api import services
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
    """Obtain the caller's token; the same token is returned until it is revoked."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="auth_token_obtain",
        summary=_("获取令牌"),
        description=_(
            "用用户名和密码换取 API 令牌；此后在请求头中发送 Authorization: Token <token>。"
            "连续失败达到上限后，该用户名在该地址上暂时锁定（429，code 为 locked_out）。"
        ),
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **error_responses(400, 429)},
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
        return Response(TokenSerializer({"token": token.key}).data)
