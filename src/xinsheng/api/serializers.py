"""Request and response bodies of the API's own endpoints (errors, token)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every error response."""

    code = serializers.CharField(help_text=_("稳定的错误代码，供程序判断。"))
    message = serializers.CharField(help_text=_("给人看的错误说明。"))


class ValidationErrorSerializer(ErrorSerializer):
    """The body of a 400 response: the error, and what is wrong with each field."""

    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("每个字段的错误说明；non_field_errors 为不属于某一字段的错误。"),
    )


class TokenRequestSerializer(serializers.Serializer[Any]):
    """The credentials exchanged for a token."""

    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(
        label=_("密码"), max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenSerializer(serializers.Serializer[Any]):
    """The caller's token, to send as ``Authorization: Token <token>``."""

    token = serializers.CharField(help_text=_("在请求头中发送：Authorization: Token <token>"))
    expires = serializers.DateTimeField(help_text=_("令牌失效的时间；此后请重新获取。"))
