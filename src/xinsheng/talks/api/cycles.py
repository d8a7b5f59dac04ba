"""API endpoints of talk cycles (双向约谈); ``v1_urls`` is included under /api/v1/.

They read through the selectors and write through the services, like the pages: a cycle or pair
the caller may not see answers 404 exactly like a missing one, a write the caller may not make
403, a pair no longer planned 409, and bad input 400 with the fields.
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
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org import selectors as org_selectors
from xinsheng.org.api import UnitRefSerializer
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import PairStatus
from xinsheng.talks.cycles import selectors, services
from xinsheng.talks.cycles.selectors import PairFilters
from xinsheng.talks.models import TalkCycle, TalkPair, TalkRecord, TierRule

TAGS = ["talks"]
INVALID_CHOICE: dict[str, Any] = {"invalid_choice": _("选项无效。")}
CYCLE_ID = OpenApiParameter("cycle_id", int, OpenApiParameter.PATH, description=_("约谈周期编号"))
PAIR_ID = OpenApiParameter("pair_id", int, OpenApiParameter.PATH, description=_("约谈对子编号"))
NOT_PLANNED = OpenApiResponse(
    ErrorSerializer, description=_("该对子已谈、已免谈或已撤销，不能再更改（pair_not_planned）。")
)


# --- Bodies ---------------------------------------------------------------------------------------


class TalkTierCountSerializer(serializers.Serializer[Any]):
    """Planned, held and waived talks of one tier."""

    tier_id = serializers.IntegerField(source="key")
    tier = serializers.CharField(source="label")
    planned = serializers.IntegerField()
    held = serializers.IntegerField()
    waived = serializers.IntegerField()
    held_percent = serializers.IntegerField(
        allow_null=True, help_text=_("已谈÷（待谈＋已谈），免谈不计入；没有应谈的为空。")
    )


class TalkCycleSerializer(serializers.Serializer[Any]):
    """A round of talks for a subtree and a period."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = UnitRefSerializer()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    generated_at = serializers.DateTimeField(allow_null=True)


class TalkCycleDetailSerializer(TalkCycleSerializer):
    """A cycle with the talks the caller sees of it, by tier."""

    tiers = TalkTierCountSerializer(many=True)


class TalkCycleCreateSerializer(serializers.Serializer[Any]):
    """What a new cycle needs."""

    title = serializers.CharField(max_length=100, help_text=_("如：2026年第一季度双向约谈"))
    unit_code = serializers.CharField(max_length=32, help_text=_("范围：该单位及其下级单位"))
    starts_on = serializers.DateField(help_text=_("开始日期（YYYY-MM-DD）"))
    ends_on = serializers.DateField(help_text=_("结束日期（YYYY-MM-DD）"))
    generate = serializers.BooleanField(
        required=False, default=True, help_text=_("创建后立即按层级规则生成约谈对子（默认是）。")
    )


class TalkCycleGenerationSerializer(serializers.Serializer[Any]):
    """What generating the pairs changed."""

    added = serializers.IntegerField(help_text=_("新增的对子（含重新纳入的已撤销对子）"))
    retired = serializers.IntegerField(help_text=_("不再符合规则而撤销的待谈对子"))
    kept = serializers.IntegerField(help_text=_("保留的对子：已谈、免谈，以及仍符合规则的待谈"))
    updated = serializers.IntegerField(help_text=_("保留的待谈对子中调整了层级或单位的"))


class TalkPairPersonSerializer(serializers.Serializer[Any]):
    """A person by number and name, with their unit."""

    employee_no = serializers.CharField()
    name = serializers.CharField()
    unit = UnitRefSerializer()


class TalkPairSerializer(serializers.Serializer[Any]):
    """A talk the rules require in a cycle."""

    id = serializers.IntegerField()
    cycle_id = serializers.IntegerField()
    tier_id = serializers.IntegerField(source="rule_id")
    tier = serializers.CharField(source="rule.name")
    host = TalkPairPersonSerializer()
    person = TalkPairPersonSerializer()
    status = EnumField(PairStatus)
    status_label = serializers.CharField(source="get_status_display")
    held_on = serializers.DateField(allow_null=True)
    record_id = serializers.IntegerField(allow_null=True, help_text=_("谈话记录编号"))
    reason = serializers.CharField(help_text=_("免谈或撤销的原因"))


class TalkPairHeldBodySerializer(serializers.Serializer[Any]):
    date = serializers.DateField(help_text=_("谈话日期（YYYY-MM-DD），不早于周期开始，不晚于今天"))
    record_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("可选：谈话记录编号")
    )


class TalkPairWaivedBodySerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(
        allow_blank=True, max_length=500, help_text=_("免谈原因，必填（如长期病假、已调离）")
    )


class TalkPairFilterSerializer(serializers.Serializer[Any]):
    """The pairs list's filters, read from the query string."""

    tier = serializers.IntegerField(required=False, allow_null=True, default=None)
    status = EnumField(
        PairStatus, required=False, allow_blank=True, default="", error_messages=INVALID_CHOICE
    )
    unit = serializers.CharField(required=False, allow_blank=True, default="")


# --- Helpers --------------------------------------------------------------------------------------


def _unit(actor: Actor, code: str, field: str) -> OrgUnit:
    try:
        return org_selectors.unit_get_for(actor=actor, code=code)
    except NotFound:
        message = gettext("找不到该单位，或它不在您的范围内。")
        raise InvalidInput(message, fields={field: [message]}) from None


def _cycle_data(actor: Actor, cycle: TalkCycle) -> dict[str, Any]:
    tiers = selectors.cycle_tier_counts(actor=actor, cycle=cycle)
    data = dict(TalkCycleSerializer(cycle).data)
    data["tiers"] = TalkTierCountSerializer(tiers, many=True).data
    return data


def _pair(request: Request, pair_id: int) -> TalkPair:
    return selectors.pair_get_for(actor=request.user, pair_id=pair_id)


def _pair_data(request: Request, pair_id: int) -> dict[str, Any]:
    return dict(TalkPairSerializer(_pair(request, pair_id)).data)


class CyclesApiView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser]


# --- Views ----------------------------------------------------------------------------------------


class CycleListView(CyclesApiView):
    """The cycles the caller sees all or part of; a new cycle."""

    @extend_schema(
        operation_id="talks_cycles_list",
        summary=_("约谈周期"),
        description=_("返回您能看到的约谈周期（全部或其中与您的范围有关的部分），最新的在前。"),
        responses={200: TalkCycleSerializer(many=True), **error_responses(401)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        cycles = selectors.cycle_list_for(actor=request.user)
        return Response(TalkCycleSerializer(cycles, many=True).data)

    @extend_schema(
        operation_id="talks_cycles_create",
        summary=_("创建约谈周期"),
        description=_(
            "为一个单位及其下级单位创建约谈周期，并（默认）立即按启用的层级规则生成约谈对子；"
            "需要该单位的约谈安排权限。"
        ),
        request=TalkCycleCreateSerializer,
        responses={201: TalkCycleDetailSerializer, **error_responses(400, 401, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = request.user
        body = TalkCycleCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            cycle = services.cycle_create(
                actor=actor,
                title=data["title"],
                unit=_unit(actor, data["unit_code"], "unit_code"),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                generate=data["generate"],
            )
        except InvalidInput as error:
            fields = {("unit_code" if k == "unit" else k): v for k, v in error.fields.items()}
            raise InvalidInput(error.message, code=error.code, fields=fields) from None
        cycle = selectors.cycle_get_for(actor=actor, cycle_id=cycle.pk)
        return Response(_cycle_data(actor, cycle), status=status.HTTP_201_CREATED)


class CycleDetailView(CyclesApiView):
    """One cycle, with its talks by tier."""

    @extend_schema(
        operation_id="talks_cycles_retrieve",
        summary=_("约谈周期详情"),
        parameters=[CYCLE_ID],
        responses={200: TalkCycleDetailSerializer, **error_responses(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, cycle_id: int) -> Response:
        cycle = selectors.cycle_get_for(actor=request.user, cycle_id=cycle_id)
        return Response(_cycle_data(request.user, cycle))


class CycleGenerateView(CyclesApiView):
    """Generate a cycle's pairs again."""

    @extend_schema(
        operation_id="talks_cycles_generate",
        summary=_("重新生成约谈对子"),
        description=_(
            "按启用的层级规则和人员现状重新生成：已谈、免谈的对子保持不变；"
            "不再符合规则的待谈对子撤销；新符合的对子加入。"
        ),
        parameters=[CYCLE_ID],
        request=None,
        responses={200: TalkCycleGenerationSerializer, **error_responses(401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, cycle_id: int) -> Response:
        cycle = selectors.cycle_get_for(actor=request.user, cycle_id=cycle_id)
        result = services.cycle_generate(actor=request.user, cycle=cycle)
        return Response(TalkCycleGenerationSerializer(result).data)


class PairPagination(CursorPagination):
    """Pages of a cycle's pairs by id; keyset, never OFFSET scans."""

    ordering = ("id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class CyclePairsView(GenericAPIView[TalkPair]):
    """The pairs of a cycle the caller sees."""

    serializer_class = TalkPairSerializer
    pagination_class = PairPagination
    renderer_classes = [JSONRenderer]

    def get_queryset(self) -> QuerySet[TalkPair]:
        actor = self.request.user
        cycle = selectors.cycle_get_for(actor=actor, cycle_id=int(self.kwargs["cycle_id"]))
        reading = TalkPairFilterSerializer(data=self.request.query_params)
        reading.is_valid(raise_exception=True)
        data = reading.validated_data
        rule = None
        if data["tier"] is not None:
            rule = TierRule.objects.filter(pk=data["tier"]).first()
            if rule is None:
                message = gettext("没有该层级。")
                raise InvalidInput(message, fields={"tier": [message]})
        unit = org_selectors.unit_get_for(actor=actor, code=data["unit"]) if data["unit"] else None
        filters = PairFilters(rule=rule, unit=unit, status=data["status"])
        return selectors.pair_list_for(actor=actor, cycle=cycle, filters=filters)

    @extend_schema(
        operation_id="talks_cycles_pairs",
        summary=_("约谈对子"),
        description=_(
            "返回周期中您能看到的约谈对子（游标分页：沿 next 链接翻页）。"
            "不给 status 时不含已撤销的对子。"
        ),
        parameters=[
            CYCLE_ID,
            OpenApiParameter("tier", int, description=_("层级规则编号")),
            OpenApiParameter("status", str, enum=list(PairStatus.values)),
            OpenApiParameter(
                "unit",
                str,
                description=_("单位代码：谈话对象在该单位及其下级中；不在您的范围内时返回 404。"),
            ),
            OpenApiParameter("page_size", int, description=_("每页条数，最多500")),
        ],
        responses={200: TalkPairSerializer(many=True), **error_responses(400, 401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, cycle_id: int) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - the view always has a paginator
        return self.get_paginated_response(TalkPairSerializer(page, many=True).data)


class PairHeldView(CyclesApiView):
    """Mark a planned talk held."""

    @extend_schema(
        operation_id="talks_pairs_held",
        summary=_("记录已谈"),
        description=_("谈话人本人或有约谈安排权限者记录已谈；已谈、免谈或已撤销的对子返回 409。"),
        parameters=[PAIR_ID],
        request=TalkPairHeldBodySerializer,
        responses={
            200: TalkPairSerializer,
            **error_responses(400, 401, 403, 404),
            409: NOT_PLANNED,
        },
        tags=TAGS,
    )
    def post(self, request: Request, pair_id: int) -> Response:
        pair = _pair(request, pair_id)
        body = TalkPairHeldBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record: TalkRecord | None = None
        if (record_id := body.validated_data["record_id"]) is not None:
            try:
                record = selectors.record_get_for(actor=request.user, record_id=record_id)
            except NotFound:
                message = gettext("找不到该谈话记录，或它不在您的范围内。")
                raise InvalidInput(message, fields={"record_id": [message]}) from None
        try:
            services.pair_hold(
                actor=request.user, pair=pair, held_on=body.validated_data["date"], record=record
            )
        except InvalidInput as error:
            fields = {("date" if k == "held_on" else k): v for k, v in error.fields.items()}
            raise InvalidInput(error.message, code=error.code, fields=fields) from None
        return Response(_pair_data(request, pair_id))


class PairWaivedView(CyclesApiView):
    """Waive a planned talk, with the reason."""

    @extend_schema(
        operation_id="talks_pairs_waived",
        summary=_("记录免谈"),
        description=_("须说明原因；已谈、免谈或已撤销的对子返回 409。"),
        parameters=[PAIR_ID],
        request=TalkPairWaivedBodySerializer,
        responses={
            200: TalkPairSerializer,
            **error_responses(400, 401, 403, 404),
            409: NOT_PLANNED,
        },
        tags=TAGS,
    )
    def post(self, request: Request, pair_id: int) -> Response:
        pair = _pair(request, pair_id)
        body = TalkPairWaivedBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.pair_waive(actor=request.user, pair=pair, reason=body.validated_data["reason"])
        return Response(_pair_data(request, pair_id))


v1_urls: list[URLPattern | URLResolver] = [
    path("talks/cycles", CycleListView.as_view(), name="api-talk-cycles"),
    path("talks/cycles/<int:cycle_id>", CycleDetailView.as_view(), name="api-talk-cycle"),
    path(
        "talks/cycles/<int:cycle_id>/generate",
        CycleGenerateView.as_view(),
        name="api-talk-cycle-generate",
    ),
    path(
        "talks/cycles/<int:cycle_id>/pairs", CyclePairsView.as_view(), name="api-talk-cycle-pairs"
    ),
    path("talks/pairs/<int:pair_id>/held", PairHeldView.as_view(), name="api-talk-pair-held"),
    path("talks/pairs/<int:pair_id>/waived", PairWaivedView.as_view(), name="api-talk-pair-waived"),
]
