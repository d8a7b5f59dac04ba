"""What the loop's API endpoints share: constants, the no-store answer, rate limits, submitters."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response

from xinsheng.api.fields import EnumField
from xinsheng.cases.choices import (
    CaseStatus,
    EventKind,
    SubmitterCheck,
)
from xinsheng.cases.intake import idempotency
from xinsheng.cases.intake import limits as intake_limits

INVALID_CHOICE: dict[str, Any] = {"invalid_choice": _("选项无效。")}
DATE_FORMATS = ["%Y-%m-%d"]
IDEMPOTENCY_KEY_MAX = idempotency.KEY_MAX
# Events whose unit is where the case came from: shown by the small-team rule like the origin.
ORIGIN_EVENTS = frozenset({EventKind.SUBMITTED, EventKind.RECORDED})
ANSWER_STANDS = frozenset({CaseStatus.ANSWERED, CaseStatus.CLOSED})


def no_store(response: Response) -> Response:
    """Return ``response`` marked so that no cache keeps it (it may hold a receipt code)."""
    response["Cache-Control"] = "no-store"
    return response


def limit_check(
    request: Request, kind: str, *, unit_code: str = "", replay: str | None = None
) -> None:
    """Refuse (429) a client that has used up the hour's allowance of ``kind``.

    The allowance is the one the public pages count, so a client has one allowance whichever
    way it comes. The retry of a submission that made a case at ``unit_code`` with the key
    ``replay`` is let past, like the form's.
    """
    limit = intake_limits.limit_check(request._request, kind)
    if limit.exceeded and not intake_limits.replay_known(unit_code, replay):
        raise Throttled(wait=limit.retry_after)


# --- Shared pieces of the bodies ------------------------------------------------------------------


class SubmitterSerializer(serializers.Serializer[Any]):
    """Who raised a case, as the caller may see it (masked or empty otherwise)."""

    name = serializers.CharField(help_text=_("匿名时为空；无权查看时只显示姓氏。"))
    employee_no = serializers.CharField(help_text=_("匿名或无权查看时为空。"))
    phone = serializers.CharField(
        help_text=_("匿名时为空；不需要回访的角色看到的是隐藏中间位的号码。")
    )
    email = serializers.CharField(
        help_text=_("提出人留下的电子邮箱；匿名时为空，不需要回访的角色只看到首字母和域名。")
    )
    check = EnumField(
        SubmitterCheck,
        help_text=_(
            "提交时按工号核对职工名册的结果：verified 已核实；name_mismatch 工号与姓名不符；"
            "unknown_no 工号不存在；匿名、未填工号或核对功能启用前提交的为空。"
        ),
    )
    check_label = serializers.CharField(help_text=_("核对结果的文字说明；未核对时为空。"))
