"""With REDIS_URL set, web servers on several hosts count together in Redis."""

import os
import socket
import subprocess
import sys
import uuid

import pytest

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379

ADD = """
import django
django.setup()
from django.core.cache import caches
cache = caches["default"]
from xinsheng.core.client import counter_incr
for _ in range({times}):
    counter_incr("{key}", timeout=600)
print(type(cache).__name__, cache.get("{key}"))
"""

CLIENT = """
import django
django.setup()
from django.core.cache import caches
cache = caches["default"]
cache._cache.get_client  # the Redis client library, loaded as on the first request
print(type(cache).__name__)
"""


def _process(code: str, redis_url: str) -> subprocess.Popen[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "PYTEST_XDIST_WORKER"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "xinsheng.settings", "REDIS_URL": redis_url})
    return subprocess.Popen(  # noqa: S603 - our own code, fixed arguments
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


def test_an_installation_with_redis_url_has_its_client_library() -> None:
    # Given REDIS_URL in the environment (no server needs to answer for this)
    process = _process(CLIENT, "redis://127.0.0.1:1/0")
    out, err = process.communicate(timeout=120)

    # Then the cache is Redis's and its client library is installed with the platform
    assert process.returncode == 0, err
    assert out.strip() == "RedisCache"


def test_two_servers_count_together_in_redis() -> None:
    if not _redis_answers():
        pytest.skip("no Redis server on localhost:6379")
    # Given two processes (as on two hosts) sharing one Redis
    key = f"xinsheng:limit:test:{uuid.uuid4().hex}"
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"
    workers = [_process(ADD.format(times=100, key=key), url) for _ in range(2)]

    # When each counts 100 requests at the same time
    outputs = [worker.communicate(timeout=120) for worker in workers]

    # Then the counter says 200, as a limit spread over the two servers must see it
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    names = {out.split()[0] for out, _err in outputs}
    assert names == {"RedisCache"}
    assert max(int(out.split()[1]) for out, _err in outputs) == 200
