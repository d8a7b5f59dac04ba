"""Run queued background tasks: ``xinsheng worker``, the database queue's worker made to last.

django-tasks-db's worker ends with the first database error that is not a lock: a PostgreSQL
restart or failover, or a connection the server dropped, and the queue then waits for ever.
This worker takes such an error as the database being away for a while: it closes its
connections, waits (a pause that doubles with each failure in a row, up to a minute) and goes
on from where it was; a task that was running is marked by its own error handling, or run again
once the database is back if its claim was lost. Every other option is the library worker's.

``--with-scheduler`` runs the scheduler's clock (``xinsheng scheduler``) in a thread of the
worker, for a single machine: one process loads the application instead of two.
"""

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

from xinsheng.core.management.commands import scheduler

logger = logging.getLogger(__name__)

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0


class LastingWorker(db_worker.Worker):
    """The library's worker loop, started again after the database went away."""

    def run(self) -> None:
        pause = FIRST_PAUSE
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # stopped by a signal, --batch or --max-tasks
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    return
                if time.monotonic() - started > 2 * pause:
                    pause = FIRST_PAUSE  # it had worked for a while: a new outage
                logger.warning(
                    "worker: database unavailable (%s); trying again in %.0f s",
                    str(error).strip().splitlines()[0] if str(error).strip() else type(error),
                    pause,
                )
                for connection in connections.all(initialized_only=True):
                    connection.close_if_unusable_or_obsolete()
                    if connection.errors_occurred or not connection.is_usable():
                        connection.close()
                self._wait(pause)
                pause = min(pause * 2, LONGEST_PAUSE)

    def _wait(self, seconds: float) -> None:
        """Wait ``seconds``, waking early when a signal asked the worker to stop."""
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))


class Command(db_worker.Command):
    help = "Run queued background tasks, lasting through database restarts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--with-scheduler",
            action="store_true",
            help="also enqueue the periodic tasks, as `xinsheng scheduler` does, from a thread "
            f"(every SWEEP_INTERVAL_MINUTES, {scheduler.configured_interval():g} minutes)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LastingWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        clock = None
        if options["with_scheduler"]:
            minutes = scheduler.configured_interval()
            clock = scheduler.run_beside(minutes * 60)
            self.stdout.write(f"Scheduler started: periodic tasks every {minutes:g} minutes.")
            self.stdout.flush()
        try:
            worker.run()
        finally:
            if clock is not None:
                clock.set()
