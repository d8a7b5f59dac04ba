"""API endpoint of assistance programmes; ``v1_urls`` is included under /api/v1/.

Creating a programme needs ``care.manage`` at its unit: a unit outside the caller's scope
answers 404 like a missing one, bad input 400 with the fields.
"""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.care.applications import selectors
from xinsheng.care.applications.programmes import ProgrammeData, programme_create
from xinsheng.care.choices import ProgrammeKind
from xinsheng.care.models import Programme
from xinsheng.core.errors import InvalidInput
from xinsheng.org import selectors as org_selectors
from xinsheng.org.api import UnitRefSerializer

TAGS = ["care"]


class ProgrammeCreateSerializer(serializers.Serializer[Any]):
    kind = EnumField(ProgrammeKind, help_text=_("项目类型"))
    title = serializers.CharField(max_length=100, help_text=_("名称，如“2026年金秋助学”"))
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text=_("年度"))
    unit_code = serializers.CharField(max_length=32, help_text=_("主办单位代码"))
    budget = serializers.CharField(
        required=False, allow_null=True, default=None, help_text=_("可选：预算（元，字符串）")
    )
    fund_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("可选：资金来源基金编号")
    )
    rules = serializers.DictField(
        required=False, default=dict, help_text=_("可选：规则（资助标准、救助比例等）")
    )
    needs_unit_review = serializers.BooleanField(required=False, default=True)
    needs_union_approval = serializers.BooleanField(required=False, default=True)
    notice_days = serializers.IntegerField(required=False, default=0, help_text=_("公示天数"))
    decide_within = serializers.IntegerField(
        required=False, default=10, help_text=_("办理时限（工作日）")
    )


class ProgrammeSerializer(serializers.Serializer[Programme]):
    id = serializers.IntegerField()
    kind = EnumField(ProgrammeKind)
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    year = serializers.IntegerField()
    unit = UnitRefSerializer()
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=_("预算（元）")
    )
    fund_id = serializers.IntegerField(allow_null=True)
    rules = serializers.DictField()
    needs_unit_review = serializers.BooleanField()
    needs_union_approval = serializers.BooleanField()
    notice_days = serializers.IntegerField()
    decide_within = serializers.IntegerField()
    is_open = serializers.BooleanField()


class ProgrammesView(APIView):
    """Assistance programmes."""

    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="care_programmes_create",
        summary=_("设立帮扶项目"),
        description=_(
            "工会帮扶干事在本单位或下级单位设立项目（金秋助学、大病救助等），"
            "含规则、预算、资金来源和审批流程。单位不在您的范围内时返回 404。"
        ),
        request=ProgrammeCreateSerializer,
        responses={201: ProgrammeSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = ProgrammeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        unit = org_selectors.unit_get_for(actor=request.user, code=data["unit_code"])
        fund = None
        if data["fund_id"] is not None:
            fund = selectors.fund_choices_for(actor=request.user).filter(pk=data["fund_id"]).first()
            if fund is None:
                message = gettext("找不到该基金，或它不在您的范围内。")
                raise InvalidInput(message, fields={"fund_id": [message]})
        programme = programme_create(
            actor=request.user,
            unit=unit,
            data=ProgrammeData(
                kind=data["kind"],
                title=data["title"],
                year=data["year"],
                budget=data["budget"],
                fund=fund,
                rules=data["rules"],
                needs_unit_review=data["needs_unit_review"],
                needs_union_approval=data["needs_union_approval"],
                notice_days=data["notice_days"],
                decide_within=data["decide_within"],
            ),
        )
        return Response(ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)


v1_urls: list[URLPattern | URLResolver] = [
    path("care/programmes", ProgrammesView.as_view(), name="api-care-programmes"),
]
