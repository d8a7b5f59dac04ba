"""API endpoints of proposals; ``v1_urls`` is included under /api/v1/.

The public intake (by name, ``Idempotency-Key`` honoured) answers the proposal number and the
receipt code once. The list and each step are scoped: a proposal the caller may not see answers
404 like a missing one, a step its state does not allow 409 (or 400 with the reason), bad input
400 with the fields, and nothing is written.
"""

from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.cases.api.common import no_store
from xinsheng.cases.intake import limits as intake_limits
from xinsheng.core.errors import InvalidInput
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person
from xinsheng.proposals import implementation, rewards, selectors, services
from xinsheng.proposals.choices import Channel, Decision, ProposalStatus
from xinsheng.proposals.models import Proposal

TAGS = ["proposals"]
Handler = Callable[..., Response]
LIST_MAX = 500
PROPOSAL_NO = OpenApiParameter(
    "proposal_no", str, OpenApiParameter.PATH, description=_("建议编号，如 JY2026-00012")
)
STATE = OpenApiResponse(ErrorSerializer, description=_("建议当前状态不允许这一步（conflict）。"))


# --- serializers ----------------------------------------------------------------------------------


class CoAuthorInSerializer(serializers.Serializer[Any]):
    employee_no = serializers.CharField(max_length=32)
    share = serializers.IntegerField(help_text=_("份额（%），1至100；含建议人本人，合计100"))


class ProposalIntakeSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=100, allow_blank=True)
    problem = serializers.CharField(max_length=2000, allow_blank=True, help_text=_("存在问题"))
    measure = serializers.CharField(max_length=2000, allow_blank=True, help_text=_("建议措施"))
    benefit = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=1000, help_text=_("预期效益")
    )
    estimated_savings = serializers.CharField(
        required=False, allow_null=True, default=None, help_text=_("预计创效（元）")
    )
    category = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=20, help_text=_("类别")
    )
    name = serializers.CharField(max_length=50, help_text=_("建议人姓名（实名）"))
    employee_no = serializers.CharField(max_length=32, help_text=_("建议人工号"))
    co_authors = CoAuthorInSerializer(
        many=True, required=False, default=None, allow_null=True, help_text=_("署名人及份额")
    )


class ProposalSubmittedSerializer(serializers.Serializer[Any]):
    proposal_no = serializers.CharField(help_text=_("建议编号。"))
    receipt_code = serializers.CharField(
        help_text=_("查询码：凭它查询评审、采纳、实施和奖励情况，只显示这一次，请妥善保存。")
    )


class CoAuthorSerializer(serializers.Serializer[Any]):
    employee_no = serializers.CharField(source="person.employee_no")
    name = serializers.CharField(source="person.name")
    share = serializers.IntegerField()


class AssessmentSerializer(serializers.Serializer[Any]):
    evaluator_employee_no = serializers.CharField(source="evaluator.employee_no")
    evaluator_name = serializers.CharField(source="evaluator.name")
    total = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()
    scored_at = serializers.DateTimeField(allow_null=True)


class RewardPaymentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text=_("发放记录编号（冲销时用）"))
    employee_no = serializers.CharField(source="person.employee_no")
    name = serializers.CharField(source="person.name")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("元；冲销记录为负数")
    )
    paid_on = serializers.DateField()
    reverses = serializers.IntegerField(
        source="reverses_id", allow_null=True, help_text=_("冲销记录所冲销的发放记录编号")
    )
    note = serializers.CharField(help_text=_("冲销原因"))


class ProposalSerializer(serializers.Serializer[Proposal]):
    """A proposal as its staff see it."""

    proposal_no = serializers.CharField()
    window_id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    problem = serializers.CharField()
    measure = serializers.CharField()
    benefit = serializers.CharField()
    estimated_savings = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=_("元")
    )
    status = EnumField(ProposalStatus)
    status_label = serializers.CharField(source="get_status_display")
    channel = EnumField(Channel)
    unit_code = serializers.CharField(source="unit.code")
    proposer_employee_no = serializers.CharField(source="proposer.employee_no")
    proposer_name = serializers.CharField(source="proposer.name")
    submitted_at = serializers.DateTimeField()
    co_authors = CoAuthorSerializer(many=True)
    assessments = AssessmentSerializer(many=True, source="assignments")
    decision = serializers.CharField(
        help_text=_("adopted、partly_adopted、deferred、rejected 或空")
    )
    decision_reason = serializers.CharField()
    owner_unit_code = serializers.CharField(source="owner_unit.code", allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    actual_savings = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    reward_tier = serializers.CharField()
    reward_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    notice_until = serializers.DateField(allow_null=True)
    payments = RewardPaymentSerializer(many=True, help_text=_("奖励发放记录（只追加），最新在前"))


class AssignSerializer(serializers.Serializer[Any]):
    evaluator_employee_nos = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        default=list,
        help_text=_(
            "评审人工号（评审委员会成员或该类别的评审专家）；不填时交该类别的评审专家，"
            "未设专家的交评审委员会"
        ),
    )


class ScoreSerializer(serializers.Serializer[Any]):
    scores = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("评审标准代码 → 得分（0至该项满分的整数）")
    )
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=500)


class DecideSerializer(serializers.Serializer[Any]):
    decision = EnumField(Decision)
    reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=500,
        help_text=_("暂缓、不予采纳或委员会提前决定时必填；建议人可见"),
    )
    override = serializers.BooleanField(
        required=False, default=False, help_text=_("评审未完成时由委员会决定（须写明理由）")
    )


class ImplementSerializer(serializers.Serializer[Any]):
    owner_unit_code = serializers.CharField(max_length=32, help_text=_("实施单位代码"))
    due_date = serializers.CharField(help_text=_("完成时限（年-月-日）"))


class ProgressSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=500, allow_blank=True)


class VerifySerializer(serializers.Serializer[Any]):
    actual_savings = serializers.CharField(
        required=False, allow_null=True, default=None, help_text=_("实际创效（元）")
    )


class RewardSerializer(serializers.Serializer[Any]):
    tier = serializers.CharField(max_length=20, help_text=_("本活动设定的奖励等级（代码或名称）"))


class RewardReverseSerializer(serializers.Serializer[Any]):
    payment_id = serializers.IntegerField(help_text=_("要冲销的发放记录编号（见 payments）"))
    reason = serializers.CharField(max_length=300, allow_blank=True, help_text=_("冲销原因"))


class EmptySerializer(serializers.Serializer[Any]):
    pass


# --- views ----------------------------------------------------------------------------------------


def _answer(request: Request, proposal_no: str, code: int = 200) -> Response:
    proposal = selectors.proposal_get_for(actor=request.user, proposal_no=proposal_no)
    return Response(ProposalSerializer(proposal).data, status=code)


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return None
    if len(key) > 100 or not key.isascii() or not key.isprintable():
        message = gettext("Idempotency-Key 须为不超过100个可打印 ASCII 字符。")
        raise InvalidInput(message, fields={"Idempotency-Key": [message]})
    return key


class IntakeView(APIView):
    """A unit's public proposal intake, by name: the same rules as its QR page's tab."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="proposals_intake",
        summary=_("提交合理化建议（公开，实名）"),
        description=_(
            "无需登录。按单位代码实名提交一条合理化建议，进入该单位所在的正在征集的活动。"
            "署名人份额须含建议人本人且合计100。同一单位、同一 Idempotency-Key、内容相同的"
            "重复提交只生成一条建议，并返回同一编号和查询码（200）；同一键用于内容不同的提交时"
            "拒绝受理（422，idempotency_key_reused），不写入任何内容。"
        ),
        request=ProposalIntakeSerializer,
        parameters=[
            OpenApiParameter("unit_code", str, OpenApiParameter.PATH, description=_("单位代码")),
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=_("客户端为每条建议生成的随机串（不超过100个可打印 ASCII 字符）。"),
            ),
        ],
        responses={
            201: ProposalSubmittedSerializer,
            200: OpenApiResponse(ProposalSubmittedSerializer, description=_("重复提交。")),
            **error_responses(400, 429),
            404: OpenApiResponse(
                ErrorSerializer, description=_("找不到该单位（unit_not_found）。")
            ),
            422: OpenApiResponse(
                ErrorSerializer, description=_("该 Idempotency-Key 已用于内容不同的提交。")
            ),
        },
        auth=[],
        tags=TAGS,
    )
    def post(self, request: Request, unit_code: str) -> Response:
        key = _idempotency_key(request)
        limit = intake_limits.limit_check(request._request, intake_limits.INTAKE)
        if limit.exceeded:
            raise Throttled(wait=limit.retry_after)
        body = ProposalIntakeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        draft = services.Draft(
            title=data["title"],
            problem=data["problem"],
            measure=data["measure"],
            benefit=data["benefit"],
            estimated_savings=data["estimated_savings"],
            category=data["category"],
            co_authors=[dict(row) for row in data["co_authors"]] if data["co_authors"] else None,
        )
        done = services.proposal_submit_at(
            unit_code=unit_code,
            draft=draft,
            name=data["name"],
            employee_no=data["employee_no"],
            channel=Channel.API,
            intake_key=key,
        )
        if done.created:
            intake_limits.limit_count(request._request, intake_limits.INTAKE)
        answer = {"proposal_no": done.proposal.proposal_no, "receipt_code": done.receipt_code}
        return no_store(Response(answer, status=201 if done.created else 200))


class ProposalsView(APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="proposals_list",
        summary=_("合理化建议列表"),
        description=_("您范围内的建议（及分配给您评审的），最新在前，最多500条。"),
        parameters=[
            OpenApiParameter("window", int, description=_("征集活动编号")),
            OpenApiParameter("unit", str, description=_("单位代码（含下级）")),
            OpenApiParameter("status", str, enum=ProposalStatus.values, description=_("状态")),
        ],
        responses={200: ProposalSerializer(many=True), **error_responses(400, 401)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        actor = request.user
        filters: dict[str, Any] = {}
        window = str(request.query_params.get("window", "")).strip()
        if window:
            if not window.isdigit():
                message = gettext("征集活动编号须为整数。")
                raise InvalidInput(message, fields={"window": [message]})
            filters["window"] = selectors.window_get_for(actor=actor, window_id=int(window))
        unit = str(request.query_params.get("unit", "")).strip()[:32]
        if unit:
            filters["unit"] = OrgUnit.objects.filter(code=unit).first()
            if filters["unit"] is None:
                message = gettext("找不到该单位。")
                raise InvalidInput(message, fields={"unit": [message]})
        state = str(request.query_params.get("status", "")).strip()
        if state:
            if state not in ProposalStatus.values:
                message = gettext("状态无效。")
                raise InvalidInput(message, fields={"status": [message]})
            filters["status"] = state
        proposals = (
            selectors.proposal_list_for(actor=actor, **filters)
            .select_related("owner_unit")
            .prefetch_related("co_authors__person", "assignments__evaluator", "payments__person")[
                :LIST_MAX
            ]
        )
        rows: Any = proposals
        return Response(ProposalSerializer(rows, many=True).data)


class ProposalView(APIView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="proposals_read",
        summary=_("合理化建议"),
        parameters=[PROPOSAL_NO],
        responses={200: ProposalSerializer, **error_responses(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, proposal_no: str) -> Response:
        return _answer(request, proposal_no)


def _step_schema(
    operation: str, summary: Any, body: Any, description: Any = ""
) -> Callable[[Handler], Handler]:
    return extend_schema(
        operation_id=f"proposals_{operation}",
        summary=summary,
        description=description,
        parameters=[PROPOSAL_NO],
        request=body,
        responses={200: ProposalSerializer, **error_responses(400, 401, 403, 404), 409: STATE},
        tags=TAGS,
    )


class StepView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    body: type[serializers.Serializer[Any]] = EmptySerializer

    def post(self, request: Request, proposal_no: str) -> Response:
        body = self.body(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = selectors.proposal_get_for(actor=request.user, proposal_no=proposal_no)
        self.step(request, proposal, body.validated_data)
        return _answer(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        raise NotImplementedError


class AssignView(StepView):
    body = AssignSerializer

    @_step_schema("assign", _("分配评审"), AssignSerializer)
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        numbers = data["evaluator_employee_nos"]
        people = list(Person.objects.filter(employee_no__in=numbers))
        missing = sorted(set(numbers) - {person.employee_no for person in people})
        if missing:
            message = gettext("找不到工号为%(nos)s的职工。") % {"nos": "、".join(missing)}
            raise InvalidInput(message, fields={"evaluator_employee_nos": [message]})
        services.evaluators_assign(actor=request.user, proposal=proposal, evaluators=people or None)


class ScoreView(StepView):
    body = ScoreSerializer

    @_step_schema("score", _("评审打分"), ScoreSerializer, _("仅限分配给本人的建议。"))
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        services.proposal_score(
            actor=request.user, proposal=proposal, scores=data["scores"], comment=data["comment"]
        )


class DecideView(StepView):
    body = DecideSerializer

    @_step_schema(
        "decide",
        _("评审决定"),
        DecideSerializer,
        _("评审全部完成后作出；否则须委员会决定并写明理由。"),
    )
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        services.proposal_decide(
            actor=request.user,
            proposal=proposal,
            decision=data["decision"],
            reason=data["reason"],
            override=data["override"],
        )


class ImplementView(StepView):
    body = ImplementSerializer

    @_step_schema("implement", _("安排实施"), ImplementSerializer, _("仅限已采纳的建议。"))
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        code = data["owner_unit_code"].strip()
        unit = permissions.units_for(request.user, "proposal.implement").filter(code=code).first()
        if unit is None:
            message = gettext("找不到该实施单位，或您不能为其安排实施。")
            raise InvalidInput(message, fields={"owner_unit_code": [message]})
        implementation.proposal_implement(
            actor=request.user, proposal=proposal, owner_unit=unit, due_date=data["due_date"]
        )


class ProgressView(StepView):
    body = ProgressSerializer

    @_step_schema("progress", _("填报实施进展"), ProgressSerializer)
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        implementation.progress_add(actor=request.user, proposal=proposal, text=data["text"])


class VerifyView(StepView):
    body = VerifySerializer

    @_step_schema("verify", _("验收实施"), VerifySerializer)
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        implementation.proposal_verify(
            actor=request.user, proposal=proposal, actual_savings=data["actual_savings"]
        )


class RewardView(StepView):
    body = RewardSerializer

    @_step_schema(
        "reward", _("评定奖励并公示"), RewardSerializer, _("等级须为本活动设定的等级之一。")
    )
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        rewards.reward_propose(actor=request.user, proposal=proposal, tier=data["tier"])


class PayView(StepView):
    @_step_schema(
        "pay", _("发放奖励"), EmptySerializer, _("公示期满后按署名人份额发放，记录只追加。")
    )
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        rewards.reward_pay(actor=request.user, proposal=proposal)


class ReverseView(StepView):
    body = RewardReverseSerializer

    @_step_schema(
        "reverse",
        _("冲销奖励发放"),
        RewardReverseSerializer,
        _("追加一笔负数记录冲销指定的发放记录，原记录保留；每笔发放只能冲销一次，须写明原因。"),
    )
    def post(self, request: Request, proposal_no: str) -> Response:
        return super().post(request, proposal_no)

    def step(self, request: Request, proposal: Proposal, data: dict[str, Any]) -> None:
        payment = proposal.payments.filter(pk=data["payment_id"]).first()
        if payment is None:
            message = gettext("该建议没有这笔奖励发放记录。")
            raise InvalidInput(message, fields={"payment_id": [message]})
        rewards.reward_reverse(actor=request.user, payment=payment, reason=data["reason"])


STEPS: dict[str, type[StepView]] = {
    "assign": AssignView,
    "score": ScoreView,
    "decide": DecideView,
    "implement": ImplementView,
    "progress": ProgressView,
    "verify": VerifyView,
    "reward": RewardView,
    "pay": PayView,
    "reverse": ReverseView,
}

v1_urls: list[URLPattern | URLResolver] = [
    path("units/<str:unit_code>/proposals", IntakeView.as_view(), name="api-proposals-intake"),
    path("proposals", ProposalsView.as_view(), name="api-proposals"),
    path("proposals/<str:proposal_no>", ProposalView.as_view(), name="api-proposal"),
    *(
        path(
            f"proposals/<str:proposal_no>/{action}",
            view.as_view(),
            name=f"api-proposal-{action}",
        )
        for action, view in STEPS.items()
    ),
]
