"""A survey of a series starts its next round from its page: the questions (with their
conditions) are copied, the scope and series stay, and the results compare with the round
before; bad dates are refused with nothing written."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.surveys.factories import make_survey, questions_of, union_of
from tests.org.factories import make_staff
from xinsheng.core.models import AuditEvent
from xinsheng.engage.surveys.models import Survey
from xinsheng.engage.surveys.results import previous_round
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db
SERIES = "职工满意度调查"


def _organiser(tree: Tree) -> Client:
    client = Client()
    client.force_login(union_of(tree.company1))
    return client


def test_the_next_round_copies_the_questions_and_compares_with_the_last(tree: Tree) -> None:
    first = make_survey(tree.company1, series=SERIES, title="2026年职工满意度调查")
    client = _organiser(tree)
    detail = client.get(reverse("surveys:detail", args=[first.pk])).content.decode()
    assert reverse("surveys:repeat", args=[first.pk]) in detail
    url = reverse("surveys:repeat", args=[first.pk])
    page = client.get(url).content.decode()
    assert "第1轮的7道题目将原样复制" in page
    assert 'value="2026年职工满意度调查"' in page

    today = timezone.localdate()
    answer = client.post(
        url,
        {
            "title": "2027年职工满意度调查",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=14)).isoformat(),
            "anonymous": "on",
        },
    )
    second = Survey.objects.exclude(pk=first.pk).get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("surveys:detail", args=[second.pk])
    assert (second.series, second.round, second.unit, second.anonymous) == (
        SERIES,
        2,
        tree.company1,
        True,
    )
    assert second.token != first.token
    before, after = questions_of(first), questions_of(second)
    assert [(q.kind, q.text, q.required, q.options, q.items) for q in after] == [
        (q.kind, q.text, q.required, q.options, q.items) for q in before
    ]
    assert after[5].show_if == after[4]  # the condition points into the new round
    assert after[5].show_if_choice == 1
    assert previous_round(second) == first
    event = AuditEvent.objects.get(action="survey.create", object_id=str(second.pk))
    assert event.after["repeats"] == first.pk
    assert event.after["questions"] == 7
    assert "已开始第2轮" in client.get(answer["Location"]).content.decode()


def test_bad_dates_for_the_next_round_are_refused_with_nothing_written(tree: Tree) -> None:
    first = make_survey(tree.company1, series=SERIES)
    today = timezone.localdate()
    answer = _organiser(tree).post(
        reverse("surveys:repeat", args=[first.pk]),
        {
            "title": "2027年职工满意度调查",
            "opens_on": today.isoformat(),
            "closes_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "截止日期不能早于开始日期。" in html
    assert 'value="2027年职工满意度调查"' in html
    assert Survey.objects.count() == 1


def test_a_survey_outside_a_series_or_a_reader_cannot_repeat_it(tree: Tree) -> None:
    alone = make_survey(tree.company1)
    client = _organiser(tree)
    assert client.get(reverse("surveys:repeat", args=[alone.pk])).status_code == 404
    detail = client.get(reverse("surveys:detail", args=[alone.pk])).content.decode()
    assert "开始下一轮" not in detail
    series = make_survey(tree.company1, series=SERIES)
    reader = Client()
    reader.force_login(make_staff(tree.company1, Role.LEADER))
    answer = reader.post(reverse("surveys:repeat", args=[series.pk]), {"title": "x"})
    assert answer.status_code == 404
    assert Survey.objects.count() == 2
