"""A command that changes cases brings the figures up to date before it says it is done, so a
briefing written right after it counts what it wrote, though no worker runs."""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.cases.test_ledger_import import cast, paper_row, xlsx
from tests.conftest import Tree

__all__ = ["cast"]  # the fixture, shared with the import's tests

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def no_worker(settings: Any) -> Any:
    """Tasks go to the database queue, and no worker takes them from it."""
    settings.TASKS = DATABASE_QUEUE
    cache.clear()
    yield
    cache.clear()


def test_a_briefing_right_after_a_command_line_import_counts_the_imported_cases(
    tree: Tree,
    cast: Any,
    no_worker: None,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # given a paper ledger of March 2019 with three cases
    rows = [paper_row(f"2019-民-00{n}") for n in (1, 2, 3)]
    ledger = tmp_path / "2019.xlsx"
    ledger.write_bytes(xlsx(*rows))
    # when it is imported from the command line, with no worker running
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "ledger", "import", str(ledger), "--as", cast.dispatcher.username, "--apply", stdout=out
        )
    # then the command says the figures are up to date before it says it is done
    said = out.getvalue()
    assert "统计数据已更新：重新统计了 3 件诉求。" in said
    assert said.index("统计数据已更新") < said.index("导入完成")
    # and the refresh it queued is still waiting: the figures did not depend on it
    assert DBTaskResult.objects.filter(task_path__endswith="figures_refresh_task").exists()
    # and a briefing of that month written at once counts the three cases
    briefing = tmp_path / "briefing.html"
    call_command(
        "briefing",
        "--unit",
        "GRP",
        "--from",
        "2019-03-01",
        "--to",
        "2019-03-31",
        "-o",
        str(briefing),
        stdout=io.StringIO(),
    )
    text = briefing.read_text(encoding="utf-8")
    assert "共收到职工诉求和意见建议3件" in text


def test_a_command_with_nothing_new_says_nothing_of_the_figures(tree: Tree) -> None:
    out = io.StringIO()
    call_command("cases_sweep", stdout=out)
    assert "统计数据" not in out.getvalue()
