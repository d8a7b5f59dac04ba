"""The quiz endpoints; ``v1_urls`` is included under /api/v1/.

Taking part is public (no account): an employee starts an attempt at a round with their
employee number and name, and submits its answers by the attempt's id; the server draws,
scores and times. Every public request counts against the client's hourly allowance (429).
The leaderboard is public too, with names only where the organiser chose to show them (staff
who may see the campaign get them always).
"""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.lean import FieldsBoundOnce, LeanAPIView, LeanJSONParser
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.engage.quizzes import (
    bank,
    boards,
    boards_selectors,
    bodies,
    leaderboards,
    limits,
    selectors,
    services,
)
from xinsheng.engage.quizzes.choices import QuestionKind
from xinsheng.engage.quizzes.names import shown_name

TAGS = ["quizzes"]
ROUND_ID = OpenApiParameter("round_id", int, OpenApiParameter.PATH, description=_("答题轮次编号"))
BOARD_MAX = 100
EMPLOYEE_NO_MAX = 32
NAME_MAX = 50


def _counted(request: Request) -> None:
    limit = limits.limit_count(request._request)
    if limit.over:
        raise Throttled(wait=limit.retry_after)


def _no_store(response: Response) -> Response:
    response["Cache-Control"] = "no-store"
    return response


class StartSerializer(FieldsBoundOnce):
    employee_no = serializers.CharField(max_length=EMPLOYEE_NO_MAX, help_text=_("工号"))
    name = serializers.CharField(max_length=NAME_MAX, help_text=_("姓名，须与工号一致"))


def _start_fields(request: Request) -> tuple[str, str]:
    """Return the employee number and name of a start's body as ``StartSerializer`` validates
    them (a plain body read directly, any other through the serializer and its errors)."""
    data = bodies.json_body(request)
    if isinstance(data, dict):
        number = bodies.plain_text(data.get("employee_no"), EMPLOYEE_NO_MAX)
        name = bodies.plain_text(data.get("name"), NAME_MAX)
        if number is not None and name is not None:
            return number, name
    body = StartSerializer(data=data)
    body.is_valid(raise_exception=True)
    return body.validated_data["employee_no"], body.validated_data["name"]


class QuestionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = EnumField(QuestionKind)
    options = serializers.ListField(
        child=serializers.CharField(), help_text=_("选项，依次为 A、B、C……")
    )


class StartedSerializer(serializers.Serializer[Any]):
    attempt_id = serializers.CharField(help_text=_("本次答题的编号，交卷时使用"))
    number = serializers.IntegerField(help_text=_("本轮第几次答题"))
    attempts_allowed = serializers.IntegerField()
    seconds_left = serializers.IntegerField(help_text=_("距交卷截止的秒数（由服务器计时）"))
    questions = QuestionSerializer(many=True)


class SubmitSerializer(FieldsBoundOnce):
    answers = serializers.DictField(
        help_text=_('题目编号 → 所选选项的字母，如 "B"；多选题如 "ACD" 或 ["A", "C"]')
    )


def _submitted_answers(request: Request) -> dict[str, Any]:
    """Return the answers of a submission's body as ``SubmitSerializer`` validates them."""
    data = bodies.json_body(request)
    answers = bodies.plain_answers(data)
    if answers is not None:
        return answers
    body = SubmitSerializer(data=data)
    body.is_valid(raise_exception=True)
    return body.validated_data["answers"]  # type: ignore[no-any-return]


class ScoredSerializer(serializers.Serializer[Any]):
    score = serializers.IntegerField(help_text=_("得分（百分制）"))
    correct = serializers.IntegerField(help_text=_("答对题数"))
    total = serializers.IntegerField(help_text=_("题目总数"))
    seconds = serializers.IntegerField(help_text=_("用时（秒），由服务器从开始答题时计"))


class BoardRowSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    name = serializers.CharField(help_text=_("未选择公开姓名时只显示姓氏"))
    unit = serializers.CharField()
    score = serializers.IntegerField()
    correct = serializers.IntegerField()
    seconds = serializers.IntegerField()


class BoardSerializer(serializers.Serializer[Any]):
    round = serializers.CharField(help_text=_("轮次名称"))
    people = serializers.IntegerField(help_text=_("参加人数"))
    rows = BoardRowSerializer(many=True, help_text=_("前100名：得分高者在前，同分用时少者在前"))


class AttemptsView(LeanAPIView):
    authentication_classes = []  # public: employees take part without an account
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    parser_classes = [LeanJSONParser]

    @extend_schema(
        operation_id="quizzes_attempts_create",
        summary=_("开始答题（公开）"),
        description=_(
            "无需登录。凭工号和姓名开始一次答题，返回随机抽取的题目（不含答案）。"
            "不在答题时间内、超过可答次数、工号与姓名不符或不在参加范围内时返回 400，"
            "不写入任何内容；尚未交卷且未超时的答题再次开始时返回同一次答题。"
        ),
        parameters=[ROUND_ID],
        request=StartSerializer,
        responses={
            201: StartedSerializer,
            **error_responses(400, 404, 429),
        },
        auth=[],
        tags=TAGS,
    )
    def post(self, request: Request, round_id: int) -> Response:
        _counted(request)
        employee_no, name = _start_fields(request)
        started = services.attempt_start_at(round_id=round_id, employee_no=employee_no, name=name)
        attempt, quiz_round = started.attempt, started.quiz_round
        deadline = services.attempt_deadline(attempt, quiz_round)
        answer = {
            "attempt_id": attempt.key,
            "number": attempt.number,
            "attempts_allowed": quiz_round.attempts_allowed,
            "seconds_left": max(0, int((deadline - timezone.now()).total_seconds())),
            "questions": bank.shown_questions(
                attempt.questions, quiz_round.campaign.unit, bank=started.bank
            ),
        }
        return _no_store(Response(answer, status=status.HTTP_201_CREATED))


class AttemptView(LeanAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    parser_classes = [LeanJSONParser]

    @extend_schema(
        operation_id="quizzes_attempts_submit",
        summary=_("交卷（公开）"),
        description=_(
            "无需登录。提交答案，由服务器评分并计时（从开始答题时起）。"
            "超过时限、已交卷、答案不在选项之内时返回 400，不写入任何内容。"
            "正确答案和解析在本轮结束后才公布。"
        ),
        parameters=[
            OpenApiParameter(
                "attempt_id", str, OpenApiParameter.PATH, description=_("开始答题时返回的编号")
            )
        ],
        request=SubmitSerializer,
        responses={200: ScoredSerializer, **error_responses(400, 429)},
        auth=[],
        tags=TAGS,
    )
    def post(self, request: Request, attempt_id: str) -> Response:
        _counted(request)
        scored = services.attempt_submit(key=attempt_id, answers=_submitted_answers(request))
        answer = {
            "score": scored.score,
            "correct": scored.correct,
            "total": len(scored.attempt.questions),
            "seconds": scored.seconds,
        }
        return _no_store(Response(answer))


class LeaderboardView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="quizzes_leaderboard",
        summary=_("答题排行榜"),
        description=_(
            "本轮每人最好的一次成绩，得分高者在前，同分用时少者在前。"
            "组织者未选择公开姓名时只显示姓氏（工作人员也一样，与排行榜页面和导出一致）。"
            "从不包含任何人的答案。未登录时计入每小时的请求次数。"
        ),
        parameters=[ROUND_ID],
        responses={
            200: BoardSerializer,
            **error_responses(401, 429),
            404: OpenApiResponse(ErrorSerializer, description=_("没有这一轮答题（not_found）。")),
        },
        tags=TAGS,
    )
    def get(self, request: Request, round_id: int) -> Response:
        if not request.user.is_authenticated:
            _counted(request)
        quiz_round = selectors.round_public_get(round_id)
        board = leaderboards.round_board(quiz_round)
        rows = [
            {
                "rank": row.rank,
                "name": shown_name(row.person.name, full=quiz_round.show_names),
                "unit": row.person.unit.name,
                "score": row.score,
                "correct": row.correct,
                "seconds": row.seconds,
            }
            for row in board[:BOARD_MAX]
        ]
        return Response({"round": quiz_round.title, "people": len(board), "rows": rows})


v1_urls: list[URLPattern | URLResolver] = [
    path("quizzes/<int:round_id>/attempts", AttemptsView.as_view(), name="api-quiz-attempts"),
    path("quiz-attempts/<str:attempt_id>", AttemptView.as_view(), name="api-quiz-attempt"),
    path(
        "quizzes/<int:round_id>/leaderboard",
        LeaderboardView.as_view(),
        name="api-quiz-leaderboard",
    ),
]


# --- A campaign's board across its rounds (public, as its page under /dati/ shows it) -----------
# (Its imports stay with it, so that this block reads, and merges, on its own.)

CAMPAIGN_ID = OpenApiParameter(
    "campaign_id", int, OpenApiParameter.PATH, description=_("答题活动编号")
)


class CampaignBoardRowSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    name = serializers.CharField(help_text=_("未选择公开姓名时只显示姓氏"))
    unit = serializers.CharField()
    rounds = serializers.IntegerField(help_text=_("参加轮次"))
    score = serializers.IntegerField(help_text=_("各轮最好成绩之和"))
    seconds = serializers.IntegerField(help_text=_("各轮最好成绩的用时之和（秒）"))


class CampaignUnitRowSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField()
    headcount = serializers.IntegerField(help_text=_("在职人数"))
    people = serializers.IntegerField(help_text=_("参加人数"))
    attempts = serializers.IntegerField(help_text=_("答题人次"))
    rate = serializers.IntegerField(allow_null=True, help_text=_("参与率（百分比）"))
    average = serializers.FloatField(allow_null=True, help_text=_("参加者最好成绩的平均分"))


class CampaignExpertSerializer(serializers.Serializer[Any]):
    rank = serializers.IntegerField()
    name = serializers.CharField(help_text=_("答题达人是表彰名单，显示姓名（不含工号）"))
    unit = serializers.CharField()
    passed_rounds = serializers.IntegerField(help_text=_("达标轮次"))
    average = serializers.FloatField(help_text=_("参加各轮的平均分"))


class CampaignBoardSerializer(serializers.Serializer[Any]):
    campaign = serializers.CharField(help_text=_("活动名称"))
    people = serializers.IntegerField(help_text=_("参加人数"))
    rows = CampaignBoardRowSerializer(
        many=True, help_text=_("前50名：总分高者在前，同分总用时少者在前")
    )
    units = CampaignUnitRowSerializer(many=True, help_text=_("单位排行：参与率高者在前"))
    experts = CampaignExpertSerializer(many=True, help_text=_("答题达人（最多500名）"))
    expert_count = serializers.IntegerField(help_text=_("答题达人人数"))


class CampaignLeaderboardView(LeanAPIView):
    authentication_classes = []  # public: what the campaign's page under /dati/ shows
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="quizzes_campaign_leaderboard",
        summary=_("答题活动总排行榜（公开）"),
        description=_(
            "无需登录，与活动的公开排行榜页面一致：各轮最好成绩相加，总分高者在前，"
            "同分总用时少者在前；单位按参与率排列；答题达人名单。"
            "组织者未选择公开姓名时个人排行只显示姓氏；从不包含工号和任何人的答案。"
            "尚无开始的轮次时返回 404。每次请求计入每小时的请求次数；结果缓存约半分钟。"
        ),
        parameters=[CAMPAIGN_ID],
        responses={
            200: CampaignBoardSerializer,
            **error_responses(429),
            404: OpenApiResponse(ErrorSerializer, description=_("没有这一答题活动（not_found）。")),
        },
        auth=[],
        tags=TAGS,
    )
    def get(self, request: Request, campaign_id: int) -> Response:
        _counted(request)
        campaign = boards_selectors.campaign_board_get(campaign_id, now=timezone.now())
        board = boards.campaign_board(campaign)
        answer = {
            "campaign": campaign.title,
            "people": board.people,
            "rows": [
                {
                    "rank": line.rank,
                    "name": line.name,
                    "unit": line.unit,
                    "rounds": line.rounds,
                    "score": line.score,
                    "seconds": line.seconds,
                }
                for line in board.lines
            ],
            "units": [
                {
                    "unit": unit.name,
                    "headcount": unit.headcount,
                    "people": unit.people,
                    "attempts": unit.attempts,
                    "rate": unit.rate,
                    "average": unit.average,
                }
                for unit in board.units
            ],
            "experts": [
                {
                    "rank": expert.rank,
                    "name": expert.name,
                    "unit": expert.unit,
                    "passed_rounds": expert.passed_rounds,
                    "average": expert.average,
                }
                for expert in board.experts
            ],
            "expert_count": board.expert_count,
        }
        return Response(answer)


v1_urls.append(
    path(
        "quiz-campaigns/<int:campaign_id>/leaderboard",
        CampaignLeaderboardView.as_view(),
        name="api-quiz-campaign-leaderboard",
    )
)
