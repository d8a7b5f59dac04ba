"""Rehearsal of an installation on two machines, simulated on this host.

Two "machines", A and B, each with its own var directory, run ``xinsheng serve`` (gunicorn),
``xinsheng worker`` and ``xinsheng scheduler`` on ports of their own, against one PostgreSQL
database (a throwaway one on the server of DATABASE_URL, default the local one), one Redis
(REHEARSAL_REDIS_URL, default database 11 of the local Redis, emptied before and after: a Redis
database of the rehearsal's own) and one media directory, with the same secret key — the layout
of docs/deployment.md. The rehearsal plays the reverse proxy: it spreads the requests over both
servers and names each client in ``X-Forwarded-For`` (``PROXY_COUNT=1``).

It checks, and prints:

1. Load: voices to the public intake API, alternately through A and B, while employees look up
   similar voices on both; the answers by status (no 5xx).
2. Similar voices across servers: each voice taken by one server is looked up on the other;
   then a ledger import (one transaction of several seconds, as an administrator's import of
   historical voices is) runs on machine A while voices arrive and look-ups run on B, and the
   imported voices are looked up on both servers afterwards.
3. Rate limits across servers: one client sends twice its hourly allowance of voices
   alternately through A and B, one by one and then all at once; the voices accepted are
   counted against the limit.
4. The schedulers: rounds of periodic tasks enqueued, against the rounds the interval allows,
   and which scheduler enqueued them (the ``PeriodicRound`` row holds the last claim).
5. The task workers: tasks run by each.

    .venv/bin/python bench/rehearsal.py

Environment: REHEARSAL_VOICES (300), REHEARSAL_IMPORTED (3000 voices in the ledger import),
REHEARSAL_THREADS (6), REHEARSAL_LIMIT (the hourly allowance, 20), REHEARSAL_INTERVAL_SECONDS
(the schedulers' interval, 6), REHEARSAL_ROUNDS (rounds the schedulers make at least, 8).
"""

import csv
import itertools
import os
import random
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPException
from pathlib import Path
from urllib.parse import quote

import drill_kit as kit
import redis

VOICES = int(os.environ.get("REHEARSAL_VOICES", "300"))
THREADS = int(os.environ.get("REHEARSAL_THREADS", "6"))
LIMIT = int(os.environ.get("REHEARSAL_LIMIT", "20"))
INTERVAL = float(os.environ.get("REHEARSAL_INTERVAL_SECONDS", "6"))
ROUNDS = int(os.environ.get("REHEARSAL_ROUNDS", "8"))
IMPORTED = int(os.environ.get("REHEARSAL_IMPORTED", "3000"))
REDIS_URL = os.environ.get("REHEARSAL_REDIS_URL", "redis://127.0.0.1:6379/11")
UNIT = "JT-C1-M1-A01"  # a team of the demo enterprise
PERIODIC_PROBE = "xinsheng.cases.tasks.deadline_sweep"  # enqueued once in every round

PLACES = ["井口澡堂", "职工食堂", "单身宿舍", "通勤班车", "灯房", "更衣室", "矿区道路", "调度楼",
          "洗衣房", "医务室", "图书室", "停车棚"]  # fmt: skip
PROBLEMS = ["热水时有时无", "饭菜又咸又贵", "暖气不热", "座位太少", "充电柜常坏", "柜子锁不上",
            "路灯坏了好几盏", "电梯经常停运", "衣服洗不干净", "夜里没人值班", "开放时间太短",
            "雨天漏水"]  # fmt: skip
WISHES = ["希望尽快派人检修", "希望延长开放时间", "希望增加人手", "希望换一家承包商",
          "希望领导来现场看看", "希望按月公示整改进度", "希望听听职工的意见",
          "希望年底前解决"]  # fmt: skip


def texts(count: int, seed: int, template: str = "{0}{1}，夜班职工意见很大，{2}。") -> list[str]:
    """Return ``count`` voices, each made of a place, a problem and a wish (and, past the
    1,152 combinations, of the round ``{3}`` in the template, which must then hold it)."""
    combos = list(itertools.product(PLACES, PROBLEMS, WISHES))
    random.Random(seed).shuffle(combos)
    rounds = "一二三四五六七八九十"
    return [
        template.format(*combos[n % len(combos)], rounds[n // len(combos) % len(rounds)])
        for n in range(count)
    ]


@dataclass
class Machine:
    name: str
    port: int


def submit(machine: Machine, text: str, client: str) -> kit.Answer:
    """Send one voice through ``machine`` as the client at address ``client``."""
    return kit.request(
        machine.port,
        "POST",
        f"/api/v1/units/{UNIT}/cases",
        body={"kind": "demand", "text": text, "anonymous": True},
        headers={"Idempotency-Key": uuid.uuid4().hex, "X-Forwarded-For": client},
    )


def similar(machine: Machine, text: str, client: str) -> kit.Answer:
    """Look up the voices similar to ``text`` through ``machine``."""
    return kit.request(
        machine.port,
        "GET",
        f"/api/v1/units/{UNIT}/similar?text={quote(text)}",
        headers={"X-Forwarded-For": client},
    )


# --- 1 and 2: the load, and similar voices across servers -----------------------------------------


def load(machines: list[Machine]) -> tuple[Counter[str], Counter[str], dict[str, tuple[str, int]]]:
    """Send VOICES voices alternately through the machines, with look-ups beside them.

    Return the intake's statuses, the look-ups' statuses, and each acknowledged voice's case
    number and the index of the machine that took it.
    """
    voices = texts(VOICES, seed=1)
    taken: dict[str, tuple[str, int]] = {}
    statuses: Counter[str] = Counter()
    lookups: Counter[str] = Counter()
    lock = threading.Lock()
    done = threading.Event()

    def send(number: int) -> None:
        machine = number % len(machines)
        try:
            answer = submit(machines[machine], voices[number], f"203.0.113.{number % 250}")
            status = str(answer.status)
        except (OSError, HTTPException) as error:
            status, answer = type(error).__name__, None
        with lock:
            statuses[status] += 1
            if answer is not None and answer.status == 201:
                taken[voices[number]] = (answer.body["case_no"], machine)

    def look_up(seed: int) -> None:
        generator = random.Random(seed)
        while not done.is_set():
            text = generator.choice(voices)
            try:
                status = str(similar(generator.choice(machines), text, "198.51.100.1").status)
            except (OSError, HTTPException) as error:
                status = type(error).__name__
            with lock:
                lookups[status] += 1

    lookers = [threading.Thread(target=look_up, args=(seed,)) for seed in range(2)]
    for looker in lookers:
        looker.start()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(send, range(VOICES)))
    done.set()
    for looker in lookers:
        looker.join()
    return statuses, lookups, taken


def across(machines: list[Machine], taken: dict[str, tuple[str, int]]) -> tuple[int, list[str]]:
    """Look up each voice on the machine that did not take it; return those found and missed."""
    found, missed = 0, []
    for text, (case_no, machine) in taken.items():
        other = machines[(machine + 1) % len(machines)]
        answer = similar(other, text, "198.51.100.2")
        if answer.status == 200 and case_no in {voice["case_no"] for voice in answer.body}:
            found += 1
        else:
            missed.append(f"{case_no} ({answer.status})")
    return found, missed


def ledger_file(path: Path) -> dict[str, str]:
    """Write a ledger sheet (.csv) of IMPORTED voices of two days ago; return text → case number."""
    day = time.strftime("%Y-%m-%d 09:30", time.localtime(time.time() - 2 * 86400))
    rows = texts(IMPORTED, seed=2, template="台账补录第{3}批：{0}{1}，{2}，反映多次未解决。")
    numbers = {text: f"TZ-{n:05d}" for n, text in enumerate(rows)}
    with path.open("w", newline="", encoding="utf-8") as out:
        sheet = csv.writer(out)
        sheet.writerow(["编号", "来源渠道", "提出时间", "所属单位", "诉求内容", "状态"])
        for text, case_no in numbers.items():
            sheet.writerow([case_no, "当面", day, UNIT, text, "待受理"])
    return numbers


def import_while_busy(machines: list[Machine], env: dict[str, str], path: Path) -> list[int]:
    """Import the ledger through machine A while B takes voices and answers look-ups; then look
    each imported voice up on A and on B. Return how many each found."""
    numbers = ledger_file(path)
    busy = texts(2000, seed=3, template="{0}{1}，{2}，请尽快答复（第{3}次反映）。")
    done = threading.Event()

    def take_voices() -> None:  # until the import ends, at most 2,000 (within the limits)
        for number, text in enumerate(busy):
            if done.is_set():
                return
            submit(machines[1], text, f"198.18.{number // 200}.{number % 200}")

    def look_up() -> None:
        generator = random.Random(4)
        while not done.is_set():
            similar(machines[1], generator.choice(busy), "198.51.100.3")

    helpers = [threading.Thread(target=take_voices), threading.Thread(target=look_up)]
    for helper in helpers:
        helper.start()
    try:
        kit.xinsheng(env, "ledger", "import", str(path), "--apply", "--as", "admin")
    finally:
        done.set()
        for helper in helpers:
            helper.join()
    found = [0, 0]
    for text, case_no in numbers.items():
        for index, machine in enumerate(machines):
            answer = similar(machine, text, "198.51.100.4")
            found[index] += answer.status == 200 and case_no in {v["case_no"] for v in answer.body}
    return found


# --- 3: rate limits across servers ----------------------------------------------------------------


def limited(machines: list[Machine], client: str, at_once: bool) -> Counter[str]:
    """Send 2 × LIMIT voices of one client alternately through the machines; return statuses."""
    voices = texts(2 * LIMIT, seed=sum(map(ord, client)))

    def send(number: int) -> str:
        try:
            text = f"{voices[number]}（{client}）"
            return str(submit(machines[number % len(machines)], text, client).status)
        except (OSError, HTTPException) as error:
            return type(error).__name__

    if at_once:
        with ThreadPoolExecutor(2 * LIMIT) as pool:
            return Counter(pool.map(send, range(2 * LIMIT)))
    return Counter(send(number) for number in range(2 * LIMIT))


# --- the rehearsal ----------------------------------------------------------------------------


def main() -> None:
    with (
        kit.throwaway_database(kit.LOCAL_SERVER, "xs_rehearsal") as database,
        tempfile.TemporaryDirectory(prefix="xs-rehearsal-") as workdir,
    ):
        work = Path(workdir)
        shared = {
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "REDIS_URL": REDIS_URL,
            "MEDIA_ROOT": str(work / "shared-media"),
            "PROXY_COUNT": "1",
            "INTAKE_RATE_PER_HOUR": str(LIMIT),
            "SIMILAR_RATE_PER_HOUR": str(10**9),
            "DEMO_CASES": "0",
        }
        envs = [kit.installation_env(database, work / name, **shared) for name in ("a", "b")]
        kit.xinsheng(envs[0], "migrate", "-v0")
        kit.xinsheng(envs[0], "demo")
        # The counters of an earlier run (an hour's rate limits) would refuse this run's clients.
        shared_redis = redis.Redis.from_url(REDIS_URL)
        shared_redis.flushdb()
        processes = []
        machines = []
        try:
            for name, env in zip("AB", envs, strict=True):
                var = Path(env["XINSHENG_VAR_DIR"])
                port = kit.free_port()
                processes.append(kit.serve(env, port, 2, var / "serve.log"))
                processes.append(kit.worker(env, f"machine-{name.lower()}", var / "worker.log"))
                machines.append(Machine(name, port))
            for env in envs:
                var = Path(env["XINSHENG_VAR_DIR"])
                info = {**env, "LOG_LEVEL": "INFO"}
                processes.append(kit.scheduler(info, INTERVAL / 60, var / "scheduler.log"))
            rehearse(database, machines, envs, work)
        finally:
            kit.stop(processes)
            shared_redis.flushdb()


def rehearse(
    database: str, machines: list[Machine], envs: list[dict[str, str]], work: Path
) -> None:
    print(
        f"two machines: A on port {machines[0].port}, B on port {machines[1].port} "
        f"(2 gunicorn workers, a task worker and a scheduler each); one PostgreSQL database, "
        f"one Redis ({REDIS_URL}), one media directory"
    )
    statuses, lookups, taken = load(machines)
    print(
        f"1. load: {VOICES} voices alternately through A and B from {THREADS} threads: "
        f"{dict(statuses)}; similar-voice look-ups beside them: {dict(lookups)}"
    )
    found, missed = across(machines, taken)
    print(
        f"2. similar voices: each of the {len(taken)} voices taken looked up on the other "
        f"server: {found} found, {len(missed)} missed {missed[:10] if missed else ''}"
    )
    on_a, on_b = import_while_busy(machines, envs[0], work / "ledger.csv")
    print(
        f"   ledger import of {IMPORTED} voices through A while B took voices and answered "
        f"look-ups: found afterwards on A {on_a}, on B {on_b} (of {IMPORTED} each)"
    )
    one_by_one = limited(machines, "192.0.2.10", at_once=False)
    at_once = limited(machines, "192.0.2.11", at_once=True)
    for label, counted in (("one by one", one_by_one), ("all at once", at_once)):
        accepted = counted.get("201", 0)
        print(
            f"3. rate limit ({LIMIT} voices per client per hour), {2 * LIMIT} voices of one client "
            f"{label} through A and B: {accepted} accepted, {counted.get('429', 0)} refused (429) "
            f"{dict(counted)}: {'holds' if accepted <= LIMIT else 'EXCEEDED'}"
        )

    schedulers(database, envs)
    workers(database)


def attempts(envs: list[dict[str, str]]) -> list[tuple[int, int]]:
    """Return, for each scheduler, the rounds it enqueued and those it left to the other."""
    logs = [(Path(env["XINSHENG_VAR_DIR"]) / "scheduler.log").read_text() for env in envs]
    return [
        (log.count("scheduler: enqueued"), log.count("another scheduler has this round"))
        for log in logs
    ]


def schedulers(database: str, envs: list[dict[str, str]]) -> None:
    """Wait until the schedulers have made ROUNDS rounds; print who enqueued what and when."""
    deadline = time.monotonic() + ROUNDS * INTERVAL * 3
    while time.monotonic() < deadline and sum(sum(a) for a in attempts(envs)) < 2 * ROUNDS:
        time.sleep(0.5)
    made = attempts(envs)
    times = [
        row[0]
        for row in kit.query(
            database,
            "SELECT extract(epoch FROM enqueued_at) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = %s ORDER BY enqueued_at",
            PERIODIC_PROBE,
        )
    ]
    gaps = [float(b - a) for a, b in itertools.pairwise(times)]
    span = float(times[-1] - times[0]) if times else 0.0
    print(
        f"4. schedulers (a round every {INTERVAL:g} s): A enqueued {made[0][0]} rounds and left "
        f"{made[0][1]} to B; B enqueued {made[1][0]} and left {made[1][1]} to A; rounds in the "
        f"queue ({PERIODIC_PROBE.rsplit('.', 1)[1]} tasks): {len(times)} over {span:.0f} s, "
        f"{min(gaps, default=0):.1f} to {max(gaps, default=0):.1f} s apart: "
        f"{'one per interval' if gaps and min(gaps) > INTERVAL * 0.8 else 'TWO IN ONE INTERVAL'}"
    )
    for name, holder, taken_at, until in kit.query(
        database, "SELECT name, holder, taken_at, until FROM core_periodicround"
    ):
        print(
            f"   PeriodicRound {name}: held by {holder} "
            f"from {taken_at:%H:%M:%S} to {until:%H:%M:%S}"
        )


def workers(database: str) -> None:
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline
        and kit.query(
            database,
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING')",
        )[0][0]
    ):
        time.sleep(0.5)
    rows = kit.query(
        database,
        "SELECT worker_ids, status, count(*) FROM django_tasks_database_dbtaskresult "
        "GROUP BY worker_ids, status",
    )
    by_worker: Counter[str] = Counter()
    for worker_ids, status, count in rows:
        by_worker[f"{','.join(worker_ids) or '(none yet)'} {status}"] += count
    print(f"5. task workers, tasks by worker and status: {dict(sorted(by_worker.items()))}")


if __name__ == "__main__":
    main()
