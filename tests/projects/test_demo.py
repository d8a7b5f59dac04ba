"""The demo projects: a dozen projects, a congress list, linked voices answered by those done."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from xinsheng.cases import demo as cases_demo
from xinsheng.cases.choices import CaseStatus
from xinsheng.core.chinese_numbers import count
from xinsheng.core.periods import period_between
from xinsheng.org import demo as org_demo
from xinsheng.projects import demo as projects_demo
from xinsheng.projects import selectors
from xinsheng.projects.choices import LinkOutcome, ProjectStatus
from xinsheng.projects.models import CommitmentBody, Milestone, Project, ProjectCase
from xinsheng.projects.panels import projects_briefing

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_builds_projects_with_linked_voices_once() -> None:
    org_demo.demo_load(seed=7)
    # Enough voices that each project's category has open ones left to take up when it is done.
    cases_demo.demo_load(seed=7, today=dt.date(2026, 3, 2), cases=600)

    made = projects_demo.demo_load(seed=7)

    assert made["projects"] == Project.objects.count() == 14
    titles = set(Project.objects.values_list("title", flat=True))
    assert {
        "增设职工停车位75个",
        "职工餐厅扩建100平方米",
        "太阳花爱心托管班",
        "棚户区改造",
    } <= titles
    statuses = set(Project.objects.values_list("status", flat=True))
    assert {ProjectStatus.DONE, ProjectStatus.IN_PROGRESS, ProjectStatus.DELAYED} <= statuses
    assert made["linked"] > 0
    assert made["answered"] > 0
    answered = ProjectCase.objects.filter(outcome=LinkOutcome.ANSWERED).select_related("case")
    assert all(link.case.status == CaseStatus.ANSWERED for link in answered)
    body = CommitmentBody.objects.get(name="2026年职代会")
    assert body.projects.count() == 10
    admin = User.objects.get(username="admin")
    kept = selectors.commitment_list_for(actor=admin, body=body)
    assert kept.total == 10
    assert 0 < kept.done < 10
    housing = Project.objects.get(title="棚户区改造")
    assert housing.children.count() == 2
    assert 0 < housing.progress < 100

    assert projects_demo.demo_load(seed=7) == {}  # nothing twice
    group = org_demo.demo_group()
    board = Client().get(f"/board/{group.code}/")
    assert board.status_code == 200
    assert "增设职工停车位75个" in board.content.decode()


def test_the_demo_projects_tell_one_story_on_every_page_and_in_last_months_briefing() -> None:
    org_demo.demo_load(seed=7)
    cases_demo.demo_load(seed=7, today=dt.date(2026, 3, 2), cases=200)
    projects_demo.demo_load(seed=7)
    now = timezone.now()
    month_began = timezone.make_aware(
        dt.datetime.combine(timezone.localdate().replace(day=1), dt.time.min)
    )
    # every step the demo tells of as done lies in the past, a done project's before this month
    for project in Project.objects.filter(status=ProjectStatus.DONE):
        assert project.done_at is not None
        assert project.done_at < month_began, project.title
        assert project.created_at < project.done_at
        assert project.done_at.date() <= project.due_date
    for milestone in Milestone.objects.exclude(done_at=None).select_related("project"):
        assert milestone.done_at < now
        assert milestone.done_at.date() <= milestone.due_date
        assert milestone.project.created_at < milestone.done_at
        if milestone.project.done_at is not None:
            assert milestone.done_at <= milestone.project.done_at
    # a done project's milestones are all done, by the project's due date
    for project in Project.objects.filter(status=ProjectStatus.DONE):
        assert all(m.done_at is not None for m in project.milestones.all())
    # and last month's briefing counts the promises kept that the list shows today
    body = CommitmentBody.objects.get(name="2026年职代会")
    kept = selectors.commitment_list_for(actor=User.objects.get(username="admin"), body=body)
    last_day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    period = period_between(last_day.replace(day=1), last_day)
    text, figures = projects_briefing(unit=org_demo.demo_group(), period=period)
    assert figures["commitments"]["2026年职代会"] == {"kept": kept.done, "promised": 10}
    assert f"已完成{count(kept.done, '件')}" in text
