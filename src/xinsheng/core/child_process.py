"""Run a function in a short-lived child process, so that what it imports leaves with it.

The text tools (scikit-learn, scipy, numpy: well over a hundred megabytes once imported) are
needed for minutes a day, by the hot topics and the category model's training; imported in the
task worker they would stay for its whole life. ``run_apart`` runs such a function in a fresh
Python process that sets Django up, uses its own database connection, sends back the result (or
the error) and exits, so that its memory goes back to the system.

The child is a fresh interpreter started with ``subprocess`` (what the multiprocessing "spawn"
context does), not multiprocessing itself: its spawn and forkserver contexts leave a helper
process running beside the parent for the rest of its life. The function and its arguments are
pickled by reference: the function must be defined at the top of a module, and the arguments and
the result must be picklable (ids and plain values, not model instances).

The child sees only what the database has committed, and works on the very database the parent
uses (the one its settings name, as a test run altered them). A database that exists only in
this process (SQLite in memory), or an open transaction whose rows the child could not see, make
``run_apart`` run the function here instead, as before.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import ParamSpec, TypeVar, cast

P = ParamSpec("P")
T = TypeVar("T")

BOOT = "from xinsheng.core.child_process import child_main; child_main()"
# How often the child looks whether its parent is still there (seconds).
PARENT_WATCH_EVERY = 1.0


class ChildFailed(RuntimeError):
    """The child process ended without an answer, or its error could not be sent back."""


def apart_possible() -> bool:
    """Tell whether a child process could see what this one sees in the database.

    Not when a database lives in this process's memory, nor inside a transaction: the child
    would miss its uncommitted rows, and its writes would not be undone with it.
    """
    from django.db import connections
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLite

    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False
    for alias in connections:
        connection = connections[alias]
        if isinstance(connection, SQLite) and connection.is_in_memory_db():
            return False
    return True


def run_apart(function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Return ``function(*args, **kwargs)``, computed in a child process when one can be used."""
    if not apart_possible():
        return function(*args, **kwargs)
    return run_in_child(function, *args, **kwargs)


def run_in_child(function: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Return ``function(*args, **kwargs)`` computed in a child process; raise what it raised.

    The child's error is raised again here, with the child's traceback as a note; an error that
    cannot be pickled, or a child that dies without answering, raises ``ChildFailed``.
    """
    from django.db import connections

    setup = {
        "path": [entry for entry in sys.path if entry],
        "settings": os.environ.get("DJANGO_SETTINGS_MODULE", "xinsheng.settings"),
        "databases": {alias: connections[alias].settings_dict["NAME"] for alias in connections},
    }
    call = pickle.dumps((function, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    payload = pickle.dumps((setup, call), protocol=pickle.HIGHEST_PROTOCOL)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(setup["path"])}
    finished = subprocess.run(  # noqa: S603 - this interpreter, our own bootstrap
        [sys.executable, "-c", BOOT],
        input=payload,
        stdout=subprocess.PIPE,
        env=env,
        check=False,
    )
    name = getattr(function, "__qualname__", repr(function))
    if not finished.stdout:
        raise ChildFailed(f"{name}: the child process exited with code {finished.returncode}")
    outcome, inner, details = pickle.loads(finished.stdout)  # noqa: S301 - our own child
    try:
        value = pickle.loads(inner) if inner else None  # noqa: S301 - our own child
    except Exception as error:  # an error class that cannot be made again here
        raise ChildFailed(f"{name}: {details}") from error
    if outcome == "done":
        return cast(T, value)
    if isinstance(value, BaseException):
        value.add_note(f"In the child process:\n{details}")
        raise value
    raise ChildFailed(f"{name}: {details}")


def child_main() -> None:
    """Run the call the parent wrote on standard input; write the outcome on standard output.

    Anything the call itself prints goes to standard error, beside its log, so that standard
    output carries the outcome alone.
    """
    parent_watch(os.getppid())
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), line_buffering=True)
    setup, call = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from our own parent
    sys.path[:0] = [entry for entry in setup["path"] if entry not in sys.path]
    os.environ["DJANGO_SETTINGS_MODULE"] = setup["settings"]
    try:
        _django_setup(setup["databases"])
        function, args, kwargs = pickle.loads(call)  # noqa: S301 - imported once Django is ready
        outcome, value, details = "done", function(*args, **kwargs), ""
    except BaseException as error:  # every error goes back to the parent
        outcome, value, details = "failed", error, "".join(traceback.format_exception(error))
    try:
        inner = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an error (or a result) that cannot be pickled: its text goes back
        outcome, inner = "failed", b""
        details = details or f"a result of type {type(value).__name__} cannot be pickled"
    answer.write(pickle.dumps((outcome, inner, details), protocol=pickle.HIGHEST_PROTOCOL))
    answer.close()


def parent_watch(parent: int) -> None:
    """End this child as soon as its parent is gone.

    A task worker stopped by its service manager (or killed) takes no time to stop its child:
    the child would go on, alone, with an hour's clustering of a million voices that nobody waits
    for any more. Once the parent has ended, the child belongs to another process; a thread
    notices it and ends the child at once.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_WATCH_EVERY)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _django_setup(databases: dict[str, str]) -> None:
    """Set Django up on the parent's databases (the names a test run gives them included)."""
    import django
    from django.conf import settings

    for alias, name in databases.items():
        if alias in settings.DATABASES:
            settings.DATABASES[alias]["NAME"] = name
    django.setup()
