"""Load for the intake benchmark: many keep-trying connections, each POST with its own key.

No Django here: the load runs in separate processes (spawned, so they share nothing with the
parent's database connections) with threads in each, and counts what the server answers.
"""

import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass

BODY = json.dumps(
    {
        "kind": "demand",
        "text": "井口澡堂夜班热水不够用，希望延长供应时间到凌晨两点。",
        "anonymous": True,
    }
).encode()


@dataclass(frozen=True)
class Load:
    """What one process of load did: answers by kind, and when it ran."""

    ok: int
    failed: int
    started: float
    stopped: float


def _hammer(port: int, path: str, until: float, counts: list[int], lock: threading.Lock) -> None:
    """Send requests on one connection until ``until``; add ok and failed to ``counts``."""
    ok = failed = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < until:
        headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        try:
            connection.request("POST", path, body=BODY, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status in {200, 201}:
                ok += 1
            else:
                failed += 1
        except (OSError, http.client.HTTPException):
            failed += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()
    with lock:
        counts[0] += ok
        counts[1] += failed


def run(port: int, path: str, seconds: float, threads: int) -> Load:
    """Run ``threads`` connections against ``path`` for ``seconds``; return what they did."""
    counts, lock = [0, 0], threading.Lock()
    started = time.monotonic()
    until = started + seconds
    workers = [
        threading.Thread(target=_hammer, args=(port, path, until, counts, lock))
        for _ in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return Load(ok=counts[0], failed=counts[1], started=started, stopped=time.monotonic())
