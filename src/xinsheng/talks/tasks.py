"""Background work of talks, run by the task worker; ``PERIODIC`` is what the scheduler enqueues."""

from typing import Any

PERIODIC: tuple[Any, ...] = ()
