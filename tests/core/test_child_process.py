"""Work run in a short-lived child process: its result, its error and its imports stay apart.

The functions the child runs are defined at the top of this module: the child imports them by
name, as it imports the application's own.
"""

import os
import sys

import pytest
from django.db import connection, transaction

from tests.conftest import Tree
from xinsheng.core.child_process import ChildFailed, apart_possible, run_apart, run_in_child
from xinsheng.org.models import OrgUnit

UNUSED_MODULE = "tabnanny"  # imported by nothing else the tests load


def where_and_what(word: str) -> tuple[int, str, bool]:
    import tabnanny  # noqa: F401 - what the child loads, the parent does not

    return os.getpid(), word * 2, UNUSED_MODULE in sys.modules


def failing(text: str) -> None:
    raise ValueError(f"不行：{text}")


def dying() -> None:
    os._exit(3)


def printing() -> str:
    print("a line the work prints")  # noqa: T201 - must not spoil the answer
    return "answer"


def units_seen() -> list[str]:
    return sorted(OrgUnit.objects.values_list("code", flat=True))


def test_the_child_computes_the_result_and_keeps_its_imports() -> None:
    assert UNUSED_MODULE not in sys.modules
    pid, doubled, imported = run_in_child(where_and_what, "心声")
    assert pid != os.getpid()
    assert doubled == "心声心声"
    assert imported
    assert UNUSED_MODULE not in sys.modules


def test_the_childs_error_is_raised_in_the_parent() -> None:
    with pytest.raises(ValueError, match="不行：无热水") as raised:
        run_in_child(failing, "无热水")
    assert any("In the child process" in note for note in raised.value.__notes__)


def test_a_child_that_dies_without_an_answer_fails() -> None:
    with pytest.raises(ChildFailed, match="exited with code 3"):
        run_in_child(dying)


def test_what_the_work_prints_does_not_spoil_the_answer() -> None:
    assert run_in_child(printing) == "answer"


@pytest.mark.django_db(transaction=True)
def test_the_child_reads_the_parents_database(tree: Tree) -> None:
    # SQLite's test database lives in this process's memory: the work is done here instead.
    assert apart_possible() == (connection.vendor != "sqlite")
    assert run_apart(units_seen) == sorted(["GRP", "C1", "M1", "A1", "T1", "C2", "M2"])


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_the_work_runs_here(tree: Tree) -> None:
    with transaction.atomic():
        OrgUnit.objects.filter(code="T1").update(name="一班（改）")
        assert not apart_possible()
        assert run_apart(os.getpid) == os.getpid()
