"""``xinsheng ledger export|import``: the ledger (台账) as a spreadsheet, from scripts and cron.

    xinsheng ledger export [--unit CODE] [--from DATE] [--to DATE] --as USERNAME -o FILE.xlsx
    xinsheng ledger import FILE.xlsx --as USERNAME [--apply]

The export holds what the user sees in the ledger with the same filters, written at once whatever
its size. The import prints its dry run with every row error and writes only with ``--apply``
when there are no errors; it exits with a non-zero status when the file has errors.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from xinsheng.cases.ledger import export as ledger_export
from xinsheng.cases.ledger.imports import KEY
from xinsheng.core.errors import XinshengError
from xinsheng.core.sheets.command import add_import_arguments, run_import


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise ValueError(text) from exc


class Command(BaseCommand):
    help = "Export the ledger to .xlsx, or check (and with --apply, import) a historical ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        export = commands.add_parser("export", help="write the ledger as an .xlsx file")
        export.add_argument("--unit", default="", help="code of a unit: its subtree only")
        export.add_argument("--from", dest="date_from", type=_date, help="raised on or after")
        export.add_argument("--to", dest="date_to", type=_date, help="raised on or before")
        export.add_argument("--as", dest="username", required=True, help="the exporting user")
        export.add_argument("-o", "--output", type=Path, required=True, help="the .xlsx file")
        imports = commands.add_parser("import", help="import a ledger from .xlsx or .csv")
        add_import_arguments(imports)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=options["username"]).first()
        if actor is None:
            raise CommandError(gettext("用户“%(name)s”不存在。") % {"name": options["username"]})
        if options["action"] == "export":
            self.export(actor, options)
        else:
            self.import_file(actor, options)

    def export(self, actor: AbstractBaseUser, options: dict[str, Any]) -> None:
        params = {
            key: [str(options[name])]
            for key, name in (("unit", "unit"), ("date_from", "date_from"), ("date_to", "date_to"))
            if options.get(name)
        }
        output: Path = options["output"]
        try:
            job = ledger_export.ledger_export_create(actor=actor, params=params, background=False)
            with output.open("wb") as target:
                rows = ledger_export.ledger_export_inline(job=job, target=target)
        except XinshengError as exc:
            raise CommandError(str(exc.message) or gettext("您无权导出台账。")) from exc
        except OSError as exc:
            raise CommandError(gettext("无法写入文件：%(error)s") % {"error": exc}) from exc
        self.stdout.write(
            self.style.SUCCESS(
                gettext("已导出 %(rows)d 行到 %(file)s。") % {"rows": rows, "file": output}
            )
        )

    def import_file(self, actor: AbstractBaseUser, options: dict[str, Any]) -> None:
        run_import(self, KEY, actor=actor, path=options["file"], apply=options["apply"])
