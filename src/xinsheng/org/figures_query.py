"""The query every figures endpoint of the API reads: ``?unit=CODE&from=YYYY-MM-DD&to=…``.

The unit is the subtree counted (the caller's first root when none is named; 404 outside what the
caller may see for the endpoint's action), and the period runs from ``from`` (1 January of this
year by default) to ``to`` (31 December of the start's year by default).
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.core.periods import Period, period_between
from xinsheng.org import permissions
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit

UNIT = OpenApiParameter(
    "unit", str, description=_("单位代码：统计该单位及其下级；不在您的范围内时返回 404。")
)
FROM = OpenApiParameter("from", str, description=_("开始日期（YYYY-MM-DD），默认本年1月1日"))
TO = OpenApiParameter("to", str, description=_("结束日期（YYYY-MM-DD），默认本年12月31日"))
PARAMETERS = [UNIT, FROM, TO]


def unit_of_query(request: Request, action: str) -> OrgUnit:
    """Return the unit ``?unit=`` names, or the caller's first root, if the caller may do
    ``action`` there; ``NotFound`` otherwise."""
    actor = request.user
    code = request.query_params.get("unit", "").strip()
    if code:
        unit = org_selectors.unit_get_for(actor=actor, code=code)
    else:
        roots = list(org_selectors.unit_roots_for(actor=actor))
        if not roots:
            raise NotFound()
        unit = roots[0]
    if not permissions.may(actor, action, unit):
        raise NotFound()
    return unit


def period_of_query(request: Request) -> Period:
    """Return the period ``?from=`` and ``?to=`` give; a date in another form is refused."""
    today = timezone.localdate()
    dates: dict[str, dt.date | None] = {"from": today.replace(month=1, day=1), "to": None}
    for name in ("from", "to"):
        text = request.query_params.get(name, "").strip()
        if not text:
            continue
        try:
            dates[name] = serializers.DateField().to_internal_value(text)
        except serializers.ValidationError:
            message = gettext("日期格式应为YYYY-MM-DD。")
            raise InvalidInput(message, fields={name: [message]}) from None
    start = dates["from"] or today
    end = dates["to"] or start.replace(month=12, day=31)
    return period_between(start, end)
