"""API endpoints of the organisation: the units in the caller's scope.

Units are named by their public code, never by database id. Out of scope means not found.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.schema import error_responses
from xinsheng.core.actors import Actor
from xinsheng.org import permissions, selectors
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit


class UnitRefSerializer(serializers.Serializer[OrgUnit]):
    """A unit by its public code and name."""

    code = serializers.CharField()
    name = serializers.CharField()


class UnitSerializer(serializers.ModelSerializer[OrgUnit]):
    """A unit as the API shows it; ``parent_code`` is empty at the top of the caller's scope."""

    kind = serializers.ChoiceField(choices=UnitKind.choices, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent_code = serializers.SerializerMethodField()

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "kind_label", "parent_code", "depth", "is_active"]
        read_only_fields = fields

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text=_("上级单位代码；位于您的范围顶端时为空。")
        )
    )
    def get_parent_code(self, unit: OrgUnit) -> str | None:
        parent_codes: dict[int, str | None] = self.context["parent_codes"]
        return parent_codes.get(unit.pk)


def parent_codes_for(*, actor: Actor, units: Sequence[OrgUnit]) -> dict[int, str | None]:
    """Return, by unit id, the code of each unit's parent when ``actor`` may see it."""
    ancestors = selectors.unit_ancestors_map_for(actor=actor, units=units)
    codes: dict[int, str | None] = {}
    for unit in units:
        above = ancestors.get(unit.pk) or []
        parent = above[-1] if above else None
        codes[unit.pk] = parent.code if parent and parent.depth == unit.depth - 1 else None
    return codes


def serialize_units(*, actor: Actor, units: Sequence[OrgUnit]) -> list[dict[str, object]]:
    """Return ``units`` as the API shows them, with their parents' codes in one query."""
    context = {"parent_codes": parent_codes_for(actor=actor, units=units)}
    return list(UnitSerializer(units, many=True, context=context).data)


class UnitCursorPagination(CursorPagination):
    """Pages of units in tree order (by path, which is unique and indexed)."""

    ordering = "path"
    page_size_query_param = "page_size"
    max_page_size = 500


class UnitListView(GenericAPIView[OrgUnit]):
    """Units in the caller's scope."""

    serializer_class = UnitSerializer
    pagination_class = UnitCursorPagination
    renderer_classes = [JSONRenderer]

    def get_queryset(self) -> QuerySet[OrgUnit]:
        actor = self.request.user
        units = selectors.unit_list_for(actor=actor, search=self.request.query_params.get("q", ""))
        if parent_code := self.request.query_params.get("parent", "").strip():
            parent = selectors.unit_get_for(actor=actor, code=parent_code)
            units &= selectors.unit_children_for(actor=actor, unit=parent)
        return units

    @extend_schema(
        operation_id="units_list",
        summary=_("单位列表"),
        description=_("返回您范围内的单位，按组织树顺序分页（游标分页：沿 next 链接翻页）。"),
        parameters=[
            OpenApiParameter(
                "parent",
                str,
                description=_(
                    "只列出该代码单位的直接下级；该单位不存在或不在您的范围内时返回 404。"
                ),
            ),
            OpenApiParameter("q", str, description=_("按名称（包含）或代码（完全相同）搜索。")),
        ],
        responses={200: UnitSerializer(many=True), **error_responses(401, 404)},
        tags=["units"],
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # noqa: S101 - the view always has a paginator
        return self.get_paginated_response(serialize_units(actor=request.user, units=page))


class UnitDetailView(APIView):
    """One unit in the caller's scope."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="units_retrieve",
        summary=_("单位详情"),
        description=_("按代码返回一个单位；不存在或不在您的范围内时返回 404。"),
        parameters=[
            OpenApiParameter("code", str, OpenApiParameter.PATH, description=_("单位代码"))
        ],
        responses={200: UnitSerializer, **error_responses(401, 404)},
        tags=["units"],
    )
    def get(self, request: Request, code: str) -> Response:
        unit = selectors.unit_get_for(actor=request.user, code=code)
        return Response(serialize_units(actor=request.user, units=[unit])[0])


# --- the caller -----------------------------------------------------------------------------


class RoleHeldSerializer(serializers.Serializer[Any]):
    """A role the caller holds at a unit (it covers the unit's whole subtree)."""

    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()


class MeSerializer(serializers.Serializer[Any]):
    """The caller: account, person (when there is one) and roles."""

    username = serializers.CharField()
    name = serializers.CharField(allow_null=True, help_text=_("人员姓名；账号未关联人员时为空。"))
    employee_no = serializers.CharField(
        allow_null=True, help_text=_("工号；账号未关联人员时为空。")
    )
    roles = RoleHeldSerializer(many=True)


def roles_held(actor: Actor) -> list[dict[str, str]]:
    """Return the roles that make ``actor``'s scope, with their units, from the top down.

    These are the roles the permission module acts on: a superuser appears as administrator
    of every root, and roles at inactive units or of an inactive person do not appear.
    """
    held = permissions.role_paths(actor)
    units = {
        unit.path: unit
        for unit in selectors.unit_list_for(actor=actor).filter(path__in={p for _r, p in held})
    }
    rows = sorted((path, role) for role, path in held if path in units)
    return [
        {
            "role": role.value,
            "role_label": str(role.label),
            "unit_code": units[path].code,
            "unit_name": units[path].name,
        }
        for path, role in rows
    ]


class MeView(APIView):
    """The caller."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="me_retrieve",
        summary=_("当前用户"),
        description=_("返回调用者的账号、所关联人员的姓名和工号，以及所担任的角色和所在单位。"),
        responses={200: MeSerializer, **error_responses(401)},
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        user = request.user
        person = getattr(user, "person", None)
        me = {
            "username": user.get_username(),
            "name": person.name if person else None,
            "employee_no": person.employee_no if person else None,
            "roles": roles_held(user),
        }
        return Response(MeSerializer(me).data)


v1_urls: list[URLPattern | URLResolver] = [
    path("me", MeView.as_view(), name="api-me"),
    path("units", UnitListView.as_view(), name="api-units"),
    path("units/<str:code>", UnitDetailView.as_view(), name="api-unit"),
]
