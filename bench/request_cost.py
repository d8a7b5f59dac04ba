"""Processor time and statements per request of each public write path, in one process.

Timing under load says little on a shared machine; the work a request costs the web worker
does not change with the load. This script loads the platform as gunicorn does (the benchmark
settings of ``intake_bare.py``: the whole site plus a bare one-row insert) and sends requests
straight to the WSGI application, without a socket, on a throwaway PostgreSQL database:

- the bare one-row insert (``/bench/bare``), the reference;
- the intake API (``POST /api/v1/units/<code>/cases``, a new idempotency key each time);
- the phone form's GET and its POST (with the CSRF cookie and token of the GET);
- a quiz attempt's start (``POST /api/v1/quizzes/<id>/attempts``) and its submission
  (``POST /api/v1/quiz-attempts/<attempt_id>``), another employee each time.

For each it prints the processor time per request of this process (PostgreSQL's own work is
not counted; the file cache's is) as the median of ``BENCH_ROUNDS`` rounds of
``BENCH_REQUESTS`` requests, the statements per request, and the load average.
``BENCH_PROFILE=<label>`` prints the cProfile of that path instead (sorted by cumulative time).

    DATABASE_URL=postgres://postgres@localhost:5432/postgres .venv/bin/python bench/request_cost.py

``BENCH_KEEP=1`` keeps the database and prints its name; ``BENCH_REUSE=<name>`` runs on it
again without writing the setup (the way to compare two versions of the code on one database).
"""

import cProfile
import io
import json
import os
import pstats
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import intake  # noqa: E402 - the benchmark's database helpers, found beside this script

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
PROFILE = os.environ.get("BENCH_PROFILE", "")
KEEP = os.environ.get("BENCH_KEEP") == "1"
REUSE = os.environ.get("BENCH_REUSE", "")
PEOPLE = 5000
TEXT = "井口澡堂夜班热水不够用，希望延长供应时间到凌晨两点。"


def prepare() -> None:
    """Write the unit taking voices (``intake.prepare``), people, a question bank and a round."""
    intake.prepare(dict(os.environ))
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from xinsheng.engage.quizzes.demo import DRAW
    from xinsheng.engage.quizzes.demo_questions import demo_questions
    from xinsheng.engage.quizzes.models import Campaign, Question, Round
    from xinsheng.org.models import OrgUnit, Person

    group = OrgUnit.objects.get(code="BENCH-G")
    team = OrgUnit.objects.get(code=intake.UNIT)
    Person.objects.bulk_create(
        [Person(employee_no=f"Q{n:06d}", name=f"答题人{n:06d}", unit=team) for n in range(PEOPLE)],
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
    Round.objects.create(
        campaign=campaign,
        number=1,
        title="基准轮次",
        unit=group,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=30),
        draw=DRAW,
        time_limit=3600,
        attempts_allowed=20,
    )
    connection.close()


class Client:
    """Requests sent to the WSGI application as gunicorn would pass them."""

    def __init__(self) -> None:
        from xinsheng import wsgi  # the application gunicorn serves, public ways included

        self.app = wsgi.application
        self.status = ""
        self.headers: list[tuple[str, str]] = []

    def _start(self, status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        self.status, self.headers = status, headers

    def send(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)),
        }
        for name, value in (headers or {}).items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            else:
                environ[f"HTTP_{key}"] = value
        result = self.app(environ, self._start)
        content = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        return int(self.status.split()[0]), content


def paths(client: Client) -> dict[str, Callable[[], None]]:
    """Return the requests to measure, each a callable sending one (checked) request."""
    from xinsheng.engage.quizzes.models import Round

    round_id = Round.objects.get(title="基准轮次").pk
    counter = iter(range(10**9))
    person = iter(range(10**9))
    started: list[tuple[str, bytes]] = []

    def checked(status: int, content: bytes, expected: int) -> bytes:
        if status != expected:
            raise SystemExit(f"answer {status} instead of {expected}: {content[:400]!r}")
        return content

    def bare() -> None:
        checked(*client.send("POST", "/bench/bare", b"x", {"Idempotency-Key": key()}), 201)

    def key() -> str:
        return f"{os.getpid():x}-{secrets.token_hex(4)}-{next(counter)}"

    api_body = json.dumps(
        {"kind": "demand", "title": "", "text": TEXT, "anonymous": True}, ensure_ascii=False
    ).encode()

    def api() -> None:
        headers = {"Content-Type": "application/json", "Idempotency-Key": key()}
        checked(*client.send("POST", intake.INTAKE_PATH, api_body, headers), 201)

    form_path = f"/v/{intake.UNIT}/"
    status, page = client.send("GET", form_path)
    cookie = next(
        (
            v.strip()
            for k, v in client.headers
            if k == "Set-Cookie" and v.strip().startswith("csrftoken=")
        ),
        "",
    )
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not cookie or token is None:
        raise SystemExit(f"the phone form gave no CSRF token: {status} {page[:300]!r}")
    form_headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie.split(";")[0],
        "Referer": "http://127.0.0.1:8000/",
    }
    form_fields = {
        "csrfmiddlewaretoken": token[1].decode(),
        "kind": "demand",
        "title": "",
        "text": TEXT,
        "identity": "anonymous",
        "name": "",
        "employee_no": "",
        "phone": "",
        "website": "",
        "k": "",
    }

    def form_get() -> None:
        checked(*client.send("GET", form_path), 200)

    def form_post() -> None:
        body = urlencode({**form_fields, "intake_key": key()}).encode()
        checked(*client.send("POST", form_path, body, form_headers), 200)

    def quiz_start() -> None:
        n = next(person) % PEOPLE
        body = json.dumps({"employee_no": f"Q{n:06d}", "name": f"答题人{n:06d}"}).encode()
        content = checked(
            *client.send(
                "POST",
                f"/api/v1/quizzes/{round_id}/attempts",
                body,
                {"Content-Type": "application/json"},
            ),
            201,
        )
        answer = json.loads(content)
        answers = {str(q["id"]): "A" for q in answer["questions"]}
        started.append((answer["attempt_id"], json.dumps({"answers": answers}).encode()))

    def quiz_submit() -> None:
        if not started:
            quiz_start()
        attempt_id, body = started.pop()
        checked(
            *client.send(
                "POST",
                f"/api/v1/quiz-attempts/{attempt_id}",
                body,
                {"Content-Type": "application/json"},
            ),
            200,
        )

    return {
        "bare one-row insert": bare,
        "intake API": api,
        "phone form GET": form_get,
        "phone form POST": form_post,
        "quiz start": quiz_start,
        "quiz submit": quiz_submit,
    }


def statements(send: Callable[[], None]) -> float:
    """Return the statements per request of ``send`` (over 10 requests)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        for _ in range(10):
            send()
    return len(captured) / 10


def cost(send: Callable[[], None]) -> float:
    """Return the processor milliseconds per request of ``send`` over ``REQUESTS`` requests."""
    start = time.process_time()
    for _ in range(REQUESTS):
        send()
    return (time.process_time() - start) * 1000 / REQUESTS


def main() -> None:
    name = REUSE or intake.database_create()
    with tempfile.TemporaryDirectory() as workdir:
        environment = intake.server_environment(name, Path(workdir))
        environment["QUIZ_RATE_PER_HOUR"] = str(10**9)
        os.environ.update(environment)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # the form's styles
        if not REUSE:
            prepare()
        try:
            client = Client()
            systems = paths(client)
            for send in systems.values():  # warm: the first request of each loads its code
                for _ in range(20):
                    send()
            if PROFILE:
                profiler = cProfile.Profile(time.process_time)
                profiler.runcall(lambda: [systems[PROFILE]() for _ in range(REQUESTS)])
                stream = io.StringIO()
                stats = pstats.Stats(profiler, stream=stream)
                stats.sort_stats("cumulative").print_stats(70)
                stats.sort_stats("tottime").print_stats(30)
                print(stream.getvalue())
                return
            counts = {label: statements(send) for label, send in systems.items()}
            load_before = os.getloadavg()
            times: dict[str, list[float]] = {label: [] for label in systems}
            for _ in range(ROUNDS):
                for label, send in systems.items():
                    times[label].append(cost(send))
            load_after = os.getloadavg()
        finally:
            from django.db import connection

            connection.close()
            if KEEP or REUSE:
                print(f"database kept: {name}")
            else:
                intake.database_drop(name)
    bare = statistics.median(times["bare one-row insert"])
    print(f"{ROUNDS} rounds × {REQUESTS} requests per path; processor ms per request")
    print(f"{'path':<22} {'ms':>6} {'range':>13} {'÷ bare':>7} {'statements':>10}")
    for label in systems:
        ms = statistics.median(times[label])
        low, high = min(times[label]), max(times[label])
        print(
            f"{label:<22} {ms:6.2f} {f'{low:.2f}–{high:.2f}':>13} {ms / bare:7.2f} "
            f"{counts[label]:10.1f}"
        )
    print(
        "load average: before "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after "
        + ", ".join(f"{x:.2f}" for x in load_after)
    )


if __name__ == "__main__":
    main()
