"""API endpoints of assistance applications; ``v1_urls`` is included under /api/v1/.

Submitting and each step (review, approve, reject, pay, reverse) are scoped: an application or
programme the caller may not see answers 404 like a missing one, a step its state does not allow
409, bad input 400 with the fields. The sensitive part (a child's name and school, a diagnosis)
is answered only to the privacy role, and each such answer is logged; others get null.
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.care.applications import selectors, services
from xinsheng.care.choices import ApplicationStatus, ProgrammeKind
from xinsheng.care.models import Application, Payment
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org.api import UnitRefSerializer

TAGS = ["care"]
Handler = Callable[..., Response]
APPLICATION_ID = OpenApiParameter(
    "application_id", int, OpenApiParameter.PATH, description=_("申请编号")
)
STATE = OpenApiResponse(
    ErrorSerializer,
    description=_("申请当前状态不允许这一步，或基金余额、预算不足（conflict）。"),
)


class PaymentSerializer(serializers.Serializer[Payment]):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=_("元"))
    paid_on = serializers.DateField()
    fund_id = serializers.IntegerField(allow_null=True)
    reverses_id = serializers.IntegerField(allow_null=True, help_text=_("冲正的原发放记录"))
    note = serializers.CharField()


class ApplicationSerializer(serializers.Serializer[Application]):
    """An application as its handlers see it."""

    id = serializers.IntegerField()
    status = EnumField(ApplicationStatus)
    status_label = serializers.CharField(source="get_status_display")
    programme_id = serializers.IntegerField()
    kind = EnumField(ProgrammeKind)
    year = serializers.IntegerField()
    employee_no = serializers.CharField(source="person.employee_no")
    name = serializers.CharField(source="person.name")
    unit = UnitRefSerializer(source="person.unit")
    amount_requested = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    amount_granted = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    details = serializers.DictField(
        help_text=_("学历层次、入学年份；医疗费用、报销金额、个人自付、救助金额")
    )
    sensitive = serializers.SerializerMethodField(
        help_text=_(
            "子女姓名与学校、疾病诊断等：仅敏感信息查阅人可见（每次查阅均记录），其他人为 null"
        )
    )
    refused_reason = serializers.CharField()
    decide_by = serializers.DateField()
    payments = serializers.SerializerMethodField()

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "string"}, "nullable": True}
    )
    def get_sensitive(self, application: Application) -> dict[str, str] | None:
        actor: Actor = self.context["actor"]
        if not selectors.may_see_sensitive(actor, application):
            return None
        shown = selectors.sensitive_for(actor=actor, application=application, purpose="api")
        return {key: item["value"] for key, item in shown.items()}

    @extend_schema_field(PaymentSerializer(many=True))
    def get_payments(self, application: Application) -> list[dict[str, Any]]:
        rows: Any = selectors.payments_of(application)
        return list(PaymentSerializer(rows, many=True).data)


class ApplicationCreateSerializer(serializers.Serializer[Any]):
    programme_id = serializers.IntegerField(help_text=_("项目编号"))
    employee_no = serializers.CharField(max_length=32, help_text=_("申请职工的工号"))
    amount = serializers.CharField(
        required=False, allow_null=True, default=None, help_text=_("可选：申请金额（元）")
    )
    details = serializers.DictField(
        required=False,
        default=dict,
        help_text=_(
            "助学：child_name、school、level、admission_year；"
            "大病救助：costs、insurance_paid、diagnosis、hospital、medical_details"
        ),
    )


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300, help_text=_("说明")
    )


class ApproveSerializer(ReasonSerializer):
    amount = serializers.CharField(
        required=False, allow_null=True, default=None, help_text=_("可选：核定金额（元）")
    )


class RejectSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        allow_blank=True, max_length=300, help_text=_("不予通过的原因，必填")
    )


class PaySerializer(serializers.Serializer[Any]):
    amount = serializers.CharField(
        required=False, allow_null=True, default=None, help_text=_("发放金额（元），默认核定金额")
    )
    fund_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("可选：基金编号，默认项目的基金")
    )


class ReverseSerializer(serializers.Serializer[Any]):
    payment_id = serializers.IntegerField(help_text=_("要冲正的发放记录编号"))
    reason = serializers.CharField(allow_blank=True, max_length=300, help_text=_("冲正原因，必填"))


def _answer(request: Request, application_id: int, code: int = 200) -> Response:
    application = selectors.application_get_for(actor=request.user, application_id=application_id)
    data = ApplicationSerializer(application, context={"actor": request.user}).data
    return Response(data, status=code)


class ApplicationsView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="care_applications_create",
        summary=_("提交帮扶申请"),
        description=_(
            "为职工提交助学或大病救助申请。不符合项目规则的、同一子女同一年度重复申请的，"
            "返回 400 并说明原因，不写入任何内容。项目不在您的范围内时返回 404。"
        ),
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer, **error_responses(400, 401, 403, 404), 409: STATE},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = ApplicationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        programme = selectors.programme_get_for(
            actor=request.user, programme_id=data["programme_id"]
        )
        try:
            person = selectors.person_for(actor=request.user, employee_no=data["employee_no"])
        except NotFound:
            message = gettext("找不到该工号的职工，或其不在您的范围内。")
            raise InvalidInput(message, fields={"employee_no": [message]}) from None
        application = services.application_submit(
            actor=request.user,
            programme=programme,
            person=person,
            data=data["details"],
            amount=data["amount"],
        )
        return _answer(request, application.pk, status.HTTP_201_CREATED)


class ApplicationView(APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="care_applications_read",
        summary=_("帮扶申请"),
        parameters=[APPLICATION_ID],
        responses={200: ApplicationSerializer, **error_responses(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, application_id: int) -> Response:
        return _answer(request, application_id)


class StepView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    def _application(self, request: Request, application_id: int) -> Application:
        return selectors.application_get_for(actor=request.user, application_id=application_id)


def _step_schema(
    operation: str, summary: Any, body: Any, description: Any = ""
) -> Callable[[Handler], Handler]:
    return extend_schema(
        operation_id=f"care_applications_{operation}",
        summary=summary,
        description=description,
        parameters=[APPLICATION_ID],
        request=body,
        responses={200: ApplicationSerializer, **error_responses(400, 401, 403, 404), 409: STATE},
        tags=TAGS,
    )


class ReviewView(StepView):
    @_step_schema("review", _("单位审核通过"), ReasonSerializer)
    def post(self, request: Request, application_id: int) -> Response:
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = self._application(request, application_id)
        services.application_review(
            actor=request.user, application=application, reason=body.validated_data["reason"]
        )
        return _answer(request, application_id)


class ApproveView(StepView):
    @_step_schema(
        "approve",
        _("工会审批通过"),
        ApproveSerializer,
        _("核定金额不超过规则核定的金额；需公示的项目进入待公示，否则进入待发放。"),
    )
    def post(self, request: Request, application_id: int) -> Response:
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = self._application(request, application_id)
        services.application_approve(
            actor=request.user,
            application=application,
            amount=body.validated_data["amount"],
            reason=body.validated_data["reason"],
        )
        return _answer(request, application_id)


class RejectView(StepView):
    @_step_schema("reject", _("不予通过"), RejectSerializer, _("须说明原因。"))
    def post(self, request: Request, application_id: int) -> Response:
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = self._application(request, application_id)
        services.application_reject(
            actor=request.user, application=application, reason=body.validated_data["reason"]
        )
        return _answer(request, application_id)


class PayView(StepView):
    @_step_schema(
        "pay",
        _("发放"),
        PaySerializer,
        _("公示期满（或无需公示）后发放；依据审批记录，从基金中支出，超出余额或预算时返回 409。"),
    )
    def post(self, request: Request, application_id: int) -> Response:
        body = PaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        application = self._application(request, application_id)
        fund = None
        if data["fund_id"] is not None:
            fund = selectors.fund_choices_for(actor=request.user).filter(pk=data["fund_id"]).first()
            if fund is None:
                message = gettext("找不到该基金，或它不在您的范围内。")
                raise InvalidInput(message, fields={"fund_id": [message]})
        services.application_pay(
            actor=request.user, application=application, amount=data["amount"], fund=fund
        )
        return _answer(request, application_id)


class ReverseView(StepView):
    @_step_schema(
        "reverse",
        _("冲正发放"),
        ReverseSerializer,
        _("发放记录从不修改或删除：冲正追加一笔负数记录，指向原记录并说明原因。"),
    )
    def post(self, request: Request, application_id: int) -> Response:
        body = ReverseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = self._application(request, application_id)
        services.application_reverse(
            actor=request.user,
            application=application,
            payment_id=body.validated_data["payment_id"],
            reason=body.validated_data["reason"],
        )
        return _answer(request, application_id)


v1_urls: list[URLPattern | URLResolver] = [
    path("care/applications", ApplicationsView.as_view(), name="api-care-applications"),
    path(
        "care/applications/<int:application_id>",
        ApplicationView.as_view(),
        name="api-care-application",
    ),
    path(
        "care/applications/<int:application_id>/review",
        ReviewView.as_view(),
        name="api-care-application-review",
    ),
    path(
        "care/applications/<int:application_id>/approve",
        ApproveView.as_view(),
        name="api-care-application-approve",
    ),
    path(
        "care/applications/<int:application_id>/reject",
        RejectView.as_view(),
        name="api-care-application-reject",
    ),
    path(
        "care/applications/<int:application_id>/pay",
        PayView.as_view(),
        name="api-care-application-pay",
    ),
    path(
        "care/applications/<int:application_id>/reverse",
        ReverseView.as_view(),
        name="api-care-application-reverse",
    ),
]
