"""API endpoints of surveys; ``v1_urls`` is included under /api/v1/.

- ``POST /surveys`` (staff): set up a survey with its questions → ``{"id", "token"}``.
- ``GET /surveys/{token}`` (public): the survey's questions, to build a form.
- ``POST /surveys/{token}/responses`` (public, rate limited): answer it → 201.
- ``GET /surveys/{id}/results`` (staff, scoped): counts, shares, averages, per-unit rows.
"""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.lean import FieldsBoundOnce, LeanAPIView
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.engage.surveys import limits, selectors, services
from xinsheng.engage.surveys.choices import QuestionKind
from xinsheng.engage.surveys.models import SurveyQuestion
from xinsheng.engage.surveys.results import Results
from xinsheng.engage.surveys.validation import QuestionData
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit

TAGS = ["surveys"]
SURVEY_ID = OpenApiParameter("survey_id", int, OpenApiParameter.PATH, description=_("问卷编号"))
TOKEN = OpenApiParameter("token", str, OpenApiParameter.PATH, description=_("问卷链接码"))


class QuestionInSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=QuestionKind.choices, help_text=_("题型"))
    text = serializers.CharField(max_length=300, help_text=_("题目"))
    required = serializers.BooleanField(default=True)  # type: ignore[assignment]
    options = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=list,
        help_text=_("单选、多选题的选项，编号从1开始"),
    )
    items = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=list,
        help_text=_("矩阵题的评价项目，编号从1开始"),
    )
    scale_max = serializers.IntegerField(default=5, help_text=_("量表、矩阵题的最高分（2–10）"))
    low_label = serializers.CharField(required=False, default="", allow_blank=True, max_length=20)
    high_label = serializers.CharField(required=False, default="", allow_blank=True, max_length=20)
    show_if = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("跳题：仅当前面第几题（题号）……"),
    )
    show_if_choice = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("……的答案为此选项编号（量表题为分数）时显示本题"),
    )


class SurveyCreateSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100)
    intro = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    unit_code = serializers.CharField(
        max_length=32, help_text=_("调查范围：单位代码（含下属单位）")
    )
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    anonymous = serializers.BooleanField(default=True)
    series = serializers.CharField(required=False, default="", allow_blank=True, max_length=60)
    round = serializers.IntegerField(required=False, allow_null=True, default=None)
    questions = QuestionInSerializer(many=True)


class SurveyCreatedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    token = serializers.CharField(help_text=_("公开链接码：/wenjuan/{token}/"))


class QuestionOutSerializer(serializers.Serializer[SurveyQuestion]):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]
    options = serializers.ListField(child=serializers.CharField())
    items = serializers.ListField(child=serializers.CharField())
    scale_max = serializers.IntegerField()
    show_if = serializers.IntegerField(source="show_if_id", allow_null=True)
    show_if_choice = serializers.IntegerField(allow_null=True)


class PublicSurveySerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    intro = serializers.CharField()
    anonymous = serializers.BooleanField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    questions = QuestionOutSerializer(many=True)


class ResponseInSerializer(FieldsBoundOnce):
    unit_code = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=32,
        help_text=_("二维码的单位代码（可选）"),
    )
    employee_no = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=32, help_text=_("实名问卷：工号")
    )
    name = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=50, help_text=_("实名问卷：姓名")
    )
    answers = serializers.DictField(
        help_text=_(
            "题目编号 → 答案：单选、量表为编号或分数；多选为编号列表；矩阵为各评价项目分数的列表"
            "（或 {项目编号: 分数}）；文字题为文本。"
        )
    )


class ResponseOutSerializer(serializers.Serializer[Any]):
    received = serializers.BooleanField()


class OptionOutSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    n = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class ItemOutSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    answered = serializers.IntegerField()
    counts = serializers.ListField(child=serializers.IntegerField())
    average = serializers.FloatField(allow_null=True)
    previous = serializers.FloatField(allow_null=True)


class QuestionResultSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(source="question.pk")
    position = serializers.IntegerField(source="question.position")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField(source="question.kind")
    answered = serializers.IntegerField()
    options = OptionOutSerializer(many=True)
    items = ItemOutSerializer(many=True)


class UnitRowSerializer(serializers.Serializer[Any]):
    unit_code = serializers.SerializerMethodField()
    unit_name = serializers.SerializerMethodField()
    responses = serializers.IntegerField()
    headcount = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    rolled_units = serializers.IntegerField(source="rolled")
    averages = serializers.ListField(child=serializers.FloatField(allow_null=True))

    def get_unit_code(self, row: Any) -> str:
        unit: OrgUnit | None = row.unit
        return unit.code if unit else ""

    def get_unit_name(self, row: Any) -> str:
        unit: OrgUnit | None = row.unit
        return unit.name if unit else ""


class ResultsSerializer(serializers.Serializer[Results]):
    id = serializers.IntegerField(source="survey.pk")
    title = serializers.CharField(source="survey.title")
    responses = serializers.IntegerField()
    headcount = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True, help_text=_("满意度得分（百分制）"))
    previous_round = serializers.IntegerField(
        source="previous.round", allow_null=True, default=None
    )
    previous_satisfaction = serializers.FloatField(allow_null=True)
    min_group = serializers.IntegerField(
        source="k", help_text=_("单独列出一个单位所需的最少答卷数")
    )
    questions = QuestionResultSerializer(many=True)
    units = UnitRowSerializer(many=True)


class SurveysView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="surveys_create",
        summary=_("新建调查问卷"),
        description=_(
            "在您有权管理的单位（含下属单位）新建问卷及其题目，返回编号和公开链接码。"
            "题目有误时返回 400 并指出第几题，不写入任何内容。"
        ),
        request=SurveyCreateSerializer,
        responses={201: SurveyCreatedSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = SurveyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        unit = org_selectors.unit_get_for(actor=request.user, code=data["unit_code"])
        survey = services.survey_create(
            actor=request.user,
            data=services.SurveyData(
                title=data["title"],
                intro=data["intro"],
                unit=unit,
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                anonymous=data["anonymous"],
                series=data["series"],
                round=data["round"],
            ),
            questions=[QuestionData(**question) for question in data["questions"]],
        )
        return Response({"id": survey.pk, "token": survey.token}, status=status.HTTP_201_CREATED)


class PublicSurveyView(APIView):
    authentication_classes = []  # public: no account is ever attached to a response
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="surveys_public_read",
        summary=_("读取问卷（公开）"),
        description=_("无需登录。按链接码读取问卷的说明和题目。"),
        parameters=[TOKEN],
        responses={200: PublicSurveySerializer, **error_responses(404)},
        auth=[],
        tags=TAGS,
    )
    def get(self, request: Request, token: str) -> Response:
        survey = selectors.survey_for_token(token)
        data = PublicSurveySerializer(
            {
                "title": survey.title,
                "intro": survey.intro,
                "anonymous": survey.anonymous,
                "opens_on": survey.opens_on,
                "closes_on": survey.closes_on,
                "questions": selectors.questions_of(survey),
            }
        ).data
        return Response(data)


class ResponsesView(LeanAPIView):
    authentication_classes = []  # public: no account is ever attached to a response
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="surveys_respond",
        summary=_("提交答卷（公开）"),
        description=_(
            "无需登录。匿名问卷不记录姓名、工号、账号、网络地址或设备信息；unit_code 为扫码单位。"
            "问卷未开放或已截止、必答题未答、答案不在选项之中时返回 400 并说明原因，"
            "不写入任何内容。"
            "每个客户端每小时的提交次数有限（429）。"
        ),
        parameters=[TOKEN],
        request=ResponseInSerializer,
        responses={
            201: ResponseOutSerializer,
            **error_responses(400, 429),
            404: OpenApiResponse(ErrorSerializer, description=_("找不到该问卷。")),
        },
        auth=[],
        tags=TAGS,
    )
    def post(self, request: Request, token: str) -> Response:
        survey = selectors.survey_for_token(token)
        body = ResponseInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with limits.response_slot(request._request) as slot:
            if slot.over:
                raise Throttled(wait=slot.retry_after)
            respondent = None
            if not survey.anonymous:
                respondent = services.Respondent(employee_no=data["employee_no"], name=data["name"])
            services.response_submit(
                survey=survey,
                answers=data["answers"],
                unit_code=data["unit_code"] or None,
                respondent=respondent,
            )
            slot.keep()
        return Response({"received": True}, status=status.HTTP_201_CREATED)


class ResultsView(APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="surveys_results",
        summary=_("问卷结果"),
        description=_(
            "各题各选项的人数和占比（不含选项组合）、量表平均分及与上一轮的比较、"
            "各单位答卷数与参与率（答卷不足 min_group 份的单位计入上级单位一行）。"
        ),
        parameters=[SURVEY_ID],
        responses={200: ResultsSerializer, **error_responses(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, survey_id: int) -> Response:
        survey = selectors.survey_get_for(actor=request.user, survey_id=survey_id)
        found = selectors.results_for(actor=request.user, survey=survey)
        return Response(ResultsSerializer(found).data)


v1_urls: list[URLPattern | URLResolver] = [
    path("surveys", SurveysView.as_view(), name="surveys"),
    path("surveys/<int:survey_id>/results", ResultsView.as_view(), name="survey_results"),
    path("surveys/<str:token>", PublicSurveyView.as_view(), name="survey_public"),
    path("surveys/<str:token>/responses", ResponsesView.as_view(), name="survey_responses"),
]
