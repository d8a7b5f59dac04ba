"""A burst of voices queues one refresh of the figures when the queue can run tasks later."""

from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.cases.factories import submit
from tests.conftest import Tree
from xinsheng.reports.figures import COALESCE_SECONDS

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings: Any) -> Any:
    settings.TASKS = DATABASE_QUEUE  # django-tasks reloads its backends on the change
    cache.clear()
    yield
    cache.clear()


def refreshes() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="figures_refresh_task"))


def test_a_burst_of_voices_queues_one_deferred_refresh(
    tree: Tree, database_queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            submit(tree)
    queued = refreshes()
    assert len(queued) == 1
    assert queued[0].run_after is not None
    assert queued[0].run_after > timezone.now()
    assert (queued[0].run_after - timezone.now()).total_seconds() <= COALESCE_SECONDS
    cache.clear()  # the seconds passed: the next voice queues the next refresh
    with django_capture_on_commit_callbacks(execute=True):
        submit(tree)
    assert len(refreshes()) == 2
