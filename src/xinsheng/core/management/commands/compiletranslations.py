"""Compile the .po translation catalogues to .mo, in pure Python (no gettext tools needed)."""

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Compile every .po catalogue under LOCALE_PATHS to .mo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-incomplete", action="store_true", help="compile even with untranslated text"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                if catalogue.percent_translated() < 100 and not options["allow_incomplete"]:
                    missing = [e.msgid for e in catalogue.untranslated_entries()][:5]
                    raise CommandError(f"{po_path} is incomplete, e.g. {missing}")
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
        self.stdout.write(f"compiled {compiled} catalogue(s)")
