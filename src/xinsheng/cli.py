"""The ``xinsheng`` command: Django's management commands under one name.

``xinsheng serve`` runs the web server, ``xinsheng worker`` the task worker, ``xinsheng demo``
loads the demo enterprise; every other management command works as well (``xinsheng migrate``).
"""

import os
import sys


def main() -> None:
    """Run the management command named on the command line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinsheng.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xinsheng", *sys.argv[1:]])


if __name__ == "__main__":
    main()
