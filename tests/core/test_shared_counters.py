"""Rate limits count across processes: two web workers of one host add to the same counter."""

import os
import subprocess
import sys
from pathlib import Path

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
