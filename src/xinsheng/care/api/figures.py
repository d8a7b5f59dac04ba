"""API endpoint of the figures of assistance; ``v1_urls`` is included under /api/v1/.

``GET /api/v1/care/figures?unit=CODE&from=&to=`` answers, for the unit's subtree and the period,
what each programme paid (people and amount, yuan as strings) and the totals. A unit out of the
caller's scope answers 404 exactly like a missing one.
"""

from typing import Any

from django.urls import URLPattern, URLResolver, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xinsheng.api.fields import EnumField
from xinsheng.api.schema import error_responses
from xinsheng.care.choices import ProgrammeKind
from xinsheng.care.figures import care_figures_of, yuan
from xinsheng.org.figures_query import PARAMETERS, period_of_query, unit_of_query

TAGS = ["care"]


class ProgrammeFiguresSerializer(serializers.Serializer[Any]):
    programme_id = serializers.IntegerField()
    kind = EnumField(ProgrammeKind)
    title = serializers.CharField()
    year = serializers.IntegerField()
    people = serializers.IntegerField(help_text=_("受助人数（冲销后仍有发放的）"))
    amount = serializers.CharField(help_text=_("发放金额（元，字符串，已扣除冲销）"))
    fund = serializers.CharField(help_text=_("其中基金支出（元）"))
    personal = serializers.CharField(help_text=_("其中干部个人出资（元）"))


class TotalsSerializer(serializers.Serializer[Any]):
    people = serializers.IntegerField(help_text=_("各项目受助人数之和"))
    amount = serializers.CharField(help_text=_("发放金额合计（元）"))
    fund = serializers.CharField(help_text=_("其中基金支出（元）"))
    personal = serializers.CharField(help_text=_("其中干部个人出资（元）"))
    students_aided = serializers.IntegerField(help_text=_("资助学子人数"))
    student_aid = serializers.CharField(help_text=_("助学金（元）"))
    relief_cases = serializers.IntegerField(help_text=_("大病救助人数"))
    relief = serializers.CharField(help_text=_("大病救助金（元）"))


class CareFiguresSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(help_text=_("单位代码"))
    start = serializers.DateField(source="from", help_text=_("开始日期"))
    end = serializers.DateField(source="to", help_text=_("结束日期"))
    programmes = ProgrammeFiguresSerializer(many=True)
    totals = TotalsSerializer()


class CareFiguresView(APIView):
    """What the programmes of a subtree paid in a period."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="care_figures",
        summary=_("帮扶统计"),
        description=_(
            "返回单位及其下级在期间内各帮扶项目的受助人数和发放金额（已扣除冲销），以及合计。"
        ),
        parameters=PARAMETERS,
        responses={200: CareFiguresSerializer, **error_responses(400, 401, 404)},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        unit = unit_of_query(request, "care.view")
        period = period_of_query(request)
        figures = care_figures_of(unit, period)
        data = {
            "unit": unit.code,
            "from": period.start,
            "to": period.end,
            "programmes": [row.as_dict() for row in figures.programmes],
            "totals": {
                "people": figures.people_paid,
                "amount": yuan(figures.money),
                "fund": yuan(figures.fund_money),
                "personal": yuan(figures.personal_money),
                "students_aided": figures.students.people,
                "student_aid": yuan(figures.students.amount),
                "relief_cases": figures.relief.people,
                "relief": yuan(figures.relief.amount),
            },
        }
        return Response(CareFiguresSerializer(data).data)


v1_urls: list[URLPattern | URLResolver] = [
    path("care/figures", CareFiguresView.as_view(), name="api-care-figures"),
]
