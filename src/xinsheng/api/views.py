"""The API's own endpoints: the caller, the documentation page, and unknown paths."""

import json
from typing import Any, NoReturn

from django.utils.translation import gettext_lazy as _
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.schema import error_responses
from xinsheng.api.serializers import MeSerializer
from xinsheng.core.actors import Actor
from xinsheng.org import permissions, selectors


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


class UnknownPathView(APIView):
    """Answer any path under /api/ that names no endpoint with the JSON 404."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> NoReturn:
        raise NotFound()


class DocsView(SpectacularSwaggerView):
    """The browsable description of the API (Swagger UI, served from our own static files)."""

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        # Swagger UI would ask validator.swagger.io for a badge: no calls to other hosts.
        ui_settings = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(ui_settings, dict):
            response.data["settings"] = json.dumps({**ui_settings, "validatorUrl": None})
        return response
