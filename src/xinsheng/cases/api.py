"""API endpoints of the closed loop: public intake and follow-up, the ledger, and every action.

The public endpoints (intake, receipts) take no credentials and store nothing about the caller;
they are rate limited per client in the cache only. The staff endpoints read through the
selectors and write through the services, like the pages do: a case out of the caller's scope
answers 404 exactly like a missing one, an action the caller may not take 403, an action the case's
state does not allow 409 (code ``invalid_transition``), and bad input 400 with the fields.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import BlankAsNullField, EnumField
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.cases import selectors, services, steps, workflow
from xinsheng.cases.choices import (
    CaseKind,
    CaseStatus,
    Channel,
    EventKind,
    Urgency,
)
from xinsheng.cases.intake import idempotency
from xinsheng.cases.intake import limits as intake_limits
from xinsheng.cases.models import Case, CaseEvent, Category
from xinsheng.cases.photos import MAX_PHOTOS
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.core.photos import MAX_BYTES
from xinsheng.core.plugins import contributions
from xinsheng.core.ratings import Satisfaction
from xinsheng.org import selectors as org_selectors
from xinsheng.org.api import UnitRefSerializer
from xinsheng.org.models import OrgUnit

INVALID_CHOICE: dict[str, Any] = {"invalid_choice": _("选项无效。")}
DATE_FORMATS = ["%Y-%m-%d"]
IDEMPOTENCY_KEY_MAX = idempotency.KEY_MAX
# Events whose unit is where the case came from: shown by the small-team rule like the origin.
ORIGIN_EVENTS = frozenset({EventKind.SUBMITTED, EventKind.RECORDED})
ANSWER_STANDS = frozenset({CaseStatus.ANSWERED, CaseStatus.CLOSED})


def _no_store(response: Response) -> Response:
    """Return ``response`` marked so that no cache keeps it (it may hold a receipt code)."""
    response["Cache-Control"] = "no-store"
    return response


def _limit_check(
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


# --- Public intake --------------------------------------------------------------------------------


class IntakeSerializer(serializers.Serializer[Any]):
    """A voice from an employee: by name, or anonymous (then name, number and phone are ignored)."""

    kind = EnumField(CaseKind, error_messages=INVALID_CHOICE)
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("可选，不超过100字；为空时取内容开头。"),
    )
    text = serializers.CharField(allow_blank=True, help_text=_("内容，5–2000字。"))
    anonymous = serializers.BooleanField(
        help_text=_("匿名时不保存姓名、工号、电话、账号、IP 地址或设备信息；查询码是唯一凭据。")
    )
    name = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("实名时必填。")
    )
    employee_no = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("实名时必填。")
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("可选，实名时用于回访。")
    )
    support = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=32,
        help_text=_(
            "可选：附议本公司一条相似诉求的编号（见 GET /api/v1/units/{unit_code}/similar）；"
            "不再新建诉求，凭返回的查询码跟进该诉求。"
        ),
    )


class IntakeWithPhotosSerializer(IntakeSerializer):
    """The same voice sent as multipart form data, with up to 3 photos."""

    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_PHOTOS,
        help_text=_("最多3张，JPEG、PNG 或 WebP，每张不超过5MB；保存前去除位置等拍摄信息。"),
    )


class SubmittedSerializer(serializers.Serializer[Any]):
    """What the submitter keeps: the case number and the receipt code (shown this once)."""

    case_no = serializers.CharField(help_text=_("诉求编号。"))
    receipt_code = serializers.CharField(
        help_text=_("查询码：凭它查询进展和评价答复，只显示这一次，请妥善保存。")
    )


def _idempotency_key(request: Request) -> str | None:
    """Return the ``Idempotency-Key`` header, checked, or None when there is none."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isascii() or not key.isprintable():
        message = gettext("Idempotency-Key 须为不超过100个可打印 ASCII 字符。")
        raise InvalidInput(message, fields={"Idempotency-Key": [message]})
    return key


def _photos(files: Iterable[UploadedFile[bytes]]) -> list[bytes]:
    """Return the uploaded photos' bytes; reading stops past the size limit, which fails."""
    return [file.read(MAX_BYTES + 1) for file in files]


class IntakeView(APIView):
    """A unit's public intake: the same rules as the form behind its QR code."""

    authentication_classes = []  # public: no account is ever attached to a voice
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="cases_intake",
        summary=_("提交诉求（公开）"),
        description=_(
            "无需登录。按单位代码提交一条诉求或意见建议；可附最多3张照片（multipart/form-data，"
            "字段 photos）。请求头 Idempotency-Key 只在本单位有效，并与首次提交的内容绑定："
            "同一单位、同一 Idempotency-Key、内容相同的重复提交只生成一条诉求，"
            "并返回同一编号和查询码（200）；同一 Idempotency-Key 用于内容不同的提交时拒绝受理，"
            "不写入任何内容（422，idempotency_key_reused）。每个客户端每小时的提交次数有限（429）。"
        ),
        request={
            "application/json": IntakeSerializer,
            "multipart/form-data": IntakeWithPhotosSerializer,
        },
        parameters=[
            OpenApiParameter("unit_code", str, OpenApiParameter.PATH, description=_("单位代码")),
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=_(
                    "客户端为每条诉求生成的随机串（不超过100个可打印 ASCII 字符），"
                    "重试时与相同内容一起原样发送。只在本单位有效，其他单位的同一串是另一个键。"
                    "与之绑定的内容为：单位代码、类型、标题、内容、是否匿名、实名时的姓名、工号和"
                    "电话、附议的诉求编号，以及各照片（按发送顺序）的 SHA-256；"
                    "同一个键配不同内容时拒绝受理（422）。服务器只保存键的带密钥散列，不保存键本身。"
                ),
            ),
        ],
        responses={
            201: SubmittedSerializer,
            200: OpenApiResponse(
                SubmittedSerializer,
                description=_("同一单位、同一 Idempotency-Key、内容相同的重复提交。"),
            ),
            **error_responses(400, 429),
            404: OpenApiResponse(
                ErrorSerializer, description=_("找不到该单位（unit_not_found）。")
            ),
            409: OpenApiResponse(
                ErrorSerializer, description=_("该单位的意见征集码已停用（intake_disabled）。")
            ),
            422: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "该 Idempotency-Key 已在本单位用于内容不同的提交，本次未受理"
                    "（idempotency_key_reused）。"
                ),
            ),
        },
        auth=[],
        tags=["intake"],
    )
    def post(self, request: Request, unit_code: str) -> Response:
        key = _idempotency_key(request)
        _limit_check(request, intake_limits.INTAKE, unit_code=unit_code, replay=key)
        body = IntakeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        identity = services.Identity(
            anonymous=data["anonymous"],
            name=data["name"],
            employee_no=data["employee_no"],
            phone=data["phone"],
        )
        if data["support"]:
            submitted = services.case_support(
                unit=selectors.intake_unit_get(unit_code),
                case_no=data["support"],
                text=data["text"],
                identity=identity,
                intake_key=key,
            )
        else:
            submitted = services.case_submit_at(
                unit_code=unit_code,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                identity=identity,
                photos=_photos(request.FILES.getlist("photos")),
                intake_key=key,
            )
        if submitted.created:  # only a voice taken counts; bad input and retries do not
            intake_limits.limit_count(request._request, intake_limits.INTAKE)
            intake_limits.replay_remember(unit_code, key)
        answer = {"case_no": submitted.case.case_no, "receipt_code": submitted.receipt_code}
        status = 201 if submitted.created else 200
        return _no_store(Response(answer, status=status))  # the fields of SubmittedSerializer


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
        return _no_store(response)


def _receipt_limit(request: Request) -> None:
    """Count a look-up by receipt code, right or wrong; 429 once the hour's are used up."""
    _limit_check(request, intake_limits.RECEIPT)
    intake_limits.limit_count(request._request, intake_limits.RECEIPT)


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
        responses={200: ReceiptSerializer, 404: RECEIPT_NOT_FOUND, **error_responses(429)},
        auth=[],
        tags=["intake"],
    )
    def get(self, request: Request, receipt_code: str) -> Response:
        _receipt_limit(request)
        return Response(receipt_data(services.case_for_receipt(receipt_code)))


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


# --- Actions --------------------------------------------------------------------------------------


def _optional_note() -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("可选说明。")
    )


class AcceptBodySerializer(serializers.Serializer[Any]):
    category = serializers.CharField(help_text=_("类别代码，见 GET /api/v1/categories。"))
    urgency = EnumField(
        Urgency,
        required=False,
        default=Urgency.NORMAL,
        error_messages=INVALID_CHOICE,
    )
    note = _optional_note()


class RejectBodySerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, help_text=_("提出人能看到的原因。"))


class MergeBodySerializer(serializers.Serializer[Any]):
    into = serializers.CharField(help_text=_("目标诉求编号；须在您的范围内。"))
    note = _optional_note()


class DispatchBodySerializer(serializers.Serializer[Any]):
    unit_code = serializers.CharField(help_text=_("责任单位代码。"))
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        input_formats=DATE_FORMATS,
        help_text=_("办理时限（YYYY-MM-DD）；不填时按类别和紧急程度的工作日数计算。"),
    )
    note = _optional_note()


class SignBodySerializer(serializers.Serializer[Any]):
    """Nothing: signing only needs the case."""


class NoteBodySerializer(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True, help_text=_("内部办理记录，提出人看不到。"))


class AnswerBodySerializer(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True, help_text=_("公开答复，提出人能看到。"))
    solved = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("问题是否已解决。")
    )


class ReturnBodySerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, help_text=_("退单原因。"))


class ExtendBodySerializer(serializers.Serializer[Any]):
    until = serializers.DateField(
        input_formats=DATE_FORMATS, help_text=_("延期至（YYYY-MM-DD），须晚于当前办理时限。")
    )
    reason = serializers.CharField(allow_blank=True, help_text=_("延期原因。"))


class DecideExtensionBodySerializer(serializers.Serializer[Any]):
    note = _optional_note()


class SuperviseBodySerializer(serializers.Serializer[Any]):
    text = serializers.CharField(allow_blank=True, help_text=_("督办通知内容。"))


def _category(code: str) -> Category:
    category = selectors.category_list().filter(code=code).first()
    if category is None:
        message = gettext("类别不存在或已停用。")
        raise InvalidInput(message, fields={"category": [message]})
    return category


def _target_unit(actor: Actor, code: str) -> OrgUnit:
    try:
        return org_selectors.unit_get_for(actor=actor, code=code)
    except NotFound:
        message = gettext("责任单位无效。")
        raise InvalidInput(message, fields={"unit_code": [message]}) from None


def _target_case(actor: Actor, case_no: str) -> Case:
    try:
        return selectors.case_get_for(actor=actor, case_no=case_no)
    except NotFound:
        message = gettext("找不到该诉求，或它不在您的范围内。")
        raise InvalidInput(message, fields={"into": [message]}) from None


Perform = Callable[[Actor, Case, dict[str, Any]], object]

PERFORM: dict[str, Perform] = {
    "accept": lambda actor, case, d: services.case_accept(
        case=case,
        actor=actor,
        category=_category(d["category"]),
        urgency=d["urgency"],
        note=d["note"],
    ),
    "reject": lambda actor, case, d: services.case_reject(
        case=case, actor=actor, reason=d["reason"]
    ),
    "merge": lambda actor, case, d: services.case_merge(
        case=case, actor=actor, into=_target_case(actor, d["into"]), note=d["note"]
    ),
    "dispatch": lambda actor, case, d: services.case_dispatch(
        case=case,
        actor=actor,
        unit=_target_unit(actor, d["unit_code"]),
        deadline=d["deadline"],
        note=d["note"],
    ),
    "sign": lambda actor, case, d: services.case_sign(case=case, actor=actor),
    "note": lambda actor, case, d: services.case_note(case=case, actor=actor, text=d["text"]),
    "answer": lambda actor, case, d: services.case_answer(
        case=case, actor=actor, text=d["text"], solved=d["solved"]
    ),
    "return": lambda actor, case, d: services.case_return(
        case=case, actor=actor, reason=d["reason"]
    ),
    "extend": lambda actor, case, d: services.case_extension_request(
        case=case, actor=actor, until=d["until"], reason=d["reason"]
    ),
    "grant-extension": lambda actor, case, d: services.case_extension_grant(
        case=case, actor=actor, note=d["note"]
    ),
    "refuse-extension": lambda actor, case, d: services.case_extension_refuse(
        case=case, actor=actor, note=d["note"]
    ),
    "supervise": lambda actor, case, d: services.case_supervise(
        case=case, actor=actor, text=d["text"]
    ),
}

# Field names of the services' errors that the API calls differently.
FIELD_NAMES = {"unit": "unit_code"}


@dataclass(frozen=True)
class ActionDoc:
    """How an action is described in the schema."""

    body: type[serializers.Serializer[Any]]
    summary: str | Promise
    description: str | Promise


ACTION_DOCS: dict[str, ActionDoc] = {
    "accept": ActionDoc(AcceptBodySerializer, _("受理"), _("受理待受理的诉求并选择类别。")),
    "reject": ActionDoc(RejectBodySerializer, _("不予受理"), _("不予受理；原因会告知提出人。")),
    "merge": ActionDoc(
        MergeBodySerializer,
        _("合并"),
        _("合并到另一条诉求；提出人随后跟随目标诉求的进展和答复。"),
    ),
    "dispatch": ActionDoc(
        DispatchBodySerializer, _("派单"), _("派给责任单位并开始计算办理时限；退单后重新派单同此。")
    ),
    "sign": ActionDoc(SignBodySerializer, _("签收"), _("责任单位签收，开始办理。")),
    "note": ActionDoc(NoteBodySerializer, _("办理记录"), _("添加内部办理记录。")),
    "answer": ActionDoc(AnswerBodySerializer, _("答复"), _("公开答复；提出人随后评价。")),
    "return": ActionDoc(ReturnBodySerializer, _("退单"), _("不属于本单位的诉求退回受理派单员。")),
    "extend": ActionDoc(ExtendBodySerializer, _("申请延期"), _("向受理派单员申请延期。")),
    "grant-extension": ActionDoc(
        DecideExtensionBodySerializer, _("同意延期"), _("同意待审批的延期申请，办理时限随之改变。")
    ),
    "refuse-extension": ActionDoc(
        DecideExtensionBodySerializer, _("不同意延期"), _("不同意待审批的延期申请。")
    ),
    "supervise": ActionDoc(
        SuperviseBodySerializer, _("督办"), _("对超期、不满意或转督办的诉求发出督办通知。")
    ),
}


def require_action(*, actor: Actor, case: Case, action: str) -> None:
    """Raise ``Forbidden`` unless ``actor`` may take ``action`` on ``case`` at all, and
    ``Conflict`` (``invalid_transition``) unless the case's present state allows it."""
    workflow.require_step(actor, action, case)


def _renamed(error: InvalidInput) -> InvalidInput:
    """Return ``error`` with its fields named as the API names them."""
    if not any(name in FIELD_NAMES for name in error.fields):
        return error
    fields = {FIELD_NAMES.get(name, name): messages for name, messages in error.fields.items()}
    return InvalidInput(error.message, code=error.code, fields=fields)


class CaseActionView(APIView):
    """One step of the loop on one case; answers with the case as it is afterwards."""

    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser]
    action_name = ""

    def act(self, request: Request, case_no: str) -> Response:
        actor = request.user
        case = selectors.case_get_for(actor=actor, case_no=case_no)
        require_action(actor=actor, case=case, action=self.action_name)
        body = ACTION_DOCS[self.action_name].body(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            PERFORM[self.action_name](actor, case, body.validated_data)
        except InvalidInput as error:
            raise _renamed(error) from None
        case = selectors.case_get_for(actor=actor, case_no=case_no)
        return Response(case_detail_data(actor=actor, case=case))


def _action_view(action: str) -> type[CaseActionView]:
    """Return the view of ``action``, described in the schema with its own body."""
    doc = ACTION_DOCS[action]

    @extend_schema(
        operation_id=f"cases_{action.replace('-', '_')}",
        summary=doc.summary,
        description=doc.description,
        parameters=[CASE_NO_PARAMETER],
        request=doc.body,
        responses={
            200: CaseDetailSerializer,
            **error_responses(400, 401, 403, 404),
            409: OpenApiResponse(
                ErrorSerializer,
                description=_("诉求当前的状态不允许此操作（invalid_transition），或已被他人处理。"),
            ),
        },
        tags=["cases"],
    )
    def post(self: CaseActionView, request: Request, case_no: str) -> Response:
        return self.act(request, case_no)

    name = "".join(part.title() for part in action.split("-"))
    return type(f"Case{name}View", (CaseActionView,), {"action_name": action, "post": post})


ACTION_VIEWS: dict[str, type[CaseActionView]] = {
    step.name: _action_view(step.name) for step in steps.STAFF_STEPS
}


v1_urls: list[URLPattern | URLResolver] = [
    # The closed loop: public intake and follow-up, then the staff side.
    path("units/<str:unit_code>/cases", IntakeView.as_view(), name="api-intake"),
    path("receipts/<str:receipt_code>", ReceiptView.as_view(), name="api-receipt"),
    path("receipts/<str:receipt_code>/rating", RatingView.as_view(), name="api-receipt-rating"),
    path("categories", CategoryListView.as_view(), name="api-categories"),
    path("cases", CaseListView.as_view(), name="api-cases"),
    path("cases/<str:case_no>", CaseDetailView.as_view(), name="api-case"),
    *(
        path(f"cases/<str:case_no>/{action}", view.as_view(), name=f"api-case-{action}")
        for action, view in ACTION_VIEWS.items()
    ),
]
