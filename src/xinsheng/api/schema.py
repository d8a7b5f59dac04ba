"""Pieces of the OpenAPI description shared by the endpoints."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse

from xinsheng.api.serializers import ErrorSerializer, ValidationErrorSerializer

ERROR_DESCRIPTIONS = {
    400: _("输入有误（code 为 invalid 时 fields 说明每个字段的问题）。"),
    401: _(
        "未登录、令牌无效或已过期（not_authenticated、authentication_failed、token_expired、"
        "account_inactive）。"
    ),
    403: _("无权执行此操作（permission_denied）。"),
    404: _("对象不存在或不在您的范围内（not_found）。"),
    429: _("请求过于频繁或登录已暂时锁定（throttled、locked_out）。"),
}


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """Return the error responses of an endpoint, for ``extend_schema(responses=...)``."""
    return {
        status: OpenApiResponse(
            response=ValidationErrorSerializer if status == 400 else ErrorSerializer,
            description=ERROR_DESCRIPTIONS[status],
        )
        for status in statuses
    }
