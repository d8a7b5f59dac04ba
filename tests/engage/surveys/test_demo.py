"""The demo's surveys tell their story: a yearly satisfaction survey in two rounds whose change
shows, and a canteen survey whose free texts became voices."""

import pytest
from django.utils import timezone

from xinsheng.cases.choices import Channel
from xinsheng.cases.models import Case
from xinsheng.core.periods import YEAR, period_of
from xinsheng.engage.surveys import demo, figures, panels
from xinsheng.engage.surveys.models import Survey, SurveyAnswerCase
from xinsheng.engage.surveys.results import results_of
from xinsheng.org import demo as org_demo
from xinsheng.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_the_demo_surveys_show_a_change_and_voices() -> None:
    org_demo.demo_load(seed=5)

    made = demo.demo_load(seed=5)

    assert made["surveys"] == 3
    assert made["responses"] > 1000
    yearly = Survey.objects.filter(series__gt="").order_by("round")
    assert [s.round for s in yearly] == [1, 2]
    results = results_of(yearly[1])
    assert results.previous == yearly[0]
    assert results.satisfaction is not None
    assert results.previous_satisfaction is not None
    assert results.satisfaction > results.previous_satisfaction
    assert all(row.responses >= results.k for row in results.units if row.rolled or row.unit)
    assert any(row.rolled for row in results.units)
    # The canteen's voices went into the closed loop as anonymous cases of channel 问卷
    voices = Case.objects.filter(channel=Channel.SURVEY)
    assert voices.count() == made["voices"] == SurveyAnswerCase.objects.count() > 0
    assert all(case.is_anonymous for case in voices)
    # Loading again adds nothing
    assert demo.demo_load(seed=5) == {}

    company = OrgUnit.objects.get(code=demo.COMPANY)
    period = period_of(YEAR, timezone.localdate())
    text, numbers = panels.surveys_briefing(unit=company, period=period)
    found = figures.survey_figures_of(company, period)
    assert numbers["surveys"] == found.surveys >= 1
    assert "开展问卷调查" in text
    assert "参与率" in text
