"""The statement that takes a voice, on the database server alone: planned every time, or prepared.

``pgbench`` (PostgreSQL's own load generator, in Debian's ``postgresql`` package) runs on a
database that ``http_pages.py`` kept (``BENCH_REUSE=<name>``), with ``BENCH_CLIENTS`` (16)
clients, ``BENCH_ROUNDS`` (3) rounds of ``BENCH_SECONDS`` (8 s) per run, the runs interleaved:

- the bare insert's statement (the audit row ``intake_bare.py`` writes);
- the statement of ``cases.intake.insert`` for an anonymous voice, as the code builds it, sent
  as text each time (as Django sends every statement: the server parses and plans it each time);
- the same statement prepared once per connection (``pgbench -M prepared``), as
  ``core.prepared_statements`` runs it.

Every run draws its own hashes in the database, so each insert is a new voice. Printed:
transactions per second and mean latency, medians over the rounds.

    BENCH_REUSE=<name> DATABASE_URL=postgres://postgres@localhost:5432/postgres \\
        .venv/bin/python bench/intake_statement.py
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import intake  # noqa: E402 - the benchmark's database helpers, found beside this script

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
REUSE = os.environ.get("BENCH_REUSE", "")
RANDOM_HASH = "encode(sha256(random()::text::bytea), 'hex')"


def statements() -> tuple[str, str]:
    """Return the bare insert's statement and the intake's, with their values written in."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from xinsheng.cases import services
    from xinsheng.cases.intake import idempotency
    from xinsheng.cases.intake import insert as intake_insert

    # Hashes stand-ins, each replaced by a hash the database draws for every insert.
    marks = [f"{n:064x}" for n in range(1, 4)]
    case = services._case_values(
        kind="demand",
        title="",
        text="井口澡堂夜班热水不够用，希望延长供应时间到凌晨两点。",
        identity=services.Identity(anonymous=True),
        claim=idempotency.Claim(key_hash=marks[0], body_hash=marks[1]),
        receipt="",
    )
    case["receipt_hash"] = marks[2]
    insert = intake_insert.insert_of(
        case,
        services._SUBMITTED_EVENT,
        unit_code=intake.UNIT,
        token=None,
        year=2026,
        now=timezone.now(),
    )
    sql, params = insert.sql, insert.params
    text = connection.ops.compose_sql(sql, params)
    for mark in marks:
        text = text.replace(f"'{mark}'", RANDOM_HASH)
    bare = (
        "INSERT INTO core_auditevent (at, actor_id, action, object_type, object_id, before,"
        " after, note) VALUES (now(), NULL, 'bench.bare', 'bench', md5(random()::text), NULL,"
        " NULL, 'x') RETURNING id"
    )
    return bare, " ".join(text.split())


def pgbench(script: Path, name: str, mode: str) -> tuple[float, float]:
    """Run pgbench on ``script``; return transactions per second and mean latency in ms."""
    url = intake.database_url(name)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            shutil.which("pgbench") or "pgbench",
            "--no-vacuum",
            f"--client={CLIENTS}",
            f"--jobs={min(CLIENTS, 2)}",
            f"--time={SECONDS}",
            f"--protocol={mode}",
            f"--file={script}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    tps = re.search(r"tps = ([\d.]+)", result.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", result.stdout)
    if tps is None or latency is None or "error" in result.stderr.lower():
        sys.exit(f"pgbench failed: {result.stdout}{result.stderr}")
    return float(tps[1]), float(latency[1])


def main() -> None:
    if not REUSE:
        sys.exit("BENCH_REUSE=<name>: a database http_pages.py kept (BENCH_KEEP=1)")
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        os.environ.update(intake.server_environment(REUSE, workdir))
        bare, voice = statements()
        scripts = {"bare insert": bare, "intake statement": voice}
        files = {}
        for label, text in scripts.items():
            files[label] = workdir / f"{len(files)}.sql"
            files[label].write_text(text + ";\n")
        systems = [
            ("bare insert, planned each time", files["bare insert"], "simple"),
            ("intake statement, planned each time", files["intake statement"], "simple"),
            ("intake statement, prepared", files["intake statement"], "prepared"),
        ]
        print(f"{CLIENTS} clients, {ROUNDS} rounds × {SECONDS} s, load {os.getloadavg()[0]:.2f}")
        figures: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in systems}
        for _ in range(ROUNDS):
            for label, script, mode in systems:
                figures[label].append(pgbench(script, REUSE, mode))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        for label, runs in figures.items():
            tps = statistics.median(run[0] for run in runs)
            latency = statistics.median(run[1] for run in runs)
            print(f"{label:<38} {tps:8.0f} per s  {latency:6.2f} ms")


if __name__ == "__main__":
    main()
