"""API endpoints of reports; ``v1_urls`` is included under /api/v1/.

``GET /api/v1/reports/rates?unit=CODE&from=DATE&to=DATE`` returns the figures of a unit subtree
for a period beside the period before: the same numbers as the dashboard and ``xinsheng rates``.
A unit outside the caller's reporting scope answers 404, like one that does not exist.
"""

import datetime as dt
from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.schema import error_responses
from xinsheng.core.errors import InvalidInput
from xinsheng.core.periods import period_between
from xinsheng.reports import selectors
from xinsheng.reports.metrics import figures_compared


def _date(request: Request, name: str) -> dt.date:
    text = request.query_params.get(name, "")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        message = gettext("请输入有效的日期（YYYY-MM-DD）。")
        raise InvalidInput(message, fields={name: [message]}) from exc


class RatesView(APIView):
    """The figures of a unit subtree for a period, and of the period before."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="reports_rates",
        summary=_("统计指标"),
        description=_(
            "返回单位（含下级）在统计区间内的各项计数、三率、综合得分等，并附上一周期的数据；"
            "口径见 docs/metrics.md。不存在或不在您的统计范围内的单位返回 404。"
        ),
        parameters=[
            OpenApiParameter("unit", str, description=_("单位代码")),
            OpenApiParameter("from", OpenApiTypes.DATE, description=_("开始日期")),
            OpenApiParameter("to", OpenApiTypes.DATE, description=_("结束日期")),
        ],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 404)},
        tags=["reports"],
    )
    def get(self, request: Request) -> Response:
        code = request.query_params.get("unit", "").strip()
        unit = selectors.report_unit_get_for(actor=request.user, code=code)
        period = period_between(_date(request, "from"), _date(request, "to"))
        comparison = figures_compared(unit, period)
        body: dict[str, Any] = {
            "current": comparison.current.as_dict(),
            "previous": comparison.previous.as_dict(),
        }
        return Response(body)


v1_urls: list[URLPattern | URLResolver] = [
    path("reports/rates", RatesView.as_view(), name="api-reports-rates"),
]
