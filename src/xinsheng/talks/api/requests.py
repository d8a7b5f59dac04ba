"""API endpoints of talk requests (接受约谈); ``v1_urls`` is included under /api/v1/.

Asking and following by receipt code are public (no credentials, rate limited with the same
hourly allowances as voices and receipt look-ups). The staff's list and steps are scoped: a
request the caller may not handle answers 404 like a missing one, a step its state does not allow
409, bad input 400 with the fields.
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.cases.api.common import limit_check, no_store
from xinsheng.cases.intake import limits
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org import selectors as org_selectors
from xinsheng.org.api import UnitRefSerializer
from xinsheng.talks.choices import RequestChannel, RequestStatus
from xinsheng.talks.models import TalkRecord, TalkRequest
from xinsheng.talks.requests import selectors, services
from xinsheng.talks.requests.selectors import RequestFilters
from xinsheng.talks.requests.services import Asker

TAGS = ["talks"]
INVALID_CHOICE: dict[str, Any] = {"invalid_choice": _("选项无效。")}
REQUEST_ID = OpenApiParameter(
    "request_id", int, OpenApiParameter.PATH, description=_("约谈申请编号")
)
CLOSED = OpenApiResponse(
    ErrorSerializer, description=_("该申请已约谈或已不安排，不能再处理（request_closed）。")
)


# --- Bodies ---------------------------------------------------------------------------------------


class TalkRequestAskSerializer(serializers.Serializer[Any]):
    """An employee asking for a talk, always by name."""

    unit_code = serializers.CharField(max_length=32, help_text=_("所在单位代码（二维码上的）"))
    name = serializers.CharField(allow_blank=True, help_text=_("姓名"))
    employee_no = serializers.CharField(allow_blank=True, help_text=_("工号"))
    phone = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("可选：手机号")
    )
    topic = serializers.CharField(allow_blank=True, help_text=_("想谈的事，5–1000字"))
    wanted_host = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("可选：希望约谈的人")
    )


class TalkRequestAskedSerializer(serializers.Serializer[Any]):
    """What the employee keeps: the receipt code, shown this once."""

    receipt_code = serializers.CharField(
        help_text=_("查询码：凭它查询约谈安排，只显示这一次，请妥善保存。")
    )
    status = EnumField(RequestStatus)


class TalkRequestReceiptSerializer(serializers.Serializer[Any]):
    """Where a request stands, as the employee holding its receipt code sees it."""

    status = EnumField(RequestStatus)
    status_label = serializers.CharField(source="get_status_display")
    unit_name = serializers.CharField(source="unit.name")
    requested_at = serializers.DateTimeField(source="created_at")
    topic = serializers.CharField()
    wanted_host = serializers.CharField()
    scheduled_at = serializers.DateTimeField(allow_null=True, help_text=_("约定时间"))
    scheduled_place = serializers.CharField(help_text=_("约定地点"))
    host_name = serializers.CharField(source="host.name", allow_null=True, help_text=_("约谈人"))
    held_on = serializers.DateField(allow_null=True, help_text=_("约谈日期"))
    decline_reason = serializers.CharField(help_text=_("未安排的原因"))


class TalkRequestSerializer(serializers.Serializer[Any]):
    """A request as the unit's handlers see it."""

    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    name = serializers.CharField()
    employee_no = serializers.CharField()
    phone = serializers.SerializerMethodField(help_text=_("无权回访的角色看到隐藏中间位的号码"))
    topic = serializers.CharField()
    wanted_host = serializers.CharField()
    channel = EnumField(RequestChannel)
    status = EnumField(RequestStatus)
    status_label = serializers.CharField(source="get_status_display")
    is_overdue = serializers.SerializerMethodField(help_text=_("超过规定工作日仍未安排"))
    requested_at = serializers.DateTimeField(source="created_at")
    scheduled_at = serializers.DateTimeField(allow_null=True)
    scheduled_place = serializers.CharField()
    host_employee_no = serializers.CharField(source="host.employee_no", allow_null=True)
    host_name = serializers.CharField(source="host.name", allow_null=True)
    held_on = serializers.DateField(allow_null=True)
    record_id = serializers.IntegerField(allow_null=True)
    decline_reason = serializers.CharField()

    def get_phone(self, request: TalkRequest) -> str:
        return selectors.request_phone_for(actor=self.context["actor"], request=request)

    def get_is_overdue(self, request: TalkRequest) -> bool:
        return selectors.is_overdue(request, self.context["since"])


class TalkRequestScheduleBodySerializer(serializers.Serializer[Any]):
    scheduled_at = serializers.DateTimeField(help_text=_("约定时间（ISO 8601）"))
    place = serializers.CharField(allow_blank=True, max_length=100, help_text=_("约定地点"))
    host_employee_no = serializers.CharField(help_text=_("约谈人的工号"))


class TalkRequestHoldBodySerializer(serializers.Serializer[Any]):
    date = serializers.DateField(help_text=_("约谈日期（YYYY-MM-DD）"))
    record_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("可选：谈话记录编号")
    )


class TalkRequestDeclineBodySerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        allow_blank=True, max_length=500, help_text=_("未安排的原因，申请人可见，必填")
    )


class TalkRequestFilterSerializer(serializers.Serializer[Any]):
    status = EnumField(
        RequestStatus, required=False, allow_blank=True, default="", error_messages=INVALID_CHOICE
    )
    unit = serializers.CharField(required=False, allow_blank=True, default="")
    overdue = serializers.BooleanField(required=False, default=False)


# --- Public ---------------------------------------------------------------------------------------


class ReceiptView(APIView):
    """Where a request stands, by its receipt code (public)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="talks_requests_receipt",
        summary=_("查询约谈安排（公开）"),
        description=_(
            "无需登录。凭查询码查看约谈申请的状态、约定的时间地点和约谈人，或未安排的原因。"
            "每次查询都计入每小时的查询次数（429）。"
        ),
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description=_("查询码"))],
        responses={
            200: TalkRequestReceiptSerializer,
            429: error_responses(429)[429],
            404: OpenApiResponse(
                ErrorSerializer, description=_("查询码不正确（receipt_not_found）。")
            ),
        },
        auth=[],
        tags=TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        limit_check(request, limits.RECEIPT)
        limits.limit_count(request._request, limits.RECEIPT)
        talk = selectors.request_for_receipt(code)
        return no_store(Response(TalkRequestReceiptSerializer(talk).data))


# --- Staff ----------------------------------------------------------------------------------------


class RequestPagination(CursorPagination):
    """Pages of requests, newest first; keyset, never OFFSET scans."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class RequestsView(GenericAPIView[TalkRequest]):
    """The requests the caller may handle (staff); asking for a talk (public, no credentials)."""

    serializer_class = TalkRequestSerializer
    pagination_class = RequestPagination
    parser_classes = [JSONParser, FormParser]
    renderer_classes = [JSONRenderer]

    def _asking(self) -> bool:
        return self.request is not None and self.request.method == "POST"

    def get_authenticators(self) -> list[Any]:
        # Nobody signs in to ask: no account is attached to a request, and no CSRF check
        # stands in a program's way.
        return [] if self._asking() else super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        return [AllowAny()] if self._asking() else list(super().get_permissions())

    def get_queryset(self) -> QuerySet[TalkRequest]:
        actor = self.request.user
        reading = TalkRequestFilterSerializer(data=self.request.query_params)
        reading.is_valid(raise_exception=True)
        data = reading.validated_data
        unit = org_selectors.unit_get_for(actor=actor, code=data["unit"]) if data["unit"] else None
        filters = RequestFilters(unit=unit, status=data["status"], overdue=data["overdue"])
        return selectors.request_list_for(actor=actor, filters=filters)

    @extend_schema(
        operation_id="talks_requests_list",
        summary=_("约谈申请"),
        description=_("返回您可以处理的约谈申请，最新的在前（游标分页：沿 next 链接翻页）。"),
        parameters=[
            OpenApiParameter("status", str, enum=list(RequestStatus.values)),
            OpenApiParameter(
                "unit", str, description=_("单位代码：含下级单位；不在您的范围内时返回 404。")
            ),
            OpenApiParameter("overdue", bool, description=_("只看超期未安排的")),
            OpenApiParameter("page_size", int, description=_("每页条数，最多500")),
        ],
        responses={200: TalkRequestSerializer(many=True), **error_responses(400, 401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - the view always has a paginator
        context = {"actor": request.user, "since": selectors.overdue_since()}
        return self.get_paginated_response(
            TalkRequestSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        operation_id="talks_requests_create",
        summary=_("申请约谈（公开）"),
        description=_(
            "无需登录。职工实名申请与领导约谈；返回查询码（只显示这一次），凭它查询约谈安排。"
            "每个客户端每小时的提交次数有限（429），与提交诉求共用。"
        ),
        request=TalkRequestAskSerializer,
        responses={
            201: TalkRequestAskedSerializer,
            **error_responses(400, 429),
            404: OpenApiResponse(
                ErrorSerializer, description=_("找不到该单位（unit_not_found）。")
            ),
        },
        auth=[],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        limit_check(request, limits.INTAKE)
        body = TalkRequestAskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        asker = Asker(
            name=data["name"],
            employee_no=data["employee_no"],
            phone=data["phone"],
            topic=data["topic"],
            wanted_host=data["wanted_host"],
        )
        submitted = services.request_submit(
            unit=selectors.request_unit_get(data["unit_code"]),
            asker=asker,
            channel=RequestChannel.API,
        )
        limits.limit_count(request._request, limits.INTAKE)
        answer = {"receipt_code": submitted.receipt_code, "status": submitted.request.status}
        return no_store(Response(answer, status=status.HTTP_201_CREATED))


def _request_data(request: Request, request_id: int) -> dict[str, Any]:
    talk = selectors.request_get_for(actor=request.user, request_id=request_id)
    context = {"actor": request.user, "since": selectors.overdue_since()}
    return dict(TalkRequestSerializer(talk, context=context).data)


def _record(request: Request, record_id: int | None) -> TalkRecord | None:
    if record_id is None:
        return None
    try:
        return selectors.record_get_for(actor=request.user, record_id=record_id)
    except NotFound:
        message = gettext("找不到该谈话记录，或它不在您的范围内。")
        raise InvalidInput(message, fields={"record_id": [message]}) from None


class StepView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser]


class ScheduleView(StepView):
    """Set the time, place and host of a requested talk."""

    @extend_schema(
        operation_id="talks_requests_schedule",
        summary=_("安排约谈"),
        description=_("约谈人须是申请单位或其上级单位的干部、主要负责人。已安排的可以再次调整。"),
        parameters=[REQUEST_ID],
        request=TalkRequestScheduleBodySerializer,
        responses={
            200: TalkRequestSerializer,
            **error_responses(400, 401, 403, 404),
            409: CLOSED,
        },
        tags=TAGS,
    )
    def post(self, request: Request, request_id: int) -> Response:
        talk = selectors.request_get_for(actor=request.user, request_id=request_id)
        body = TalkRequestScheduleBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            host = selectors.request_host_get(
                actor=request.user, request=talk, employee_no=data["host_employee_no"]
            )
        except NotFound:
            message = gettext("约谈人须是申请单位或其上级单位的干部或主要负责人。")
            raise InvalidInput(message, fields={"host_employee_no": [message]}) from None
        services.request_schedule(
            actor=request.user,
            request=talk,
            scheduled_at=data["scheduled_at"],
            place=data["place"],
            host=host,
        )
        return Response(_request_data(request, request_id))


class HoldView(StepView):
    """Mark a requested talk held."""

    @extend_schema(
        operation_id="talks_requests_hold",
        summary=_("记录已约谈"),
        parameters=[REQUEST_ID],
        request=TalkRequestHoldBodySerializer,
        responses={
            200: TalkRequestSerializer,
            **error_responses(400, 401, 403, 404),
            409: CLOSED,
        },
        tags=TAGS,
    )
    def post(self, request: Request, request_id: int) -> Response:
        talk = selectors.request_get_for(actor=request.user, request_id=request_id)
        body = TalkRequestHoldBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            services.request_hold(
                actor=request.user,
                request=talk,
                held_on=data["date"],
                record=_record(request, data["record_id"]),
            )
        except InvalidInput as error:
            fields = {("date" if k == "held_on" else k): v for k, v in error.fields.items()}
            raise InvalidInput(error.message, code=error.code, fields=fields) from None
        return Response(_request_data(request, request_id))


class DeclineView(StepView):
    """Decline a request with a reason the employee sees."""

    @extend_schema(
        operation_id="talks_requests_decline",
        summary=_("不安排约谈"),
        description=_("须说明原因，申请人凭查询码可以看到。"),
        parameters=[REQUEST_ID],
        request=TalkRequestDeclineBodySerializer,
        responses={
            200: TalkRequestSerializer,
            **error_responses(400, 401, 403, 404),
            409: CLOSED,
        },
        tags=TAGS,
    )
    def post(self, request: Request, request_id: int) -> Response:
        talk = selectors.request_get_for(actor=request.user, request_id=request_id)
        body = TalkRequestDeclineBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.request_decline(
            actor=request.user, request=talk, reason=body.validated_data["reason"]
        )
        return Response(_request_data(request, request_id))


v1_urls: list[URLPattern | URLResolver] = [
    path("talks/requests", RequestsView.as_view(), name="api-talk-requests"),
    path(
        "talks/requests/receipt/<str:code>", ReceiptView.as_view(), name="api-talk-request-receipt"
    ),
    path(
        "talks/requests/<int:request_id>/schedule",
        ScheduleView.as_view(),
        name="api-talk-request-schedule",
    ),
    path("talks/requests/<int:request_id>/hold", HoldView.as_view(), name="api-talk-request-hold"),
    path(
        "talks/requests/<int:request_id>/decline",
        DeclineView.as_view(),
        name="api-talk-request-decline",
    ),
]
