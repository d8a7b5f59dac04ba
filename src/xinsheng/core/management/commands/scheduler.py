"""Enqueue the periodic background tasks at an interval: ``xinsheng scheduler``.

django-tasks runs what is queued but has no clock of its own. This long-running command is that
clock: on start and then every interval it enqueues each app's periodic tasks (the
``PERIODIC`` hook of each app's ``plugins`` module) for ``xinsheng worker`` to run, and sleeps in
between. Every server may run one: each round is claimed in the database (``core.schedule``), so
only one scheduler enqueues per interval (and the tasks are safe to run twice anyway). SIGTERM or
SIGINT stops it cleanly between ticks.

On a single machine the clock may instead run as a thread of the task worker
(``xinsheng worker --with-scheduler``, what ``xinsheng serve --with-worker`` starts): the same
rounds, claimed the same way, without a second process loading the whole application.
"""

import logging
import signal
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections
from django_tasks.base import Task

from xinsheng.core.plugins import contributions
from xinsheng.core.schedule import round_claim, scheduler_name

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL_MINUTES = 15
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def periodic_tasks() -> Iterator[Task[Any, Any]]:
    """Yield the periodic tasks of every installed app (the ``PERIODIC`` hook), in install order."""
    yield from contributions("PERIODIC")


def enqueue_periodic() -> list[str]:
    """Enqueue every periodic task once; return the names of those enqueued."""
    names = []
    for periodic in periodic_tasks():
        periodic.enqueue()
        names.append(periodic.name)
    return names


def configured_interval() -> float:
    """Return the minutes between two rounds the installation set (``SWEEP_INTERVAL_MINUTES``)."""
    return float(settings.XINSHENG.get("SWEEP_INTERVAL_MINUTES", DEFAULT_INTERVAL_MINUTES))


class Command(BaseCommand):
    help = "Enqueue the periodic tasks (deadline sweep, unrated closing) at an interval."

    def add_arguments(self, parser: CommandParser) -> None:
        configured = f"{configured_interval():g}"
        parser.add_argument(
            "--interval",
            type=float,
            default=configured_interval(),
            help=f"minutes between two rounds (default {configured})",
        )
        parser.add_argument(
            "--once", action="store_true", help="enqueue one round and exit (for a timer or a test)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = float(options["interval"]) * 60
        if interval <= 0:
            raise CommandError("--interval must be more than 0 minutes.")
        if options["once"]:
            if not round_claim(holder=scheduler_name(), interval=interval):
                self.stdout.write("Another scheduler has enqueued this round.")
                return
            names = enqueue_periodic()
            self.stdout.write(f"Enqueued {', '.join(names) or 'nothing'}.")
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            logger.info("scheduler: %s received, stopping", signal.Signals(signum).name)
            stop.set()

        previous = {signum: signal.signal(signum, on_signal) for signum in STOP_SIGNALS}
        self.stdout.write(f"Scheduler started: periodic tasks every {interval / 60:g} minutes.")
        self.stdout.flush()
        try:
            run(stop, interval)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("Scheduler stopped.")


def run(stop: threading.Event, interval: float) -> None:
    """Enqueue a round now and every ``interval`` seconds until ``stop`` is set."""
    next_round = time.monotonic()
    holder = scheduler_name()
    while not stop.is_set():
        close_old_connections()
        try:
            if round_claim(holder=holder, interval=interval):
                names = enqueue_periodic()
                logger.info("scheduler: enqueued %s", ", ".join(names))
            else:
                logger.info("scheduler: another scheduler has this round")
        except Exception:  # a database hiccup must not end the clock; the next round retries
            logger.exception("scheduler: enqueueing the periodic tasks failed")
        # After a suspended machine wakes up, one round catches up; rounds missed are not replayed.
        next_round = max(next_round + interval, time.monotonic())
        stop.wait(next_round - time.monotonic())


def run_beside(interval: float) -> threading.Event:
    """Run the clock in a thread of this process, every ``interval`` seconds; return the event
    that stops it. The thread holds its own database connection and closes it at the end."""
    stop = threading.Event()

    def clock() -> None:
        try:
            run(stop, interval)
        finally:
            connections.close_all()

    threading.Thread(target=clock, name="scheduler", daemon=True).start()
    return stop
