"""Soak drill: a mixed load for a while, with the memory of every worker sampled.

Set-up: a throwaway database on the PostgreSQL server (DATABASE_URL, default the local one), the
demo enterprise with a few hundred cases, static files collected, ``xinsheng serve`` and
``xinsheng worker``; the demo's ``leader`` (领导 at the group) signs in for the staff pages and
gets an API token. Then client threads send, in a fixed mix, voices to the public intake API,
and ask for the ledger (台账) page, the dashboard and the API's case list and case detail, until
the time is up, starting once the task worker has run what the set-up queued (the first training
of the text models, which grows its memory once). Every few seconds the resident memory (RSS) of
each gunicorn worker and of the task worker (which runs what the voices queue) is read from
/proc.

Printed: requests and answers by kind; the tasks the task worker ran, by name; per worker (web
and task), the memory after the warm-up, at the end, the growth and the memory at each minute
after the warm-up; "flat" when every worker grew by less than 10 % after the warm-up.

    .venv/bin/python bench/drill_soak.py
    DRILL_MINUTES=3 .venv/bin/python bench/drill_soak.py

Environment: DRILL_MINUTES (10), DRILL_WARMUP_SECONDS (60), DRILL_THREADS (3),
DRILL_WEB_WORKERS (3), DRILL_SAMPLE_SECONDS (5).
"""

import os
import random
import subprocess
import tempfile
import threading
import time
from collections import Counter
from http.client import HTTPException
from pathlib import Path

import drill_kit as kit

MINUTES = float(os.environ.get("DRILL_MINUTES", "10"))
WARMUP = float(os.environ.get("DRILL_WARMUP_SECONDS", "60"))
THREADS = int(os.environ.get("DRILL_THREADS", "3"))
WEB_WORKERS = int(os.environ.get("DRILL_WEB_WORKERS", "3"))
SAMPLE = float(os.environ.get("DRILL_SAMPLE_SECONDS", "5"))
FLAT = 0.10  # growth after the warm-up below which memory counts as flat
UNIT = "JT-C1-M1-A01"
# What each client sends, by weight.
MIX = {"intake": 4, "ledger page": 2, "dashboard": 2, "API case list": 1, "API case": 1}


class Load:
    """The clients: each picks a kind of request by weight and sends it, until told to stop."""

    def __init__(self, port: int, token: str, session: str, case_nos: list[str]) -> None:
        self.port = port
        self.api = {"Authorization": f"Token {token}"}
        self.page = {"Cookie": f"sessionid={session}"}
        self.case_nos = case_nos
        self.answers: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.sent = 0

    def one(self, kind: str, generator: random.Random) -> kit.Answer:
        if kind == "intake":
            self.sent += 1
            text = f"第{self.sent}条：澡堂热水时有时无，夜班下井回来洗不上澡。{generator.random()}"
            return kit.request(
                self.port,
                "POST",
                f"/api/v1/units/{UNIT}/cases",
                body={"kind": "demand", "text": text, "anonymous": True},
            )
        if kind == "ledger page":
            return kit.request(self.port, "GET", "/cases/", headers=self.page)
        if kind == "dashboard":
            return kit.request(self.port, "GET", "/reports/", headers=self.page)
        if kind == "API case list":
            return kit.request(self.port, "GET", "/api/v1/cases", headers=self.api)
        case_no = generator.choice(self.case_nos)
        return kit.request(self.port, "GET", f"/api/v1/cases/{case_no}", headers=self.api)

    def run(self, seed: int) -> None:
        generator = random.Random(seed)
        kinds, weights = list(MIX), list(MIX.values())
        while not self.stop.is_set():
            kind = generator.choices(kinds, weights)[0]
            try:
                outcome = str(self.one(kind, generator).status)
            except (OSError, HTTPException) as error:
                outcome = type(error).__name__
            with self.lock:
                self.answers[kind, outcome] += 1


Samples = dict[str, list[tuple[float, int]]]  # "web <pid>" or "task <pid>" → (time, RSS in KiB)


def sample(server_pid: int, task_pid: int, samples: Samples, started: float) -> None:
    """Add the RSS of each web worker and of the task worker now to ``samples``."""
    now = time.monotonic() - started
    named = [(f"web {pid}", pid) for pid in kit.gunicorn_workers(server_pid)]
    for name, pid in [*named, (f"task {task_pid}", task_pid)]:
        if (rss := kit.rss_kib(pid)) is not None:
            samples.setdefault(name, []).append((now, rss))


def main() -> None:
    with (
        kit.throwaway_database(kit.LOCAL_SERVER, "xs_drill_soak") as database,
        tempfile.TemporaryDirectory(prefix="xs-drill-") as workdir,
    ):
        var = Path(workdir)
        env = kit.installation_env(database, var, INTAKE_RATE_PER_HOUR=str(10**9), DEMO_CASES="300")
        kit.xinsheng(env, "migrate", "-v0")
        kit.xinsheng(env, "demo")
        kit.xinsheng(env, "collectstatic", "--noinput", "-v0")
        login = kit.setup(env, "credentials", "leader")
        case_nos = [row[0] for row in kit.query(database, "SELECT case_no FROM cases_case")]
        port = kit.free_port()
        server = kit.serve(env, port, WEB_WORKERS, var / "serve.log")
        task_worker = kit.worker(env, "soak-worker", var / "worker.log")
        try:
            settle(database, task_worker)
            load = Load(port, login["token"], login["session"], case_nos)
            soak(server.pid, task_worker.pid, load)
            tasks = kit.query(
                database,
                "SELECT task_path, status, count(*) FROM django_tasks_database_dbtaskresult "
                "GROUP BY task_path, status ORDER BY task_path, status",
            )
            print("tasks run by the task worker:")
            for path, status, count in tasks:
                print(f"  {count:>6}  {path.rsplit('.', 1)[-1]} {status}")
        finally:
            kit.stop([server, task_worker])


SETTLE_LIMIT = 900.0  # seconds the task worker may take over the tasks the set-up queued


def settle(database: str, task_worker: subprocess.Popen[bytes]) -> None:
    """Wait until the task worker has run what the set-up queued (the demo's first training of
    the text models, its topics): a one-off growth of the worker's memory that is no soak's."""
    started = time.monotonic()
    pending = "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = ANY(%s)"
    while time.monotonic() - started < SETTLE_LIMIT and task_worker.poll() is None:
        if kit.query(database, pending, ["READY", "RUNNING"])[0][0] == 0:
            break
        time.sleep(2)
    waited = time.monotonic() - started
    print(f"the task worker ran the set-up's tasks before the load began: {waited:.0f} s")


def soak(server_pid: int, task_pid: int, load: Load) -> None:
    samples: Samples = {}
    clients = [threading.Thread(target=load.run, args=(seed,)) for seed in range(THREADS)]
    started = time.monotonic()
    for client in clients:
        client.start()
    end = started + MINUTES * 60
    while time.monotonic() < end:
        sample(server_pid, task_pid, samples, started)
        time.sleep(min(SAMPLE, max(0.0, end - time.monotonic())))
    sample(server_pid, task_pid, samples, started)
    load.stop.set()
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started

    total = sum(load.answers.values())
    print(
        f"soak: {elapsed / 60:.1f} min, {THREADS} client threads, {WEB_WORKERS} gunicorn workers, "
        f"{total} requests ({total / elapsed:.1f}/s); warm-up {WARMUP:g} s; RSS every {SAMPLE:g} s"
    )
    for kind in MIX:
        outcomes = {o: n for (k, o), n in sorted(load.answers.items()) if k == kind}
        print(f"  {kind:<14} {outcomes}")
    print(
        f"{'worker':>12} {'after warm-up':>14} {'end':>10} {'growth':>8} {'peak':>10}"
        "   each minute after the warm-up (MB)"
    )
    growths = []
    for name, points in sorted(samples.items()):
        warm = [rss for t, rss in points if t >= WARMUP]
        if not warm:
            print(f"{name:>12} (no sample after the warm-up: worker started late or ended early)")
            continue
        growth = (warm[-1] - warm[0]) / warm[0]
        growths.append(growth)
        print(
            f"{name:>12} {warm[0] / 1024:>11.1f} MB {warm[-1] / 1024:>7.1f} MB "
            f"{growth:>+7.1%} {max(rss for _, rss in points) / 1024:>7.1f} MB   "
            + " ".join(f"{rss / 1024:.0f}" for rss in by_minute(points))
        )
    flat = bool(growths) and all(g < FLAT for g in growths)
    print(f"memory after the warm-up: {'flat' if flat else 'GROWING'} (each worker < {FLAT:.0%})")


def by_minute(points: list[tuple[float, int]]) -> list[int]:
    """Return the first RSS sampled in each minute after the warm-up, and the last one."""
    found: dict[int, int] = {}
    for t, rss in points:
        if t >= WARMUP:
            found.setdefault(int((t - WARMUP) // 60), rss)
    return [*found.values(), points[-1][1]] if found else []


if __name__ == "__main__":
    main()
