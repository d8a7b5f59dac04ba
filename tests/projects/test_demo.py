"""The demo projects: a dozen projects, a congress list, linked voices answered by those done."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from xinsheng.cases import demo as cases_demo
from xinsheng.cases.choices import CaseStatus
from xinsheng.org import demo as org_demo
from xinsheng.projects import demo as projects_demo
from xinsheng.projects import selectors
from xinsheng.projects.choices import LinkOutcome, ProjectStatus
from xinsheng.projects.models import CommitmentBody, Project, ProjectCase

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
