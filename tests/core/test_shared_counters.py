"""Rate limits count across processes: two web workers of one host add to the same counter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ADD = """
import django
django.setup()
from xinsheng.core.client import counter_get, counter_incr
for _ in range({times}):
    counter_incr("xinsheng:limit:test:shared", timeout=600)
print(counter_get("xinsheng:limit:test:shared"))
"""


def _worker(var_dir: Path, times: int) -> subprocess.Popen[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "PYTEST_XDIST_WORKER"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "xinsheng.settings", "XINSHENG_VAR_DIR": str(var_dir)})
    return subprocess.Popen(  # noqa: S603 - our own code, fixed arguments
        [sys.executable, "-c", ADD.format(times=times)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_adding_at_once_lose_no_count(tmp_path: Path) -> None:
    # Given the default settings of a host without Redis (the file cache under var/)
    # When two processes each count 200 requests at the same time
    workers = [_worker(tmp_path, 200) for _ in range(2)]
    outputs = [worker.communicate(timeout=120) for worker in workers]

    # Then the counter says 400, as a limit spread over two web workers must see it
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert max(int(out.strip()) for out, _err in outputs) == 400
    assert (tmp_path / "cache").is_dir()


def test_a_count_given_back_is_gone_and_an_expired_counter_starts_again(tmp_path: Path) -> None:
    from xinsheng.core import file_counters

    directory = tmp_path / "counters"
    assert file_counters.counter_get(directory, "k") == 0
    assert [file_counters.counter_incr(directory, "k", timeout=600) for _ in range(3)] == [1, 2, 3]
    file_counters.counter_decr(directory, "k")
    assert file_counters.counter_get(directory, "k") == 2
    file_counters.counter_decr(directory, "never counted")  # nothing to give back
    # A counter whose time is up counts from one again
    assert file_counters.counter_incr(directory, "brief", timeout=0) == 1
    assert file_counters.counter_get(directory, "brief") == 0
    assert file_counters.counter_incr(directory, "brief", timeout=600) == 1


def test_expired_counters_are_swept_when_a_new_one_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xinsheng.core import file_counters

    directory = tmp_path / "counters"
    file_counters.counter_incr(directory, "old", timeout=0)
    file_counters.counter_incr(directory, "current", timeout=600)
    monkeypatch.setattr(file_counters, "_last_sweep", 0.0)  # no sweep made yet by this process
    file_counters.counter_incr(directory, "new", timeout=600)
    assert len(list(directory.iterdir())) == 2  # the current and the new one
    assert file_counters.counter_get(directory, "current") == 1
