"""The API's own endpoints: the documentation page and unknown paths."""

import json
from typing import Any, NoReturn

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
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


class DocsView(SpectacularSwaggerSplitView):
    """The browsable description of the API (Swagger UI, served from our own static files).

    The split view serves Swagger UI's start-up script as a file of its own (``?script``) rather
    than inline, and our template keeps the page's rules in a style sheet: the page lives under
    the same Content-Security-Policy as every other.
    """

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response: Response = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        # Swagger UI would ask validator.swagger.io for a badge: no calls to other hosts.
        ui_settings = spectacular_settings.SWAGGER_UI_SETTINGS
        if isinstance(ui_settings, dict) and "settings" in response.data:
            response.data["settings"] = json.dumps({**ui_settings, "validatorUrl": None})
        return response
