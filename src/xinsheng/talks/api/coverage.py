"""API endpoints of talks' coverage, meetings and rectification items; ``v1_urls`` is included
under /api/v1/.

They read through the selectors and write through the services, like the pages: a unit or item
out of the caller's scope answers 404 exactly like a missing one, a write the caller may not make
403, and bad input 400 with the fields.
"""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org import selectors as org_selectors
from xinsheng.org.api import UnitRefSerializer
from xinsheng.org.figures_query import PARAMETERS, period_of_query, unit_of_query
from xinsheng.org.models import OrgUnit
from xinsheng.talks import figures
from xinsheng.talks.choices import MeetingKind
from xinsheng.talks.meetings import selectors, services
from xinsheng.talks.meetings.selectors import MeetingFilters
from xinsheng.talks.models import Meeting, Rectification

TAGS = ["talks"]


# --- Bodies ---------------------------------------------------------------------------------------


class TierSerializer(serializers.Serializer[Any]):
    tier = serializers.CharField(source="name", help_text=_("层级"))
    planned = serializers.IntegerField(help_text=_("应谈对子数"))
    held = serializers.IntegerField(help_text=_("已谈对子数"))
    waived = serializers.IntegerField(help_text=_("免谈对子数"))


class CoverageSerializer(serializers.Serializer[Any]):
    """Whom the talks and visits of a subtree reached in a period."""

    unit = serializers.CharField(help_text=_("单位代码"))
    start = serializers.DateField(source="from", help_text=_("开始日期"))
    end = serializers.DateField(source="to", help_text=_("结束日期"))
    headcount = serializers.IntegerField(help_text=_("在职职工人数"))
    people_reached = serializers.IntegerField(help_text=_("谈心走访覆盖人数（去重）"))
    coverage = serializers.FloatField(allow_null=True, help_text=_("覆盖率（0–1）"))
    person_times = serializers.IntegerField(help_text=_("人次"))
    talks = serializers.IntegerField(help_text=_("谈心次数"))
    visits = serializers.IntegerField(help_text=_("走访次数（含家访）"))
    home_visits = serializers.IntegerField(help_text=_("家访次数"))
    pairs = TierSerializer(many=True, help_text=_("各层级约谈对子"))
    requests_waiting = serializers.IntegerField(help_text=_("待约谈申请"))
    meetings = serializers.IntegerField(help_text=_("会议活动场次"))
    rectifications_overdue = serializers.IntegerField(help_text=_("超期整改事项"))


class ItemSerializer(serializers.Serializer[Rectification]):
    """A rectification item; done when ``done_on`` is set."""

    id = serializers.IntegerField()
    text = serializers.CharField()
    owner_unit = UnitRefSerializer()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    done_note = serializers.CharField()
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, item: Rectification) -> bool:
        return item.done_on is None and item.due_on < timezone.localdate()


class MeetingSerializer(serializers.Serializer[Meeting]):
    """A meeting with its rectification items and the case numbers raised at it."""

    id = serializers.IntegerField()
    kind = EnumField(MeetingKind)
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    unit = UnitRefSerializer()
    held_on = serializers.DateField()
    attendance = serializers.IntegerField()
    topics = serializers.CharField()
    hot_topics = serializers.ListField(child=serializers.CharField())
    rectifications = ItemSerializer(many=True, source="rectifications.all")
    cases = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_cases(self, meeting: Meeting) -> list[str]:
        return [case.case_no for case in meeting.cases.all()]


class MeetingCreateSerializer(serializers.Serializer[Any]):
    kind = EnumField(MeetingKind)
    unit_code = serializers.CharField(max_length=32, help_text=_("单位代码"))
    held_on = serializers.DateField(help_text=_("日期（YYYY-MM-DD），不能晚于今天"))
    title = serializers.CharField(max_length=100)
    attendance = serializers.IntegerField(min_value=1)
    topics = serializers.CharField(required=False, default="", allow_blank=True)
    hot_topics = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, default=list
    )


class DoneSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=500, help_text=_("完成情况"))


# --- Helpers --------------------------------------------------------------------------------------


def _unit(actor: Actor, code: str, field: str) -> OrgUnit:
    try:
        return org_selectors.unit_get_for(actor=actor, code=code)
    except NotFound:
        message = gettext("找不到该单位，或它不在您的范围内。")
        raise InvalidInput(message, fields={field: [message]}) from None


class TalksApiView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser]


# --- Views ----------------------------------------------------------------------------------------


class CoverageView(TalksApiView):
    """The coverage of a unit subtree in a period."""

    @extend_schema(
        operation_id="talks_coverage",
        summary=_("谈心走访覆盖情况"),
        description=_(
            "返回单位及其下级在期间内的职工人数、覆盖人数、覆盖率、人次、谈心和走访次数。"
        ),
        parameters=PARAMETERS,
        responses={200: CoverageSerializer, **error_responses(400, 401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        unit = unit_of_query(request, "talk.view")
        period = period_of_query(request)
        reach = figures.reach_of(unit, period)
        data = {
            "unit": unit.code,
            "from": period.start,
            "to": period.end,
            **reach.as_dict(),
            "pairs": figures.pairs_by_unit([unit], period)[unit.pk],
            "requests_waiting": figures.requests_waiting_by_unit([unit])[unit.pk],
            "meetings": figures.meetings_by_unit([unit], period)[unit.pk],
            "rectifications_overdue": figures.overdue_by_unit([unit])[unit.pk],
        }
        return Response(CoverageSerializer(data).data)


class MeetingListView(TalksApiView):
    """The meetings in the caller's scope; record a meeting."""

    @extend_schema(
        operation_id="talks_meetings_list",
        summary=_("会议活动清单"),
        parameters=[*PARAMETERS, OpenApiParameter("kind", str, enum=list(MeetingKind.values))],
        responses={200: MeetingSerializer(many=True), **error_responses(400, 401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        actor = request.user
        params = request.query_params
        unit = None
        if code := params.get("unit", "").strip():
            unit = org_selectors.unit_get_for(actor=actor, code=code)
        period = period_of_query(request) if params.get("from") or params.get("to") else None
        filters = MeetingFilters(
            unit=unit,
            kind=params.get("kind", "") if params.get("kind") in MeetingKind.values else "",
            start=period.start if period else None,
            end=period.end if period else None,
        )
        meetings = selectors.meeting_list_for(actor=actor, filters=filters)[:500]
        data = MeetingSerializer(
            meetings.prefetch_related("rectifications__owner_unit", "cases"),  # type: ignore[arg-type]
            many=True,
        ).data
        return Response(data)

    @extend_schema(
        operation_id="talks_meetings_create",
        summary=_("记录会议"),
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, **error_responses(400, 401, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = request.user
        body = MeetingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        meeting_data = services.MeetingData(
            kind=data["kind"],
            unit=_unit(actor, data["unit_code"], "unit_code"),
            held_on=data["held_on"],
            title=data["title"],
            attendance=data["attendance"],
            topics=data["topics"],
            hot_topics=data["hot_topics"],
        )
        try:
            meeting = services.meeting_record(actor=actor, data=meeting_data)
        except InvalidInput as error:
            names = {"unit": "unit_code"}
            fields = {names.get(name, name): value for name, value in error.fields.items()}
            raise InvalidInput(error.message, fields=fields) from None
        fresh = selectors.meeting_get_for(actor=actor, meeting_id=meeting.pk)
        return Response(MeetingSerializer(fresh).data, status=status.HTTP_201_CREATED)


class RectificationDoneView(TalksApiView):
    """Mark a rectification item done."""

    @extend_schema(
        operation_id="talks_rectifications_done",
        summary=_("整改事项完成"),
        parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH)],
        request=DoneSerializer,
        responses={200: ItemSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request, item_id: int) -> Response:
        actor = request.user
        item = selectors.rectification_get_for(actor=actor, item_id=item_id)
        body = DoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.rectification_done(actor=actor, item=item, note=body.validated_data["note"])
        return Response(ItemSerializer(item).data)


v1_urls: list[URLPattern | URLResolver] = [
    path("talks/coverage", CoverageView.as_view(), name="api-talks-coverage"),
    path("talks/meetings", MeetingListView.as_view(), name="api-talks-meetings"),
    path(
        "talks/rectifications/<int:item_id>/done",
        RectificationDoneView.as_view(),
        name="api-talks-rectification-done",
    ),
]
