"""API endpoints of text insight; ``v1_urls`` is included under /api/v1/.

- ``GET units/{unit_code}/similar?text=…`` (public): recent voices of the unit's company that say
  the same thing, while an employee types — title, state and date only.
- ``GET cases/{case_no}/suggestion`` (staff): the category and unit a dispatcher should pick.
"""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.schema import error_responses
from xinsheng.cases import selectors as case_selectors
from xinsheng.cases.intake import limits as intake_limits
from xinsheng.core.errors import NotFound
from xinsheng.insight import selectors

TEXT_MAX = 2000


class SimilarVoiceSerializer(serializers.Serializer[Any]):
    """A voice that says the same thing: never its text or who sent it."""

    case_no = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_on = serializers.DateField()
    supporters = serializers.IntegerField(help_text=_("附议人数。"))
    similarity = serializers.FloatField(help_text=_("相似度（0–1）。"))
    supportable = serializers.BooleanField(help_text=_("可以附议：提交时在 support 中填写其编号。"))
    answer = serializers.CharField(help_text=_("已答复且对提出人公开时的答复内容，否则为空。"))


class SimilarView(APIView):
    """Similar recent voices of a unit's company, for the public form."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="insight_similar",
        summary=_("查找相似诉求（公开）"),
        description=_(
            "无需登录。员工填写时按所填内容（包括只写了开头的内容）查找本公司近期（默认90天）"
            "说的是同一件事的诉求，最多5条，只返回标题、状态、日期，以及已答复且对提出人公开的"
            "答复。每个客户端每小时的查询次数有限（429）。"
        ),
        parameters=[
            OpenApiParameter("unit_code", str, OpenApiParameter.PATH, description=_("单位代码")),
            OpenApiParameter("text", str, description=_("正在填写的内容")),
        ],
        responses={200: SimilarVoiceSerializer(many=True), **error_responses(404, 429)},
        auth=[],
        tags=["intake"],
    )
    def get(self, request: Request, unit_code: str) -> Response:
        limit = intake_limits.limit_count(request._request, intake_limits.SIMILAR)
        if limit.used > limit.allowed:
            raise Throttled(wait=limit.retry_after)
        unit = case_selectors.intake_unit_get(unit_code)
        if unit is None or not unit.is_active:
            raise NotFound(_("找不到该单位，请确认二维码或链接是否正确。"), code="unit_not_found")
        text = str(request.query_params.get("text", ""))[:TEXT_MAX]
        voices = selectors.similar_voices_at(unit=unit, text=text)
        response = Response(SimilarVoiceSerializer(voices, many=True).data)
        response["Cache-Control"] = "no-store"
        return response


class RefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class SuggestionSerializer(serializers.Serializer[Any]):
    """Where a voice should go, and why."""

    category = RefSerializer(allow_null=True)
    confidence = serializers.FloatField(help_text=_("类别置信度（0–1）。"))
    category_source = serializers.CharField(
        help_text=_("model：本单位数据训练的模型；rules：类别关键词。")
    )
    unit = RefSerializer(allow_null=True)
    unit_basis = serializers.CharField(
        help_text=_("similar：相似诉求的承办单位；category：该类别通常的承办单位。")
    )
    similar = serializers.ListField(child=serializers.CharField(), help_text=_("相似诉求编号。"))


class SuggestionView(APIView):
    """The category and unit suggested for a case, for a dispatcher who may dispatch it."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="insight_suggestion",
        summary=_("分类和派单建议"),
        description=_("为可派单的受理派单员给出诉求的建议类别和承办单位；否则返回 404。"),
        responses={200: SuggestionSerializer, **error_responses(401, 404)},
        tags=["cases"],
    )
    def get(self, request: Request, case_no: str) -> Response:
        case = case_selectors.case_get_for(actor=request.user, case_no=case_no)
        suggestion = selectors.suggestion_for(actor=request.user, case=case)
        if suggestion is None:
            raise NotFound()
        similar = selectors.similar_cases_for(actor=request.user, case=case)
        return Response(
            SuggestionSerializer(
                {
                    "category": suggestion.category,
                    "confidence": suggestion.confidence,
                    "category_source": suggestion.source,
                    "unit": suggestion.unit,
                    "unit_basis": suggestion.unit_basis,
                    "similar": [found.case_no for found, _ in similar],
                }
            ).data
        )


v1_urls: list[URLPattern | URLResolver] = [
    path("units/<str:unit_code>/similar", SimilarView.as_view(), name="api-similar"),
    path("cases/<str:case_no>/suggestion", SuggestionView.as_view(), name="api-suggestion"),
]
