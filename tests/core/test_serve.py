"""`xinsheng serve`: the gunicorn command line, and one control socket per instance."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from gunicorn.config import Config
from pytest_django.fixtures import Settings

from xinsheng.core.management.commands.serve import (
    Helper,
    gunicorn_command,
    stop,
    supervise,
    wait_until_answering,
)


def parsed(command: list[str]) -> Config:
    """Return gunicorn's configuration from ``command``, read by gunicorn's own parser."""
    config = Config()
    module_at = command.index("gunicorn")
    args = config.parser().parse_args(command[module_at + 1 :])
    for name, value in vars(args).items():
        if value is not None and name in config.settings:
            config.set(name, value)
    return config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_two_instances_have_their_own_control_socket_under_var(
    settings: Settings, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    default = Config().control_socket

    first = parsed(gunicorn_command(host="127.0.0.1", port=8000, workers=3, control_socket=True))
    second = parsed(gunicorn_command(host="127.0.0.1", port=8001, workers=3, control_socket=True))
    other_host = parsed(
        gunicorn_command(host="10.0.0.11", port=8000, workers=3, control_socket=True)
    )

    sockets = {first.control_socket, second.control_socket, other_host.control_socket}
    assert len(sockets) == 3
    assert default not in sockets
    for path in sockets:
        assert Path(path).parent == tmp_path / "run"
    assert first.control_socket == str(tmp_path / "run" / "gunicorn-127.0.0.1-8000.ctl")
    assert not first.control_socket_disable
    assert first.bind == ["127.0.0.1:8000"]
    assert first.workers == 3


def test_the_control_socket_can_be_left_out(settings: Settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path

    command = gunicorn_command(host="127.0.0.1", port=8000, workers=1, control_socket=False)

    assert "--control-socket" not in command
    assert parsed(command).control_socket_disable


def test_two_real_servers_side_by_side_keep_their_own_sockets(
    settings: Settings, tmp_path: Path
) -> None:
    # Given two gunicorn instances started as `xinsheng serve` starts them, on two ports
    settings.VAR_DIR = tmp_path
    commands = [
        gunicorn_command(host="127.0.0.1", port=free_port(), workers=1, control_socket=True)
        for _ in range(2)
    ]
    paths = [Path(parsed(command).control_socket) for command in commands]
    environ = {**os.environ, "XINSHENG_VAR_DIR": str(tmp_path)}
    servers = [
        subprocess.Popen(  # noqa: S603 - our own command line
            command, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for command in commands
    ]
    try:
        # When both have started (each loads and warms the application before it listens)
        deadline = time.monotonic() + 120
        while not all(path.is_socket() for path in paths) and time.monotonic() < deadline:
            assert all(server.poll() is None for server in servers), "gunicorn stopped"
            time.sleep(0.1)

        # Then each has its own socket, and both are still there
        assert all(path.is_socket() for path in paths)
        assert paths[0] != paths[1]
    finally:
        stop(servers)


def test_a_helper_that_dies_is_started_again_with_a_growing_pause(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    # A worker that notes each start and dies at once, as one does when the database goes away.
    helper = Helper(
        "worker", [sys.executable, "-c", f"open({str(starts)!r}, 'a').write('x')"], pause=0.05
    )
    helper.start()
    # The web server ends once the worker has been started three times.
    wait_for_three = (
        "import pathlib, time\n"
        f"p = pathlib.Path({str(starts)!r})\n"
        "while not p.exists() or len(p.read_text()) < 3:\n"
        "    time.sleep(0.01)\n"
    )
    web = subprocess.Popen([sys.executable, "-c", wait_for_three])  # noqa: S603 - our own script
    said: list[str] = []

    assert supervise(web, [helper], say=said.append, interval=0.01) == 0

    assert helper.restarts >= 2
    assert said[0] == "The worker stopped (exit code 0); starting it again in 0.05 s.\n"
    assert said[1] == "The worker stopped (exit code 0); starting it again in 0.1 s.\n"


def test_a_helper_that_runs_is_left_alone(tmp_path: Path) -> None:
    helper = Helper("scheduler", [sys.executable, "-c", "import time; time.sleep(30)"])
    helper.start()
    web = subprocess.Popen([sys.executable, "-c", "pass"])
    said: list[str] = []
    try:
        assert supervise(web, [helper], say=said.append, interval=0.01) == 0
        assert (helper.restarts, said) == (0, [])
    finally:
        assert helper.process is not None
        stop([helper.process])


def test_the_server_is_ready_once_it_answers_its_health_check_and_warmed_before_it_forks(
    settings: Settings, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    port = free_port()
    command = gunicorn_command(host="127.0.0.1", port=port, workers=1, control_socket=False)
    assert parsed(command).preload_app  # the workers fork with every page's code loaded
    # A stand-in server that answers only after a while, as gunicorn does once it has loaded
    script = (
        "import http.server, time; time.sleep(1)\n"
        "class H(http.server.BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        self.send_response(200 if self.path == '/healthz' else 404); self.end_headers()\n"
        f"http.server.HTTPServer(('127.0.0.1', {port}), H).serve_forever()\n"
    )
    web = subprocess.Popen([sys.executable, "-c", script])  # noqa: S603
    try:
        assert wait_until_answering(web, "127.0.0.1", port) is True
    finally:
        stop([web])
    # ... and a server that ended is never waited for
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    assert wait_until_answering(ended, "127.0.0.1", free_port()) is False
