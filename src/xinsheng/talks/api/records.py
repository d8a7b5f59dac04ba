"""API endpoints of talk and visit records; ``v1_urls`` is included under /api/v1/.

They read through the selectors and write through the services, like the pages: a record out of
the caller's scope answers 404 exactly like a missing one, a write the caller may not make 403,
and bad input 400 with the fields (named as in the request body). An ``Idempotency-Key`` header
makes a retry of the same record answer with the record written the first time (200).
"""

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import BlankAsNullField, EnumField
from xinsheng.api.schema import error_responses
from xinsheng.cases.choices import CaseKind, CaseStatus
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org import selectors as org_selectors
from xinsheng.org.api import UnitRefSerializer
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import Direction, Place, TalkKind
from xinsheng.talks.models import TalkRecord
from xinsheng.talks.records import selectors, services
from xinsheng.talks.records.checks import TalkInput, VoiceInput
from xinsheng.talks.records.keys import KEY_MAX
from xinsheng.talks.records.selectors import TalkFilters

TAGS = ["talks"]
DATE_FORMATS = ["%Y-%m-%d"]
INVALID_CHOICE: dict[str, Any] = {"invalid_choice": _("选项无效。")}
# The service's field names, as the request body names them.
BODY_FIELDS = {
    "unit": "unit_code",
    "held_on": "date",
    "hosts": "host_employee_nos",
    "people": "person_employee_nos",
    "client_key": "Idempotency-Key",
}


# --- Bodies ---------------------------------------------------------------------------------------


class VoiceBodySerializer(serializers.Serializer[Any]):
    """A voice raised in the talk: it becomes a case (channel 谈心, or 走访 for visits)."""

    kind = EnumField(
        CaseKind, required=False, default=CaseKind.DEMAND, error_messages=INVALID_CHOICE
    )
    text = serializers.CharField(allow_blank=True, help_text=_("内容，5–2000字。"))
    anonymous = serializers.BooleanField(
        required=False, default=False, help_text=_("匿名时诉求不记提出人。")
    )
    employee_no = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("提出人的工号，须是谈话对象之一；为空时为第一位谈话对象。"),
    )


class TalkCreateSerializer(serializers.Serializer[Any]):
    """A talk or visit as it happened."""

    kind = EnumField(TalkKind, error_messages=INVALID_CHOICE)
    unit_code = serializers.CharField(max_length=32, help_text=_("记录所属单位的代码"))
    date = serializers.DateField(input_formats=DATE_FORMATS, help_text=_("谈话日期，不能晚于今天"))
    place = EnumField(
        Place, required=False, allow_blank=True, default="", error_messages=INVALID_CHOICE
    )
    place_note = serializers.CharField(required=False, allow_blank=True, default="")
    direction = EnumField(
        Direction, required=False, default=Direction.INITIATED, error_messages=INVALID_CHOICE
    )
    host_employee_nos = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        default=list,
        help_text=_("谈话人工号；为空时为调用者本人"),
    )
    person_employee_nos = serializers.ListField(
        child=serializers.CharField(max_length=32),
        allow_empty=True,
        help_text=_("谈话对象（家访时为被走访职工）的工号，至少一个，须在您的范围内"),
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        default=list,
        help_text=_("思想动态与关注标签，如 思想波动、家庭困难"),
    )
    sensitive_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("敏感情况（健康、家庭困难）：只有有权查看的人能读到，每次读取都有记录"),
    )
    voices = VoiceBodySerializer(many=True, required=False, default=list)


class RecordedSerializer(serializers.Serializer[Any]):
    """The record written, and the cases its voices became."""

    id = serializers.IntegerField()
    case_nos = serializers.ListField(child=serializers.CharField())


class PersonRefSerializer(serializers.Serializer[Any]):
    """A person by employee number and name."""

    employee_no = serializers.CharField()
    name = serializers.CharField()


class TalkSummarySerializer(serializers.Serializer[Any]):
    """A record as a row of the ledger."""

    id = serializers.IntegerField()
    kind = EnumField(TalkKind)
    kind_label = serializers.CharField(source="get_kind_display")
    unit = UnitRefSerializer()
    date = serializers.DateField(source="held_on")
    place = BlankAsNullField(allow_null=True)
    place_label = serializers.SerializerMethodField()
    place_note = serializers.CharField()
    direction = EnumField(Direction)
    direction_label = serializers.CharField(source="get_direction_display")
    hosts = serializers.SerializerMethodField()
    people = serializers.SerializerMethodField()
    summary = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    case_nos = serializers.SerializerMethodField(help_text=_("反映的诉求转成的诉求编号"))
    recorded_at = serializers.DateTimeField(source="created_at")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_place_label(self, record: TalkRecord) -> str | None:
        return record.get_place_display() if record.place else None

    @extend_schema_field(PersonRefSerializer(many=True))
    def get_hosts(self, record: TalkRecord) -> list[dict[str, str]]:
        return [_person(row.person) for row in record.host_rows.all()]

    @extend_schema_field(PersonRefSerializer(many=True))
    def get_people(self, record: TalkRecord) -> list[dict[str, str]]:
        return [_person(row.person) for row in record.participants.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_case_nos(self, record: TalkRecord) -> list[str]:
        return [voice.case.case_no for voice in record.voices.all()]


class VoiceCaseSerializer(serializers.Serializer[Any]):
    """A voice of the record and where its case stands."""

    case_no = serializers.CharField()
    kind = EnumField(CaseKind)
    title = serializers.CharField()
    status = EnumField(CaseStatus)
    status_label = serializers.CharField(source="get_status_display")
    anonymous = serializers.BooleanField(source="is_anonymous")


class TalkDetailSerializer(TalkSummarySerializer):
    """One record with everything the caller may see of it."""

    voices = serializers.SerializerMethodField()
    sensitive_note = serializers.SerializerMethodField(
        help_text=_("无敏感情况时为空；无权查看时为“（敏感信息，无权查看）”；每次读取都有记录。")
    )

    @extend_schema_field(VoiceCaseSerializer(many=True))
    def get_voices(self, record: TalkRecord) -> list[dict[str, Any]]:
        cases = [voice.case for voice in record.voices.all()]
        return list(VoiceCaseSerializer(cases, many=True).data)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_sensitive_note(self, record: TalkRecord) -> str | None:
        note: str = self.context["sensitive_note"]
        return note or None


def _person(person: Any) -> dict[str, str]:
    return {"employee_no": person.employee_no, "name": person.name}


# --- Helpers --------------------------------------------------------------------------------------


def _unit(actor: Actor, code: str) -> OrgUnit:
    try:
        return org_selectors.unit_get_for(actor=actor, code=code)
    except NotFound:
        message = gettext("找不到该单位，或它不在您的范围内。")
        raise InvalidInput(message, fields={"unit_code": [message]}) from None


def _renamed(error: InvalidInput) -> InvalidInput:
    fields = {BODY_FIELDS.get(name, name): found for name, found in error.fields.items()}
    return InvalidInput(error.message, code=error.code, fields=fields)


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > KEY_MAX or not key.isascii() or not key.isprintable():
        message = gettext("Idempotency-Key 须为不超过100个可打印 ASCII 字符。")
        raise InvalidInput(message, fields={"Idempotency-Key": [message]})
    return key


def _detail(request: Request, record_id: int) -> dict[str, Any]:
    record = selectors.talk_get_for(actor=request.user, record_id=record_id)
    note = services.talk_sensitive_note_read(actor=request.user, record=record, via="api")
    return dict(TalkDetailSerializer(record, context={"sensitive_note": note}).data)


class TalkCursorPagination(CursorPagination):
    """Pages of the ledger, newest talk first; keyset on the date, never OFFSET scans."""

    ordering = ("-held_on", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class TalkFilterSerializer(serializers.Serializer[Any]):
    """The ledger's filters, read from the query string."""

    unit = serializers.CharField(required=False, allow_blank=True, default="")
    kind = EnumField(
        TalkKind, required=False, allow_blank=True, default="", error_messages=INVALID_CHOICE
    )
    place = EnumField(
        Place, required=False, allow_blank=True, default="", error_messages=INVALID_CHOICE
    )
    q = serializers.CharField(required=False, allow_blank=True, default="")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "from" is a keyword, so these two cannot be declared as attributes.
        for name in ("from", "to"):
            fields[name] = serializers.DateField(
                required=False, allow_null=True, default=None, input_formats=DATE_FORMATS
            )
        return fields


def _filters(actor: Actor, params: Any) -> TalkFilters:
    reading = TalkFilterSerializer(data=params)
    reading.is_valid(raise_exception=True)
    data = reading.validated_data
    unit = org_selectors.unit_get_for(actor=actor, code=data["unit"]) if data["unit"] else None
    return TalkFilters(
        unit=unit,
        kind=data["kind"],
        place=data["place"],
        date_from=data["from"],
        date_to=data["to"],
        text=data["q"],
    )


# --- Views ----------------------------------------------------------------------------------------


class TalkListView(GenericAPIView[TalkRecord]):
    """The talk and visit records in the caller's scope; write a new one."""

    serializer_class = TalkSummarySerializer
    pagination_class = TalkCursorPagination
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    def get_queryset(self) -> QuerySet[TalkRecord]:
        actor = self.request.user
        filters = _filters(actor, self.request.query_params)
        return selectors.talk_with_people(selectors.talk_list_for(actor=actor, filters=filters))

    @extend_schema(
        operation_id="talks_list",
        summary=_("谈心走访台账"),
        description=_("返回您范围内的谈心走访记录，日期最新的在前（游标分页：沿 next 链接翻页）。"),
        parameters=[
            OpenApiParameter(
                "unit",
                str,
                description=_(
                    "单位代码：记录所属单位在该单位及其下级中；不在您的范围内时返回 404。"
                ),
            ),
            OpenApiParameter("kind", str, enum=list(TalkKind.values)),
            OpenApiParameter("place", str, enum=list(Place.values)),
            OpenApiParameter("from", str, description=_("日期起（YYYY-MM-DD，含）")),
            OpenApiParameter("to", str, description=_("日期止（YYYY-MM-DD，含）")),
            OpenApiParameter("q", str, description=_("摘要中的词，或谈话对象的姓名、工号")),
            OpenApiParameter("page_size", int, description=_("每页条数，最多500")),
        ],
        responses={200: TalkSummarySerializer(many=True), **error_responses(400, 401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - the view always has a paginator
        return self.get_paginated_response(TalkSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="talks_create",
        summary=_("记录谈心走访"),
        description=_(
            "记录一次谈心、走访或家访；需要该单位的谈心记录权限。反映的每条诉求都转为一条诉求"
            "（渠道为谈心或走访），进入受理、派单、办理、答复、评价的闭环。"
            "请求头 Idempotency-Key 由客户端为每条记录生成：同一账号带同一个键重试时不再新建，"
            "返回首次写入的记录（200）。服务器只保存键的带密钥散列。"
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=_("客户端为每条记录生成的随机串（不超过100个可打印 ASCII 字符）。"),
            )
        ],
        request=TalkCreateSerializer,
        responses={
            201: RecordedSerializer,
            200: OpenApiResponse(
                RecordedSerializer, description=_("同一 Idempotency-Key 的重试：首次写入的记录。")
            ),
            **error_responses(400, 401, 403),
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        actor = request.user
        key = _idempotency_key(request)
        body = TalkCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        talk = TalkInput(
            kind=data["kind"],
            unit=_unit(actor, data["unit_code"]),
            held_on=data["date"],
            person_employee_nos=list(data["person_employee_nos"]),
            host_employee_nos=list(data["host_employee_nos"]),
            place=data["place"],
            place_note=data["place_note"],
            direction=data["direction"],
            summary=data["summary"],
            tags=list(data["tags"]),
            sensitive_note=data["sensitive_note"],
            voices=[
                VoiceInput(
                    text=voice["text"],
                    kind=voice["kind"],
                    anonymous=voice["anonymous"],
                    employee_no=voice["employee_no"],
                )
                for voice in data["voices"]
            ],
        )
        try:
            recorded = services.talk_record_create(actor=actor, data=talk, client_key=key)
        except InvalidInput as error:
            raise _renamed(error) from None
        answer = {"id": recorded.record.pk, "case_nos": recorded.case_nos}
        return Response(answer, status=201 if recorded.created else 200)


RECORD_ID = OpenApiParameter(
    "record_id", int, OpenApiParameter.PATH, description=_("记录编号（id）")
)


class TalkDetailView(APIView):
    """One record in the caller's scope."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="talks_retrieve",
        summary=_("谈心走访记录详情"),
        description=_(
            "返回一条记录及其反映诉求的办理状态；不存在或不在您的范围内时返回 404。"
            "敏感情况只对有权查看的人显示，每次读取都记入审计日志。"
        ),
        parameters=[RECORD_ID],
        responses={200: TalkDetailSerializer, **error_responses(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, record_id: int) -> Response:
        response = Response(_detail(request, record_id))
        response["Cache-Control"] = "no-store"
        return response


v1_urls: list[URLPattern | URLResolver] = [
    path("talks", TalkListView.as_view(), name="api-talks"),
    path("talks/<int:record_id>", TalkDetailView.as_view(), name="api-talk"),
]
