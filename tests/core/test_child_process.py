"""Work run in a short-lived child process: its result, its error and its imports stay apart.

The functions the child runs are defined at the top of this module: the child imports them by
name, as it imports the application's own.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


def sleeping() -> None:
    time.sleep(300)


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


def ended(pid: int) -> bool:
    """Tell whether process ``pid`` has ended (gone, or a zombie nobody has reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def child_of(parent: int) -> int:
    """Return the pid of a child of process ``parent``, or 0 while it has none."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                return int(stat.parent.name)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return 0


def test_a_child_ends_when_its_parent_is_killed() -> None:
    # A parent that starts a long child and is then killed outright, as SIGKILL does.
    parent = subprocess.Popen(  # noqa: S603 - this interpreter, this test's own code
        [
            sys.executable,
            "-c",
            "import sys, threading, time\n"
            "sys.path[:0] = sys.argv[1].split(':')\n"
            "import django; django.setup()\n"
            "from tests.core import test_child_process as here\n"
            "from xinsheng.core.child_process import run_in_child\n"
            "threading.Thread(target=run_in_child, args=(here.sleeping,), daemon=True).start()\n"
            "time.sleep(300)\n",
            ":".join(entry for entry in sys.path if entry),
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "xinsheng.settings"},
    )
    try:
        child = 0
        deadline = time.monotonic() + 60
        while not child and time.monotonic() < deadline:
            child = child_of(parent.pid)
            time.sleep(0.1)
        assert child, "the parent started no child"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ended(child):
            time.sleep(0.1)
        assert ended(child), "the child outlived its killed parent"
    finally:
        parent.kill()
