"""The API's own endpoints: the documentation page and unknown paths."""

import json
from typing import Any, NoReturn

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


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
