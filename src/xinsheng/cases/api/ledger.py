"""The staff's reads: categories, the ledger (keyset pages with filters) and one case."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import BlankAsNullField, EnumField
from xinsheng.api.schema import error_responses
from xinsheng.cases import selectors
from xinsheng.cases.api.common import (
    DATE_FORMATS,
    INVALID_CHOICE,
    ORIGIN_EVENTS,
    SubmitterSerializer,
)
from xinsheng.cases.choices import (
    CaseKind,
    CaseStatus,
    Channel,
    EventKind,
    SubmitterCheck,
    Urgency,
)
from xinsheng.cases.models import Case, CaseEvent, Category
from xinsheng.core.actors import Actor
from xinsheng.org import selectors as org_selectors
from xinsheng.org.api import UnitRefSerializer
from xinsheng.org.models import OrgUnit

# --- Categories -----------------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer[Category]):
    """A category dispatchers file cases under, with its default deadlines in working days."""

    class Meta:
        model = Category
        fields = ["code", "name", "deadline_days", "urgent_deadline_days"]
        read_only_fields = fields


class CategoryListView(APIView):
    """The active categories."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="categories_list",
        summary=_("诉求类别"),
        description=_("返回启用的类别；受理诉求时用其代码。"),
        responses={200: CategorySerializer(many=True), **error_responses(401)},
        tags=["cases"],
    )
    def get(self, request: Request) -> Response:
        return Response(CategorySerializer(selectors.category_list(), many=True).data)


# --- The ledger and one case ----------------------------------------------------------------------


class CaseSummarySerializer(serializers.Serializer[Any]):
    """A case as a row of the ledger."""

    case_no = serializers.CharField()
    status = EnumField(CaseStatus)
    status_label = serializers.CharField(source="get_status_display")
    kind = EnumField(CaseKind)
    kind_label = serializers.CharField(source="get_kind_display")
    channel = EnumField(Channel)
    channel_label = serializers.CharField(source="get_channel_display")
    title = serializers.CharField()
    urgency = EnumField(Urgency)
    category = serializers.CharField(
        source="category.code", allow_null=True, help_text=_("类别代码；受理前为空。")
    )
    unit_code = serializers.CharField(
        source="responsible_unit.code", allow_null=True, help_text=_("责任单位代码；派单前为空。")
    )
    unit_name = serializers.CharField(source="responsible_unit.name", allow_null=True)
    deadline = serializers.DateField(allow_null=True, help_text=_("办理时限；派单前为空。"))
    is_overdue = serializers.BooleanField()
    submitter_check = EnumField(
        SubmitterCheck,
        help_text=_(
            "实名提出人的工号与姓名是否与职工名册相符（见 submitter.check）；匿名或未核对时为空。"
        ),
    )
    origin_unit = serializers.SerializerMethodField(
        help_text=_("所属单位；匿名诉求来自人数很少的单位时显示其上级单位（管理员除外）。")
    )
    created_at = serializers.DateTimeField()

    @extend_schema_field(UnitRefSerializer)
    def get_origin_unit(self, case: Case) -> dict[str, Any]:
        origins: dict[int, OrgUnit] = self.context["origins"]
        return dict(UnitRefSerializer(origins[case.pk]).data)


class CaseEventSerializer(serializers.Serializer[CaseEvent]):
    """One step of a case's life, as staff see it."""

    at = serializers.DateTimeField()
    kind = EnumField(EventKind)
    kind_label = serializers.CharField(source="get_kind_display")
    from_status = BlankAsNullField(allow_null=True, help_text=_("状态未变时为空。"))
    to_status = BlankAsNullField(allow_null=True)
    actor = serializers.SerializerMethodField(help_text=_("操作人；群众或系统时为空。"))
    unit = serializers.SerializerMethodField()
    note = serializers.CharField()
    public = serializers.BooleanField(source="is_public", help_text=_("提出人能否看到。"))
    details = serializers.DictField(
        source="data", help_text=_("该步骤的细节，如派单时限、类别代码、评价。")
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: CaseEvent) -> str | None:
        if event.actor is None:
            return None
        person = getattr(event.actor, "person", None)
        return person.name if person is not None else event.actor.get_username()

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_unit(self, event: CaseEvent) -> dict[str, Any] | None:
        unit = self.context["origin"] if event.kind in ORIGIN_EVENTS else event.unit
        return dict(UnitRefSerializer(unit).data) if unit is not None else None


class CaseDetailSerializer(CaseSummarySerializer):
    """One case with everything the caller may see of it, and what the caller may do now."""

    text = serializers.CharField()
    category_name = serializers.CharField(source="category.name", allow_null=True)
    anonymous = serializers.BooleanField(source="is_anonymous")
    submitter = serializers.SerializerMethodField()
    heard_on = serializers.DateField(allow_null=True)
    heard_place = serializers.CharField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    dispatched_at = serializers.DateTimeField(allow_null=True)
    response_deadline = serializers.DateField(allow_null=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    answer = BlankAsNullField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    solved_by_unit = serializers.BooleanField(allow_null=True)
    reject_reason = BlankAsNullField(allow_null=True)
    merged_into = serializers.CharField(source="merged_into.case_no", allow_null=True)
    extension_until = serializers.DateField(allow_null=True, help_text=_("待审批的延期申请日期。"))
    extension_reason = BlankAsNullField(allow_null=True)
    reopen_count = serializers.IntegerField()
    supervision_count = serializers.IntegerField()
    supporters = serializers.IntegerField(help_text=_("合并进来的附议人数。"))
    closed_at = serializers.DateTimeField(allow_null=True)
    close_reason = BlankAsNullField(allow_null=True)
    timeline = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField(
        help_text=_("您现在可以对该诉求执行的操作（POST /api/v1/cases/{case_no}/{action}）。")
    )

    @extend_schema_field(SubmitterSerializer)
    def get_submitter(self, case: Case) -> dict[str, Any]:
        return dict(SubmitterSerializer(self.context["submitter"]).data)

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_timeline(self, case: Case) -> list[dict[str, Any]]:
        context = {"origin": self.context["origins"][case.pk]}
        return list(CaseEventSerializer(self.context["events"], many=True, context=context).data)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: Case) -> list[str]:
        actions: list[str] = self.context["actions"]
        return actions


def _origins(actor: Actor, cases: Iterable[Case]) -> dict[int, OrgUnit]:
    """Return, by case id, the origin unit ``actor`` is shown (one look-up per unit and kind)."""
    shown: dict[tuple[int, bool], OrgUnit] = {}
    origins = {}
    for case in cases:
        key = (case.origin_unit_id, case.is_anonymous)
        if key not in shown:
            shown[key] = selectors.case_origin_shown(actor=actor, case=case)
        origins[case.pk] = shown[key]
    return origins


def case_detail_data(*, actor: Actor, case: Case) -> dict[str, Any]:
    """Return ``case`` as ``actor`` sees it through the API."""
    events = selectors.case_events_for(actor=actor, case=case).select_related("actor__person")
    context = {
        "origins": _origins(actor, [case]),
        "submitter": selectors.case_submitter_shown(actor=actor, case=case),
        "events": list(events),
        "actions": selectors.case_actions_for(actor=actor, case=case),
    }
    return dict(CaseDetailSerializer(case, context=context).data)


class CaseFilterSerializer(serializers.Serializer[Any]):
    """The ledger's filters, read from the query string (``status`` may repeat)."""

    unit = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ListField(
        child=EnumField(CaseStatus, error_messages=INVALID_CHOICE),
        required=False,
        default=list,
    )
    kind = EnumField(CaseKind, required=False, allow_blank=True, default="")
    channel = EnumField(Channel, required=False, allow_blank=True, default="")
    category = serializers.CharField(required=False, allow_blank=True, default="")
    overdue = serializers.BooleanField(required=False, default=False)
    q = serializers.CharField(required=False, allow_blank=True, default="")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "from" is a keyword, so these two cannot be declared as attributes.
        for name in ("from", "to"):
            fields[name] = serializers.DateField(
                required=False, allow_null=True, default=None, input_formats=DATE_FORMATS
            )
        return fields


def case_filters(*, actor: Actor, params: Any) -> selectors.CaseFilters:
    """Return the ledger filters of a query string; 404 for a unit out of scope."""
    reading = CaseFilterSerializer(data=params)
    reading.is_valid(raise_exception=True)
    data = reading.validated_data
    unit = org_selectors.unit_get_for(actor=actor, code=data["unit"]) if data["unit"] else None
    return selectors.CaseFilters(
        unit=unit,
        statuses=data["status"],
        kind=data["kind"],
        channel=data["channel"],
        category=data["category"],
        overdue=data["overdue"],
        date_from=data["from"],
        date_to=data["to"],
        text=data["q"],
    )


class CaseCursorPagination(CursorPagination):
    """Pages of the ledger, newest first; keyset on the creation time, never OFFSET scans."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _choice_values(choices: Iterable[tuple[str, Any]]) -> list[str]:
    return [value for value, _label in choices]


class CaseListView(GenericAPIView[Case]):
    """The ledger (台账): the cases in the caller's scope."""

    serializer_class = CaseSummarySerializer
    pagination_class = CaseCursorPagination
    renderer_classes = [JSONRenderer]

    def get_queryset(self) -> QuerySet[Case]:
        actor = self.request.user
        filters = case_filters(actor=actor, params=self.request.query_params)
        return selectors.case_list_for(actor=actor, filters=filters)

    @extend_schema(
        operation_id="cases_list",
        summary=_("台账"),
        description=_(
            "返回您范围内的诉求，最新的在前（游标分页：沿 next 链接翻页）。"
            "各筛选条件可以组合；status 可重复给出。"
        ),
        parameters=[
            OpenApiParameter(
                "unit",
                str,
                description=_(
                    "单位代码：所属或责任单位在该单位及其下级中；不在您的范围内时返回 404。"
                ),
            ),
            OpenApiParameter("status", str, many=True, enum=_choice_values(CaseStatus.choices)),
            OpenApiParameter("kind", str, enum=_choice_values(CaseKind.choices)),
            OpenApiParameter("channel", str, enum=_choice_values(Channel.choices)),
            OpenApiParameter("category", str, description=_("类别代码")),
            OpenApiParameter("overdue", bool, description=_("只看超期的")),
            OpenApiParameter("from", str, description=_("提交日期起（YYYY-MM-DD，含）")),
            OpenApiParameter("to", str, description=_("提交日期止（YYYY-MM-DD，含）")),
            OpenApiParameter("q", str, description=_("编号（完全相同）或标题、内容（包含）")),
            OpenApiParameter("page_size", int, description=_("每页条数，最多500")),
        ],
        responses={200: CaseSummarySerializer(many=True), **error_responses(400, 401, 404)},
        tags=["cases"],
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - the view always has a paginator
        rows = CaseSummarySerializer(
            page, many=True, context={"origins": _origins(request.user, page)}
        )
        return self.get_paginated_response(rows.data)


CASE_NO_PARAMETER = OpenApiParameter(
    "case_no", str, OpenApiParameter.PATH, description=_("诉求编号，如 2026-000123")
)


class CaseDetailView(APIView):
    """One case in the caller's scope."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="cases_retrieve",
        summary=_("诉求详情"),
        description=_(
            "返回一条诉求及其完整办理过程，以及您现在可以执行的操作；"
            "不存在或不在您的范围内时返回 404。"
        ),
        parameters=[CASE_NO_PARAMETER],
        responses={200: CaseDetailSerializer, **error_responses(401, 404)},
        tags=["cases"],
    )
    def get(self, request: Request, case_no: str) -> Response:
        case = selectors.case_get_for(actor=request.user, case_no=case_no)
        return Response(case_detail_data(actor=request.user, case=case))
