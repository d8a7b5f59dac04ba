"""``xinsheng org_import FILE --as USERNAME [--apply]``: import units and people from a file.

Prints the dry run's report, row errors with their row numbers, and writes only with ``--apply``
when there are no errors. Exits with a non-zero status when the file has errors.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xinsheng.core.sheets.command import actor_named, add_import_arguments, run_import
from xinsheng.org.imports import KEY


class Command(BaseCommand):
    help = "Check (and with --apply, import) units and people from an .xlsx or .csv file."

    def add_arguments(self, parser: CommandParser) -> None:
        add_import_arguments(parser, as_help="the user the import is made as")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_named(options["username"])
        run_import(self, KEY, actor=actor, path=options["file"], apply=options["apply"])
