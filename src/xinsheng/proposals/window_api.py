"""API endpoints of collection windows (征集活动); ``v1_urls`` is included under /api/v1/.

The list is scoped like the windows page. A window is opened through ``window_create`` and
changed through ``window_update``: what the services refuse (bad dates, a rubric already
scored, a tier already awarded, a category in use) answers 400 with their Chinese message and
the field, and nothing is written. A change names only the fields it changes.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.schema import error_responses
from xinsheng.core.errors import InvalidInput
from xinsheng.org.models import OrgUnit, Person
from xinsheng.proposals import selectors, services
from xinsheng.proposals.models import CategoryExpert, Window

TAGS = ["proposals"]
WINDOW_ID = OpenApiParameter("window_id", int, OpenApiParameter.PATH, description=_("征集活动编号"))


class RubricCriterionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=20, help_text=_("代码，如 innovation"))
    name = serializers.CharField(max_length=20, help_text=_("名称，如 创新性"))
    max = serializers.IntegerField(help_text=_("满分，1至100"))


class RewardTierSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=20, help_text=_("代码，如 first"))
    name = serializers.CharField(max_length=20, help_text=_("名称，如 一等奖"))
    amount = serializers.CharField(max_length=20, help_text=_("奖金（元），如 3000.00"))


class ProposalWindowSerializer(serializers.Serializer[Window]):
    """A collection window as its staff see it."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    unit_code = serializers.CharField(source="unit.code", help_text=_("征集范围（单位代码）"))
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    is_open = serializers.SerializerMethodField(help_text=_("今天是否在征集"))
    categories = serializers.ListField(child=serializers.CharField())
    criteria = RubricCriterionSerializer(many=True, help_text=_("评审标准"))
    tiers = RewardTierSerializer(many=True, help_text=_("奖励等级"))
    committee = serializers.SerializerMethodField(help_text=_("评审委员会成员的工号"))
    experts = serializers.SerializerMethodField(help_text=_("类别 → 该类别评审专家的工号"))
    notice_days = serializers.IntegerField(help_text=_("公示天数"))
    note = serializers.CharField()

    def get_is_open(self, window: Window) -> bool:
        return window.is_open_on(timezone.localdate())

    def get_committee(self, window: Window) -> list[str]:
        return sorted(person.employee_no for person in window.committee.all())

    def get_experts(self, window: Window) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for row in window.experts.all():
            found.setdefault(row.category, []).append(row.person.employee_no)
        return found


class ProposalWindowWriteSerializer(serializers.Serializer[Any]):
    """A window to open, or (with only the fields named) the changes to one."""

    title = serializers.CharField(max_length=100, allow_blank=True, help_text=_("活动名称"))
    unit_code = serializers.CharField(max_length=32, help_text=_("征集范围（单位代码）"))
    opens_on = serializers.CharField(max_length=20, help_text=_("开始日期（年-月-日）"))
    closes_on = serializers.CharField(max_length=20, help_text=_("截止日期（年-月-日）"))
    categories = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text=_("类别；不填时为默认的五类"),
    )
    criteria = serializers.ListField(
        child=serializers.DictField(), help_text=_("评审标准：[{code, name, max}]")
    )
    tiers = serializers.ListField(
        child=serializers.DictField(), help_text=_("奖励等级：[{code, name, amount}]")
    )
    committee = serializers.ListField(
        child=serializers.CharField(max_length=32),
        required=False,
        help_text=_("评审委员会成员的工号"),
    )
    experts = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=32)),
        required=False,
        help_text=_("类别 → 该类别评审专家的工号；该类别的建议默认交他们评审"),
    )
    notice_days = serializers.IntegerField(required=False, help_text=_("公示天数，1至30"))
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text=_("说明")
    )


def _windows(actor: Any) -> QuerySet[Window]:
    return selectors.window_list_for(actor=actor).prefetch_related(
        "committee",
        Prefetch("experts", queryset=CategoryExpert.objects.select_related("person")),
    )


def _people(field: str, numbers: list[str]) -> list[Person]:
    """Return the people of ``numbers`` in order; refuse the unknown ones (nothing written)."""
    wanted = list(dict.fromkeys(number.strip() for number in numbers if number.strip()))
    found = {person.employee_no: person for person in Person.objects.filter(employee_no__in=wanted)}
    unknown = [number for number in wanted if number not in found]
    if unknown:
        message = gettext("找不到工号为“%(no)s”的职工。") % {"no": "、".join(unknown[:5])}
        raise InvalidInput(message, fields={field: [message]})
    return [found[number] for number in wanted]


def _unit(code: str) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code.strip()[:32]).first()
    if unit is None:
        message = gettext("找不到该单位。")
        raise InvalidInput(message, fields={"unit_code": [message]})
    return unit


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """Return the services' arguments for the checked body ``data``."""
    return {
        "unit": _unit(data["unit_code"]),
        "title": data["title"],
        "opens_on": data["opens_on"],
        "closes_on": data["closes_on"],
        "categories": data.get("categories"),
        "criteria": data["criteria"],
        "tiers": data["tiers"],
        "committee": _people("committee", data.get("committee") or []),
        "experts": {
            category: _people("experts", numbers)
            for category, numbers in (data.get("experts") or {}).items()
        },
        "notice_days": data.get("notice_days", 5),
        "note": data.get("note", ""),
    }


def _current(window: Window) -> dict[str, Any]:
    """Return ``window`` as a write body: what a change starts from."""
    return {
        "title": window.title,
        "unit_code": window.unit.code,
        "opens_on": window.opens_on.isoformat(),
        "closes_on": window.closes_on.isoformat(),
        "categories": list(window.categories),
        "criteria": list(window.criteria),
        "tiers": list(window.tiers),
        "committee": sorted(window.committee.values_list("employee_no", flat=True)),
        "experts": services.experts_of(window),
        "notice_days": window.notice_days,
        "note": window.note,
    }


def _answer(request: Request, window_id: int, status: int = 200) -> Response:
    window = _windows(request.user).get(pk=window_id)
    return Response(ProposalWindowSerializer(window).data, status=status)


class WindowsView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="proposal_windows_list",
        summary=_("征集活动列表"),
        description=_("您范围内的征集活动（范围在您之下或之上的），最新在前。"),
        responses={200: ProposalWindowSerializer(many=True), **error_responses(401)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        windows: Any = _windows(request.user)
        return Response(ProposalWindowSerializer(windows, many=True).data)

    @extend_schema(
        operation_id="proposal_windows_create",
        summary=_("新建征集活动"),
        description=_(
            "在单位及其下属单位中征集合理化建议。日期、类别、评审标准、奖励等级、评审委员会"
            "和分类评审专家的检查与页面相同；有误时返回400及中文说明，不写入任何内容。"
        ),
        request=ProposalWindowWriteSerializer,
        responses={201: ProposalWindowSerializer, **error_responses(400, 401, 403)},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = ProposalWindowWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        window = services.window_create(actor=request.user, **_fields(body.validated_data))
        return _answer(request, window.pk, status=201)


class WindowView(APIView):
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="proposal_windows_read",
        summary=_("征集活动"),
        parameters=[WINDOW_ID],
        responses={200: ProposalWindowSerializer, **error_responses(401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request, window_id: int) -> Response:
        selectors.window_get_for(actor=request.user, window_id=window_id)
        return _answer(request, window_id)

    @extend_schema(
        operation_id="proposal_windows_update",
        summary=_("修改征集活动"),
        description=_(
            "只需给出要修改的字段。已有建议使用的类别不能删除，已有评分的评审标准不能修改，"
            "已评定奖励的等级不能修改或删除，已有建议提交后不能更改征集范围：这些修改返回400"
            "及中文说明，不写入任何内容。给出 committee 或 experts 时整体替换。"
        ),
        parameters=[WINDOW_ID],
        request=ProposalWindowWriteSerializer(partial=True),
        responses={200: ProposalWindowSerializer, **error_responses(400, 401, 403, 404)},
        tags=TAGS,
    )
    def patch(self, request: Request, window_id: int) -> Response:
        window = selectors.window_get_for(actor=request.user, window_id=window_id)
        body = ProposalWindowWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        merged = {**_current(window), **body.validated_data}
        services.window_update(actor=request.user, window=window, **_fields(merged))
        return _answer(request, window.pk)


v1_urls: list[URLPattern | URLResolver] = [
    path("proposal-windows", WindowsView.as_view(), name="api-proposal-windows"),
    path("proposal-windows/<int:window_id>", WindowView.as_view(), name="api-proposal-window"),
]
