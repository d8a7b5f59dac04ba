"""The ``xinsheng`` command: Django's management commands under one name.

``xinsheng serve`` runs the web server, ``xinsheng worker`` the task worker, ``xinsheng demo``
loads the demo enterprise; every other management command works as well (``xinsheng migrate``).
"""

import os
import sys

ALIASES = {"worker": "db_worker"}


def main() -> None:
    """Run the management command named on the command line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[1:]
    if argv and argv[0] in ALIASES:
        argv[0] = ALIASES[argv[0]]
    execute_from_command_line(["xinsheng", *argv])


if __name__ == "__main__":
    main()
