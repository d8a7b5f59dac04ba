"""User-facing errors. Services raise them; views and the API turn them into responses.

Each carries a stable ``code`` (for programs) and a ``message`` in the user's language.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# How long a client is asked to wait (Retry-After) while the database is away.
RETRY_AFTER_SECONDS = 5


class XinshengError(Exception):
    """Base of every error a user may see."""

    code = "error"
    status = 400
    default_message: str | Promise = _("操作未能完成。")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[Any]] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.fields = fields or {}
        super().__init__(str(self.message))


class InvalidInput(XinshengError):
    """The input is wrong; ``fields`` says where."""

    code = "invalid"
    default_message = _("输入有误，请检查后重试。")


class NotFound(XinshengError):
    """The object does not exist, or the actor may not know that it does."""

    code = "not_found"
    status = 404
    default_message = _("未找到该对象。")


class Forbidden(XinshengError):
    """The actor may see the object but not do this to it."""

    code = "forbidden"
    status = 403
    default_message = _("您没有执行此操作的权限。")


class Conflict(XinshengError):
    """The object changed or is in a state that does not allow this."""

    code = "conflict"
    status = 409
    default_message = _("对象状态已变化，请刷新后重试。")
