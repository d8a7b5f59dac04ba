"""The public follow-up by receipt code: progress, timeline, answer and the rating."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.cases import selectors, services
from xinsheng.cases.api.common import (
    ANSWER_STANDS,
    INVALID_CHOICE,
    ORIGIN_EVENTS,
    limit_check,
    no_store,
)
from xinsheng.cases.choices import (
    CaseKind,
    CaseStatus,
    EventKind,
)
from xinsheng.cases.intake import limits as intake_limits
from xinsheng.cases.models import Case
from xinsheng.core.errors import NotFound
from xinsheng.core.plugins import contributions
from xinsheng.core.ratings import Satisfaction

# --- Public follow-up by receipt code -------------------------------------------------------------


class PublicEventSerializer(serializers.Serializer[Any]):
    """One public step of a case's life; never who did it."""

    case_no = serializers.CharField(help_text=_("该步骤所属诉求（合并后含目标诉求的步骤）。"))
    at = serializers.DateTimeField()
    kind = EnumField(EventKind)
    kind_label = serializers.CharField()
    to_status = serializers.CharField(
        allow_null=True, help_text=_("该步骤后的状态；状态未变时为空。")
    )
    unit_name = serializers.CharField(allow_null=True, help_text=_("如：派往的单位。"))
    note = serializers.CharField(help_text=_("只有不予受理的原因和答复内容，其他为空。"))
    details = serializers.DictField(
        help_text=_(
            "如派单的办理时限（deadline）、延期后的时限（to）、评价（satisfaction、solved）。"
        )
    )


class AnswerSerializer(serializers.Serializer[Any]):
    """The unit's current answer."""

    text = serializers.CharField()
    at = serializers.DateTimeField()
    solved = serializers.BooleanField(allow_null=True, help_text=_("承办单位是否认为问题已解决。"))


class CaseRefSerializer(serializers.Serializer[Case]):
    """Another case by number, with its state."""

    case_no = serializers.CharField()
    status = EnumField(CaseStatus)
    status_label = serializers.CharField(source="get_status_display")


class ReceiptLoopSerializer(serializers.Serializer[Any]):
    """What the holder of a receipt code sees: progress, public timeline, answer, rating."""

    case_no = serializers.CharField()
    status = EnumField(CaseStatus)
    status_label = serializers.CharField()
    kind = EnumField(CaseKind)
    kind_label = serializers.CharField()
    title = serializers.CharField()
    origin_unit_name = serializers.CharField(
        help_text=_("所属单位；匿名诉求来自人数很少的单位时显示其上级单位。")
    )
    submitted_at = serializers.DateTimeField()
    reject_reason = serializers.CharField(allow_null=True)
    merged_into = CaseRefSerializer(
        allow_null=True, help_text=_("已合并时为目标诉求；此后跟随其进展和答复。")
    )
    deadline = serializers.DateField(allow_null=True)
    answer = AnswerSerializer(allow_null=True)
    can_rate = serializers.BooleanField(
        help_text=_("现在能否用此查询码评价当前答复（每次答复只能评价一次）。")
    )
    timeline = PublicEventSerializer(many=True)


def _receipt_serializer() -> type[ReceiptLoopSerializer]:
    """Return the receipt serializer with what other apps add (``RECEIPT_SECTIONS``)."""
    fields = {section.key: section.field() for section in contributions("RECEIPT_SECTIONS")}
    return type("ReceiptSerializer", (ReceiptLoopSerializer,), {"__module__": __name__, **fields})


ReceiptSerializer = _receipt_serializer()


# Notes written by staff never reach the public, except a rejection's reason and the answer; of an
# event's details, only these.
PUBLIC_NOTES = frozenset({EventKind.REJECTED, EventKind.ANSWERED})
PUBLIC_DETAILS = frozenset({"deadline", "to", "into", "round", "satisfaction", "solved", "reason"})


def _public_events(case: Case, *, followed: bool = False) -> list[dict[str, Any]]:
    """Return the public timeline of ``case``; where it came from follows the small-team rule.

    For the case a merged case follows (``followed``), its intake is someone else's: left out.
    """
    origin = selectors.case_origin_shown(actor=None, case=case)
    rows = []
    for event in selectors.case_public_events(case=case):
        if followed and event.kind in ORIGIN_EVENTS:
            continue
        unit = origin if event.kind in ORIGIN_EVENTS else event.unit
        rows.append(
            {
                "case_no": case.case_no,
                "at": event.at,
                "kind": event.kind,
                "kind_label": event.get_kind_display(),
                "to_status": event.to_status or None,
                "unit_name": unit.name if unit is not None else None,
                "note": event.note if event.kind in PUBLIC_NOTES else "",
                "details": {k: v for k, v in (event.data or {}).items() if k in PUBLIC_DETAILS},
            }
        )
    return rows


def receipt_data(via: Case) -> dict[str, Any]:
    """Return what the holder of ``via``'s receipt code sees."""
    followed = via.followed_case
    timeline = _public_events(via)
    if followed.pk != via.pk:
        timeline += _public_events(followed, followed=True)
    answer = None  # a reopened case's earlier answer is not its answer any more
    if followed.answered_at is not None and followed.status in ANSWER_STANDS:
        answer = {
            "text": followed.answer,
            "at": followed.answered_at,
            "solved": followed.solved_by_unit,
        }
    data = {
        "case_no": via.case_no,
        "status": via.status,
        "status_label": via.get_status_display(),
        "kind": via.kind,
        "kind_label": via.get_kind_display(),
        "title": via.title,
        "origin_unit_name": selectors.case_origin_shown(actor=None, case=via).name,
        "submitted_at": via.created_at,
        "reject_reason": via.reject_reason or None,
        "merged_into": followed if followed.pk != via.pk else None,
        "deadline": followed.deadline,
        "answer": answer,
        "can_rate": selectors.case_rating_open_for(via=via),
        "timeline": timeline,
    }
    for section in contributions("RECEIPT_SECTIONS"):
        data[section.key] = section.data(case=via)
    return dict(ReceiptSerializer(data).data)


RECEIPT_PARAMETER = OpenApiParameter(
    "receipt_code",
    str,
    OpenApiParameter.PATH,
    description=_("查询码（大小写、空格和短横线不限）。"),
)
RECEIPT_NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description=_("查询码不正确（receipt_not_found）；不存在与输错的回答相同。"),
)


class PublicReceiptView(APIView):
    """Public, credential-free, never cached, and never in the request log.

    Django logs the path of every 4xx response; here the path holds a receipt code, the only
    key to a case, so the response is marked as already logged.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response._has_been_logged = True  # type: ignore[attr-defined]
        return no_store(response)


def _receipt_limit(request: Request) -> None:
    """Count a look-up by receipt code, right or wrong; 429 once the hour's are used up."""
    limit_check(request, intake_limits.RECEIPT)
    intake_limits.limit_count(request._request, intake_limits.RECEIPT)


def _receipt_any() -> Any:
    """Return what a receipt code opens: a voice, or what another app's code follows
    (``RECEIPT_LOOKUPS``, e.g. a proposal)."""
    others = [lookup.serializer() for lookup in contributions("RECEIPT_LOOKUPS")]
    if not others:
        return ReceiptSerializer
    return PolymorphicProxySerializer(
        component_name="ReceiptAny",
        serializers=[ReceiptSerializer, *others],
        resource_type_field_name=None,
    )


class ReceiptView(PublicReceiptView):
    """Follow a case by its receipt code."""

    @extend_schema(
        operation_id="receipts_retrieve",
        summary=_("凭查询码查询进展（公开）"),
        description=_(
            "无需登录。返回状态、公开的办理过程（不含办理人姓名）、答复，以及现在能否评价。"
            "查询次数按客户端每小时限量，输错也计入（429）。"
        ),
        parameters=[RECEIPT_PARAMETER],
        responses={200: _receipt_any(), 404: RECEIPT_NOT_FOUND, **error_responses(429)},
        auth=[],
        tags=["intake"],
    )
    def get(self, request: Request, receipt_code: str) -> Response:
        _receipt_limit(request)
        try:
            case = services.case_for_receipt(receipt_code)
        except NotFound:
            for lookup in contributions("RECEIPT_LOOKUPS"):  # codes other apps hand out
                if (answer := lookup.answer(code=receipt_code)) is not None:
                    return Response(answer)
            raise
        return Response(receipt_data(case))


class RatingSerializer(serializers.Serializer[Any]):
    """The employee's judgement of the current answer."""

    satisfaction = EnumField(
        Satisfaction,
        error_messages=INVALID_CHOICE,
        help_text=_("不满意时重办（最多两次），第三次不满意转督办。"),
    )
    solved = serializers.BooleanField(help_text=_("问题是否解决。"))
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("可选，不超过500字。")
    )


class RatingView(PublicReceiptView):
    """Rate the answer of the case a receipt code follows."""

    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        operation_id="receipts_rate",
        summary=_("评价答复（公开）"),
        description=_(
            "无需登录。每次答复只能评价一次；已评价或尚未答复时返回 409。成功后返回评价后的进展。"
        ),
        parameters=[RECEIPT_PARAMETER],
        request=RatingSerializer,
        responses={
            200: ReceiptSerializer,
            404: RECEIPT_NOT_FOUND,
            409: OpenApiResponse(
                ErrorSerializer, description=_("已评价过本次答复，或当前不能评价。")
            ),
            **error_responses(400, 429),
        },
        auth=[],
        tags=["intake"],
    )
    def post(self, request: Request, receipt_code: str) -> Response:
        _receipt_limit(request)
        services.case_for_receipt(receipt_code)
        body = RatingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.case_rate(receipt_code=receipt_code, **body.validated_data)
        return Response(receipt_data(services.case_for_receipt(receipt_code)))
