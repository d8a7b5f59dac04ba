"""Fuzz drill: schemathesis against every operation of the OpenAPI schema of a live server.

Set-up: a throwaway database on the PostgreSQL server (DATABASE_URL, default the local one), the
demo enterprise with a hundred cases, and ``xinsheng serve``. schemathesis reads
``/api/schema/`` and sends generated requests, valid and invalid, to every operation, as the
demo's administrator (``admin``, API token); the public operations ignore the token. Revoking the
token (``DELETE /api/auth/token``) is left out: it would sign the fuzzer out for the rest of the
run. The rate limits are lifted so that the fuzzer is not refused after its first requests.

The answers are counted from the server's own access log: requests and server errors (5xx),
which must be 0; each 5xx is listed with its request line, and the server's log holds its
traceback (printed when there is one).

    .venv/bin/pip install -r bench/requirements-drills.txt   # schemathesis, once
    .venv/bin/python bench/drill_fuzz.py

Environment: DRILL_EXAMPLES (examples per operation, 50), DRILL_FUZZ_SECONDS (time budget of
the fuzzing, 600), DRILL_SEED (schemathesis' seed, 1).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import drill_kit as kit

EXAMPLES = os.environ.get("DRILL_EXAMPLES", "50")
SECONDS = os.environ.get("DRILL_FUZZ_SECONDS", "600")
SEED = os.environ.get("DRILL_SEED", "1")
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) ')
INSTALL = ".venv/bin/pip install -r bench/requirements-drills.txt"


def schemathesis() -> list[str]:
    """Return the command that runs schemathesis: beside this Python, or on the PATH."""
    beside = Path(sys.executable).parent / "schemathesis"
    found = str(beside) if beside.exists() else shutil.which("schemathesis")
    if found is None:
        sys.exit(f"schemathesis is not installed; install the drills' requirements:\n  {INSTALL}")
    return [found]


def main() -> None:
    command = schemathesis()
    with (
        kit.throwaway_database(kit.LOCAL_SERVER, "xs_drill_fuzz") as database,
        tempfile.TemporaryDirectory(prefix="xs-drill-") as workdir,
    ):
        var = Path(workdir)
        unlimited = str(10**9)
        env = kit.installation_env(
            database,
            var,
            DEMO_CASES="100",
            INTAKE_RATE_PER_HOUR=unlimited,
            RECEIPT_RATE_PER_HOUR=unlimited,
            SIMILAR_RATE_PER_HOUR=unlimited,
        )
        kit.xinsheng(env, "migrate", "-v0")
        kit.xinsheng(env, "demo")
        kit.xinsheng(env, "collectstatic", "--noinput", "-v0")  # as an installation has them
        token = kit.setup(env, "credentials", "admin")["token"]
        port = kit.free_port()
        log = var / "serve.log"
        server = kit.serve(env, port, 3, log)
        try:
            fuzz = subprocess.run(  # noqa: S603 - our own command
                [
                    *command,
                    "run",
                    f"http://{kit.HOST}:{port}/api/schema/",
                    "--checks",
                    "not_a_server_error",
                    "--header",
                    f"Authorization: Token {token}",
                    "--exclude-operation-id",
                    "auth_token_revoke",
                    "--max-examples",
                    EXAMPLES,
                    "--max-time",
                    SECONDS,
                    "--seed",
                    SEED,
                    "--workers",
                    "2",
                    "--request-timeout",
                    "60",
                    "--no-color",
                ],
                capture_output=True,
                text=True,
                cwd=var,
            )
        finally:
            kit.stop([server])
        report(fuzz, log.read_text(errors="replace"))


def report(fuzz: subprocess.CompletedProcess[str], server_log: str) -> None:
    answers: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for line in server_log.splitlines():
        if (match := ACCESS_LINE.search(line)) is None:
            continue
        answers[match["status"][0] + "xx"] += 1
        if match["status"].startswith("5"):
            path = re.sub(r"\?.*", "?…", match["path"])
            errors[f"{match['status']} {match['method']} {path}"] += 1
    summary = [line for line in fuzz.stdout.splitlines() if line.strip()]
    print("schemathesis (its last lines):")
    for line in summary[-12:]:
        print(f"  {line}")
    total = sum(answers.values())
    print(f"requests answered: {total}, by class: {dict(sorted(answers.items()))}")
    print(f"server errors (5xx): {sum(errors.values())} (must be 0)")
    for what, count in errors.most_common():
        print(f"  {count:>5}  {what}")
    causes: Counter[str] = Counter()
    for block in server_log.split("Traceback (most recent call last):")[1:]:
        lines = block.strip().splitlines()
        ours = [line.strip() for line in lines if "/xinsheng/" in line and "File" in line]
        error = next((line for line in lines if not line.startswith((" ", "["))), "?")
        causes[f"{error[:160]}\n      at {ours[-1] if ours else '(not in our code)'}"] += 1
    if causes:
        print("their causes in the server's log (exception, and our last frame):")
        for cause, count in causes.most_common():
            print(f"  {count:>5}  {cause}")


if __name__ == "__main__":
    main()
