"""The similar-voices index of a process finds every voice, whichever server took it and in
whatever order the voices' transactions committed."""

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.models import Case
from xinsheng.insight import selectors, similar_store
from xinsheng.org.models import OrgUnit

BATH = "井口澡堂的热水供应时间太短，夜班下井回来经常没有热水洗澡，希望延长供水时间。"
BUS = "早班通勤班车严重超员，很多人站着坐一个多小时，存在安全隐患。"
CANTEEN = "三号井食堂的饭菜太咸了，夜班职工意见很大，希望改进口味。"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    similar_store.index_reset()
    yield
    similar_store.index_reset()


def voice(unit: OrgUnit, text: str) -> Case:
    return services.case_submit(
        unit=unit, kind="demand", title="", text=text, identity=services.Identity(anonymous=True)
    ).case


def found(unit: OrgUnit, text: str) -> list[str]:
    return [v.case_no for v in selectors.similar_voices_at(unit=unit, text=text)]


class SlowVoice:
    """A voice whose transaction stays open (its id handed out) until ``commit()`` is called,
    as on a busy server while another takes and commits a later voice."""

    def __init__(self, unit: OrgUnit, text: str) -> None:
        self.saved = threading.Event()
        self.go_on = threading.Event()
        self.case: Case | None = None
        self.thread = threading.Thread(target=self._run, args=(unit, text))
        self.thread.start()
        assert self.saved.wait(timeout=30)

    def _run(self, unit: OrgUnit, text: str) -> None:
        try:
            with transaction.atomic():
                self.case = voice(unit, text)
                self.saved.set()
                self.go_on.wait(timeout=30)
        finally:
            connection.close()

    def commit(self) -> Case:
        self.go_on.set()
        self.thread.join()
        assert self.case is not None
        return self.case


def rolled_back(unit: OrgUnit) -> None:
    """Save a voice in a transaction that is then rolled back: its id never appears."""
    with contextlib.suppress(RuntimeError), transaction.atomic():
        voice(unit, "这条诉求的事务回滚了，它的编号不会出现在数据库里。")
        raise RuntimeError


def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: its ids always commit in order")


def test_a_voice_that_commits_after_a_later_one_is_found(tree: Tree) -> None:
    """Given a voice still being saved on one server while a later voice is saved and looked up
    on another, when the first voice is saved at last, then a lookup finds it."""
    on_postgresql()
    slow = SlowVoice(tree.team1, BATH)
    later = voice(tree.team1, BUS)
    assert slow.case is not None
    assert later.pk > slow.case.pk
    assert found(tree.team1, BUS) == [later.case_no]  # the index moves past the open one
    first = slow.commit()
    assert found(tree.team1, BATH) == [first.case_no]


def test_a_snapshot_made_while_a_voice_was_being_saved_misses_nothing(
    tree: Tree, settings: Any, tmp_path: Path
) -> None:
    """Given a snapshot of the index written while a voice was still being saved, when a new
    process starts from that snapshot after the voice is saved, then a lookup finds it."""
    on_postgresql()
    settings.MEDIA_ROOT = tmp_path
    slow = SlowVoice(tree.team1, BATH)
    later = voice(tree.team1, BUS)
    snapshot = similar_store.snapshot_write()
    assert snapshot.last_case_id == later.pk
    first = slow.commit()
    similar_store.index_reset()  # a process started after the snapshot
    assert found(tree.team1, BATH) == [first.case_no]
    assert found(tree.team1, BUS) == [later.case_no]


def test_voices_taken_by_other_processes_are_found_in_any_order(tree: Tree) -> None:
    """Voices saved by other processes between lookups, some missing for a while (a rolled-back
    submission leaves an id that never comes), are all found by the next lookup."""
    first = voice(tree.team1, BATH)
    assert found(tree.team1, BATH) == [first.case_no]
    rolled_back(tree.team1)
    second = voice(tree.team1, BUS)
    third = voice(tree.team1, CANTEEN)
    assert found(tree.team1, CANTEEN) == [third.case_no]
    assert found(tree.team1, BUS) == [second.case_no]
    assert found(tree.team1, BATH) == [first.case_no]


def test_a_process_started_from_a_snapshot_while_a_voice_is_saved_finds_it_later(
    tree: Tree, settings: Any, tmp_path: Path
) -> None:
    """Given a snapshot written, and a new process started from it, both while a voice is still
    being saved, when that voice is saved at last, then the new process finds it."""
    on_postgresql()
    settings.MEDIA_ROOT = tmp_path
    slow = SlowVoice(tree.team1, BATH)
    later = voice(tree.team1, BUS)
    similar_store.snapshot_write()
    similar_store.index_reset()  # a process started now
    assert found(tree.team1, BUS) == [later.case_no]
    first = slow.commit()
    assert found(tree.team1, BATH) == [first.case_no]
