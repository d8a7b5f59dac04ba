"""Finishing a command's work: what the apps derive from the data, brought up to date at once.

Pages write their changes and leave the derived data (the aggregated figures) to the worker,
which folds them in seconds later. A command is different: it may run where no worker runs (a
fresh installation, a script), and what it prints is taken as done. So every command that
changes cases calls ``catch_up`` after its writes commit, and reports success only after it;
the apps that derive something fill the ``CATCH_UP`` hook (see ``xinsheng.core.plugins``).
"""

from django.core.management.base import BaseCommand

from xinsheng.core.plugins import contributions


def catch_up() -> list[str]:
    """Run every ``CATCH_UP`` entry now; return the lines they report (empty ones left out).

    Call it once the command's writes have committed (an entry folds in what it finds, and what
    may still roll back must not be folded in).
    """
    return [line for entry in contributions("CATCH_UP") if (line := entry())]


def catch_up_for(command: BaseCommand) -> None:
    """Run ``catch_up`` and print what it reports on ``command``'s output."""
    for line in catch_up():
        command.stdout.write(line)
