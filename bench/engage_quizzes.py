"""Benchmark: quiz attempts per second through the public attempt API, on PostgreSQL.

One gunicorn server (``SERVER_WORKERS`` sync workers, default 2) runs the platform's settings
against a throwaway database holding a group of ``BENCH_PEOPLE`` people (default 20,000), the
demo's bank of about 200 questions and one open round drawing 10 of them (5 attempts allowed).
``wrk`` then plays employees: each connection starts an attempt
(``POST /api/v1/quizzes/{id}/attempts`` with an employee number and name, checked against the
people) and submits its answers (``POST /api/v1/quiz-attempts/{attempt_id}``), scored and timed by
the server, round after round, for ``BENCH_SECONDS`` (default 10) after a warm-up. It prints the
completed attempts (start and submit) per second, the requests per second, p50/p95 of all
requests, the rows written, and the machine's load average before and after (2 CPUs shared with
PostgreSQL and wrk). The target is 200 attempts per second.

    DATABASE_URL=postgres://postgres@localhost:5432/xs .venv/bin/python bench/engage_quizzes.py

Tunable: BENCH_PEOPLE, BENCH_SECONDS, BENCH_WARMUP (3), BENCH_CONNECTIONS (8), SERVER_WORKERS.
The hourly allowance of the public quiz requests is lifted (the load comes from one address).
"""

import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import intake
import psycopg

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "20000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("SERVER_WORKERS", "2"))
TARGET = 200

# Each connection starts an attempt, then submits it (answering A to everything), then starts
# the next with another employee number; the threads share the numbers out between them.
WRK_SCRIPT = r"""
local threads = {}
local made = 0
function setup(thread)
  made = made + 1
  thread:set("tid", made)
  table.insert(threads, thread)
end
function init(args)
  step = tonumber(args[1]); people = tonumber(args[2]); round = args[3]; first = tonumber(args[4])
  next_no = first + tid - 1
  pending = {}
  started = 0; submitted = 0; refused = 0
end
function request()
  local p = table.remove(pending, 1)
  if p then
    return wrk.format("POST", "/api/v1/quiz-attempts/" .. p.id,
      {["Content-Type"] = "application/json"}, p.body)
  end
  local no = next_no % people
  next_no = next_no + step
  local body = string.format('{"employee_no":"Q%06d","name":"答题人%06d"}', no, no)
  return wrk.format("POST", "/api/v1/quizzes/" .. round .. "/attempts",
    {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status == 201 then
    started = started + 1
    local id = body:match('"attempt_id":"([^"]+)"')
    local answers = {}
    for q in body:gmatch('"id":(%d+)') do table.insert(answers, '"' .. q .. '":"A"') end
    table.insert(pending, {id = id, body = '{"answers":{' .. table.concat(answers, ",") .. '}}'})
  elseif status == 200 then
    submitted = submitted + 1
  else
    refused = refused + 1
  end
end
function done(summary, latency, requests)
  local s, u, r = 0, 0, 0
  for _, t in ipairs(threads) do
    s = s + t:get("started"); u = u + t:get("submitted"); r = r + t:get("refused")
  end
  io.write(string.format("RESULT %d %d %d %d %.2f %.2f %d\n", s, u, r, summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, summary.duration))
end
"""


def server_environment(name: str, workdir: Path) -> dict[str, str]:
    """Return the environment of the server and of the setup: the same settings for both."""
    return {
        **os.environ,
        "DATABASE_URL": intake.database_url(name),
        "DJANGO_SETTINGS_MODULE": "xinsheng.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "XINSHENG_VAR_DIR": str(workdir),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "QUIZ_RATE_PER_HOUR": str(10**9),  # the load comes from one address
        "LOG_LEVEL": "WARNING",
        "DEBUG": "",
    }


def prepare(environment: dict[str, str]) -> int:
    """Migrate; write the people, the demo's bank and an open round; return the round's id."""
    os.environ.update(environment)
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from xinsheng.engage.quizzes.demo import DRAW
    from xinsheng.engage.quizzes.demo_questions import demo_questions
    from xinsheng.engage.quizzes.models import Campaign, Question, Round
    from xinsheng.org.choices import UnitKind
    from xinsheng.org.models import OrgUnit, Person

    call_command("migrate", verbosity=0)
    group = OrgUnit.objects.add_root(
        create_kwargs={"name": "基准集团", "code": "BENCH-G", "kind": UnitKind.GROUP}
    )
    teams = [
        OrgUnit.objects.add_child(
            group, create_kwargs={"name": f"基准班组{n}", "code": f"BQ-T{n}", "kind": UnitKind.TEAM}
        )
        for n in range(20)
    ]
    Person.objects.bulk_create(
        [
            Person(employee_no=f"Q{n:06d}", name=f"答题人{n:06d}", unit=teams[n % len(teams)])
            for n in range(PEOPLE)
        ],
        batch_size=5000,
    )
    Question.objects.bulk_create(
        [
            Question(
                unit=group,
                text=q.text,
                kind=q.kind,
                options=q.options,
                answer=q.answer,
                explanation=q.explanation,
                tags=q.tags,
                difficulty=q.difficulty,
            )
            for q in demo_questions(random.Random(1))
        ]
    )
    campaign = Campaign.objects.create(title="基准答题", unit=group)
    now = timezone.now()
    quiz_round = Round.objects.create(
        campaign=campaign,
        number=1,
        title="基准轮次",
        unit=group,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        draw=DRAW,
        time_limit=600,
        attempts_allowed=5,
    )
    connection.close()
    return int(quiz_round.pk)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(environment: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """Start gunicorn with WORKERS sync workers; return once it answers."""
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "xinsheng.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--logger-class",
            "xinsheng.core.gunicorn_logging.PrivateAccessLogger",
        ],
        env=environment,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/me", timeout=2)
        except urllib.error.HTTPError:
            return server  # 401: the server is up
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def run_wrk(port: int, round_id: int, seconds: int, first: int) -> list[float]:
    """Run wrk for ``seconds``; return started, submitted, refused, requests, p50, p95, µs."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        threads = min(CONNECTIONS, 2)
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [
                shutil.which("wrk") or "wrk",
                f"-t{threads}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}/",
                "--",
                str(threads),
                str(PEOPLE),
                str(round_id),
                str(first),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return [float(part) for part in line.split()[1:]]
    sys.exit(f"wrk gave no result:\n{result.stdout}\n{result.stderr}")


def written(name: str) -> tuple[int, int]:
    """Return the attempts started and submitted in the database."""
    with psycopg.connect(intake.database_url(name)) as db:
        row = db.execute("SELECT count(*), count(submitted_at) FROM engage_attempt").fetchone()
    return (row[0], row[1]) if row else (0, 0)


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("this benchmark needs wrk (apt-get install wrk)")
    name = intake.database_create("xs_bench_quizzes")
    server: subprocess.Popen[bytes] | None = None
    try:
        with tempfile.TemporaryDirectory() as workdir:
            environment = server_environment(name, Path(workdir))
            round_id = prepare(environment)
            port = free_port()
            server = serve(environment, port)
            run_wrk(port, round_id, WARMUP, first=PEOPLE // 2)
            load_before = os.getloadavg()
            started, submitted, refused, requests, p50, p95, micros = run_wrk(
                port, round_id, SECONDS, first=0
            )
            load_after = os.getloadavg()
            rows = written(name)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        intake.database_drop(name)

    elapsed = micros / 1e6
    rate = submitted / elapsed
    print(
        f"gunicorn: {WORKERS} sync workers; wrk: {CONNECTIONS} connections for {SECONDS} s; "
        f"PostgreSQL; {os.cpu_count()} CPUs; {PEOPLE} people, one round of 10 questions"
    )
    print(
        f"attempts started: {started:.0f}; submitted and scored: {submitted:.0f}; "
        f"refused: {refused:.0f}"
    )
    print(
        f"requests: {requests:.0f} ({requests / elapsed:.0f}/s); p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    print(f"attempts per second (start + submit): {rate:.0f} (target: {TARGET})")
    print(f"rows in engage_attempt: {rows[0]} started, {rows[1]} submitted (warm-up included)")
    print(
        "load average (1, 5, 15 min): before "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after "
        + ", ".join(f"{x:.2f}" for x in load_after)
    )


if __name__ == "__main__":
    main()
