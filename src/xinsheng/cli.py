"""The ``xinsheng`` command: Django's management commands under one name.

``xinsheng serve`` runs the web server, ``xinsheng worker`` the task worker, ``xinsheng demo``
loads the demo enterprise; every other management command works as well (``xinsheng migrate``).
"""

import os
import sys


def main() -> None:
    """Run the management command named on the command line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    if sys.argv[1:2] == ["serve"] and not {"-h", "--help"} & set(sys.argv):
        serve()
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xinsheng", *sys.argv[1:]])


def serve() -> None:
    """Run ``xinsheng serve`` with the settings alone, no app loaded.

    The command only starts and watches the web server, the task worker and the scheduler, each
    a process that loads the application itself: loaded here as well, it would weigh as much as
    a web worker for nothing. The system checks run in ``xinsheng check`` and in the deploy.
    """
    from xinsheng.core.management.commands.serve import Command

    Command().run_from_argv(["xinsheng", *sys.argv[1:], "--skip-checks"])


if __name__ == "__main__":
    main()
