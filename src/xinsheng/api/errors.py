"""Every API error as JSON: ``{"code": "<stable code>", "message": "<message>"}``.

Validation errors add ``"fields": {"<field>": ["<message>", …]}``. The code is for programs and
never changes; the message is for people, in the language of the request.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404
from django.utils.functional import Promise
from django.utils.log import log_response
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from xinsheng.core.errors import RETRY_AFTER_SECONDS, XinshengError

# Our message for each code of DRF's exceptions; DRF's own wording varies with the cause.
MESSAGES: dict[str, str | Promise] = {
    "invalid": _("输入有误，请检查后重试。"),
    "parse_error": _("请求内容无法解析，请检查格式。"),
    "not_authenticated": _("请先登录，或在请求中提供有效的令牌。"),
    "authentication_failed": _("身份验证失败：令牌无效或账号已停用。"),
    "token_expired": _("令牌已过期，请用用户名和密码重新获取。"),
    "account_inactive": _("账号已停用，不能再使用 API。"),
    "permission_denied": _("您没有执行此操作的权限。"),
    "not_found": _("未找到该对象。"),
    "method_not_allowed": _("不支持该请求方法。"),
    "not_acceptable": _("无法以所请求的格式作答。"),
    "unsupported_media_type": _("不支持该请求内容类型。"),
    "throttled": _("请求过于频繁，请稍后再试。"),
    "server_error": _("服务器内部错误，请稍后重试。"),
    "unavailable": _("服务暂时不可用，请稍后重试。"),
}


class InvalidCredentials(XinshengError):
    """The username or the password is wrong (we do not say which)."""

    code = "invalid_credentials"
    default_message = _("用户名或密码错误。")


class LockedOut(XinshengError):
    """Too many failed logins for this username from this address; wait for the cool-off."""

    code = "locked_out"
    status = 429
    default_message = _("登录失败次数过多，已暂时锁定，请稍后再试。")


class AccountInactive(XinshengError):
    """The password is right but the account is disabled or its person has left."""

    code = "account_inactive"
    status = 403
    default_message = _("账号已停用，不能再使用 API。")


@dataclass
class ApiError:
    """What the client receives: status, code, message, and for bad input the fields."""

    status: int
    code: str
    message: str | Promise
    fields: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """Return the JSON body."""
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.fields is not None:
            body["fields"] = self.fields
        return body


def _plain(detail: Any) -> Any:
    """Return DRF's error detail (nested lists and dicts of ErrorDetail) as plain JSON values."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list | tuple):
        return [_plain(item) for item in detail]
    return str(detail)


def _validation_fields(detail: Any) -> dict[str, Any]:
    """Return a validation error's detail keyed by field (a bare list goes under non-field)."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    return {
        api_settings.NON_FIELD_ERRORS_KEY: _plain(detail if isinstance(detail, list) else [detail])
    }


def _from_drf(exc: exceptions.APIException) -> ApiError:
    """Return the error for one of DRF's exceptions, keyed by its class's stable code."""
    code = str(exc.default_code)
    headers: dict[str, str] = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(auth_header)
    if (wait := getattr(exc, "wait", None)) is not None:
        headers["Retry-After"] = str(int(wait))
    if isinstance(exc, exceptions.ValidationError):
        return ApiError(
            exc.status_code, "invalid", MESSAGES["invalid"], _validation_fields(exc.detail)
        )
    message = MESSAGES.get(code, str(exc.detail))
    return ApiError(exc.status_code, code, message, headers=headers)


def as_api_error(exc: Exception) -> ApiError | None:
    """Return the error response for ``exc``, or None when it is not one we answer for."""
    if isinstance(exc, XinshengError):
        fields = {key: [str(m) for m in messages] for key, messages in exc.fields.items()}
        return ApiError(exc.status, exc.code, exc.message, fields or None)
    if isinstance(exc, Http404):
        return ApiError(404, "not_found", MESSAGES["not_found"])
    if isinstance(exc, PermissionDenied):
        return ApiError(403, "permission_denied", MESSAGES["permission_denied"])
    if isinstance(exc, exceptions.APIException):
        return _from_drf(exc)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is away (restarting, failing over, locked): nothing was done, and the
        # same request sent again shortly will do. Still logged as a server error below.
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return ApiError(503, "unavailable", MESSAGES["unavailable"], headers=headers)
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every exception raised in an API view with the JSON error body.

    Unexpected exceptions become a logged 500 with code ``server_error``, except under DEBUG,
    where Django's debug page is more use to the developer.
    """
    error = as_api_error(exc)
    if error is None:
        if settings.DEBUG:
            return None
        error = ApiError(500, "server_error", MESSAGES["server_error"])
    set_rollback()
    response = Response(error.body(), status=error.status, headers=error.headers)
    if error.status >= 500:
        request = context.get("request")
        log_response(
            "Internal Server Error: %s",
            getattr(request, "path", ""),
            response=response,
            request=getattr(request, "_request", request),
            exception=exc,
        )
    return response
