"""Fault drill: voices keep arriving while PostgreSQL restarts and a web worker is killed.

Set-up: a PostgreSQL server of the drill's own (a temporary cluster on a free port — the
machine's server is never restarted), the demo enterprise without cases, ``xinsheng serve``
(gunicorn) and ``xinsheng worker``. Then several client threads send a bounded number of voices
to the public intake API, ``POST /api/v1/units/<code>/cases``, each voice with its own
``Idempotency-Key`` and text; a client whose request fails in any way sends it again with the
same key until it is acknowledged (200 or 201). Meanwhile, once a quarter of the voices are
acknowledged, PostgreSQL is restarted (fast shutdown: open sessions are cut; it stays down a few
seconds, as a busy server does while it restarts), and at half, one gunicorn worker is killed
with SIGKILL.

Printed: the voices acknowledged; those acknowledged but missing from the database (must be 0);
keys that made more than one case (must be 0); the errors the clients saw by kind, and the window
in which they happened; and whether ``xinsheng worker`` is still running and runs the tasks
queued after the restart.

    .venv/bin/python bench/drill_restart.py

Environment: DRILL_VOICES (600), DRILL_THREADS (8), DRILL_WEB_WORKERS (3), DRILL_DOWN_SECONDS
(how long PostgreSQL stays down, 5).
"""

import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path

import drill_kit as kit

VOICES = int(os.environ.get("DRILL_VOICES", "600"))
THREADS = int(os.environ.get("DRILL_THREADS", "8"))
WEB_WORKERS = int(os.environ.get("DRILL_WEB_WORKERS", "3"))
DOWN = float(os.environ.get("DRILL_DOWN_SECONDS", "5"))
UNIT = "JT-C1-M1-A01"  # a team of the demo enterprise
RETRY_PAUSE = 0.2  # seconds before a client sends a failed request again
GIVE_UP = 180.0  # seconds after which a client stops retrying one voice
TASKS_WAIT = 120.0  # seconds to wait for the worker to finish the tasks queued after the restart


@dataclass
class Voice:
    key: str
    text: str
    case_no: str | None = None


@dataclass
class Errors:
    """What the clients saw fail, by kind, with the time of each failure."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    kinds: Counter[str] = field(default_factory=Counter)
    times: list[float] = field(default_factory=list)
    acknowledged: int = 0

    def add(self, kind: str) -> None:
        with self.lock:
            self.kinds[kind] += 1
            self.times.append(time.monotonic())

    def acked(self) -> None:
        with self.lock:
            self.acknowledged += 1


def send(port: int, voices: list[Voice], errors: Errors) -> None:
    """Send each voice until it is acknowledged (or GIVE_UP passes), retrying with its key."""
    path = f"/api/v1/units/{UNIT}/cases"
    for voice in voices:
        body = {"kind": "demand", "text": voice.text, "anonymous": True}
        deadline = time.monotonic() + GIVE_UP
        while time.monotonic() < deadline:
            try:
                answer = kit.request(
                    port, "POST", path, body=body, headers={"Idempotency-Key": voice.key}
                )
            except (OSError, HTTPException) as error:
                errors.add(f"connection: {type(error).__name__}")
            else:
                if answer.status in {200, 201}:
                    voice.case_no = answer.body["case_no"]
                    errors.acked()
                    break
                code = answer.body.get("code", "") if isinstance(answer.body, dict) else ""
                errors.add(f"HTTP {answer.status} {code}".strip())
            time.sleep(RETRY_PAUSE)


@dataclass
class Faults:
    restart_began: float = 0.0
    restart_ended: float = 0.0
    restart_ended_epoch: float = 0.0
    killed_pid: int = 0
    killed_at: float = 0.0


def inflict(
    cluster: kit.PrivateCluster, server_pid: int, errors: Errors, done: threading.Event
) -> Faults:
    """Restart PostgreSQL at a quarter of the voices, kill a web worker at half."""
    faults = Faults()
    while errors.acknowledged < VOICES // 4 and not done.is_set():
        time.sleep(0.05)
    faults.restart_began = time.monotonic()
    cluster.restart(down=DOWN)
    faults.restart_ended = time.monotonic()
    faults.restart_ended_epoch = time.time()
    while errors.acknowledged < VOICES // 2 and not done.is_set():
        time.sleep(0.05)
    workers = kit.gunicorn_workers(server_pid)
    faults.killed_pid = workers[0]
    faults.killed_at = time.monotonic()
    os.kill(faults.killed_pid, signal.SIGKILL)
    return faults


def tasks_after(database: str, since_epoch: float) -> Counter[str]:
    """Return the tasks enqueued after ``since_epoch`` by status."""
    rows = kit.query(
        database,
        "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE enqueued_at >= to_timestamp(%s) GROUP BY status",
        since_epoch,
    )
    return Counter(dict(rows))


def main() -> None:
    with (
        kit.PrivateCluster() as cluster,
        kit.throwaway_database(cluster.url, "xs_drill_restart") as database,
        tempfile.TemporaryDirectory(prefix="xs-drill-") as workdir,
    ):
        var = Path(workdir)
        env = kit.installation_env(database, var, INTAKE_RATE_PER_HOUR=str(10**9), DEMO_CASES="0")
        kit.xinsheng(env, "migrate", "-v0")
        kit.xinsheng(env, "demo")
        port = kit.free_port()
        server = kit.serve(env, port, WEB_WORKERS, var / "serve.log")
        task_worker = kit.worker(env, "drill-worker", var / "worker.log")
        try:
            run(cluster, database, env, server.pid, port, task_worker, var)
        finally:
            kit.stop([server, task_worker])


def run(
    cluster: kit.PrivateCluster,
    database: str,
    env: dict[str, str],
    server_pid: int,
    port: int,
    task_worker: subprocess.Popen[bytes],
    var: Path,
) -> None:
    voices = [
        Voice(uuid.uuid4().hex, f"第{n + 1}号：井下风门关不严，请检修。") for n in range(VOICES)
    ]
    errors = Errors()
    done = threading.Event()
    fault_result: list[Faults] = []
    fault_thread = threading.Thread(
        target=lambda: fault_result.append(inflict(cluster, server_pid, errors, done))
    )
    started = time.monotonic()
    clients = [
        threading.Thread(target=send, args=(port, voices[i::THREADS], errors))
        for i in range(THREADS)
    ]
    fault_thread.start()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    done.set()
    fault_thread.join()
    load_seconds = time.monotonic() - started
    faults = fault_result[0]

    acknowledged = {v.case_no: v for v in voices if v.case_no is not None}
    stored = {row[0] for row in kit.query(database, "SELECT case_no FROM cases_case")}
    lost = [case_no for case_no in acknowledged if case_no not in stored]
    texts = [v.text for v in voices]
    doubled = kit.query(
        database,
        "SELECT text, count(*) FROM cases_case WHERE text = ANY(%s) GROUP BY text "
        "HAVING count(*) > 1",
        texts,
    )
    cases = kit.query(database, "SELECT count(*) FROM cases_case WHERE text = ANY(%s)", texts)[0][0]

    # Tasks queued after the restart: what the load queued since, and a round of periodic tasks.
    after = faults.restart_ended_epoch
    worker_alive = task_worker.poll() is None
    kit.xinsheng(env, "scheduler", "--once", "--interval", "0.01")
    deadline = time.monotonic() + TASKS_WAIT
    statuses = tasks_after(database, after)
    while time.monotonic() < deadline and set(statuses) - {"SUCCESSFUL", "FAILED"}:
        time.sleep(0.5)
        statuses = tasks_after(database, after)
    web_workers = len(kit.gunicorn_workers(server_pid))
    outages = (var / "worker.log").read_text().count("database unavailable")

    print(
        f"load: {VOICES} voices from {THREADS} client threads, {WEB_WORKERS} gunicorn workers, "
        f"{load_seconds:.1f} s; PostgreSQL restarted at {faults.restart_began - started:.1f} s "
        f"(back after {faults.restart_ended - faults.restart_began:.1f} s), web worker "
        f"{faults.killed_pid} killed at {faults.killed_at - started:.1f} s"
    )
    print(f"acknowledged submissions: {len(acknowledged)} of {VOICES}")
    print(f"acknowledged but not in the database: {len(lost)} (must be 0)")
    print(f"keys with more than one case: {len(doubled)} (must be 0); cases of the drill: {cases}")
    if errors.times:
        first, last = errors.times[0] - started, errors.times[-1] - started
        print(
            f"errors seen by the clients: {sum(errors.kinds.values())}, "
            f"between {first:.1f} s and {last:.1f} s ({last - first:.1f} s window)"
        )
        for kind, count in errors.kinds.most_common():
            print(f"  {count:>6}  {kind}")
    else:
        print("errors seen by the clients: none")
    print(f"gunicorn workers after the kill: {web_workers} of {WEB_WORKERS}")
    print(
        f"xinsheng worker running after the restart: {'yes' if worker_alive else 'NO'} "
        f"(it met the database away {outages} time(s) and went on); tasks queued after the "
        f"restart (by the load, and a round of periodic tasks at its end): "
        f"{dict(statuses)}"
    )


if __name__ == "__main__":
    main()
