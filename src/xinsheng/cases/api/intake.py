"""The public intake: ``POST /api/v1/units/{unit_code}/cases`` (no credentials, rate limited)."""

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from xinsheng.api.fields import EnumField
from xinsheng.api.lean import FieldsBoundOnce, LeanAPIView, LeanJSONParser
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.cases import selectors, services
from xinsheng.cases.api.common import IDEMPOTENCY_KEY_MAX, INVALID_CHOICE, no_store
from xinsheng.cases.choices import (
    CaseKind,
)
from xinsheng.cases.intake import contact
from xinsheng.cases.intake import limits as intake_limits
from xinsheng.cases.photos import MAX_PHOTOS
from xinsheng.core.errors import InvalidInput
from xinsheng.core.photos import MAX_BYTES

# --- Public intake --------------------------------------------------------------------------------


class IntakeSerializer(FieldsBoundOnce):
    """A voice from an employee: by name, or anonymous (then name and number are ignored, and a
    phone or e-mail is refused: an anonymous voice keeps no contact)."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("anonymous") and (
            attrs.get("phone", "").strip() or attrs.get("email", "").strip()
        ):
            message = gettext("匿名提交不能留手机号或电子邮箱；如需接收办理进展通知，请实名提交。")
            raise InvalidInput(message, fields={"phone": [message], "email": [message]})
        return attrs

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
        required=False,
        allow_blank=True,
        default="",
        max_length=20,
        help_text=_("可选，仅限实名：用于回访；手机号还用于短信告知办理进展。"),
    )
    email = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=contact.EMAIL_MAX,
        help_text=_("可选，仅限实名：派单、答复和办结时发邮件告知，不超过100个字符。"),
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
    # Read from the environment itself: ``request.headers`` copies every header to find one.
    key = str(request.META.get("HTTP_IDEMPOTENCY_KEY", "")).strip()
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX or not key.isascii() or not key.isprintable():
        message = gettext("Idempotency-Key 须为不超过100个可打印 ASCII 字符。")
        raise InvalidInput(message, fields={"Idempotency-Key": [message]})
    return key


def _photos(files: Iterable[UploadedFile[bytes]]) -> list[bytes]:
    """Return the uploaded photos' bytes; reading stops past the size limit, which fails."""
    return [file.read(MAX_BYTES + 1) for file in files]


class IntakeView(LeanAPIView):
    """A unit's public intake: the same rules as the form behind its QR code."""

    authentication_classes = []  # public: no account is ever attached to a voice
    permission_classes = [AllowAny]
    parser_classes = [LeanJSONParser, MultiPartParser, FormParser]
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
                    "电话（及电子邮箱，如填写）、附议的诉求编号，"
                    "以及各照片（按发送顺序）的 SHA-256；"
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
        with intake_limits.limit_slot(request._request, intake_limits.INTAKE) as slot:
            if slot.over and not intake_limits.replay_known(unit_code, key):
                raise Throttled(wait=slot.limit.retry_after)
            submitted = self._submit(request, unit_code, key, slot)
        answer = {"case_no": submitted.case.case_no, "receipt_code": submitted.receipt_code}
        status = 201 if submitted.created else 200
        return no_store(Response(answer, status=status))  # the fields of SubmittedSerializer

    def _submit(
        self, request: Request, unit_code: str, key: str | None, slot: intake_limits.Slot
    ) -> services.Submitted:
        """Take the voice; keep the slot if a voice was taken or photos were decoded."""
        body = IntakeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        identity = services.Identity(
            anonymous=data["anonymous"],
            name=data["name"],
            employee_no=data["employee_no"],
            phone=data["phone"],
            email=data["email"],
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
            photos = _photos(request.FILES.getlist("photos"))
            try:
                submitted = services.case_submit_at(
                    unit_code=unit_code,
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    identity=identity,
                    photos=photos,
                    intake_key=key,
                )
            except InvalidInput:
                if photos:  # photos cost the server their decoding, refused or not
                    slot.keep()
                raise
        if submitted.created:  # only a voice taken counts; bad input and retries do not
            slot.keep()
        return submitted
