"""A burst of voices queues one refresh of the figures when the queue can run tasks later."""

import time
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.cases.factories import submit
from tests.conftest import Tree
from xinsheng.reports import figures
from xinsheng.reports.figures import COALESCE_SECONDS

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    settings.TASKS = DATABASE_QUEUE  # django-tasks reloads its backends on the change
    monkeypatch.setattr(figures, "_queued_until", 0.0)  # no refresh known from another test
    cache.clear()
    yield
    cache.clear()


def refreshes() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="figures_refresh_task"))


def test_a_burst_of_voices_queues_one_deferred_refresh(
    tree: Tree,
    database_queue: None,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            submit(tree)
    queued = refreshes()
    assert len(queued) == 1
    assert queued[0].run_after is not None
    assert queued[0].run_after > timezone.now()
    assert (queued[0].run_after - timezone.now()).total_seconds() <= COALESCE_SECONDS
    # The seconds pass (for the cache's mark and for the process's alike): the next voice
    # queues the next refresh
    later = time.time() + COALESCE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        submit(tree)
    assert len(refreshes()) == 2


def test_a_voice_taken_after_another_process_queued_the_refresh_queues_nothing(
    tree: Tree, database_queue: None, django_capture_on_commit_callbacks: Any
) -> None:
    # Given a refresh another web worker queued a moment ago (its mark in the shared cache)
    cache.add("xinsheng:figures:refresh-queued", time.time() + COALESCE_SECONDS, COALESCE_SECONDS)

    # When this process takes voices
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            submit(tree)

    # Then it queues nothing: the refresh queued will fold its voices in
    assert refreshes() == []
