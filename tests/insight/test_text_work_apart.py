"""The hot topics and the model's training run in a child process: the task worker that asked for
them keeps no text tool in memory, and gets the same topics and model as when it did the work
itself. A failing child marks its run failed.

The worker is a fresh process on the database this test wrote (SQLite's in-memory test database
is copied to a file for it); it runs the tasks as the task worker does and names the heavy
libraries it has imported.
"""

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.cases.factories import make_cast
from tests.conftest import Tree
from tests.fresh_process import answer_of
from tests.insight.test_hot_topics import BUS, CANTEEN, voices
from tests.insight.test_routing import labelled
from xinsheng.core.child_process import ChildFailed
from xinsheng.insight import services
from xinsheng.insight.models import Topic, TopicRun

pytestmark = pytest.mark.django_db(transaction=True)

TEXT_TOOLS = ("sklearn", "scipy", "numpy")

WORKER = """
import json, sys
import django

django.setup()
from xinsheng.insight import tasks
from xinsheng.insight.models import Topic, TopicRun, TrainedModel
from xinsheng.insight.services import topics_compute_task

run_id = int(sys.argv[1])
topics = topics_compute_task.call(run_id)
trained = tasks.model_retrain.call(force=True)
found = [
    [topic.rank, topic.label, topic.size, list(topic.members.values_list("case_id", flat=True))]
    for topic in Topic.objects.filter(run_id=run_id).order_by("rank")
]
model = TrainedModel.objects.values(
    "version", "is_active", "trained_on", "heldout", "labels", "macro_f1"
).get()
print(json.dumps({
    "summaries": [topics, trained],
    "status": TopicRun.objects.get(pk=run_id).status,
    "topics": found,
    "model": model,
    "plain": bool(TrainedModel.objects.get().plain),
    "loaded": [name for name in json.loads(sys.argv[2]) if name in sys.modules],
}))
"""


def _topics(run: TopicRun) -> list[list[object]]:
    return [
        [topic.rank, topic.label, topic.size, list(topic.members.values_list("case_id", flat=True))]
        for topic in Topic.objects.filter(run=run).order_by("rank")
    ]


def _run(tree: Tree) -> TopicRun:
    today = timezone.localdate()
    return TopicRun.objects.create(
        unit=tree.company1, start=today - dt.timedelta(days=29), end=today
    )


def test_the_worker_gets_the_same_topics_and_model_without_loading_the_text_tools(
    tree: Tree, tmp_path: Path
) -> None:
    # Given voices on two matters, confirmed categories, and a queued run of hot topics
    cast = make_cast(tree)
    labelled(tree, cast)
    voices(tree, CANTEEN + BUS)
    run = _run(tree)
    # When a fresh task worker runs the hot topics and the model's training
    answer = answer_of(
        WORKER,
        str(run.pk),
        json.dumps(TEXT_TOOLS),
        tmp_path=tmp_path,
        timeout=300,
    )
    # Then both were done ...
    assert answer["status"] == TopicRun.Status.DONE
    assert answer["summaries"][1] == "v1 active"
    assert answer["plain"]
    # ... without scikit-learn, scipy or numpy in the worker itself
    assert answer["loaded"] == []
    # ... and the topics are those the same run gives when computed in this process
    again = _run(tree)
    again = services.topics_compute(again.pk)
    assert answer["topics"] == _topics(again)
    assert len(answer["topics"]) >= 2
    assert answer["summaries"][0] == f"{again.case_count} cases, {len(answer['topics'])} topics"
    # ... and the model is the one trained here on the same cases
    fitted = services.model_fit()
    assert fitted is not None
    assert answer["model"]["trained_on"] == fitted.trained_on
    assert answer["model"]["heldout"] == fitted.heldout
    assert answer["model"]["labels"] == fitted.labels
    assert answer["model"]["macro_f1"] == pytest.approx(fitted.new_f1)


def topics_failing(run_id: int) -> str:
    raise RuntimeError("聚类出错")


def topics_dying(run_id: int) -> str:
    os._exit(3)


def test_an_error_in_the_child_marks_the_run_failed(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _run(tree)
    monkeypatch.setattr(services, "topics_compute_summary", topics_failing)
    with pytest.raises(RuntimeError, match="聚类出错"):
        services.topics_compute_task.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.error) == (TopicRun.Status.FAILED, "聚类出错")
    assert run.finished_at is not None


def test_a_child_that_dies_marks_the_run_failed(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database keeps the work in this process")
    run = _run(tree)
    monkeypatch.setattr(services, "topics_compute_summary", topics_dying)
    with pytest.raises(ChildFailed):
        services.topics_compute_task.call(run.pk)
    run.refresh_from_db()
    assert run.status == TopicRun.Status.FAILED
    assert "exited with code 3" in run.error
