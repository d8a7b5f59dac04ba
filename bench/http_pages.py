"""Benchmark: what a user waits for, as whole requests through gunicorn, driven by ``wrk``.

One PostgreSQL database holds ``BENCH_CASES`` cases (default 100,000; written with COPY as
``scale.py`` writes them, figures rebuilt) and a team that takes voices. One gunicorn server
(``BENCH_WORKERS`` sync workers, default 2, loaded with ``--preload`` as ``xinsheng serve``
loads it) serves the platform's settings with one extra URL, the bare one-row insert
(``intake_bare.py``), the reference every write is compared with.

``wrk`` (the Debian package) is the load generator: one thread, ``BENCH_CONNECTIONS`` (16)
connections, ``BENCH_WARMUP`` (2 s) of warm-up per system, then ``BENCH_ROUNDS`` (4) rounds of
``BENCH_SECONDS`` (10 s) per run, the systems interleaved within each round, so that a change
in the machine's load touches them alike. Lua scripts give every write its own idempotency key.

- writes: the bare insert, the intake API, the phone form's POST, and a whole submission (the
  form's GET, then its POST); printed as requests per second and as a ratio to the bare insert
  run right before and right after each of them, medians with ranges (a submission counts one
  GET + one POST); every answered write must have made a new voice (checked after each run);
- pages, one connection (the time a user waits, not the server's throughput): the ledger's
  first page and a page half way down its list (keyset cursor), a case page, and the group's
  dashboard for a year; printed as p50 latency, median and range over the rounds.

Then the memory: resident set (RSS) and unique set (USS) of each web worker after it served
all this, and the whole ``xinsheng serve --with-worker`` (gunicorn master and workers, task
worker, scheduler) after it served the loop's pages. The machine's load average is printed
before and after: on a shared machine the figures are only comparable within one run.

    DATABASE_URL=postgres://postgres@localhost:5432/postgres .venv/bin/python bench/http_pages.py
    BENCH_CASES=1000000 ... (the issue's scale; about ten minutes to write)

``BENCH_KEEP=1`` keeps the database and prints its name; ``BENCH_REUSE=<name>`` runs again on it
without writing the cases again (the voices the last run sent stay in it).
``BENCH_ONLY=pages`` times the pages alone (no writes, no ``xinsheng serve`` memory): with
``BENCH_REUSE`` it also runs on a database ``scale.py`` kept (``BENCH_KEEP=1``).
``BENCH_ONLY=writes`` times the writes alone (no pages, no memory).

``BENCH_BASELINE=<directory>`` compares two versions of the code side by side in one run: the
directory holds another version's ``src`` (a ``git worktree`` of an older commit, say). A second
gunicorn serves that version on the same database, and every system is run against both servers
in each round, one after the other, so both meet the same load; each server's writes are
compared with its own bare insert. The database is migrated by this version's code.
"""

import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
os.environ.setdefault("BENCH_WORKERS", "2")
os.environ.setdefault("BENCH_CASES", "100000")

import intake  # noqa: E402 - reads BENCH_WORKERS when imported
import scale  # noqa: E402 - reads BENCH_CASES when imported

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "2"))
SERVE_WORKERS = 3  # ``xinsheng serve``'s default
KEEP = os.environ.get("BENCH_KEEP") == "1"  # keep the database afterwards, for BENCH_REUSE
REUSE = os.environ.get("BENCH_REUSE", "")  # a database a run kept: its cases are not written again
PAGES_ONLY = os.environ.get("BENCH_ONLY") == "pages"  # time the pages alone: no writes, no memory
WRITES_ONLY = os.environ.get("BENCH_ONLY") == "writes"  # the writes alone: no pages, no memory
BASELINE = os.environ.get("BENCH_BASELINE", "")  # another version's checkout, served beside
FORM_PATH = f"/v/{intake.UNIT}/"
TEXT = "井口澡堂夜班热水不够用，希望延长供应时间到凌晨两点。"

# A unique key per request: a random token of the run (written in by ``wrk()`` for each run:
# wrk's own random numbers start from the same seed in every run, so keys drawn from them
# repeat from one run to the next, and a repeated key is a retry, not a new voice), the thread's
# number and a counter.
KEYS = """
local threads = 0
local counter = 0
local prefix = ""
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end
function init(args)
  prefix = "%(run)s-" .. number .. "-"
end
function key()
  counter = counter + 1
  return prefix .. counter
end
"""

BARE = (
    KEYS
    + """
request = function()
  return wrk.format("POST", "/bench/bare", {["Idempotency-Key"] = key()}, "x")
end
"""
)

API = (
    KEYS
    + """
local body = '%(body)s'
request = function()
  local headers = {["Content-Type"] = "application/json", ["Idempotency-Key"] = key()}
  return wrk.format("POST", "%(path)s", headers, body)
end
"""
)

FORM_POST = (
    KEYS
    + """
local headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = "csrftoken=%(cookie)s",
  ["Referer"] = "http://127.0.0.1/",
}
local body = "%(body)s"
function post()
  return wrk.format("POST", "%(path)s", headers, body .. "&intake_key=" .. key())
end
"""
)

FORM = FORM_POST + "request = post\n"

# A whole submission: the form, then what it sends (two requests per submission).
SUBMISSION = (
    FORM_POST
    + """
local get = wrk.format("GET", "%(path)s")
local sent = true
request = function()
  sent = not sent
  if sent then return post() end
  return get
end
"""
)


@dataclass
class Run:
    """What one wrk run measured."""

    rate: float
    p50_ms: float
    failed: int
    answered: int = 0  # requests answered (wrk's count), per thing counted


@dataclass
class System:
    """A system under load: its wrk script (or URL), and its runs over the rounds."""

    label: str
    script: str
    path: str
    port: int
    connections: int = CONNECTIONS
    per_answer: float = 1.0  # requests per thing counted (a submission is two)
    takes_voices: bool = False  # each thing counted must be a new voice, not a retry
    reference: "System | None" = None  # the bare insert of the same server, for writes
    runs: list[Run] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)


WRK = shutil.which("wrk") or "wrk"


def fill(script: str, **values: str) -> str:
    """Return ``script`` with each ``%(name)s`` replaced by its value."""
    for name, value in values.items():
        script = script.replace(f"%({name})s", value)
    return script


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def wrk(system: System, seconds: float, workdir: Path) -> Run:
    """Run wrk against ``system`` for ``seconds``; return its rate, median latency and failures."""
    script = workdir / f"{abs(hash((system.label, system.port)))}.lua"
    script.write_text(fill(system.script, run=secrets.token_hex(8)))
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            WRK,
            "-t1",
            f"-c{system.connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "--timeout",
            "30s",  # a slow answer is counted as slow, not dropped as a timeout
            "-s",
            str(script),
            f"http://127.0.0.1:{system.port}{system.path}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode or "error" in result.stderr.lower():
        sys.exit(f"wrk failed on {system.label}: {result.stdout}{result.stderr}")
    out = result.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    scale_of = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p50_ms = float(p50[1]) * scale_of[p50[2]] if p50 else 0.0
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*timeout (\d+)", out)
    answered = re.search(r"(\d+) requests in", out)
    return Run(
        rate / system.per_answer,
        p50_ms,
        (int(failed[1]) if failed else 0) + (int(errors[1]) if errors else 0),
        round(int(answered[1]) / system.per_answer) if answered else 0,
    )


STARTED = time.time()  # the voices the benchmark sends are all created after it started


def voices_sent() -> int:
    """Return the number of cases created since the benchmark started."""
    import datetime as dt

    from xinsheng.cases.models import Case

    since = dt.datetime.fromtimestamp(STARTED, tz=dt.UTC)
    return Case.objects.filter(created_at__gte=since).count()


def timed_run(system: System, seconds: float, workdir: Path) -> Run:
    """Run ``system`` once; for a system that takes voices, check that every answer was one.

    A write answered without a new case is a retry of an earlier key (the server answers it
    with the first voice's number, without writing): a benchmark of such answers measures
    retries.
    """
    before = voices_sent() if system.takes_voices else 0
    run = wrk(system, seconds, workdir)
    if system.takes_voices:
        time.sleep(1)  # the requests in flight when wrk stopped are answered to nobody
        made = voices_sent() - before
        if not run.answered <= made <= run.answered + system.connections:
            sys.exit(
                f"{system.label}: {run.answered} voices answered but {made} cases written: "
                "the keys were not new"
            )
    return run


def rounds(systems: list[System], workdir: Path) -> None:
    """Warm every system up, then run them in turn ROUNDS times.

    A write is bracketed by its reference: the bare insert of the same server runs right before
    it and right after it (the run after one write is the run before the next), and the write's
    ratio is its rate over the mean of those two. The machine's speed drifts from one ten
    seconds to the next (other guests of its host take processor time), and a ratio to a bare
    insert run a minute earlier carried that drift.
    """
    for system in systems:
        wrk(system, WARMUP, workdir)
    references = {id(s.reference): s.reference for s in systems if s.reference is not None}
    latest: dict[int, Run] = {}  # each reference's last run
    waiting: dict[int, list[tuple[System, Run]]] = {}  # writes awaiting the run after them

    def run_reference(reference: System) -> None:
        run = timed_run(reference, SECONDS, workdir)
        reference.runs.append(run)
        for write, before in waiting.pop(id(reference), []):
            write.ratios.append(write.runs[-1].rate / statistics.mean([before.rate, run.rate]))
        latest[id(reference)] = run

    for number in range(ROUNDS):
        print(f"  round {number + 1}/{ROUNDS}, load average {load_average()}", flush=True)
        for system in systems:
            if id(system) in references:
                continue  # run around the writes it is the reference of
            if system.reference is None:
                system.runs.append(timed_run(system, SECONDS, workdir))
                continue
            run_reference(system.reference)
            system.runs.append(timed_run(system, SECONDS, workdir))
            waiting.setdefault(id(system.reference), []).append(
                (system, latest[id(system.reference)])
            )
        for reference in references.values():
            run_reference(reference)


def spread(values: list[float], digits: int = 0) -> str:
    """Return the median of ``values`` with their range, e.g. ``286 (242–338)``."""
    if not values:
        return "—"
    middle = statistics.median(values)
    return f"{middle:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def csrf_cookie(port: int) -> tuple[str, str]:
    """Return a CSRF cookie and the form's token for it, as a phone gets them with the form."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{FORM_PATH}") as answer:
        cookie = re.search(r"csrftoken=([^;]+)", answer.headers.get("Set-Cookie", ""))
        page = answer.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if cookie is None or token is None:
        sys.exit("the phone form gave no CSRF token")
    return cookie[1], token[1]


def form_body(token: str) -> str:
    from urllib.parse import urlencode

    fields = {
        "csrfmiddlewaretoken": token,
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
    return urlencode(fields)


def page_urls() -> tuple[str, dict[str, str]]:
    """Return a staff session cookie and the pages to time (ledger, deep page, case, dashboard)."""
    import datetime as dt

    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from xinsheng.cases.ledger.keyset import NEWEST, SORTS, Cursor, cursor_dump
    from xinsheng.cases.models import Case
    from xinsheng.core.periods import YEAR, period_of

    user = User.objects.get(username="bench-admin")
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    cases = Case.objects.filter(status="closed").order_by("-created_at", "-id")
    middle = cases[cases.count() // 2]
    deep = cursor_dump(Cursor(NEWEST, True, SORTS[NEWEST].key_of(middle)))
    year = period_of(YEAR, timezone.localdate() - dt.timedelta(days=365))
    from urllib.parse import quote

    return session, {
        "ledger, first page": "/cases/?status=closed",
        "ledger, deep page": f"/cases/?status=closed&cursor={quote(deep)}",
        "case page": f"/cases/{middle.case_no}/",
        "dashboard, group, year": f"/reports/?unit=G&period=year&date={year.start.isoformat()}",
    }


def statistics_refreshed() -> float:
    """Bring the planner's statistics up to date, as autovacuum does once many rows were
    written, and return the seconds it took.

    The writes add tens of thousands of today's voices at one unit (and a reused database holds
    those of earlier runs); with the statistics of before them, the planner misjudges the
    ledger's first page by a factor of ten. An installation's autovacuum analyses a table after
    a tenth of it changed; a database server running without autovacuum (as a test machine's
    may) never does, so the benchmark analyses before it times the pages.
    """
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def cases_held() -> int:
    """Return the number of cases in the database (a reused one holds what its runs wrote)."""
    from xinsheng.cases.models import Case

    return Case.objects.count()


def memory_of(pid: int) -> tuple[float, float, float]:
    """Return the RSS, PSS and USS of process ``pid`` in MB (Linux: smaps_rollup).

    RSS counts every page the process maps, shared or not; PSS divides each shared page among
    the processes sharing it (their PSS add up to the memory they take together); USS counts
    only the process's own pages (what ending it would give back).
    """
    rss = pss = uss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _colon, rest = line.partition(":")
        if name == "Rss":
            rss = int(rest.split()[0])
        elif name == "Pss":
            pss = int(rest.split()[0])
        elif name in {"Private_Clean", "Private_Dirty"}:
            uss += int(rest.split()[0])
    return rss / 1024, pss / 1024, uss / 1024


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def tree_of(pid: int) -> list[int]:
    pids = [pid]
    for child in children_of(pid):
        pids += tree_of(child)
    return pids


def serve_memory(environment: dict[str, str], visit: Callable[[int], None]) -> None:
    """Start ``xinsheng serve --with-worker``, let it serve the loop's pages; print its memory."""
    port = intake.free_port()
    serve = subprocess.Popen(  # noqa: S603 - our own command
        [
            *(sys.executable, "-m", "xinsheng.cli", "serve", "--port", str(port)),
            *("--with-worker", "--no-control-socket"),
        ],
        env={**environment, "WEB_CONCURRENCY": str(SERVE_WORKERS)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        time.sleep(20)  # the task worker and the scheduler start after "ready", and settle
        visit(port)
        time.sleep(5)
        total = 0.0
        print("\nxinsheng serve --with-worker, after serving the loop's pages:")
        for pid in tree_of(serve.pid):
            rss, pss, uss = memory_of(pid)
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            what = "gunicorn" if "gunicorn" in command else command.split("xinsheng.cli")[-1]
            print(
                f"  {pid:>7} {what.strip()[:32]:<32} "
                f"RSS {rss:5.0f} MB  PSS {pss:5.0f} MB  USS {uss:5.0f} MB"
            )
            total += pss
        print(f"  whole (sum of PSS): {total:.0f} MB (target: at most 400 MB)")
    finally:
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)


def prepare(environment: dict[str, str], *, reuse: bool) -> None:
    """Write the cases and the intake team (unless ``reuse``), collect the static files."""
    os.environ.update(environment)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from xinsheng.org.choices import Role, UnitKind
    from xinsheng.org.models import OrgUnit, Person, RoleAssignment

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    if reuse:
        return
    scale.generate(random.Random(scale.SEED))
    scale.vacuum()
    group = OrgUnit.objects.get(code="G")
    team = OrgUnit.objects.add_child(
        group, create_kwargs={"name": "基准班组", "code": intake.UNIT, "kind": UnitKind.TEAM}
    )
    user = User.objects.create_user("bench-dispatcher")
    person = Person.objects.create(employee_no="B000001", name="派单员", unit=team, user=user)
    RoleAssignment.objects.create(person=person, unit=group, role=Role.DISPATCHER)


def start(environment: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """Start gunicorn as ``xinsheng serve`` does (``--preload``), with WORKERS sync workers."""
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "xinsheng.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(intake.WORKERS),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--preload",
            "--no-control-socket",  # gunicorn's default socket is one per user, not per server
        ],
        env=environment,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


def write_systems(port: int, suffix: str, values: dict[str, str], api_body: str) -> list[System]:
    """Return the write systems served on ``port``: the bare insert first, the reference."""
    bare = System(f"bare one-row insert{suffix}", BARE, "/bench/bare", port)
    form = fill(FORM, **values)
    submission = fill(SUBMISSION, **values)
    api = fill(API, body=api_body, path=intake.INTAKE_PATH)
    return [
        bare,
        System(
            f"intake API{suffix}",
            api,
            intake.INTAKE_PATH,
            port,
            reference=bare,
            takes_voices=True,
        ),
        System(
            f"phone form POST{suffix}",
            form,
            FORM_PATH,
            port,
            reference=bare,
            takes_voices=True,
        ),
        System(
            f"phone form GET + POST{suffix}",
            submission,
            FORM_PATH,
            port,
            per_answer=2,
            reference=bare,
            takes_voices=True,
        ),
    ]


def side_by_side(*versions: list[System]) -> list[System]:
    """Return the systems of each version interleaved: each system, then the same of the next."""
    return [system for same in zip(*versions, strict=True) for system in same]


def main() -> None:
    if not Path(WRK).is_absolute():
        sys.exit("wrk is missing: apt-get install wrk")
    baseline_src = Path(BASELINE, "src").resolve() if BASELINE else None
    if baseline_src is not None and not (baseline_src / "xinsheng").is_dir():
        sys.exit(f"BENCH_BASELINE holds no src/xinsheng: {BASELINE}")
    name = REUSE or intake.database_create()
    servers: list[subprocess.Popen[bytes]] = []
    print(f"load average before: {load_average()}", flush=True)
    try:
        # The servers may still be writing into it when a failed run ends the benchmark.
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as directory:
            workdir = Path(directory)
            environment = intake.server_environment(name, workdir)
            environment["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
            started = time.perf_counter()
            prepare(environment, reuse=bool(REUSE))
            print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)
            ports = {"": intake.free_port()}
            servers.append(start(environment, ports[""]))
            if baseline_src is not None:
                # The other version first on the path: it wins over the installed package.
                other = dict(
                    environment,
                    PYTHONPATH=os.pathsep.join(
                        [str(BENCH_DIR), str(baseline_src), os.environ.get("PYTHONPATH", "")]
                    ),
                )
                ports[" (baseline)"] = intake.free_port()
                servers.append(start(other, ports[" (baseline)"]))
                print(f"baseline: {baseline_src.parent}", flush=True)
            port = ports[""]
            cookie, token = ("", "") if PAGES_ONLY else csrf_cookie(port)
            voice = {"kind": "demand", "text": TEXT, "anonymous": True}
            api_body = json.dumps(voice, ensure_ascii=False)
            values = {"cookie": cookie, "body": form_body(token), "path": FORM_PATH}
            writes: list[System] = []
            if not PAGES_ONLY:
                writes = side_by_side(
                    *(write_systems(at, suffix, values, api_body) for suffix, at in ports.items())
                )
                print(
                    f"writes: gunicorn {intake.WORKERS} sync workers, wrk 1 thread × "
                    f"{CONNECTIONS} connections, {ROUNDS} rounds × {SECONDS:g} s, PostgreSQL, "
                    f"{os.cpu_count()} CPUs",
                    flush=True,
                )
                rounds(writes, workdir)

            session, urls = page_urls()
            headers = f'wrk.headers["Cookie"] = "sessionid={session}"\n'
            pages = side_by_side(
                *(
                    [
                        System(f"{label}{suffix}", headers, url, at, connections=1)
                        for label, url in urls.items()
                    ]
                    for suffix, at in ports.items()
                )
            )
            if WRITES_ONLY:
                pages = []
            else:
                print(
                    f"analysed in {statistics_refreshed():.0f} s, as autovacuum would", flush=True
                )
                print(f"pages: 1 connection, {cases_held():,} cases", flush=True)
                rounds(pages, workdir)

            workers = children_of(servers[0].pid)
            memory = [memory_of(pid) for pid in workers]
            print(f"\nload average after: {load_average()}")
            width = max((len(system.label) for system in [*writes, *pages]), default=24) + 1
            if writes:
                print(f"\n{'writes':<{width}} {'req/s':>20} {'÷ bare':>22} {'failed':>7}")
            for system in writes:
                rates = [run.rate for run in system.runs]
                failed = sum(run.failed for run in system.runs)
                print(
                    f"{system.label:<{width}} {spread(rates):>20} "
                    f"{spread(system.ratios, 2):>22} {failed:>7}"
                )
            if writes:
                print("(a whole submission is counted once: its GET and its POST)")
            if pages:
                print(f"\n{'pages':<{width}} {'p50 ms':>20} {'req/s':>12}")
            for system in pages:
                p50s = [run.p50_ms for run in system.runs]
                rates = [run.rate for run in system.runs]
                print(f"{system.label:<{width}} {spread(p50s, 1):>20} {spread(rates):>12}")
            print("\nweb workers after serving all of it:")
            for pid, (rss, pss, uss) in zip(workers, memory, strict=True):
                print(
                    f"  {pid:>7} RSS {rss:5.0f} MB  PSS {pss:5.0f} MB  USS {uss:5.0f} MB"
                    "  (target: RSS at most 100 MB)"
                )
            stop(servers)
            if PAGES_ONLY or WRITES_ONLY:
                return

            def visit(serve_port: int) -> None:
                for url in [FORM_PATH, *urls.values()]:
                    script = System(url, headers, url, serve_port, connections=SERVE_WORKERS * 2)
                    wrk(script, 3, workdir)

            serve_memory(environment, visit)
    finally:
        stop(servers)
        if KEEP or REUSE:
            print(f"database kept: BENCH_REUSE={name}")
        else:
            intake.database_drop(name)


def stop(servers: list[subprocess.Popen[bytes]]) -> None:
    """Stop the gunicorn servers still running (and forget them)."""
    while servers:
        server = servers.pop()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
