"""Benchmark: how fast ``make demo`` serves, the first time and the next time.

Runs the command ``make demo`` runs after installing (``xinsheng demo --serve``) as a process of
its own, on a fresh SQLite database in a temporary directory, and measures:

- **demo load**: from the start of the command until it says the server is ready (database
  brought up to date, demo loaded, static files collected, web server answering);
- **first page**: the first page an anonymous visitor opens after "ready" (``/``, which leads to
  the sign-in page), then the first staff page (the dashboard) once signed in;
- **second start**: the same command run again on the same database, until it says "ready".

Each round uses a new database; ``BENCH_STARTUP_RUNS`` rounds (3) give min and median. Targets
on this 2-core machine: demo load ≤ 30 s, first page ≤ 1 s, second start ≤ 10 s. The command's
own output is shown as it comes (``BENCH_STARTUP_QUIET=1`` hides it). The processor time of the
preparation (as the command reports it) and the machine's load average are printed beside the
clock times: on a machine other work shares, they say how much of the wait was the load's own.

    .venv/bin/python bench/startup.py
"""

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READY = re.compile(r"is ready at (http://\S+/)")
PREPARED = re.compile(r"Prepared in ([\d.]+) s \(([\d.]+) s of processor time\)")
TIMEOUT = 900.0  # seconds a start may take before the round is given up
USERNAME, PASSWORD = "leader", "xinsheng-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Demo:
    """``xinsheng demo --serve`` running in a process group of its own, its output collected."""

    def __init__(self, var_dir: Path, port: int, quiet: bool) -> None:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env |= {
            "XINSHENG_VAR_DIR": str(var_dir),
            "PYTHONPATH": str(ROOT / "src"),
            "PYTHONUNBUFFERED": "1",
        }
        self.output = ""
        self.quiet = quiet
        self.started = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "xinsheng.cli", "demo", "--serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        stream = self.process.stdout
        if stream is None:
            return
        while chunk := os.read(stream.fileno(), 4096):
            text = chunk.decode(errors="replace")
            self.output += text
            if not self.quiet:
                sys.stdout.write(text)
                sys.stdout.flush()

    def wait_ready(self) -> tuple[float, str]:
        """Return the seconds until the command said "ready", and the address it gave."""
        deadline = self.started + TIMEOUT
        while time.perf_counter() < deadline:
            if found := READY.search(self.output):
                return time.perf_counter() - self.started, found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise SystemExit(f"the demo did not say it was ready:\n{self.output[-3000:]}")

    def stop(self) -> None:
        """Stop it as Ctrl+C would; kill what is left of its group."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.reader.join(timeout=5)


def timed_get(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None) -> float:
    started = time.perf_counter()
    with opener.open(url, data=data, timeout=60) as answer:
        answer.read()
        if answer.status != 200:
            raise SystemExit(f"{url} answered {answer.status}")
    return time.perf_counter() - started


def first_pages(base: str) -> tuple[float, float]:
    """Return the seconds of the first anonymous page and of the first staff page signed in."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    first = timed_get(opener, base)  # leads to the sign-in page
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the demo's own address
        base + "login/", data=form, headers={"Referer": base}
    )
    with opener.open(request, timeout=60) as answer:
        answer.read()
    staff = timed_get(opener, base + "reports/")
    return first, staff


def round_(number: int, quiet: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="xinsheng-startup-") as directory:
        var_dir = Path(directory)
        port = free_port()
        print(f"\n--- round {number}: first start on a fresh database ---", flush=True)
        demo = Demo(var_dir, port, quiet)
        try:
            load, base = demo.wait_ready()
            first, staff = first_pages(base)
        finally:
            demo.stop()
        print(f"\n--- round {number}: second start on the same database ---", flush=True)
        again = Demo(var_dir, port, quiet)
        try:
            second, base = again.wait_ready()
            first_again, _staff = first_pages(base)
        finally:
            again.stop()
    cpu = PREPARED.search(demo.output)
    figures = {
        "demo load (s)": load,
        "  of it preparing, processor time (s)": float(cpu.group(2)) if cpu else float("nan"),
        "first page after ready (s)": first,
        "first staff page signed in (s)": staff,
        "second start (s)": second,
        "first page after second start (s)": first_again,
    }
    print(f"\nround {number}: " + ", ".join(f"{k} {v:.2f}" for k, v in figures.items()))
    return figures


def main() -> None:
    runs = int(os.environ.get("BENCH_STARTUP_RUNS", "3"))
    quiet = os.environ.get("BENCH_STARTUP_QUIET", "") not in {"", "0"}
    rounds = [round_(number, quiet) for number in range(1, runs + 1)]
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nload average of the machine at the end: {load} ({os.cpu_count()} processors)")
    print(f"\nxinsheng demo --serve, {runs} rounds (targets: load 30 s, page 1 s, again 10 s)")
    for name in rounds[0]:
        values = [figures[name] for figures in rounds]
        print(
            f"  {name:36} min {min(values):6.2f}  median {statistics.median(values):6.2f}"
            f"  all {' '.join(f'{value:.2f}' for value in values)}"
        )


if __name__ == "__main__":
    main()
