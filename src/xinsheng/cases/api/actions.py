"""Every step of the loop as an endpoint, derived from the table of steps (``cases.steps``)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import ErrorSerializer
from xinsheng.cases import selectors, services, steps, workflow
from xinsheng.cases.api.common import DATE_FORMATS, INVALID_CHOICE
from xinsheng.cases.api.ledger import CASE_NO_PARAMETER, CaseDetailSerializer, case_detail_data
from xinsheng.cases.choices import (
    Urgency,
)
from xinsheng.cases.models import Case, Category
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit

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
