"""How far a long command has got: ``progress_report(done, total)`` from deep inside a loop.

A command that wants to show progress installs a reporter with ``progress_shown(reporter)``; code
that runs long (a demo part, an import) calls ``progress_report`` now and then, and nothing
happens when no reporter is installed (a web request, a test).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Reporter = Callable[[int, int], None]

_reporters: list[Reporter] = []


@contextmanager
def progress_shown(reporter: Reporter) -> Iterator[None]:
    """Pass every ``progress_report`` of the block to ``reporter(done, total)``."""
    _reporters.append(reporter)
    try:
        yield
    finally:
        _reporters.remove(reporter)


def progress_report(done: int, total: int) -> None:
    """Say that ``done`` of ``total`` steps of the current work are done."""
    if _reporters:
        _reporters[-1](done, total)
